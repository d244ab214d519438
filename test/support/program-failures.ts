import { runInThisContext } from "vm";

/**
 * A Pulumi program that fails while it registers resources reports the
 * failure as unhandled promise rejections: Pulumi's SDK rethrows each failed
 * registration on a promise nobody awaits, and `pulumi` prints them. Under
 * jest, those rejections reach jest's own listener on the Node.js process,
 * which fails whichever test is running; a listener on the test's `process`
 * hears nothing, because jest gives each test file a copy of that object.
 *
 * `recordProgramFailures` runs `work` with jest's listeners set aside and its
 * own on the real process, so a test can assert what the program failed with,
 * in-process (test/fixtures/zones/build.ts needs a child process for that).
 */

/** The Node.js process itself, from the main context (`vm.runInThisContext` does not run in jest's sandbox). */
const nodeProcess = runInThisContext("process") as NodeJS.Process;

/** Runs `work`, then returns every distinct rejection that went unhandled meanwhile (and on a few turns after it). */
export async function recordProgramFailures(work: () => Promise<void>): Promise<unknown[]> {
  const failures = new Set<unknown>();
  const record = (reason: unknown) => failures.add(reason);
  const jestListeners = nodeProcess.listeners("unhandledRejection");
  nodeProcess.removeAllListeners("unhandledRejection");
  nodeProcess.on("unhandledRejection", record);
  try {
    await work();
    // Node.js reports a rejection as unhandled on a later turn of the event loop than the one that settled it.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    nodeProcess.off("unhandledRejection", record);
    for (const listener of jestListeners) nodeProcess.on("unhandledRejection", listener as (...args: unknown[]) => void);
  }
  return [...failures];
}
