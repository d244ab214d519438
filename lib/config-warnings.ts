import type { ResolvedTapStackConfig } from "./config";

/**
 * Settings that are valid but probably a mistake: the offline plan and the
 * local server print them as warnings. They are not errors, because an account
 * can have higher limits than the defaults assumed here.
 */

/**
 * Lambda's default concurrent-executions quota per account and region. New
 * accounts start lower ("New AWS accounts have reduced concurrency and memory
 * quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** Executions Lambda keeps unreserved per region: reservations may not eat into them. */
export const MIN_UNRESERVED_CONCURRENCY = 100;
/** The largest reservation the default quota allows. */
export const MAX_RESERVATION_AT_DEFAULT_LIMIT = DEFAULT_ACCOUNT_CONCURRENCY - MIN_UNRESERVED_CONCURRENCY;

/**
 * The policy pack config file (relative to the project folder) that makes the
 * policy pack's vpc-has-flow-log policy advisory, for a stack that turns flow
 * logs off on purpose. The policy pack and every other policy stay mandatory.
 */
export const FLOW_LOGS_ADVISORY_POLICY_CONFIG = "policy/flow-logs-advisory.json";

/** The settings the warnings read; an absent enableFlowLogs is its default, on. */
export type WarnedSettings = Pick<ResolvedTapStackConfig, "lambdaReservedConcurrency" | "regions"> & Partial<Pick<ResolvedTapStackConfig, "enableFlowLogs">>;

/** The warnings for `config`, in a fixed order; empty when there is nothing to say. */
export function configWarnings(config: WarnedSettings): string[] {
  return [...flowLogWarnings(config), ...concurrencyWarnings(config)];
}

/**
 * With flow logs off, the policy pack's mandatory vpc-has-flow-log policy
 * (Security Hub EC2.6) blocks `pulumi preview|up --policy-pack policy`: say so,
 * and how to deploy anyway, before anything else.
 */
function flowLogWarnings(config: WarnedSettings): string[] {
  if (config.enableFlowLogs !== false) return [];
  return [
    `Config "enableFlowLogs" is false: the policy pack's mandatory policy vpc-has-flow-log (Security Hub EC2.6) refuses a VPC ` +
      `without flow logs, so npm run plan exits 1 and pulumi preview/up --policy-pack policy stops before changing anything ` +
      `in ${config.regions.join(", ")}. Turn flow logs back on (pulumi config set enableFlowLogs true), or, to run without them ` +
      `on purpose, make that one policy advisory: pulumi up --policy-pack policy --policy-pack-config ${FLOW_LOGS_ADVISORY_POLICY_CONFIG}`,
  ];
}

/** The reserved-concurrency warnings alone: preflight measures these against the account instead. */
export function concurrencyWarnings(config: WarnedSettings): string[] {
  const reserved = config.lambdaReservedConcurrency;
  const regions = config.regions.join(", ");
  if (reserved === 0) {
    return [
      `Config "lambdaReservedConcurrency" is 0: Lambda throttles every invocation, so the API fails EVERY request ` +
        `in every region (${regions}). Set it to -1 for no reservation, or reserve at least 1.`,
    ];
  }
  if (reserved === undefined) return [];
  if (reserved > MAX_RESERVATION_AT_DEFAULT_LIMIT) {
    return [
      `Config "lambdaReservedConcurrency" is ${reserved}: Lambda keeps ${MIN_UNRESERVED_CONCURRENCY} executions per region unreserved, ` +
        `so at the default account limit of ${DEFAULT_ACCOUNT_CONCURRENCY} concurrent executions AWS rejects a reservation above ` +
        `${MAX_RESERVATION_AT_DEFAULT_LIMIT} when it deploys. Check the "Concurrent executions" quota in each region ` +
        `(${regions}) and raise it first, or reserve at most ${MAX_RESERVATION_AT_DEFAULT_LIMIT}.`,
    ];
  }
  return [
    `Config "lambdaReservedConcurrency" is ${reserved}: Lambda keeps ${MIN_UNRESERVED_CONCURRENCY} executions per region unreserved, ` +
      `so the "Concurrent executions" quota must be at least ${reserved + MIN_UNRESERVED_CONCURRENCY} in each region (${regions}). ` +
      `The default is ${DEFAULT_ACCOUNT_CONCURRENCY}, but new accounts start lower and AWS rejects the reservation there: ` +
      `run npm run preflight before the first pulumi up, or set it to -1 for no reservation.`,
  ];
}
