import { PLACEHOLDER_ACCOUNT_ID } from "../../stack-config/account";
import { createSteps } from "../export";
import { buildPlanModel } from "../model";
import type { Evaluation } from "../runner";
import { StackState, stackStateFromPlanJson } from "./state";

/**
 * The current program's stack, as `--json` would write it and read back: the
 * same shape as the deployed side, so both are compared alike.
 */
export function stackStateOfEvaluation(project: string, stack: string, evaluation: Evaluation, accountId: string = PLACEHOLDER_ACCOUNT_ID): StackState {
  const model = buildPlanModel({ project, stack, resources: evaluation.resources, outputs: evaluation.outputs, placeholderAccountId: accountId });
  // Through JSON, as the deployed side went: undefined inputs drop out, numbers and strings stay as written.
  return stackStateFromPlanJson(JSON.parse(JSON.stringify({ steps: createSteps(model) })), "the current program");
}
