import * as fs from "fs";
import * as path from "path";
import { ConfigChangeResult, planConfigChanges, renderConfigTable } from "./config-changes";
import { createProgramEvaluator } from "./evaluations";
import { loadReplacementRules } from "./rules";

/**
 * `npm run updates-doc:generate`: writes docs/updates.md, "Changing a live
 * stack", whole: the hand-written text of updates-page.md with the table of
 * config changes, found by running the update plan for each change
 * (config-changes.ts), in place of its `{{CONFIG_TABLE}}` line. A test fails
 * when the committed page and the plan disagree.
 */

export const REPOSITORY = path.resolve(__dirname, "..", "..", "..");
export const PAGE_TEMPLATE = path.join(__dirname, "updates-page.md");
export const UPDATES_PAGE = path.join(REPOSITORY, "docs", "updates.md");
const MARKER = "{{CONFIG_TABLE}}";

/** The page, from the template and the planned changes. */
export function renderUpdatesPage(template: string, results: readonly ConfigChangeResult[]): string {
  if (!template.includes(MARKER)) throw new Error(`${PAGE_TEMPLATE} has no ${MARKER} line for the table`);
  return template.replace(`${MARKER}\n`, renderConfigTable(results));
}

/** Plans every change of the example dev stack in one process. */
export async function planDocumentedChanges(): Promise<ConfigChangeResult[]> {
  const evaluator = await createProgramEvaluator(path.join(REPOSITORY, "index.ts"), "tap", "dev");
  return planConfigChanges(evaluator, REPOSITORY, "dev", loadReplacementRules());
}

async function main(): Promise<number> {
  const results = await planDocumentedChanges();
  fs.writeFileSync(UPDATES_PAGE, renderUpdatesPage(fs.readFileSync(PAGE_TEMPLATE, "utf8"), results));
  process.stdout.write(`Wrote ${results.length} planned changes to ${path.relative(REPOSITORY, UPDATES_PAGE)}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
