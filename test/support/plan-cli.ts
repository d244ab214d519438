import { withoutStackTraces } from "../../offline/mock-cloud";
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
 */
export async function runPlanCli(args: readonly string[]): Promise<PlanCliRun> {
  let stdout = "";
  let stderr = "";
  let code = -1;
  await withoutStackTraces(() => jest.isolateModulesAsync(async () => {
    const { main } = await import("../../offline/plan/cli");
    code = await main(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      projectDir: REPO_ROOT,
    });
  }));
  return { code, stdout, stderr };
}
