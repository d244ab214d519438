import * as fs from "fs";
import * as path from "path";
import { anchorsOf, githubSlug } from "../support/markdown-anchors";
import { REPO_ROOT } from "../support/paths";

/**
 * The README is a front door of at most 250 lines, and the manual in docs/ is
 * one page per subject: every relative link in them, and in the examples'
 * READMEs, reaches an existing file, and every `#anchor` an existing heading.
 *
 * Links and headings are read with two regular expressions rather than a
 * Markdown parser: these files are ours, their links are all inline
 * `[text](target)`, and code (fenced or inline) is removed first. Anchors
 * come from test/support/markdown-anchors.ts (GitHub's slug rule).
 */

const README_MAX_LINES = 250;

const docs = fs.readdirSync(path.join(REPO_ROOT, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`);
const exampleReadmes = fs
  .readdirSync(path.join(REPO_ROOT, "examples"))
  .map((folder) => `examples/${folder}/README.md`)
  .filter((file) => fs.existsSync(path.join(REPO_ROOT, file)));
const pages = ["README.md", ...docs.sort(), ...exampleReadmes];

function read(file: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
}

/** The text outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Relative link targets of a page, as written (`docs/plan.md#awss-input-rules`, `#monitoring`). */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with one link from `page`, or undefined when it resolves. */
function brokenLink(page: string, target: string): string | undefined {
  const [file, anchor] = target.split("#", 2) as [string, string | undefined];
  const resolved = file === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURI(file)));
  if (resolved.startsWith("..") || !fs.existsSync(path.join(REPO_ROOT, resolved))) return `${page}: (${target}) points to ${resolved}, which does not exist`;
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith(".md")) return `${page}: (${target}) has an anchor, but ${resolved} is not Markdown`;
  if (!anchorsOf(read(resolved)).has(anchor)) return `${page}: (${target}) points to #${anchor}, which is no heading of ${resolved}`;
  return undefined;
}

describe("githubSlug", () => {
  test.each([
    ["AWS's input rules", "awss-input-rules"],
    ["`--destroy`: the destroy order", "--destroy-the-destroy-order"],
    ["5. Deployment critical path (on paper)", "5-deployment-critical-path-on-paper"],
    ["What is shared per account and region, and how tap handles it", "what-is-shared-per-account-and-region-and-how-tap-handles-it"],
    ["snake_case stays", "snake_case-stays"],
  ])("%s -> %s", (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

describe("the README", () => {
  const readme = read("README.md");

  test(`is a front door of at most ${README_MAX_LINES} lines`, () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  test("links every page of the manual", () => {
    const linked = new Set(relativeLinks(readme).map((target) => target.split("#")[0]));
    expect(docs.filter((page) => !linked.has(page))).toEqual([]);
  });
});

describe.each(pages)("%s", (page) => {
  const markdown = read(page);

  test("has a title (after a generated page's leading comment)", () => {
    expect(markdown.replace(/^<!--[\s\S]*?-->\n/, "")).toMatch(/^# \S/);
  });

  test("has only relative links that reach an existing file and heading", () => {
    const links = relativeLinks(markdown);
    expect(links.map((target) => brokenLink(page, target)).filter((problem) => problem !== undefined)).toEqual([]);
  });

  test("cites no file outside the repository and no issue number", () => {
    expect(markdown.match(/\.\.\/shared\/|\b[Ii]ssues? #?\d+/g) ?? []).toEqual([]);
  });
});
