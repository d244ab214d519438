import { withoutStackTraces } from "../../offline/mock-cloud";
import type { StackEvaluator } from "../../offline/plan/stacks/run";
import { REPO_ROOT } from "./paths";

/** What one `npm run plan -- <args>` printed and returned. */
export interface PlanCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the plan's command (offline/plan/cli.ts `main`) in-process, in a fresh
 * module registry (the program runs once per registry), from the repository
 * root, and captures what it prints.
 *
 * With `evaluateStack` (for `--stacks` runs, see stack-evaluator.ts), main runs
 * in the caller's registry and evaluates each stack with it, each in a registry
 * of its own, instead of in child processes.
 */
export async function runPlanCli(args: readonly string[], options: { evaluateStack?: StackEvaluator } = {}): Promise<PlanCliRun> {
  let stdout = "";
  let stderr = "";
  let code = -1;
  const run = async () => {
    const { main } = await import("../../offline/plan/cli");
    code = await main(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      projectDir: REPO_ROOT,
      evaluateStack: options.evaluateStack,
    });
  };
  await withoutStackTraces(() => (options.evaluateStack ? run() : jest.isolateModulesAsync(run)));
  return { code, stdout, stderr };
}

/**
 * Runs the plan's command in the caller's module registry and captures what it prints: for runs that stop before the
 * program is evaluated (bad arguments, files, folders), where a fresh registry would only cost time.
 */
export async function runPlanMain(args: readonly string[]): Promise<PlanCliRun> {
  const { main } = await import("../../offline/plan/cli");
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {}, projectDir: REPO_ROOT });
  return { code, stdout, stderr };
}
