import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { runPlanMain } from "../../support/plan-cli";
import { temporaryDirectory } from "../../support/temporary-directory";

/**
 * The plan's file arguments are checked before the config is read or the
 * program evaluated: an input (--from, --check-preview) that is missing or a
 * folder, and an output (--json, --graph) whose folder does not exist or that
 * is a folder, each give one line naming the flag, the path and the fix, and
 * exit 2, with nothing on stdout.
 */

const directory = temporaryDirectory("plan-file-arguments-", (dir) => {
  mkdirSync(join(dir, "a-folder"));
  writeFileSync(join(dir, "base.json"), "{}");
});

const PREVIEW = "pulumi preview --json --show-replacement-steps > preview.json";

describe("npm run plan, file arguments", () => {
  it.each<[string, (dir: string) => string[], (dir: string) => string]>([
    ["--from, a missing file", (d) => ["--from", join(d, "absent.json")], (d) => `--from ${join(d, "absent.json")}: no such file; write it with \`npm run plan -- --json absent.json\` first.`],
    ["--from, a folder", (d) => ["--from", join(d, "a-folder")], (d) => `--from ${join(d, "a-folder")}: a folder, not a file; pass the file \`npm run plan -- --json a-folder\` writes.`],
    ["--check-preview, a missing file", (d) => ["--check-preview", join(d, "absent.json")], (d) => `--check-preview ${join(d, "absent.json")}: no such file; write it with \`${PREVIEW}\` first.`],
    ["--check-preview, a folder", (d) => ["--check-preview", join(d, "a-folder")], (d) => `--check-preview ${join(d, "a-folder")}: a folder, not a file; pass the file \`${PREVIEW}\` writes.`],
    ["--json in a missing folder", (d) => ["--json", join(d, "none", "plan.json")], (d) => `--json ${join(d, "none", "plan.json")}: the folder ${join(d, "none")} does not exist; create it or choose another path.`],
    ["--json, a folder", (d) => ["--json", join(d, "a-folder")], (d) => `--json ${join(d, "a-folder")}: a folder, not a file; name a file in it, such as ${join(d, "a-folder", "plan.json")}.`],
    ["--graph in a missing folder", (d) => ["--graph", join(d, "none", "plan.dot")], (d) => `--graph ${join(d, "none", "plan.dot")}: the folder ${join(d, "none")} does not exist; create it or choose another path.`],
    ["--graph, a folder", (d) => ["--graph", join(d, "a-folder")], (d) => `--graph ${join(d, "a-folder")}: a folder, not a file; name a file in it, such as ${join(d, "a-folder", "plan.dot")}.`],
    ["--from with --json, a folder", (d) => ["--from", join(d, "base.json"), "--json", join(d, "a-folder")], (d) => `--json ${join(d, "a-folder")}: a folder, not a file; name a file in it, such as ${join(d, "a-folder", "plan.json")}.`],
  ])("%s: one line, exit 2, before any evaluation", async (_label, args, message) => {
    expect(await runPlanMain(args(directory()))).toEqual({ code: 2, stdout: "", stderr: `error: ${message(directory())}\n` });
  });
});
