import * as fs from "fs";
import * as path from "path";
import { PlanConfigError, loadStackConfig } from "../../stack-config/loader";
import { PLACEHOLDER_ACCOUNT_ID, accountPhrase, defaultPlanAccount } from "../../stack-config/account";
import { EXIT_CODES } from "../exit";
import { checkInputFile, checkOutputFile } from "../file-arguments";
import { PREVIEW_COMMAND, checkPreviewDocument, readPreview } from "./check-preview";
import { stackStateOfEvaluation } from "./desired";
import { Hazard, findHazards } from "./hazards";
import { planUpdate } from "./plan";
import { renderUpdatePlan, toUpdatePreviewJson } from "./render";
import type { Style } from "../style";
import { loadReplacementRules } from "./rules";
import { StateFileError, planIdentity, stackStateFromPlanJson } from "./state";

/**
 * `npm run plan -- --from <plan.json>` and `--check-preview <preview.json>`:
 * read the file, plan or read the update, print it with its hazards, and
 * return the exit status (6 on a hazard unless accepted).
 */

/** What the offline update plan says of itself, in its JSON and on the terminal. */
export const UPDATE_PLAN_NOTE =
  "Offline update plan: the deployed stack is an earlier `npm run plan -- --json`, not the real state, so drift is invisible; " +
  "ops come from AWS's CloudFormation metadata and the provider's and engine's rules, not from the provider's own diff; IDs are placeholders.";

/** The command that writes a file --from reads. */
export const fromFileCommand = (file: string): string => `npm run plan -- --json ${path.basename(file)}`;

function readJson(file: string, flag: string, writtenBy: string): unknown {
  checkInputFile(flag, file, writtenBy);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new PlanConfigError(`${flag} ${file}: not JSON (${error instanceof Error ? error.message : String(error)}); write it with \`${writtenBy}\`.`);
  }
}

function exitFor(hazards: readonly Hazard[], accept: boolean, write: (text: string) => void): number {
  if (hazards.length === 0) return EXIT_CODES.ok;
  if (accept) {
    write(`${hazards.length} hazard(s) accepted (--accept-hazards): exit 0.\n`);
    return EXIT_CODES.ok;
  }
  write(`${hazards.length} hazard(s): exit ${EXIT_CODES.updateHazard}. Fix them, or pass --accept-hazards once you have read them.\n`);
  return EXIT_CODES.updateHazard;
}

export interface UpdatePlanRequest {
  readonly projectDir: string;
  readonly stack: string;
  readonly overrides: readonly string[];
  /** Absolute path of the deployed side's plan JSON. */
  readonly from: string;
  /** Where to write the update in preview's shape, if anywhere. */
  readonly json?: string;
  readonly acceptHazards: boolean;
}

/**
 * Refuses a plan file written for another stack or project: every URN would differ, so every resource would be
 * planned as replaced (and as a hazard), which says nothing about the change.
 */
export function checkPlanIdentity(identity: { project: string; stack: string } | undefined, current: { project: string; stack: string }, from: string): void {
  if (!identity || (identity.project === current.project && identity.stack === current.stack)) return;
  const fix =
    identity.project === current.project
      ? `pass -s ${identity.stack} to plan the stack it describes, or write a plan of ${current.stack} with \`npm run plan -- -s ${current.stack} --json ${path.basename(from)}\``
      : `run it in the project it describes (--cwd), or write a plan of this project with \`npm run plan -- -s ${current.stack} --json ${path.basename(from)}\``;
  throw new PlanConfigError(
    `--from ${from}: a plan of stack ${identity.stack} (project ${identity.project}), but this run plans stack ${current.stack} (project ${current.project}), so every URN would differ and every resource would be replaced; ${fix}.`,
  );
}

/** Where the update plan writes: the report on `write` (stdout, or stderr with `--json -`), warnings on `warn` (stderr), `--json -` on `writeJson` (stdout). */
export interface UpdatePlanOutput {
  readonly write: (text: string) => void;
  readonly warn: (text: string) => void;
  readonly writeJson: (text: string) => void;
}

export async function runUpdatePlan(request: UpdatePlanRequest, output: UpdatePlanOutput, style: Style): Promise<number> {
  const { write } = output;
  const stackConfig = loadStackConfig(request.projectDir, request.stack, request.overrides);
  // As `npm run plan` shows them: a misspelled key is otherwise silently not read.
  for (const warning of stackConfig.warnings) output.warn(`warning: ${warning}\n`);
  if (request.json && request.json !== "-") checkOutputFile("--json", request.json);
  const document = readJson(request.from, "--from", fromFileCommand(request.from));
  let deployed;
  try {
    deployed = stackStateFromPlanJson(document, request.from);
  } catch (error) {
    if (error instanceof StateFileError) throw new PlanConfigError(error.message);
    throw error;
  }
  const identity = planIdentity(document);
  checkPlanIdentity(identity, stackConfig, request.from);
  const account = defaultPlanAccount(stackConfig, PLACEHOLDER_ACCOUNT_ID);
  // Loaded here, not at the top: the runner brings the Pulumi SDK, which --check-preview and every refusal above do without.
  const { evaluateProgram } = await import("../runner");
  const evaluation = await evaluateProgram({
    programPath: path.join(request.projectDir, "index.ts"),
    project: stackConfig.project,
    stack: stackConfig.stack,
    config: stackConfig.values,
    accountId: account.accountId,
  });
  const rules = loadReplacementRules();
  const plan = planUpdate(deployed, stackStateOfEvaluation(stackConfig.project, stackConfig.stack, evaluation, account.accountId), rules);
  const hazards = findHazards({ steps: plan.steps, deployed: plan.deployed, oldOutputs: plan.oldOutputs, newOutputs: plan.newOutputs }, rules);
  const deployedLabel = identity ? `${path.basename(request.from)} (stack ${identity.stack})` : path.basename(request.from);
  write(renderUpdatePlan(plan, hazards, { current: `stack ${stackConfig.stack} (project ${stackConfig.project}, ${accountPhrase(account)})`, deployed: deployedLabel }, style));
  if (request.json) {
    const text = `${JSON.stringify(toUpdatePreviewJson(plan, hazards, stackConfig.values, UPDATE_PLAN_NOTE), null, 4)}\n`;
    if (request.json === "-") output.writeJson(text);
    else fs.writeFileSync(request.json, text);
    write(`Wrote the update plan as preview JSON (hazards under "hazards") to ${request.json === "-" ? "stdout" : request.json}\n`);
  }
  return exitFor(hazards, request.acceptHazards, write);
}

export function runCheckPreview(file: string, acceptHazards: boolean, write: (text: string) => void, style: Style): number {
  const rules = loadReplacementRules();
  let read;
  try {
    const document = readJson(file, "--check-preview", PREVIEW_COMMAND);
    checkPreviewDocument(document, file);
    read = readPreview(document, file, rules);
  } catch (error) {
    if (error instanceof StateFileError) throw new PlanConfigError(error.message);
    throw error;
  }
  const hazards = findHazards(read.hazardInput, rules);
  write(renderUpdatePlan(read.plan, hazards, { current: `the preview in ${path.basename(file)}`, deployed: "the stack it previewed" }, style));
  if (read.ignoredOps.length > 0) write(`Steps not checked (ops this check does not read): ${read.ignoredOps.join(", ")}\n`);
  return exitFor(hazards, acceptHazards, write);
}
