import {
  AwsClientPolicy,
  AwsClients,
  CredentialsResolver,
  DEFAULT_AWS_POLICY,
  assertAwsCredentials,
  createAwsClients,
  defaultCredentialsResolver,
} from "./aws-clients";
import { checkDashboard, checkRegion } from "./aws-checks";
import { CheckResult } from "./checks";
import { compareRegions } from "./consistency";
import { DEFAULT_HTTP_POLICY, HttpRetryPolicy } from "./http";
import { checkGlobalApi, runHttpChecks } from "./http-checks";
import { ExpectedIdentity, resolveExpectedIdentity } from "./identity";
import { AwsTargets, StackOutputs, awsTargets, selectRegions } from "./outputs";

/**
 * Runs every check against a deployed stack, described by its outputs. Input
 * problems (regions, missing outputs, credentials) are found before any check
 * runs and thrown as VerifyInputError; check failures are results, not errors.
 */

export interface VerifyOptions {
  readonly outputs: StackOutputs;
  /** Where the outputs came from, for error messages: `file "x.json"` or `stack "dev"`. */
  readonly source: string;
  /**
   * Regions to check.
   * @default every region in `api_urls`
   */
  readonly regions?: readonly string[];
  /**
   * Run only the HTTP checks: no AWS SDK call, no credentials needed.
   * @default false
   */
  readonly httpOnly?: boolean;
  /** Expected environment. @default inferred from `lambda_function_names`, else the same in every region */
  readonly environment?: string;
  /** Expected project name. @default inferred from `lambda_function_names`, else the same in every region */
  readonly project?: string;
  /** @default DEFAULT_HTTP_POLICY */
  readonly http?: HttpRetryPolicy;
  /** @default DEFAULT_AWS_POLICY */
  readonly aws?: AwsClientPolicy;
}

/** Seams for the tests; the defaults talk to AWS. */
export interface VerifyDependencies {
  /** @default createAwsClients */
  readonly clientsFor?: (region: string, policy: AwsClientPolicy) => AwsClients;
  /** @default the SDK's default credential chain */
  readonly credentials?: CredentialsResolver;
}

interface AwsResults {
  /** Per region, in AWS_REGION_CHECKS order. */
  readonly byRegion: ReadonlyMap<string, readonly CheckResult[]>;
  readonly dashboard: CheckResult;
  readonly consistency: readonly CheckResult[];
}

async function runAwsChecks(
  targets: AwsTargets,
  regions: readonly string[],
  expected: ExpectedIdentity,
  clientsFor: (region: string) => AwsClients,
): Promise<AwsResults> {
  const clients = regions.map(clientsFor);
  const [reports, dashboard] = await Promise.all([
    Promise.all(regions.map((region, index) => checkRegion(region, targets.regions[region], clients[index], expected))),
    // Dashboards are global: the first region's client reads it.
    checkDashboard(targets.dashboardName, regions, clients[0]),
  ]);
  return {
    byRegion: new Map(regions.map((region, index) => [region, reports[index].results])),
    dashboard,
    consistency: compareRegions(new Map(regions.map((region, index) => [region, reports[index].settings]))),
  };
}

/**
 * The results, ordered: each region's HTTP then AWS checks, then the global
 * checks, then the cross-region ones.
 */
export async function runVerification(
  options: VerifyOptions,
  dependencies: VerifyDependencies = {},
): Promise<CheckResult[]> {
  const { outputs } = options;
  const regions = selectRegions(outputs, options.regions ?? []);
  const expected = resolveExpectedIdentity(options, outputs, regions);
  const httpPolicy = options.http ?? DEFAULT_HTTP_POLICY;
  const awsPolicy = options.aws ?? DEFAULT_AWS_POLICY;

  const targets = options.httpOnly ? undefined : awsTargets(outputs, regions, options.source);
  if (targets !== undefined) {
    await assertAwsCredentials(dependencies.credentials ?? defaultCredentialsResolver(regions[0]));
  }

  const clientsFor = dependencies.clientsFor ?? createAwsClients;
  const [httpResults, aws, globalApi] = await Promise.all([
    runHttpChecks(outputs.api_urls, regions, expected, httpPolicy),
    targets && runAwsChecks(targets, regions, expected, (region) => clientsFor(region, awsPolicy)),
    outputs.global_url && checkGlobalApi(outputs.global_url, Object.keys(outputs.api_urls), httpPolicy),
  ]);

  return [
    ...regions.flatMap((region) => [
      ...httpResults.filter((result) => result.region === region),
      ...(aws?.byRegion.get(region) ?? []),
    ]),
    ...(aws ? [aws.dashboard] : []),
    ...(globalApi ? [globalApi] : []),
    ...(aws?.consistency ?? []),
  ];
}
