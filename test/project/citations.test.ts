import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../support/paths";

/**
 * No tracked file points outside the repository (`../shared/`, the team's
 * private notes) or cites an issue number of ours ("issue 12", "issue #12"):
 * a reader of the repository has neither, so each file states the fact or
 * behaviour itself, with its public source (a URL) where it needs one. An
 * upstream issue is cited by its URL, which does not match.
 *
 * The file list is `git ls-files`, with the files not yet added that
 * .gitignore does not exclude (one short child process): what is or will be
 * committed, not build output or node_modules.
 */

const FORBIDDEN = [/\.\.\/shared\b/g, /\bissues?\s+#?\d+/gi];

/** Files allowed to hold a match, with the reason. */
const ALLOWED: Readonly<Record<string, string>> = {
  "test/project/citations.test.ts": "it spells out the patterns it looks for",
};

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\0").filter((file) => file !== "");
}

describe("tracked files", () => {
  const files = trackedFiles();

  it("are read from git: the list holds this file and package.json", () => {
    expect(files).toEqual(expect.arrayContaining(["package.json", "test/project/citations.test.ts"]));
  });

  it("cite no file outside the repository and no issue number", () => {
    const found = files
      .filter((file) => !(file in ALLOWED) && fs.existsSync(path.join(REPO_ROOT, file)))
      .flatMap((file) => {
        const text = fs.readFileSync(path.join(REPO_ROOT, file));
        if (text.includes(0)) return []; // binary
        const content = text.toString("utf8");
        return FORBIDDEN.flatMap((pattern) => [...content.matchAll(pattern)].map((match) => `${file}: ${match[0]}`));
      });
    expect(found).toEqual([]);
  });

  it("the patterns match what they are meant to, and not an upstream issue's URL", () => {
    const matches = (text: string) => FORBIDDEN.some((pattern) => new RegExp(pattern.source, pattern.flags).test(text));
    expect(["see ../shared/AWS-FACTS.md", "(issue 12)", "Issue #7", "issues 3 and 4"].map(matches)).toEqual([true, true, true, true]);
    expect(["https://github.com/dependabot/dependabot-core/issues/11093", "pulumi/pulumi#16140", "this issue is known"].map(matches)).toEqual([false, false, false]);
  });
});
