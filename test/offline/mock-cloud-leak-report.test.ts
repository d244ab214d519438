import { execFile } from "child_process";
import { REPO_ROOT } from "../support/paths";

/**
 * withoutStackTraces (offline/mock-cloud.ts) lightens the Pulumi SDK's promise wrapper while a program is evaluated,
 * but a program that leaves a promise pending still gets the SDK's report when the process exits, and the exit
 * status 1 that `pulumi up` would give it. The report is written by a process `exit` handler, so only a real
 * process can show it.
 */

/** Runs `script` (CommonJS, in the repository) with tsx, as the plan's own processes start. */
function runScript(script: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "-e", script], { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, ...env } }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
    });
  });
}

const leakOnePromise = (leak: boolean) => `
  const { installMockCloud, withoutStackTraces } = require("./offline/mock-cloud");
  (async () => {
    await installMockCloud();
    await withoutStackTraces(async () => {
      const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable");
      ${leak ? 'debuggablePromise(new Promise(() => undefined), "a promise nobody settles");' : 'await debuggablePromise(Promise.resolve(1), "a promise that settles");'}
    });
  })();
`;

describe("a promise left pending by a program evaluated without stack traces", () => {
  it("is reported by the SDK when the process exits, which then exits 1 (naming each promise under PULUMI_DEBUG_PROMISE_LEAKS); a program that leaks none exits 0 silently", async () => {
    const [leaked, clean, debugged] = await Promise.all([
      runScript(leakOnePromise(true)),
      runScript(leakOnePromise(false)),
      // PULUMI_DEBUG_PROMISE_LEAKS asks the SDK for each leaked promise's context: its own wrapper must run.
      runScript(leakOnePromise(true), { PULUMI_DEBUG_PROMISE_LEAKS: "1" }),
    ]);
    expect(leaked.code).toBe(1);
    expect(leaked.stderr).toContain("The Pulumi runtime detected that 1 promise was still active");
    expect(leaked.stderr).not.toContain("a promise nobody settles");
    expect(clean).toEqual({ code: 0, stderr: "" });
    expect(debugged.code).toBe(1);
    expect(debugged.stderr).toContain("a promise nobody settles");
  }, 60_000);
});
