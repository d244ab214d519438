/**
 * Preflight's vocabulary: the checks it runs, and the one row each prints.
 * `ok` means the account can take the stack as configured; `fail` means
 * `pulumi up` would fail (the row says how to fix it); `unknown` means the
 * check could not be made (the row says why, and names the IAM action when
 * one was denied).
 */

/** Every check, in the order rows are printed. */
export const CHECKS = [
  "account",
  "region",
  "apigateway-logging-role",
  "lambda-concurrency",
  "vpc-quota",
  "eip-quota",
  "hosted-zone",
  "names",
  "name:bucket",
  "name:function",
  "name:role",
  "name:log-group",
  "name:alarm",
  "name:topic",
  "name:dashboard",
] as const;

export type CheckId = (typeof CHECKS)[number];

export type Status = "ok" | "fail" | "unknown";

/** The region column of a check that belongs to no region (the caller, the hosted zone, the dashboard). */
export const GLOBAL = "global";

export interface Row {
  readonly check: CheckId;
  /** A region code, or GLOBAL. */
  readonly region: string;
  readonly status: Status;
  /** What was found. */
  readonly detail: string;
  /** For `fail`: what to do, with a command where one does it. */
  readonly fix?: string;
  /** For `unknown` after an access denial: the IAM action the credentials lack. */
  readonly missingPermission?: string;
}

export function ok(check: CheckId, region: string, detail: string): Row {
  return { check, region, status: "ok", detail };
}

export function fail(check: CheckId, region: string, detail: string, fix: string): Row {
  return { check, region, status: "fail", detail, fix };
}

export function unknown(check: CheckId, region: string, detail: string, missingPermission?: string): Row {
  return missingPermission === undefined ? { check, region, status: "unknown", detail } : { check, region, status: "unknown", detail, missingPermission };
}

/** Exit statuses of `npm run preflight`. */
export const EXIT_CODES = {
  /** Every check passed. */
  ok: 0,
  /** At least one check failed: `pulumi up` would fail. */
  failed: 1,
  /** Bad input: the stack's config file, a --config argument or a flag. */
  badInput: 2,
  /** Nothing failed, but something could not be checked (no credentials, a denied or unanswered call). */
  unknown: 7,
} as const;

/** 1 when a row failed, else 7 when a row is unknown, else 0. */
export function exitCodeOf(rows: readonly Row[]): number {
  if (rows.some((row) => row.status === "fail")) return EXIT_CODES.failed;
  if (rows.some((row) => row.status === "unknown")) return EXIT_CODES.unknown;
  return EXIT_CODES.ok;
}

/** Rows in CHECKS order, then by region as the stack lists them (global first). */
export function sortRows(rows: readonly Row[], regions: readonly string[]): Row[] {
  const regionOrder = (region: string) => (region === GLOBAL ? -1 : regions.indexOf(region));
  return [...rows].sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check) || regionOrder(a.region) - regionOrder(b.region));
}
