import { DescribeAlarmsCommand, GetDashboardCommand, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { FunctionConfiguration, GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PublicAccessBlockConfiguration,
} from "@aws-sdk/client-s3";
import { AwsClients, attempt } from "./aws-clients";
import { AwsRegionCheckName, CheckResult, GLOBAL_SCOPE, fail, pass, verdict } from "./checks";
import type { ExpectedIdentity } from "./identity";
import type { RegionTargets } from "./outputs";
import { ALARM_METRICS } from "../lib/alarm-specs";
import { checkRollout } from "./rollout-checks";

/**
 * The AWS checks of one region, read with the SDK: the deployed resources
 * against the controls in docs/aws-facts.md ("Security controls"). Besides verdicts, each region
 * reports the settings that must match across regions (see consistency.ts).
 */

/**
 * Lambda runtimes that are supported and not deprecated, per AWS's Lambda runtimes page in late 2026
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html; docs/aws-facts.md, "Lambda runtimes").
 */
export const SUPPORTED_RUNTIMES: readonly string[] = ["nodejs22.x", "nodejs24.x"];
export const LAMBDA_ARCHITECTURES: readonly string[] = ["arm64", "x86_64"];
/** Default bucket encryption that counts as encrypted at rest (SSE-S3 or SSE-KMS). */
export const ACCEPTED_SSE_ALGORITHMS: readonly string[] = ["AES256", "aws:kms"];
/** The output contract: each region has one alarm per metric in `alarm_names`. */
export const ALARMS_PER_REGION = ALARM_METRICS.length;
/** The Lambda function spans at least this many subnets, in as many AZs (Lambda.3/Lambda.5). */
export const MIN_LAMBDA_AZS = 2;
const PUBLIC_ACCESS_FLAGS: readonly (keyof PublicAccessBlockConfiguration)[] = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
];

/** Settings one region reports, per group, as comparable text. */
export type SettingGroup = "lambda" | "s3" | "alarms";
export type RegionSettings = Partial<Record<SettingGroup, Record<string, string>>>;

export interface RegionAwsReport {
  /** In AWS_REGION_CHECKS order. */
  readonly results: CheckResult[];
  readonly settings: RegionSettings;
}

async function checkVpc(region: string, targets: RegionTargets, clients: AwsClients): Promise<CheckResult> {
  const answer = await attempt(() => clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [targets.vpcId] })));
  if (!answer.ok) return fail("vpc", region, `DescribeVpcs ${targets.vpcId}: ${answer.error}`);
  const vpc = answer.value.Vpcs?.find((each) => each.VpcId === targets.vpcId);
  if (vpc === undefined) return fail("vpc", region, `${targets.vpcId} not found`);
  return verdict("vpc", region, vpc.State === "available", `${targets.vpcId} is ${vpc.State}`);
}

