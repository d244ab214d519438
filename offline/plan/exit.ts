import type { PolicyViolation } from "../../policy/policies";

/** Exit statuses of `npm run plan`. */
export const EXIT_CODES = {
  ok: 0,
  /** At least one mandatory policy violation. */
  mandatoryViolation: 1,
  /** Bad input: the stack's config file, a --config argument, or the program's own config validation. */
  configError: 2,
  /** The program or the policy pack failed for another reason; the plan is incomplete. */
  programError: 3,
  /** No policy failed, but AWS would reject an input: a name, description, tag or enum value breaks a rule of AWS's API models (offline/aws-constraints/check.ts). */
  awsWouldReject: 4,
  /** `--stacks`: two stacks claim one physical name in a shared namespace, or write one account setting. */
  sharedNames: 5,
  /**
   * `--from` or `--check-preview`: the update would lose data or break something in AWS (a hazard: a create-first
   * replacement under a fixed name, data deleted, a Lambda network replaced, a client URL changed). `--accept-hazards`
   * prints them and exits 0.
   */
  updateHazard: 6,
} as const;

/** 1 when any violation is mandatory, else 0: advisory violations are reported but do not fail the plan. */
export function exitCodeForViolations(violations: readonly Pick<PolicyViolation, "enforcementLevel">[]): number {
  return violations.some((violation) => violation.enforcementLevel === "mandatory") ? EXIT_CODES.mandatoryViolation : EXIT_CODES.ok;
}
