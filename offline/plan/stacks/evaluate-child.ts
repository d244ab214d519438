import { evaluateProgram } from "../runner";
import { isTapConfigError } from "../program-error";
import type { EvaluateOptions } from "../runner";
import type { RecordedResource } from "../../mock-cloud";

/**
 * One stack's evaluation in a process of its own, for `npm run plan --
 * --stacks`: the program registers its resources once per module registry,
 * so each stack needs a fresh process. Started by run.ts with
 * fork() and tsx's loader; reads its EvaluateOptions as JSON from argv[2] and
 * answers with one IPC message.
 */

export type ChildAnswer =
  | { readonly kind: "ok"; readonly resources: readonly RecordedResource[] }
  | { readonly kind: "configError" | "programError"; readonly message: string };

/** Evaluates the program with `options` in this module registry, and answers with its resources or its error. */
export async function answer(options: EvaluateOptions): Promise<ChildAnswer> {
  try {
    const evaluation = await evaluateProgram(options);
    return { kind: "ok", resources: evaluation.resources };
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return { kind: isTapConfigError(failure) ? "configError" : "programError", message };
  }
}

if (require.main === module) {
  // The parent is gone (killed outright, so it could not stop this process): no one awaits the answer.
  process.once("disconnect", () => process.exit(1));
  void answer(JSON.parse(process.argv[2] ?? "{}") as EvaluateOptions).then((result) => {
    // The SDK leaves handles open; exit once the parent has the answer.
    process.send?.(result, () => process.exit(0));
  });
}
