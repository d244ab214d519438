import { printable } from "../common/printable";
import { Row, Status } from "./rows";

/** Preflight's output: one row per check for people, and the same as JSON for machines. */

export interface Summary {
  readonly ok: number;
  readonly fail: number;
  readonly unknown: number;
}

export function summarize(rows: readonly Row[]): Summary {
  const count = (status: Status) => rows.filter((row) => row.status === status).length;
  return { ok: count("ok"), fail: count("fail"), unknown: count("unknown") };
}

/** The detail column: what was found, then the fix or the missing permission. Everything AWS said is made printable. */
function detailOf(row: Row): string {
  const parts = [row.detail];
  if (row.fix !== undefined) parts.push(`Fix: ${row.fix}`);
  if (row.missingPermission !== undefined) parts.push(`Missing permission: ${row.missingPermission}.`);
  return printable(parts.join(" "));
}

/** The table, then a summary line (and why some checks did not run, if they did not). */
export function formatTable(rows: readonly Row[], exitCode: number, stopped?: string): string {
  const header = ["CHECK", "REGION", "STATUS", "DETAIL"];
  const cells = rows.map((row) => [row.check, row.region, row.status, detailOf(row)]);
  const widths = header.slice(0, 3).map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column].length)));
  const line = (cell: string[]) => cell.map((text, column) => (column < 3 ? text.padEnd(widths[column]) : text)).join("  ").trimEnd();
  const { ok, fail, unknown } = summarize(rows);
  const verdict = fail > 0 ? "pulumi up would fail" : unknown > 0 ? "some checks could not be made" : "the account can take this stack";
  return [
    line(header),
    ...cells.map(line),
    "",
    ...(stopped ? [stopped] : []),
    `${rows.length} ${rows.length === 1 ? "check" : "checks"}: ${ok} ok, ${fail} failed, ${unknown} unknown; ${verdict} (exit ${exitCode}).`,
    "",
  ].join("\n");
}

export interface JsonReport {
  readonly stack: string;
  readonly accountId: string | null;
  readonly exitCode: number;
  readonly summary: Summary;
  /** Set when the run stopped early. */
  readonly stopped: string | null;
  /** Set when nothing could be checked. */
  readonly error: string | null;
  readonly rows: readonly Row[];
}

export function formatJson(report: JsonReport): string {
  return `${JSON.stringify({ ...report, rows: report.rows.map((row) => ({ ...row, detail: printable(row.detail) })) }, null, 2)}\n`;
}
