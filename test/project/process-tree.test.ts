import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { DEFAULT_GRACE_MS, GRACE_VARIABLE, graceFromEnvironment, groupHasRunningMember, startChild, stopChildren } from "../../scripts/process-tree.cjs";
import { REPO_ROOT } from "../support/paths";
import { descendants, isAlive, processesMarked, startWatched, waitFor } from "../support/processes";

/**
 * Every long-running npm script ends its whole process tree on SIGINT and
 * SIGTERM, one way (scripts/process-tree.cjs): package.json `exec`s the tool,
 * so npm's child is the tool itself; the tool starts its children in process
 * groups of their own and takes each group down with it. The plan's own
 * end-to-end check is test/offline/plan/signals.test.ts.
 */

/**
 * A shell with two sleeping children: a tree of three processes. The shell
 * starts them in the background, so they ignore SIGINT (POSIX: a
 * non-interactive shell's asynchronous commands ignore SIGINT and SIGQUIT);
 * SIGINT alone ends only the shell, and the sleeps need the SIGKILL that
 * follows the grace period.
 */
const TREE = ["-c", "sleep 30 & sleep 30 & wait"];

describe("stopChildren", () => {
  it("ends a child's whole tree, grandchildren included, and then lets signals end the process as before", async () => {
    const listenersBefore = process.listenerCount("SIGTERM");
    const child = startChild("sh", TREE, { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    expect(await waitFor(() => descendants(child.pid as number).length === 2, 10_000)).toBe(true);
    const tree = [child.pid as number, ...descendants(child.pid as number)];
    expect(process.listenerCount("SIGTERM")).toBe(listenersBefore + 1);

    await stopChildren("SIGTERM");
    expect(tree.filter(isAlive)).toEqual([]);
    await exited;
    expect(process.listenerCount("SIGTERM")).toBe(listenersBefore);
  });

  it("kills a group that ignores the signal once the grace period is over", async () => {
    // `trap "" TERM`: the shell and the sleeps it starts ignore SIGTERM.
    const child = startChild("sh", ["-c", `trap "" TERM; ${TREE[1]}`], { stdio: "ignore" });
    expect(await waitFor(() => descendants(child.pid as number).length === 2, 10_000)).toBe(true);
    const tree = [child.pid as number, ...descendants(child.pid as number)];
    await stopChildren("SIGTERM", 200);
    expect(tree.filter(isAlive)).toEqual([]);
  });
});

describe("the grace period before SIGKILL", () => {
  it("is 5 s unless TAP_STOP_GRACE_MS sets another, in milliseconds", () => {
    expect(GRACE_VARIABLE).toBe("TAP_STOP_GRACE_MS");
    expect([DEFAULT_GRACE_MS, graceFromEnvironment({}), graceFromEnvironment({ TAP_STOP_GRACE_MS: "" })]).toEqual([5000, 5000, 5000]);
    expect([graceFromEnvironment({ TAP_STOP_GRACE_MS: "250" }), graceFromEnvironment({ TAP_STOP_GRACE_MS: "0" })]).toEqual([250, 0]);
  });

  it("warns once for a value that is not a whole number of milliseconds and keeps the default, with a hint that works when pasted", () => {
    for (const value of ["2s", "-1", "1.5", " 100", "10000000"]) {
      const warnings: string[] = [];
      expect(graceFromEnvironment({ TAP_STOP_GRACE_MS: value }, (line) => warnings.push(line))).toBe(5000);
      expect(warnings).toEqual([
        `warning: TAP_STOP_GRACE_MS=${JSON.stringify(value)} is not a whole number of milliseconds (0 to 9999999), so the default of 5000 ms applies. Unset it, or set it as in TAP_STOP_GRACE_MS=5000.`,
      ]);
    }
    const warnings: string[] = [];
    graceFromEnvironment({ TAP_STOP_GRACE_MS: "2s" }, (line) => warnings.push(line));
    const [, name, value] = /set it as in (\w+)=(\S+)\.$/.exec(warnings[0]) ?? [];
    const afterPaste: string[] = [];
    expect(graceFromEnvironment({ [name]: value }, (line) => afterPaste.push(line))).toBe(5000);
    expect(afterPaste).toEqual([]);
  });

  /**
   * Loads a fresh copy of process-tree.cjs with TAP_STOP_GRACE_MS set to `value` and hands it to `work`, with what
   * the process writes to stderr meanwhile; the variable and stderr are restored after.
   */
  async function withGraceVariable(value: string, work: (fresh: typeof import("../../scripts/process-tree.cjs"), stderr: string[]) => Promise<void> | void): Promise<void> {
    const saved = process.env.TAP_STOP_GRACE_MS;
    const stderr: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      process.env.TAP_STOP_GRACE_MS = value;
      let fresh: typeof import("../../scripts/process-tree.cjs") | undefined;
      jest.isolateModules(() => {
        fresh = jest.requireActual<typeof import("../../scripts/process-tree.cjs")>("../../scripts/process-tree.cjs");
      });
      if (!fresh) throw new Error("process-tree.cjs did not load");
      await work(fresh, stderr);
    } finally {
      write.mockRestore();
      if (saved === undefined) delete process.env.TAP_STOP_GRACE_MS;
      else process.env.TAP_STOP_GRACE_MS = saved;
    }
  }

  it("is not read while the module loads: a tool that never starts a child never sees a wrong value", () =>
    withGraceVariable("2s", (fresh, stderr) => {
      expect(typeof fresh.startChild).toBe("function");
      expect(stderr).toEqual([]);
    }));

  it("is read when the first child starts, once: one warning line before the first child runs, none for the second", () =>
    withGraceVariable("2s", async (fresh, stderr) => {
      const warningsAtEachStart: number[] = [];
      for (let index = 0; index < 2; index++) {
        const child = fresh.startChild("true", [], { stdio: "ignore" });
        warningsAtEachStart.push(stderr.length);
        await new Promise((resolve) => child.on("close", resolve));
      }
      expect(warningsAtEachStart).toEqual([1, 1]);
      expect(stderr[0]).toMatch(/^warning: TAP_STOP_GRACE_MS="2s" is not a whole number of milliseconds/);
    }));
});

describe("a group counts as stopped once only zombies are left in it", () => {
  /** A stand-in for /proc: one directory per process holding its stat line. */
  function procWith(stats: Record<number, string>): string {
    const root = mkdtempSync(path.join(tmpdir(), "tap-proc-"));
    mkdirSync(path.join(root, "self"));
    for (const [pid, stat] of Object.entries(stats)) {
      mkdirSync(path.join(root, pid));
      writeFileSync(path.join(root, pid, "stat"), `${stat}\n`);
    }
    return root;
  }

  it("finds a member that runs or sleeps, skips zombies and other groups, and reads names with spaces and parentheses", () => {
    const roots = [
      procWith({ 100: "100 (sh) S 1 100 100 0 -1", 101: "101 (sleep) Z 1 100 100 0 -1", 200: "200 (node) R 1 200 200 0 -1" }),
      procWith({ 101: "101 (sleep) Z 1 100 100 0 -1", 102: "102 (a) S 1 100 b) X 1 100 100 0 -1", 200: "200 (node) R 1 200 200 0 -1" }),
      procWith({ 102: "102 (a) Z 1 7 b) S 1 100 100 0 -1" }),
    ];
    try {
      expect(roots.map((root) => groupHasRunningMember(100, root))).toEqual([true, false, true]);
      // No member of group 300 listed at all (a /proc of another PID namespace, or hidepid): the kill's answer stands.
      expect(groupHasRunningMember(300, roots[0])).toBe(true);
    } finally {
      for (const root of roots) rmSync(root, { recursive: true, force: true });
    }
  });

  it("trusts kill(-pgid, 0) where there is no /proc to read", () => {
    expect(groupHasRunningMember(100, path.join(tmpdir(), "tap-no-proc-here"))).toBe(true);
  });

  it("sees this process's own group running on this machine's /proc", () => {
    const group = Number(readFileSync("/proc/self/stat", "latin1").split(") ")[1].split(" ")[2]);
    expect(groupHasRunningMember(group)).toBe(true);
  });
});

describe("an npm script that execs a tool using process-tree.cjs", () => {
  it("ends the tool and everything it started on SIGINT to npm", async () => {
    const project = mkdtempSync(path.join(tmpdir(), "tap-process-tree-"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "tree", private: true, scripts: { long: "exec node tool.js" } }));
    writeFileSync(
      path.join(project, "tool.js"),
      [
        `const { startChild } = require(${JSON.stringify(path.join(REPO_ROOT, "scripts", "process-tree.cjs"))});`,
        `startChild("sh", ${JSON.stringify(TREE)}, { stdio: "ignore" }).on("spawn", () => console.log("started"));`,
      ].join("\n"),
    );
    // The sleeps ignore SIGINT (see TREE): a grace period of 100 ms instead of 5 s, read by the tool from its environment.
    const npm = startWatched("npm", ["run", "--silent", "long"], project, { [GRACE_VARIABLE]: "100" });
    try {
      // npm, the tool (npm's child, thanks to exec), its shell and the shell's two sleeps.
      expect(await waitFor(() => processesMarked(npm.marker).length === 5, 20_000)).toBe(true);
      expect(descendants(npm.child.pid as number)).toHaveLength(4);

      process.kill(npm.child.pid as number, "SIGINT");
      await npm.ended;
      expect(await waitFor(() => processesMarked(npm.marker).length === 0, 10_000)).toBe(true);
      expect(npm.output()).toBe("started\nSIGINT: stopping 1 child process and everything they started\n");
    } finally {
      npm.killAll();
      rmSync(project, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("package.json", () => {
  it("starts every script with exec, so that npm's child is the tool and receives the signal", () => {
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(Object.entries(scripts).filter(([, command]) => !command.startsWith("exec "))).toEqual([]);
  });
});
