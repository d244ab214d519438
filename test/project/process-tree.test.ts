import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { startChild, stopChildren } from "../../scripts/process-tree.cjs";
import { REPO_ROOT } from "../support/paths";
import { descendants, isAlive, processesMarked, startWatched, waitFor } from "../support/processes";

/**
 * Every long-running npm script ends its whole process tree on SIGINT and
 * SIGTERM, one way (scripts/process-tree.cjs): package.json `exec`s the tool,
 * so npm's child is the tool itself; the tool starts its children in process
 * groups of their own and takes each group down with it. The plan's own
 * end-to-end check is test/offline/plan/signals.test.ts.
 */

/** A shell with two sleeping children: a tree of three processes. */
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
    const npm = startWatched("npm", ["run", "--silent", "long"], project);
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
