/**
 * GitHub's anchors for Markdown headings, read with a regular expression
 * rather than a Markdown parser: the pages are ours and fenced code is removed
 * first. GitHub's slug rule is restated here because github-slugger is an ES
 * module, which jest's CommonJS runtime cannot load from node_modules.
 */

/** Fenced code blocks (``` or ~~~), whose `#` lines are no headings. */
export const FENCED_CODE = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm;

/** The anchor GitHub gives a heading: lower case, punctuation other than `-` and `_` dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every heading's anchor in a Markdown file, with GitHub's -1, -2 suffixes for repeats. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(FENCED_CODE, "");
  for (const match of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = githubSlug(match[1]);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}