async function checkBucket(
  region: string,
  bucket: string,
  clients: AwsClients,
): Promise<{ results: CheckResult[]; settings: Record<string, string> }> {
  const Bucket = bucket;
  const [encryption, versioning, publicAccess, policy] = await Promise.all([
    attempt(() => clients.s3.send(new GetBucketEncryptionCommand({ Bucket }))),
    attempt(() => clients.s3.send(new GetBucketVersioningCommand({ Bucket }))),
    attempt(() => clients.s3.send(new GetPublicAccessBlockCommand({ Bucket }))),
    attempt(() => clients.s3.send(new GetBucketPolicyCommand({ Bucket }))),
  ]);
  const settings: Record<string, string> = {};

  let encryptionResult: CheckResult;
  if (!encryption.ok) {
    encryptionResult = fail("s3-encryption", region, `GetBucketEncryption ${bucket}: ${encryption.error}`);
  } else {
    const rules = encryption.value.ServerSideEncryptionConfiguration?.Rules ?? [];
    const algorithms = rules.map((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? "none");
    settings.encryption = algorithms.join(",") || "none";
    settings.bucketKey = rules.map((rule) => String(rule.BucketKeyEnabled ?? false)).join(",");
    const ok = algorithms.length > 0 && algorithms.every((algorithm) => ACCEPTED_SSE_ALGORITHMS.includes(algorithm));
    encryptionResult = verdict("s3-encryption", region, ok,
      ok ? settings.encryption : `default encryption is ${settings.encryption}; expected ${ACCEPTED_SSE_ALGORITHMS.join(" or ")}`);
  }

  let versioningResult: CheckResult;
  if (!versioning.ok) {
    versioningResult = fail("s3-versioning", region, `GetBucketVersioning ${bucket}: ${versioning.error}`);
  } else {
    // S3 omits Status for a bucket whose versioning was never turned on.
    settings.versioning = versioning.value.Status ?? "never enabled";
    versioningResult = verdict("s3-versioning", region, settings.versioning === "Enabled",
      settings.versioning === "Enabled" ? "Enabled" : `versioning is ${settings.versioning}; expected Enabled`);
  }

  let publicAccessResult: CheckResult;
  if (!publicAccess.ok) {
    publicAccessResult = fail("s3-public-access-block", region, `GetPublicAccessBlock ${bucket}: ${publicAccess.error}`);
  } else {
    const flags = publicAccess.value.PublicAccessBlockConfiguration ?? {};
    const off = PUBLIC_ACCESS_FLAGS.filter((flag) => flags[flag] !== true);
    settings.publicAccessBlock = off.length === 0 ? "all on" : `off: ${off.join(", ")}`;
    publicAccessResult = verdict("s3-public-access-block", region, off.length === 0,
      off.length === 0 ? "all four flags on" : `flag(s) off: ${off.join(", ")}`);
  }

  let policyResult: CheckResult;
  if (!policy.ok) {
    policyResult = fail("s3-tls-policy", region, `GetBucketPolicy ${bucket}: ${policy.error}`);
  } else {
    const denies = deniesInsecureTransport(policy.value.Policy);
    settings.tlsOnlyPolicy = String(denies);
    policyResult = verdict("s3-tls-policy", region, denies,
      denies ? "denies s3:* when aws:SecureTransport is false" : "no statement denies s3:* when aws:SecureTransport is false");
  }

  return { results: [encryptionResult, versioningResult, publicAccessResult, policyResult], settings };
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * True when the bucket policy has a statement that denies every principal
 * every S3 action when `aws:SecureTransport` is false (Security Hub S3.5).
 */
export function deniesInsecureTransport(policyText: string | undefined): boolean {
  if (policyText === undefined) return false;
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText);
  } catch {
    return false;
  }
  return asList(policy.Statement).some((raw) => {
    const statement = raw as {
      Effect?: string;
      Principal?: unknown;
      Action?: unknown;
      Condition?: { Bool?: Record<string, unknown> };
    };
    const principal = statement.Principal;
    const everyone =
      principal === "*" || asList((principal as { AWS?: unknown } | undefined)?.AWS).includes("*");
    const secureTransport = statement.Condition?.Bool?.["aws:SecureTransport"];
    return (
      statement.Effect === "Deny" &&
      everyone &&
      asList(statement.Action).includes("s3:*") &&
      asList(secureTransport).some((value) => String(value) === "false")
    );
  });
}

async function checkFunction(
  region: string,
  targets: RegionTargets,
  clients: AwsClients,
  expected: ExpectedIdentity,
): Promise<{ results: CheckResult[]; settings: Record<string, string> }> {
  const lambdaChecks: AwsRegionCheckName[] = [
    "lambda-runtime",
    "lambda-architecture",
    "lambda-tracing",
    "lambda-vpc",
    "lambda-environment",
  ];
  const answer = await attempt(() =>
    clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: targets.functionName })),
  );
  if (!answer.ok) {
    const detail = `GetFunctionConfiguration ${targets.functionName}: ${answer.error}`;
    return { results: lambdaChecks.map((check) => fail(check, region, detail)), settings: {} };
  }
  const config: FunctionConfiguration = answer.value;
  const runtime = config.Runtime ?? "none";
  const architectures = config.Architectures ?? [];
  const tracing = config.TracingConfig?.Mode ?? "none";
  const variables = config.Environment?.Variables ?? {};
  const settings: Record<string, string> = {
    runtime,
    architecture: architectures.join(",") || "none",
    memorySize: String(config.MemorySize),
    timeout: String(config.Timeout),
    tracing,
    handler: String(config.Handler),
    subnetCount: String(config.VpcConfig?.SubnetIds?.length ?? 0),
    ENVIRONMENT: variables.ENVIRONMENT ?? "unset",
    PROJECT_NAME: variables.PROJECT_NAME ?? "unset",
  };
  const architectureOk = architectures.length === 1 && LAMBDA_ARCHITECTURES.includes(architectures[0]);
  return {
    results: [
      verdict("lambda-runtime", region, SUPPORTED_RUNTIMES.includes(runtime),
        SUPPORTED_RUNTIMES.includes(runtime) ? runtime : `${runtime}; expected ${SUPPORTED_RUNTIMES.join(" or ")}`),
      verdict("lambda-architecture", region, architectureOk,
        architectureOk ? settings.architecture : `${settings.architecture}; expected one of ${LAMBDA_ARCHITECTURES.join(", ")}`),
      verdict("lambda-tracing", region, tracing === "Active",
        tracing === "Active" ? "Active" : `tracing is ${tracing}; expected Active`),
      await checkFunctionVpc(region, targets, config, clients),
      checkFunctionEnvironment(region, variables, expected),
    ],
    settings,
  };
}

