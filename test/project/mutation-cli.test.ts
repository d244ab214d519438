import { spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../support/paths";

/**
 * `npm run test:mutation`'s command line: `--help` prints the usage instead of
 * being taken for a group name, and an unknown flag is a usage error. The
 * script is an ES module, so it runs as a child process, as its users run it.
 */

function mutation(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "mutation.mjs"), ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("node scripts/mutation.mjs", () => {
  it.each([["--help"], ["-h"]])("%s prints the usage, the options and the groups, and runs nothing", (flag) => {
    const run = mutation(flag);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual(["Usage: npm run test:mutation -- [GROUP...]", "       node scripts/mutation.mjs [--list | --help] [GROUP...]"]);
    expect(lines).toContain("  --list      print the groups (files and test files) as JSON, without running anything");
    expect(lines.find((line) => line.startsWith("Groups: "))).toMatch(/^Groups: config, config-warnings, naming, .*, rollout$/);
  });

  it("refuses a flag it does not know (exit 2) instead of looking for a group of that name", () => {
    const run = mutation("--grups", "config");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toMatch(/^Unknown option '--grups'\./);
    expect(run.stderr).toContain("Usage: npm run test:mutation -- [GROUP...]");
  });
});
