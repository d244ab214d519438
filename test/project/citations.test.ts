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

/**
 * Repository paths written in code spans (`lib/config.ts`, or within a command such as
 * `npx tsx bench/manual/local-memory.ts 100 10`): a folder of ours, then a file name with an extension the repository
 * holds. Globs and placeholders (`*`, `{...}`, `<...>`) are not paths, and a path inside another (`@pulumi/policy/x.js`,
 * `node_modules/...`) is not one of ours.
 */
const CITED_PATH = /(?<![\w./@<{*-])(?:lib|lambda|offline|test|verify|policy|preflight|bench|scripts|examples|common|docs)\/[\w./-]+\.(?:ts|js|mjs|cjs|json|md)(?![\w*{<-])/g;

/** The repository paths cited in a Markdown page's code spans and fenced blocks. */
function citedPaths(markdown: string): string[] {
  const code = [...markdown.matchAll(/^(```|~~~)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)].map((match) => match[2]);
  const spans = [...markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "").matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
  return [...new Set([...code, ...spans].flatMap((text) => [...text.matchAll(CITED_PATH)].map((match) => match[0])))];
}

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

describe("paths cited in the README, docs/ and the examples' READMEs", () => {
  const files = new Set(trackedFiles());
  const pages = [...files].filter((file) => file === "README.md" || /^docs\/[^/]+\.md$/.test(file) || /^examples\/[^/]+\/README\.md$/.test(file)).sort();

  it("are files the repository holds", () => {
    expect(pages).toEqual(expect.arrayContaining(["README.md", "docs/plan.md", "docs/mutation-testing.md"]));
    const missing = pages.flatMap((page) => citedPaths(fs.readFileSync(path.join(REPO_ROOT, page), "utf8")).filter((cited) => !files.has(cited)).map((cited) => `${page}: ${cited}`));
    expect(missing).toEqual([]);
  });

  it("are read from code spans and fenced blocks, not from globs, placeholders or other packages' paths", () => {
    const page = [
      "See `test/lib/serverless-api.test.ts` and `npx tsx bench/manual/local-memory.ts 100 10`.",
      "Not `lib/*.ts`, `docs/{plan,local}.md`, `test/<name>.test.ts`, `@pulumi/policy/policy.js`, `node_modules/x/lib/y.js`, or lib/config.ts in prose.",
      "```bash",
      "cat offline/plan/prices.json examples/two-regions/README.md",
      "```",
    ].join("\n");
    expect(citedPaths(page).sort()).toEqual(["bench/manual/local-memory.ts", "examples/two-regions/README.md", "offline/plan/prices.json", "test/lib/serverless-api.test.ts"]);
  });
});
