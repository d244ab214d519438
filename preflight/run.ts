import type { ResolvedTapStackConfig } from "../lib/config";
import type { RecordedResource } from "../offline/mock-cloud";
import { AwsClients, classify } from "./aws";
import { credentialsProblem, checkCaller } from "./checks/account";
import { checkLoggingRole } from "./checks/api-gateway";
import { CheckContext } from "./checks/context";
import { checkHostedZone } from "./checks/hosted-zone";
import { checkConcurrency } from "./checks/lambda";
import { checkNames } from "./checks/names";
import { EIP_QUOTA, VPC_QUOTA, checkQuota } from "./checks/quotas";
import { checkRegions } from "./checks/regions";
import { PlannedName, plannedNames } from "./names";
import { GLOBAL, Row, sortRows, unknown } from "./rows";

/**
 * One preflight run: the credentials, then whose they are, then every other
 * check, all regions side by side. Stops early, with one line, when the
 * credentials cannot be used at all, and after the account row when they are
 * for an account the stack does not allow (every other answer would describe
 * the wrong account).
 */

export interface PreflightOptions {
  readonly config: ResolvedTapStackConfig;
  readonly aws: AwsClients;
  /** Runs the program under the mock cloud for the caller's account (undefined: not known) and returns what it registers. */
  readonly evaluate: (accountId: string | undefined) => Promise<readonly RecordedResource[]>;
  /**
   * Limit for finding credentials (the SDK's chain may try SSO, a credential process or instance metadata), ms.
   * @default 20000
   */
  readonly credentialsTimeoutMs?: number;
}

export interface PreflightResult {
  readonly rows: Row[];
  /** Set when nothing could be checked: one line that says why and what to do. */
  readonly fatal?: string;
  /** Set when the run stopped after some rows: why the others were not run. */
  readonly stopped?: string;
  readonly accountId?: string;
}

/** Rejects with `message` when `work` takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(message), { name: "CredentialsProviderError" })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The planned names, or the row that says why they are not known. */
async function planNames(options: PreflightOptions, accountId: string | undefined): Promise<{ names: PlannedName[]; rows: Row[] }> {
  let names: PlannedName[];
  try {
    names = plannedNames(await options.evaluate(accountId));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n").join(" ") : String(error);
    return { names: [], rows: [unknown("names", GLOBAL, `The program could not be evaluated, so the names it would create are unknown: ${reason}`)] };
  }
  if (accountId !== undefined) return { names, rows: [] };
  // Bucket names hold the account: without it, the names the plan shows are placeholders.
  const bucketRegions = [...new Set(names.filter((name) => name.check === "name:bucket").map((name) => name.region))];
  return {
    names: names.filter((name) => name.check !== "name:bucket"),
    rows: bucketRegions.map((region) => unknown("name:bucket", region, "Not checked: bucket names hold the account ID, and the caller's account is unknown.")),
  };
}

/** Every check of one enabled region. */
async function regionRows(context: CheckContext, region: string): Promise<Row[]> {
  const single = await Promise.all([
    checkLoggingRole(context, region),
    checkConcurrency(context, region),
    checkQuota(context, VPC_QUOTA, region),
    ...(context.config.enableNatGateway ? [checkQuota(context, EIP_QUOTA, region)] : []),
  ]);
  return [...single, ...(await checkNames(context, region))];
}

export async function runPreflight(options: PreflightOptions): Promise<PreflightResult> {
  const { config, aws } = options;
  try {
    await within(aws.credentials(), options.credentialsTimeoutMs ?? 20_000, `none found within ${(options.credentialsTimeoutMs ?? 20_000) / 1000} s`);
  } catch (error) {
    const failure = classify(error, undefined, GLOBAL);
    return { rows: [], fatal: credentialsProblem(failure) ?? `Could not read the AWS credentials (${failure.code}: ${failure.message}).` };
  }

  const caller = await checkCaller(aws, config);
  if (caller.fatal !== undefined || caller.row === undefined) return { rows: [], fatal: caller.fatal };
  if (caller.row.status === "fail") {
    return { rows: [caller.row], accountId: caller.accountId, stopped: "The other checks were not run: they would describe the wrong account." };
  }

  const planned = await planNames(options, caller.accountId);
  const context: CheckContext = { config, aws, accountId: caller.accountId, names: planned.names };
  const regions = await checkRegions(context);
  const enabled = config.regions.filter((region) => !regions.disabled.has(region));
  const [zone, ...perRegion] = await Promise.all([checkHostedZone(context), ...enabled.map((region) => regionRows(context, region))]);
  return {
    rows: sortRows([caller.row, ...regions.rows, ...zone, ...planned.rows, ...perRegion.flat()], config.regions),
    accountId: caller.accountId,
    ...(regions.disabled.size > 0 ? { stopped: `Not checked in ${[...regions.disabled].join(", ")}: the region is not enabled.` } : {}),
  };
}
