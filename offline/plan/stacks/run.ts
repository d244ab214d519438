import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { forkChild } from "../../../scripts/process-tree.cjs";
import { PlanConfigError, StackConfig, loadStackConfig } from "../../stack-config/loader";
import { stackNameRuleProblem } from "../../stack-config/stack-name";
import { ACCOUNT_ID, AccountSource, PlanAccount, allowedAccountIds, defaultPlanAccount } from "../../stack-config/account";
import { EXIT_CODES } from "../exit";
import type { ChildAnswer } from "./evaluate-child";
import { ProgramError } from "../program-error";
import type { EvaluateOptions } from "../runner";
import { StackEvaluation, compareStacks } from "./compare";
import { renderNeighbours } from "./render";
import type { Style } from "../style";

/**
 * `npm run plan -- --stacks dev,prod@111111111111`: evaluates each stack in a
 * child process (the program registers its resources once per process), then
 * compares their physical names and account settings (compare.ts).
 */

/** One entry of --stacks. */
export interface StackRequest {
  readonly stack: string;
  /** From `stack@account` on the command line. */
  readonly account: string | undefined;
}

/** Parses `dev,prod@111111111111`. Throws PlanConfigError naming the bad entry. */
export function parseStacksFlag(value: string): StackRequest[] {
  const entries = value.split(",").map((entry) => entry.trim());
  const requests = entries.map((entry): StackRequest => {
    const at = entry.lastIndexOf("@");
    const stack = at < 0 ? entry : entry.slice(0, at);
    const account = at < 0 ? undefined : entry.slice(at + 1);
    if (stack === "") throw new PlanConfigError(`--stacks ${value}: an entry has no stack name; list stacks separated by commas, such as --stacks dev,prod.`);
    const badName = stackNameRuleProblem(stack);
    if (badName) throw new PlanConfigError(`--stacks ${value}: ${JSON.stringify(stack)}: ${badName}.`);
    if (account !== undefined && !ACCOUNT_ID.test(account)) {
      throw new PlanConfigError(`--stacks ${value}: "${entry}" names account "${account}"; an AWS account ID is 12 digits, such as ${stack}@111111111111.`);
    }
    return { stack, account };
  });
  if (requests.length < 2) throw new PlanConfigError(`--stacks ${value}: name at least two stacks to compare, such as --stacks dev,prod.`);
  return requests;
}

/**
 * The account a stack is evaluated in: the one given on the command line,
 * else the first of its `tap:allowedAccountIds`, else the placeholder.
 */
export function accountFor(config: StackConfig, request: StackRequest, placeholder: string): PlanAccount {
  const allowed = allowedAccountIds(config);
  if (request.account !== undefined) {
    if (allowed && !allowed.includes(request.account)) {
      throw new PlanConfigError(
        `--stacks: ${request.stack}@${request.account}: account ${request.account} is not in the stack's tap:allowedAccountIds (${allowed.join(", ")}), so the stack could not deploy there.`,
      );
    }
    return { accountId: request.account, source: "--stacks" };
  }
  return defaultPlanAccount(config, placeholder);
}

/**
 * Evaluates one stack's program and answers as evaluate-child.ts does. The command's is
 * evaluateInChildProcess; tests pass one that evaluates in a fresh module registry instead.
 */
export type StackEvaluator = (options: EvaluateOptions) => Promise<ChildAnswer>;

/**
 * Runs one evaluation in a child process with tsx's loader; resolves to its answer. The child
 * ends with this process, on a signal too (scripts/process-tree.cjs).
 */
export function evaluateInChildProcess(options: EvaluateOptions): Promise<ChildAnswer> {
  return new Promise((resolve, reject) => {
    const child = forkChild(path.join(__dirname, "evaluate-child.ts"), [JSON.stringify(options)], {
      execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // One process per stack: the SDK reads nothing from here but the inherited environment.
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    let answer: ChildAnswer | undefined;
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("message", (message) => (answer = message as ChildAnswer));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (answer) resolve(answer);
      else resolve({ kind: "programError", message: `the evaluation of stack ${options.stack} exited with code ${code} and no answer: ${stderr.trim()}` });
    });
  });
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface StacksOptions {
  readonly projectDir: string;
  /** The --stacks value. */
  readonly stacks: string;
  /** --config overrides, applied to every stack. */
  readonly overrides: readonly string[];
  readonly placeholderAccountId: string;
  /** How each stack is evaluated. @default evaluateInChildProcess */
  readonly evaluate?: StackEvaluator;
}

/** A stack to evaluate: its config and account, before the (slow) evaluation. */
export interface PreparedStack {
  readonly label: string;
  readonly config: StackConfig;
  readonly accountId: string;
  readonly accountSource: AccountSource;
}

/** Reads every stack's config and chooses its account; refuses bad input before anything is evaluated. */
export function prepareStacks(options: StacksOptions): PreparedStack[] {
  const prepared = parseStacksFlag(options.stacks).map((request): PreparedStack => {
    const config = loadStackConfig(options.projectDir, request.stack, options.overrides, "--stacks");
    const { accountId, source } = accountFor(config, request, options.placeholderAccountId);
    return { label: request.account === undefined ? request.stack : `${request.stack}@${request.account}`, config, accountId, accountSource: source };
  });
  const seen = new Map<string, PreparedStack>();
  for (const stack of prepared) {
    const key = `${stack.config.stack}@${stack.accountId}`;
    const earlier = seen.get(key);
    if (earlier) {
      throw new PlanConfigError(
        `--stacks ${options.stacks}: stack ${stack.config.stack} is listed twice for account ${stack.accountId} (${earlier.label}, ${stack.label}); ` +
          `one stack in one account is one deployment. To check it in another account, write ${stack.config.stack}@<account ID>.`,
      );
    }
    seen.set(key, stack);
  }
  return prepared;
}

/** Evaluates every prepared stack, in parallel up to the number of CPUs. Throws the first stack's failure. */
export async function evaluateStacks(projectDir: string, stacks: readonly PreparedStack[], evaluate: StackEvaluator = evaluateInChildProcess): Promise<StackEvaluation[]> {
  const answers = await mapLimited(stacks, Math.max(1, os.availableParallelism()), (stack) =>
    evaluate({
      programPath: path.join(projectDir, "index.ts"),
      project: stack.config.project,
      stack: stack.config.stack,
      config: stack.config.values,
      accountId: stack.accountId,
    }));
  return answers.map((answer, index) => {
    const stack = stacks[index];
    if (answer.kind !== "ok") {
      throw answer.kind === "configError" ? new PlanConfigError(`stack ${stack.label}: ${answer.message}`) : new ProgramError([`stack ${stack.label}: ${answer.message}`]);
    }
    return { label: stack.label, stack: stack.config.stack, accountId: stack.accountId, resources: answer.resources };
  });
}

/** The whole --stacks mode: resolves to the exit status. Bad input throws PlanConfigError (exit 2). */
export async function runStacks(options: StacksOptions, write: (text: string) => void, style: Style): Promise<number> {
  const prepared = prepareStacks(options);
  const evaluations = await evaluateStacks(options.projectDir, prepared, options.evaluate);
  const report = compareStacks(evaluations);
  write(renderNeighbours({ project: prepared[0].config.project, stacks: prepared, evaluations, report, placeholderAccountId: options.placeholderAccountId }, style));
  return report.sharedNames.length > 0 || report.settingConflicts.length > 0 ? EXIT_CODES.sharedNames : EXIT_CODES.ok;
}
