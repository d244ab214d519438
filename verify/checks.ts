/**
 * The verifier's vocabulary: every check it can run, and the result of one.
 * The catalogs below are the one source of truth for check names: the runner
 * emits exactly these, the integration tests declare one jest test per entry.
 */

/** Checks run against each region's API URL. */
export const HTTP_CHECKS = [
  "api-response",
  "api-region",
  "api-environment",
  "api-project",
  "api-cors",
  "health",
] as const;

/** Checks run with the AWS SDK in each region. */
export const AWS_REGION_CHECKS = [
  "vpc",
  "s3-encryption",
  "s3-versioning",
  "s3-public-access-block",
  "s3-tls-policy",
  "lambda-runtime",
  "lambda-architecture",
  "lambda-tracing",
  "lambda-vpc",
  "lambda-environment",
  "alarms",
  "alarm-actions",
] as const;

/**
 * Checks of a gradual rollout, run with the AWS checks in each region the
 * outputs' `deployment_groups` names (stacks with `rollout` canary or linear).
 */
export const ROLLOUT_CHECKS = ["rollout-alias", "rollout-api-alias", "rollout-deployment-group"] as const;

/** Checks of settings that must be the same in every region (AWS checks, two or more regions). */
export const CONSISTENCY_CHECKS = ["consistent-lambda", "consistent-s3", "consistent-alarms"] as const;

/** Checks of the stack's global resources. `global-api` runs only when the outputs have `global_url`. */
export const GLOBAL_CHECKS = ["dashboard", "global-api"] as const;

export type HttpCheckName = (typeof HTTP_CHECKS)[number];
export type AwsRegionCheckName = (typeof AWS_REGION_CHECKS)[number];
export type RolloutCheckName = (typeof ROLLOUT_CHECKS)[number];
export type ConsistencyCheckName = (typeof CONSISTENCY_CHECKS)[number];
export type GlobalCheckName = (typeof GLOBAL_CHECKS)[number];
export type CheckName = HttpCheckName | AwsRegionCheckName | RolloutCheckName | ConsistencyCheckName | GlobalCheckName;

/** The region column of checks that belong to no single region. */
export const GLOBAL_SCOPE = "global";
export const CROSS_REGION_SCOPE = "cross-region";

/**
 * PASS and FAIL are verdicts. SKIP means the check could not run because a
 * check it depends on failed; that FAIL is always reported too, so a run with
 * a SKIP never exits 0.
 */
export type CheckStatus = "PASS" | "FAIL" | "SKIP";

export interface CheckResult {
  readonly check: CheckName;
  /** A region code, GLOBAL_SCOPE or CROSS_REGION_SCOPE. */
  readonly region: string;
  readonly status: CheckStatus;
  /** What was found: the value checked, or why it failed. */
  readonly detail: string;
}

export function pass(check: CheckName, region: string, detail: string): CheckResult {
  return { check, region, status: "PASS", detail };
}

export function fail(check: CheckName, region: string, detail: string): CheckResult {
  return { check, region, status: "FAIL", detail };
}

/** `check` could not run because `prerequisite` failed in the same scope. */
export function skipAfter(check: CheckName, region: string, prerequisite: CheckName): CheckResult {
  return { check, region, status: "SKIP", detail: `not run: ${prerequisite} failed` };
}

/** PASS when `ok`, else FAIL, with the same detail. */
export function verdict(check: CheckName, region: string, ok: boolean, detail: string): CheckResult {
  return ok ? pass(check, region, detail) : fail(check, region, detail);
}

/** True when every result passed. */
export function allPassed(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.status === "PASS");
}

/**
 * Thrown for bad input to the verifier (outputs, flags, missing tools or
 * credentials). The CLI prints the message alone and exits with code 2.
 */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}
