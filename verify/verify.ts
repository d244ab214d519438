import type { AwsClientPolicy, AwsClients, CredentialsResolver } from "./aws-clients";
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
  /** Fields not given take DEFAULT_AWS_POLICY's values. */
  readonly aws?: Partial<AwsClientPolicy>;
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

/**
 * Loads the AWS side and checks the credentials, before any check runs;
 * resolves to the function that runs the AWS checks.
 */
async function prepareAwsChecks(
  targets: AwsTargets,
  regions: readonly string[],
  expected: ExpectedIdentity,
  policy: Partial<AwsClientPolicy>,
  dependencies: VerifyDependencies,
): Promise<() => Promise<AwsResults>> {
  // The AWS SDK takes seconds to load: --http-only runs never load it.
  const { DEFAULT_AWS_POLICY, assertAwsCredentials, createAwsClients, defaultCredentialsResolver } = await import(
    "./aws-clients"
  );
  const { checkDashboard, checkRegion } = await import("./aws-checks");
  await assertAwsCredentials(dependencies.credentials ?? defaultCredentialsResolver(regions[0]));

  const clientsFor = dependencies.clientsFor ?? createAwsClients;
  const clients = regions.map((region) => clientsFor(region, { ...DEFAULT_AWS_POLICY, ...policy }));
  return async () => {
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
  // Outputs and credentials are checked before any check runs, so bad input fails fast.
  const targets = options.httpOnly ? undefined : awsTargets(outputs, regions, options.source);
  const runAwsChecks = targets && (await prepareAwsChecks(targets, regions, expected, options.aws ?? {}, dependencies));

  const [httpResults, aws, globalApi] = await Promise.all([
    runHttpChecks(outputs.api_urls, regions, expected, httpPolicy),
    runAwsChecks?.(),
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
