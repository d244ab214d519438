import type { CheckResult } from "./checks";
import { printable } from "../common/printable";

/** The verifier's output: a plain-text table for people, JSON for machines. */

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const count = (status: CheckResult["status"]) => results.filter((result) => result.status === status).length;
  return { passed: count("PASS"), failed: count("FAIL"), skipped: count("SKIP") };
}

/** The result with every text made printable: details quote what servers sent. */
function printableResult(result: CheckResult): CheckResult {
  return { ...result, region: printable(result.region), detail: printable(result.detail) };
}

/** One row per check, columns padded to their widest cell, then a summary line. */
export function formatTable(results: readonly CheckResult[]): string {
  const header = ["CHECK", "REGION", "STATUS", "DETAIL"];
  const rows = results.map(printableResult).map((result) => [result.check, result.region, result.status, result.detail]);
  const widths = header.slice(0, 3).map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join("  ").trimEnd();
  const { passed, failed, skipped } = summarize(results);
  const verdictLine = failed === 0 && skipped === 0 ? "all checks passed" : "verification FAILED";
  return [
    line(header),
    ...rows.map(line),
    "",
    `${results.length} checks: ${passed} passed, ${failed} failed, ${skipped} not run; ${verdictLine}`,
  ].join("\n");
}

/** `{ ok, summary, results }`, pretty-printed. */
export function formatJson(results: readonly CheckResult[]): string {
  const summary = summarize(results);
  return JSON.stringify({ ok: summary.failed === 0 && summary.skipped === 0, summary, results: results.map(printableResult) }, null, 2);
}