async function checkFunctionVpc(
  region: string,
  targets: RegionTargets,
  config: FunctionConfiguration,
  clients: AwsClients,
): Promise<CheckResult> {
  const subnetIds = config.VpcConfig?.SubnetIds ?? [];
  const vpcId = config.VpcConfig?.VpcId;
  if (subnetIds.length === 0) return fail("lambda-vpc", region, "the function is not attached to a VPC");
  if (vpcId !== targets.vpcId) {
    return fail("lambda-vpc", region, `the function is in ${vpcId}, expected ${targets.vpcId} (vpc_ids)`);
  }
  if ((config.VpcConfig?.SecurityGroupIds ?? []).length === 0) {
    return fail("lambda-vpc", region, "the function has no security group");
  }
  const answer = await attempt(() => clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })));
  if (!answer.ok) return fail("lambda-vpc", region, `DescribeSubnets: ${answer.error}`);
  const subnets = answer.value.Subnets ?? [];
  const zones = [...new Set(subnets.map((subnet) => subnet.AvailabilityZone))].sort();
  const detail = `${subnetIds.length} subnet(s) in ${zones.join(", ") || "no AZ"} of ${vpcId}`;
  if (subnets.some((subnet) => subnet.VpcId !== vpcId)) {
    return fail("lambda-vpc", region, `${detail}; a subnet is outside ${vpcId}`);
  }
  return verdict("lambda-vpc", region, zones.length >= MIN_LAMBDA_AZS,
    zones.length >= MIN_LAMBDA_AZS ? detail : `${detail}; expected subnets in at least ${MIN_LAMBDA_AZS} AZs`);
}

/** The function's REGION, ENVIRONMENT and PROJECT_NAME, against the region and the expected identity. */
function checkFunctionEnvironment(
  region: string,
  variables: Record<string, string>,
  expected: ExpectedIdentity,
): CheckResult {
  const wanted: [string, string | undefined][] = [
    ["REGION", region],
    ["ENVIRONMENT", expected.environment?.value],
    ["PROJECT_NAME", expected.project?.value],
  ];
  const problems = wanted.flatMap(([name, value]) => {
    const actual = variables[name];
    if (actual === undefined || actual === "") return [`${name} is not set`];
    if (value !== undefined && actual !== value) return [`${name}=${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`];
    return [];
  });
  const shown = wanted.map(([name]) => `${name}=${variables[name] ?? ""}`).join(" ");
  return problems.length === 0 ? pass("lambda-environment", region, shown) : fail("lambda-environment", region, problems.join("; "));
}

/** An alarm's settings as one line, comparable across regions. */
function describeAlarm(alarm: MetricAlarm): string {
  const statistic = alarm.Statistic ?? alarm.ExtendedStatistic ?? "metric math";
  return (
    `${alarm.Namespace}/${alarm.MetricName} ${statistic} ${alarm.ComparisonOperator} ${alarm.Threshold}` +
    ` over ${alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods}/${alarm.EvaluationPeriods} x ${alarm.Period}s` +
    ` missing=${alarm.TreatMissingData ?? "missing"}`
  );
}

