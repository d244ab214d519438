import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import type { ResolvedTapStackConfig } from "../../lib/config";
import { MIN_UNRESERVED_CONCURRENCY } from "../../lib/config-warnings";
import { Row, fail, ok, unknown } from "../rows";
import { CheckContext, isNotFound, unknownRow } from "./context";

/**
 * The account's Lambda concurrency against `lambdaReservedConcurrency` and
 * `lambdaProvisionedConcurrency`. Lambda keeps 100 executions per region
 * unreserved: "You can reserve up to the Unreserved account concurrency value
 * minus 100" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html),
 * and provisioned concurrency of a function without a reservation comes out
 * of the same unreserved pool. New accounts start with a lower quota than the
 * default 1000 (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
 * so a reservation that is fine elsewhere fails there with "decreases
 * account's UnreservedConcurrentExecution below its minimum value".
 */

/** Service Quotas' code of Lambda's "Concurrent executions" quota. */
export const CONCURRENCY_QUOTA_CODE = "L-B99A9384";

export interface AccountConcurrency {
  /** AccountLimit.ConcurrentExecutions: the region's quota. */
  readonly limit: number;
  /** AccountLimit.UnreservedConcurrentExecutions: the quota less every function's reservation. */
  readonly unreserved: number;
  /** This stack's function's current reservation (0 when it does not exist yet or reserves none): it is given back on update. */
  readonly ownReservation: number;
}

function raiseQuota(region: string, limit: number, shortBy: number): string {
  return `aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value ${limit + shortBy} --region ${region}`;
}

/** The row for `region`, given the account's concurrency there. Pure: the tests call it with AWS's numbers. */
export function concurrencyRow(
  config: Pick<ResolvedTapStackConfig, "lambdaReservedConcurrency" | "lambdaProvisionedConcurrency">,
  region: string,
  account: AccountConcurrency,
): Row {
  const reserved = config.lambdaReservedConcurrency;
  const provisioned = config.lambdaProvisionedConcurrency;
  const available = account.unreserved + account.ownReservation;
  const quota = `quota ${account.limit}, ${account.unreserved} unreserved`;
  if (reserved === undefined && provisioned === 0) return ok("lambda-concurrency", region, `No reservation and nothing provisioned (${quota}).`);
  // With a reservation, provisioned instances come out of it (the config already keeps them within it).
  const [what, amount, key] = reserved !== undefined
    ? ["reserving", reserved, "lambdaReservedConcurrency"]
    : ["provisioning", provisioned, "lambdaProvisionedConcurrency"];
  const left = available - amount;
  if (left >= MIN_UNRESERVED_CONCURRENCY) {
    return ok("lambda-concurrency", region, `${what} ${amount} leaves ${left} unreserved, at least the ${MIN_UNRESERVED_CONCURRENCY} Lambda keeps (${quota}).`);
  }
  const shortBy = MIN_UNRESERVED_CONCURRENCY - left;
  const most = available - MIN_UNRESERVED_CONCURRENCY;
  const lower = most >= 1
    ? `or lower it: pulumi config set ${key} ${most}`
    : `or ${reserved !== undefined ? "drop the reservation: pulumi config set lambdaReservedConcurrency -1" : "provision none: pulumi config set lambdaProvisionedConcurrency 0"}`;
  return fail(
    "lambda-concurrency",
    region,
    `${what} ${amount} would leave ${left} unreserved, below the ${MIN_UNRESERVED_CONCURRENCY} Lambda keeps (${quota}): AWS would refuse it.`,
    `Raise the "Concurrent executions" quota to at least ${account.limit + shortBy} (${raiseQuota(region, account.limit, shortBy)}), ${lower}`,
  );
}

export async function checkConcurrency(context: CheckContext, region: string): Promise<Row> {
  const { config, aws } = context;
  try {
    const settings = await aws.lambda(region).send(new GetAccountSettingsCommand({}));
    const limit = settings.AccountLimit?.ConcurrentExecutions;
    const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions;
    if (limit === undefined || unreserved === undefined) return unknown("lambda-concurrency", region, "GetAccountSettings did not return the account's concurrency.");
    return concurrencyRow(config, region, { limit, unreserved, ownReservation: await ownReservation(context, region) });
  } catch (error) {
    return unknownRow("lambda-concurrency", region, error);
  }
}

/** The reservation this stack's function holds now (an update gives it back before taking the new one). */
async function ownReservation(context: CheckContext, region: string): Promise<number> {
  if (context.config.lambdaReservedConcurrency === undefined) return 0;
  const functionName = context.names.find((name) => name.check === "name:function" && name.region === region)?.name;
  if (functionName === undefined) return 0;
  try {
    const current = await context.aws.lambda(region).send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
    return current.ReservedConcurrentExecutions ?? 0;
  } catch (error) {
    if (isNotFound(error, "ResourceNotFoundException")) return 0;
    throw error;
  }
}
