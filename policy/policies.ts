import { EnforcementLevel, Policies } from "@pulumi/policy";
import { EnforcementOverrides, PlannedResource, PolicyViolation, runPolicies } from "./evaluate";
import { apiPolicies } from "./api-policies";
import { identityPolicies } from "./identity-policies";
import { lambdaPolicies } from "./lambda-policies";
import { monitoringPolicies } from "./monitoring-policies";
import { networkPolicies } from "./network-policies";
import { rolloutPolicies } from "./rollout-policies";
import { storagePolicies } from "./storage-policies";

/**
 * tap's security promises as Pulumi policies: the Security Hub and checkov
 * controls in docs/aws-facts.md ("Security controls", with the AWS pages that
 * define them), one policy per control and resource kind. Kept apart
 * from policy/index.ts, whose PolicyPack starts a gRPC server, so the offline
 * plan and the tests can run the same policies in-process.
 */

export type { PlannedResource, PolicyViolation } from "./evaluate";

/** Enforcement level of every policy that does not set its own. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

export const tapPolicies: Policies = [
  ...storagePolicies,
  ...lambdaPolicies,
  ...apiPolicies,
  ...networkPolicies,
  ...identityPolicies,
  ...monitoringPolicies,
  ...rolloutPolicies,
];

/**
 * Checks a planned stack against tapPolicies, in-process: calls each policy's
 * own validateResource / validateStack, as `pulumi preview --policy-pack
 * policy` would (with `--policy-pack-config FILE` when `overrides` come from
 * FILE: enforcementOverridesOf). Resolves to every violation, in policy order.
 */
export function evaluatePolicies(resources: PlannedResource[], overrides?: EnforcementOverrides): Promise<PolicyViolation[]> {
  return runPolicies(resources, tapPolicies, PACK_ENFORCEMENT_LEVEL, overrides);
}
