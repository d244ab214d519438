import { REPO_ROOT } from "../../support/paths";
import { descendants, processesMarked, startWatched, waitFor } from "../../support/processes";

/**
 * `npm run plan -- --stacks` under a process manager or a cancelled CI job:
 * SIGTERM goes to npm, which forwards it to its own child only. The plan must
 * still take every stack evaluation it forked down with it. Before, npm's
 * child was a shell that died alone, and the plan went on forking
 * evaluations, re-parented to init, until every stack was done.
 */

describe("npm run plan -- --stacks, on SIGTERM to npm", () => {
  it("ends the plan and every evaluation it forked: no process is left", async () => {
    const npm = startWatched("npm", ["run", "plan", "--", "--stacks", "dev,prod"], REPO_ROOT);
    try {
      // npm, then the plan, then its forked evaluations (each with tsx's loader).
      const forked = await waitFor(() => descendants(npm.child.pid as number).length >= 3, 30_000);
      expect({ forked, output: npm.output() }).toEqual({ forked: true, output: npm.output() });
      expect(processesMarked(npm.marker).length).toBeGreaterThanOrEqual(3);

      process.kill(npm.child.pid as number, "SIGTERM");
      await npm.ended;
      const gone = await waitFor(() => processesMarked(npm.marker).length === 0, 10_000);
      expect({ gone, left: processesMarked(npm.marker) }).toEqual({ gone: true, left: [] });
      expect(npm.output()).toContain("SIGTERM: stopping 2 child processes and everything they started");
    } finally {
      npm.killAll();
    }
  }, 60_000);
});