async function checkAlarms(
  region: string,
  targets: RegionTargets,
  clients: AwsClients,
): Promise<{ results: CheckResult[]; settings: Record<string, string> }> {
  const names = targets.alarmNames;
  const answer = await attempt(() => clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [...names] })));
  if (!answer.ok) {
    const detail = `DescribeAlarms: ${answer.error}`;
    return { results: [fail("alarms", region, detail), fail("alarm-actions", region, detail)], settings: {} };
  }
  const found = (answer.value.MetricAlarms ?? []).filter((alarm) => names.includes(alarm.AlarmName ?? ""));
  const foundNames = new Set(found.map((alarm) => alarm.AlarmName));
  const missing = names.filter((name) => !foundNames.has(name));
  const existence =
    names.length !== ALARMS_PER_REGION
      ? fail("alarms", region, `the outputs list ${names.length} alarm(s); expected ${ALARMS_PER_REGION}`)
      : verdict("alarms", region, missing.length === 0,
          missing.length === 0 ? `${names.length} alarms exist` : `missing: ${missing.join(", ")}`);

  // The topic output is the one the alarms must notify: an action elsewhere would page nobody.
  const silent = found.filter(
    (alarm) => alarm.ActionsEnabled === false || !(alarm.AlarmActions ?? []).includes(targets.alarmTopicArn),
  );
  const actions = verdict("alarm-actions", region, silent.length === 0,
    silent.length === 0
      ? `${found.length} alarm(s) notify ${targets.alarmTopicArn}`
      : `no enabled action to ${targets.alarmTopicArn}: ${silent.map((alarm) => alarm.AlarmName).join(", ")}`);

  // Alarm names differ only by region; the name with the region taken out pairs them across regions.
  const settings = Object.fromEntries(
    found.map((alarm) => [(alarm.AlarmName ?? "").split(region).join("{region}"), describeAlarm(alarm)]),
  );
  return { results: [existence, actions], settings };
}

/**
 * Every AWS check of one region, in AWS_REGION_CHECKS order, then the
 * ROLLOUT_CHECKS when the region is released gradually; and the region's settings.
 */
export async function checkRegion(
  region: string,
  targets: RegionTargets,
  clients: AwsClients,
  expected: ExpectedIdentity,
): Promise<RegionAwsReport> {
  const [vpc, bucket, lambda, alarms, rollout] = await Promise.all([
    checkVpc(region, targets, clients),
    checkBucket(region, targets.bucket, clients),
    checkFunction(region, targets, clients, expected),
    checkAlarms(region, targets, clients),
    checkRollout(region, targets, clients),
  ]);
  const settings: RegionSettings = {};
  if (Object.keys(lambda.settings).length > 0) settings.lambda = lambda.settings;
  if (Object.keys(bucket.settings).length > 0) settings.s3 = bucket.settings;
  if (Object.keys(alarms.settings).length > 0) settings.alarms = alarms.settings;
  return { results: [vpc, ...bucket.results, ...lambda.results, ...alarms.results, ...rollout], settings };
}

/**
 * The dashboard exists and has widgets for every checked region (each widget
 * names its metrics' region in `properties.region`). Dashboards are global:
 * any region's client reads them.
 */
export async function checkDashboard(
  dashboardName: string,
  regions: readonly string[],
  clients: AwsClients,
): Promise<CheckResult> {
  const answer = await attempt(() =>
    clients.cloudWatch.send(new GetDashboardCommand({ DashboardName: dashboardName })),
  );
  if (!answer.ok) return fail("dashboard", GLOBAL_SCOPE, `GetDashboard ${dashboardName}: ${answer.error}`);
  let widgets: unknown[];
  try {
    const body = JSON.parse(answer.value.DashboardBody ?? "");
    widgets = Array.isArray(body.widgets) ? body.widgets : [];
  } catch {
    return fail("dashboard", GLOBAL_SCOPE, `${dashboardName}: the dashboard body is not JSON`);
  }
  const covered = new Set(
    widgets.map((widget) => (widget as { properties?: { region?: unknown } }).properties?.region),
  );
  const uncovered = regions.filter((region) => !covered.has(region));
  return verdict("dashboard", GLOBAL_SCOPE, uncovered.length === 0,
    uncovered.length === 0
      ? `${dashboardName}: ${widgets.length} widgets covering ${regions.join(", ")}`
      : `${dashboardName}: no widget for ${uncovered.join(", ")}`);
}
