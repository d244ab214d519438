import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { runPlanMain } from "../../support/plan-cli";
import { temporaryDirectory } from "../../support/temporary-directory";

/**
 * `npm run plan -- -C <dir>` names the folder it was given when that folder does not exist, is a file or holds no
 * Pulumi.yaml, and says -C must name a folder holding one (not "run this from the project's directory", which
 * is no help when -C was given), in one line with exit 2, before any evaluation, in every mode that reads it.
 * The hint's example, -C examples/two-regions, plans (test/examples/two-regions-config.test.ts).
 */

const directory = temporaryDirectory("plan-project-folder-", (dir) => {
  mkdirSync(join(dir, "empty"));
  writeFileSync(join(dir, "a-file"), "");
});

const FIX = "-C must name a folder holding the project's Pulumi.yaml, such as -C examples/two-regions.";

describe("npm run plan -- -C <dir>", () => {
  it.each<[string, (dir: string) => string, (dir: string) => string]>([
    ["a missing folder", () => "/nonexistent", () => `-C /nonexistent: no such folder (/nonexistent); ${FIX}`],
    ["a file", (d) => join(d, "a-file"), (d) => `-C ${join(d, "a-file")}: a file, not a folder; ${FIX}`],
    ["a folder without Pulumi.yaml", (d) => join(d, "empty"), (d) => `-C ${join(d, "empty")}: no Pulumi.yaml in ${join(d, "empty")}; ${FIX}`],
  ])("%s: one line naming it, exit 2", async (_label, folder, message) => {
    expect(await runPlanMain(["-C", folder(directory())])).toEqual({ code: 2, stdout: "", stderr: `error: ${message(directory())}\n` });
  });

  it.each([[["--destroy"]], [["--stacks", "dev,prod"]], [["-s", "prod", "--json", "-"]]])("%j reads -C the same way", async (args) => {
    expect(await runPlanMain(["-C", "/nonexistent", ...args])).toEqual({ code: 2, stdout: "", stderr: `error: -C /nonexistent: no such folder (/nonexistent); ${FIX}\n` });
  });
});
