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

/** The warnings for `config`, in a fixed order; empty when there is nothing to say. */
export function configWarnings(config: Pick<ResolvedTapStackConfig, "lambdaReservedConcurrency" | "regions">): string[] {
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
