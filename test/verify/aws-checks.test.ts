import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client, Subnet } from "@aws-sdk/client-ec2";
import { FunctionConfiguration, GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PublicAccessBlockConfiguration,
  S3Client,
} from "@aws-sdk/client-s3";
import { tlsOnlyBucketPolicy } from "../../lib/iam-policies";
import { RegionNames, globalNames } from "../../lib/naming";
import { assertAwsCredentials, createAwsClients } from "../../verify/aws-clients";
import { deniesInsecureTransport } from "../../verify/aws-checks";
import {
  AWS_REGION_CHECKS,
  CONSISTENCY_CHECKS,
  CROSS_REGION_SCOPE,
  CheckResult,
  GLOBAL_SCOPE,
  HTTP_CHECKS,
  VerifyInputError,
} from "../../verify/checks";
import { StackOutputs } from "../../verify/outputs";
import { runVerification } from "../../verify/verify";
import { ScriptedApi, contractReply } from "../support/verify-servers";

/**
 * The AWS checks against a fake account answered by aws-sdk-client-mock. The
 * account starts compliant; each variant breaks one thing and must fail
 * exactly the check that looks at it. The HTTP side is a compliant server on
 * 127.0.0.1, so every run is the whole verifier.
 */

const REGIONS = ["us-east-1", "us-west-2"] as const;
const CONTEXT = { project: "iac-aws-nova", environment: "dev", stack: "dev" };
/** The alarms lib/monitoring.ts creates per region (its ALARM_SPECS name components). */
const ALARM_METRICS = ["lambda-errors", "lambda-duration", "api-4xx", "api-5xx"];
const DASHBOARD = globalNames(CONTEXT).dashboard;

interface RegionAccount {
  bucket: string;
  /** undefined: the bucket has no default encryption. */
  encryption: { algorithm: string; bucketKey: boolean } | undefined;
  versioning: "Enabled" | "Suspended" | undefined;
  /** undefined: no public access block. */
  publicAccess: PublicAccessBlockConfiguration | undefined;
  /** undefined: no bucket policy. */
  policy: string | undefined;
  /** undefined: the function does not exist. */
  lambda: FunctionConfiguration | undefined;
  vpcId: string;
  subnets: Subnet[];
  alarms: MetricAlarm[];
  topicArn: string;
}

interface Account {
  regions: Record<string, RegionAccount>;
  /** undefined: no dashboard. */
  dashboardBody: string | undefined;
}

function compliantRegion(region: string): RegionAccount {
  const names = new RegionNames(CONTEXT, region);
  const vpcId = `vpc-${region}`;
  const topicArn = `arn:aws:sns:${region}:123456789012:${names.alarmTopic}`;
  return {
    bucket: names.artifactBucket("123456789012"),
    encryption: { algorithm: "AES256", bucketKey: true },
    versioning: "Enabled",
    publicAccess: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    policy: JSON.stringify(tlsOnlyBucketPolicy(`arn:aws:s3:::${names.artifactBucket("123456789012")}`)),
    lambda: {
      FunctionName: names.lambdaFunction,
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      MemorySize: 128,
      Timeout: 30,
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
      VpcConfig: { VpcId: vpcId, SubnetIds: [`subnet-${region}-a`, `subnet-${region}-b`], SecurityGroupIds: ["sg-1"] },
      Environment: { Variables: { REGION: region, ENVIRONMENT: CONTEXT.environment, PROJECT_NAME: CONTEXT.project } },
    },
    vpcId,
    subnets: ["a", "b"].map((zone) => ({ SubnetId: `subnet-${region}-${zone}`, VpcId: vpcId, AvailabilityZone: `${region}${zone}` })),
    alarms: ALARM_METRICS.map((metric) => ({
      AlarmName: names.alarm(metric),
      Namespace: "AWS/Lambda",
      MetricName: metric,
      Statistic: "Sum",
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      EvaluationPeriods: 1,
      Period: 300,
      TreatMissingData: "notBreaching",
      ActionsEnabled: true,
      AlarmActions: [topicArn],
    })),
    topicArn,
  };
}

function compliantAccount(): Account {
  const widgets = REGIONS.map((region) => ({ type: "metric", properties: { region, metrics: [] } }));
  return {
    regions: Object.fromEntries(REGIONS.map((region) => [region, compliantRegion(region)])),
    dashboardBody: JSON.stringify({ widgets }),
  };
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

let account: Account = compliantAccount();
const allRegions = () => Object.values(account.regions);
const byBucket = (bucket: string | undefined) => {
  const found = allRegions().find((region) => region.bucket === bucket);
  if (!found) throw awsError("NoSuchBucket", "The specified bucket does not exist");
  return found;
};

const s3 = mockClient(S3Client);
const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);
const ec2 = mockClient(EC2Client);

function installAccountMocks(): void {
  s3.on(GetBucketEncryptionCommand).callsFake(({ Bucket }) => {
    const { encryption } = byBucket(Bucket);
    if (!encryption) {
      throw awsError("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found");
    }
    return {
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: encryption.algorithm }, BucketKeyEnabled: encryption.bucketKey }],
      },
    };
  });
  s3.on(GetBucketVersioningCommand).callsFake(({ Bucket }) => ({ Status: byBucket(Bucket).versioning }));
  s3.on(GetPublicAccessBlockCommand).callsFake(({ Bucket }) => {
    const { publicAccess } = byBucket(Bucket);
    if (!publicAccess) throw awsError("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found");
    return { PublicAccessBlockConfiguration: publicAccess };
  });
  s3.on(GetBucketPolicyCommand).callsFake(({ Bucket }) => {
    const { policy } = byBucket(Bucket);
    if (!policy) throw awsError("NoSuchBucketPolicy", "The bucket policy does not exist");
    return { Policy: policy };
  });
  lambda.on(GetFunctionConfigurationCommand).callsFake(({ FunctionName }) => {
    const found = allRegions().find((region) => region.lambda?.FunctionName === FunctionName)?.lambda;
    if (!found) throw awsError("ResourceNotFoundException", `Function not found: ${FunctionName}`);
    return found;
  });
  ec2.on(DescribeVpcsCommand).callsFake(({ VpcIds }) => {
    if (!allRegions().some((region) => VpcIds?.includes(region.vpcId))) {
      throw awsError("InvalidVpcID.NotFound", `The vpc ID '${VpcIds}' does not exist`);
    }
    return { Vpcs: (VpcIds ?? []).map((VpcId: string) => ({ VpcId, State: "available" })) };
  });
  ec2.on(DescribeSubnetsCommand).callsFake(({ SubnetIds }) => ({
    Subnets: allRegions().flatMap((region) => region.subnets).filter((subnet) => SubnetIds?.includes(subnet.SubnetId ?? "")),
  }));
  cloudWatch.on(DescribeAlarmsCommand).callsFake(({ AlarmNames }) => ({
    MetricAlarms: allRegions().flatMap((region) => region.alarms).filter((alarm) => AlarmNames?.includes(alarm.AlarmName ?? "")),
  }));
  cloudWatch.on(GetDashboardCommand).callsFake(({ DashboardName }) => {
    if (DashboardName !== DASHBOARD || account.dashboardBody === undefined) {
      throw awsError("ResourceNotFound", "Dashboard does not exist");
    }
    return { DashboardName, DashboardBody: account.dashboardBody };
  });
}

let api: ScriptedApi;
let outputs: StackOutputs;

beforeAll(async () => {
  installAccountMocks();
  api = await new ScriptedApi((region, route) => contractReply(region, route)).start();
  const perRegion = <T>(pick: (region: RegionAccount, name: string) => T): Record<string, T> =>
    Object.fromEntries(REGIONS.map((region) => [region, pick(account.regions[region], region)]));
  outputs = {
    ...api.outputs([...REGIONS]),
    lambda_function_names: perRegion((region) => String(region.lambda?.FunctionName)),
    s3_buckets: perRegion((region) => region.bucket),
    vpc_ids: perRegion((region) => region.vpcId),
    alarm_topic_arns: perRegion((region) => region.topicArn),
    alarm_names: perRegion((region) => region.alarms.map((alarm) => String(alarm.AlarmName))),
    dashboard_name: DASHBOARD,
  };
});

afterAll(() => api.stop());

beforeEach(() => {
  account = compliantAccount();
});

const withCredentials = { credentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }) };
const fastHttp = { timeoutMs: 2000, maxAttempts: 1, retryDelayMs: 1 };

function verify(): Promise<CheckResult[]> {
  return runVerification({ outputs, source: "test", http: fastHttp }, withCredentials);
}

function notPassed(results: CheckResult[]) {
  return results.filter((result) => result.status !== "PASS").map(({ check, region, status, detail }) => ({ check, region, status, detail }));
}

function everyRegion(change: (region: RegionAccount, name: string) => void): void {
  for (const name of REGIONS) change(account.regions[name], name);
}

describe("a compliant account", () => {
  it("passes every check, and runs exactly the catalog's checks in order", async () => {
    const results = await verify();
    expect(notPassed(results)).toEqual([]);
    expect(results.map(({ check, region }) => `${region} ${check}`)).toEqual([
      ...REGIONS.flatMap((region) => [...HTTP_CHECKS, ...AWS_REGION_CHECKS].map((check) => `${region} ${check}`)),
      `${GLOBAL_SCOPE} dashboard`,
      ...CONSISTENCY_CHECKS.map((check) => `${CROSS_REGION_SCOPE} ${check}`),
    ]);
  });

  it("reports what it found", async () => {
    const results = await verify();
    const find = (check: string, region = "us-west-2") =>
      results.find((result) => result.check === check && result.region === region)?.detail;
    expect(find("lambda-vpc")).toBe("2 subnet(s) in us-west-2a, us-west-2b of vpc-us-west-2");
    expect(find("lambda-environment")).toBe("REGION=us-west-2 ENVIRONMENT=dev PROJECT_NAME=iac-aws-nova");
    expect(find("alarm-actions")).toBe(`4 alarm(s) notify ${account.regions["us-west-2"].topicArn}`);
    expect(find("dashboard", GLOBAL_SCOPE)).toBe(`${DASHBOARD}: 2 widgets covering us-east-1, us-west-2`);
    expect(find("consistent-alarms", CROSS_REGION_SCOPE)).toBe("4 settings equal in us-east-1, us-west-2");
    expect(find("s3-encryption")).toBe("AES256");
  });

  it("also passes with SSE-KMS, nodejs24.x and x86_64 in every region", async () => {
    everyRegion((region) => {
      region.encryption = { algorithm: "aws:kms", bucketKey: true };
      Object.assign(region.lambda as FunctionConfiguration, { Runtime: "nodejs24.x", Architectures: ["x86_64"] });
    });
    expect(notPassed(await verify())).toEqual([]);
  });

  it("checks only the regions asked for, and compares nothing across one region", async () => {
    account.regions["us-east-1"].encryption = undefined;
    const results = await runVerification({ outputs, source: "test", http: fastHttp, regions: ["us-west-2"] }, withCredentials);
    expect(notPassed(results)).toEqual([]);
    expect(results.filter((result) => result.region === "us-east-1")).toEqual([]);
    expect(results.filter((result) => result.region === CROSS_REGION_SCOPE)).toEqual([]);
  });
});

interface Variant {
  readonly name: string;
  readonly breakIt: () => void;
  /** The checks that must fail (and no other), with their exact details. */
  readonly fails: (west: RegionAccount) => { check: string; region: string; detail: string }[];
}

const inEveryRegion = (check: string, detail: (region: RegionAccount, name: string) => string) => () =>
  REGIONS.map((name) => ({ check, region: name, detail: detail(account.regions[name], name) }));

const variants: Variant[] = [
  {
    name: "an unencrypted bucket",
    breakIt: () => everyRegion((region) => (region.encryption = undefined)),
    fails: inEveryRegion("s3-encryption", (region) =>
      `GetBucketEncryption ${region.bucket}: ServerSideEncryptionConfigurationNotFoundError: The server side encryption configuration was not found`),
  },
  {
    name: "a bucket encrypted with an unaccepted algorithm",
    breakIt: () => everyRegion((region) => (region.encryption = { algorithm: "aws:fsx", bucketKey: false })),
    fails: inEveryRegion("s3-encryption", () => "default encryption is aws:fsx; expected AES256 or aws:kms"),
  },
  {
    name: "versioning suspended",
    breakIt: () => everyRegion((region) => (region.versioning = "Suspended")),
    fails: inEveryRegion("s3-versioning", () => "versioning is Suspended; expected Enabled"),
  },
  {
    name: "versioning never enabled",
    breakIt: () => everyRegion((region) => (region.versioning = undefined)),
    fails: inEveryRegion("s3-versioning", () => "versioning is never enabled; expected Enabled"),
  },
  {
    name: "a public-access-block flag off",
    breakIt: () => everyRegion((region) => (region.publicAccess = { ...region.publicAccess, RestrictPublicBuckets: false })),
    fails: inEveryRegion("s3-public-access-block", () => "flag(s) off: RestrictPublicBuckets"),
  },
  {
    name: "no public access block at all",
    breakIt: () => everyRegion((region) => (region.publicAccess = undefined)),
    fails: inEveryRegion("s3-public-access-block", (region) =>
      `GetPublicAccessBlock ${region.bucket}: NoSuchPublicAccessBlockConfiguration: The public access block configuration was not found`),
  },
  {
    name: "a policy without the TLS deny",
    breakIt: () =>
      everyRegion((region) => {
        const policy = tlsOnlyBucketPolicy(`arn:aws:s3:::${region.bucket}`);
        policy.Statement[0].Effect = "Allow";
        region.policy = JSON.stringify(policy);
      }),
    fails: inEveryRegion("s3-tls-policy", () => "no statement denies s3:* when aws:SecureTransport is false"),
  },
  {
    name: "no bucket policy",
    breakIt: () => everyRegion((region) => (region.policy = undefined)),
    fails: inEveryRegion("s3-tls-policy", (region) => `GetBucketPolicy ${region.bucket}: NoSuchBucketPolicy: The bucket policy does not exist`),
  },
  {
    name: "the wrong runtime",
    breakIt: () => everyRegion((region) => ((region.lambda as FunctionConfiguration).Runtime = "nodejs20.x")),
    fails: inEveryRegion("lambda-runtime", () => "nodejs20.x; expected nodejs22.x or nodejs24.x"),
  },
  {
    name: "two architectures",
    breakIt: () => everyRegion((region) => ((region.lambda as FunctionConfiguration).Architectures = ["arm64", "x86_64"])),
    fails: inEveryRegion("lambda-architecture", () => "arm64,x86_64; expected one of arm64, x86_64"),
  },
  {
    name: "tracing PassThrough",
    breakIt: () => everyRegion((region) => ((region.lambda as FunctionConfiguration).TracingConfig = { Mode: "PassThrough" })),
    fails: inEveryRegion("lambda-tracing", () => "tracing is PassThrough; expected Active"),
  },
  {
    name: "a Lambda with one subnet",
    breakIt: () =>
      everyRegion((region, name) => {
        (region.lambda as FunctionConfiguration).VpcConfig = { VpcId: region.vpcId, SubnetIds: [`subnet-${name}-a`], SecurityGroupIds: ["sg-1"] };
      }),
    fails: inEveryRegion("lambda-vpc", (region, name) =>
      `1 subnet(s) in ${name}a of ${region.vpcId}; expected subnets in at least 2 AZs`),
  },
  {
    name: "a Lambda with two subnets in one AZ",
    breakIt: () => everyRegion((region, name) => (region.subnets[1].AvailabilityZone = `${name}a`)),
    fails: inEveryRegion("lambda-vpc", (region, name) =>
      `2 subnet(s) in ${name}a of ${region.vpcId}; expected subnets in at least 2 AZs`),
  },
  {
    name: "a Lambda outside the stack's VPC",
    breakIt: () => everyRegion((region) => ((region.lambda as FunctionConfiguration).VpcConfig = { VpcId: "vpc-other", SubnetIds: ["s-1", "s-2"], SecurityGroupIds: ["sg-1"] })),
    fails: inEveryRegion("lambda-vpc", (region) => `the function is in vpc-other, expected ${region.vpcId} (vpc_ids)`),
  },
  {
    name: "a Lambda whose REGION and ENVIRONMENT disagree with its region and name",
    breakIt: () => everyRegion((region) => ((region.lambda as FunctionConfiguration).Environment = { Variables: { REGION: "x", ENVIRONMENT: "prod", PROJECT_NAME: CONTEXT.project } })),
    fails: inEveryRegion("lambda-environment", (_, name) => `REGION="x", expected "${name}"; ENVIRONMENT="prod", expected "dev"`),
  },
  {
    name: "a missing alarm",
    breakIt: () => everyRegion((region) => region.alarms.pop()),
    fails: inEveryRegion("alarms", (_, name) => `missing: ${new RegionNames(CONTEXT, name).alarm("api-5xx")}`),
  },
  {
    name: "an alarm without actions",
    breakIt: () => everyRegion((region) => (region.alarms[0].AlarmActions = [])),
    fails: inEveryRegion("alarm-actions", (region, name) =>
      `no enabled action to ${region.topicArn}: ${new RegionNames(CONTEXT, name).alarm("lambda-errors")}`),
  },
  {
    name: "an alarm with its actions disabled",
    breakIt: () => everyRegion((region) => (region.alarms[1].ActionsEnabled = false)),
    fails: inEveryRegion("alarm-actions", (region, name) =>
      `no enabled action to ${region.topicArn}: ${new RegionNames(CONTEXT, name).alarm("lambda-duration")}`),
  },
  {
    name: "a VPC that does not exist",
    breakIt: () => everyRegion((region) => (region.vpcId = `${region.vpcId}-gone`)),
    fails: inEveryRegion("vpc", (_, name) => `DescribeVpcs vpc-${name}: InvalidVpcID.NotFound: The vpc ID 'vpc-${name}' does not exist`),
  },
  {
    name: "a dashboard without a widget for a region",
    breakIt: () => (account.dashboardBody = JSON.stringify({ widgets: [{ type: "metric", properties: { region: "us-east-1" } }] })),
    fails: () => [{ check: "dashboard", region: GLOBAL_SCOPE, detail: `${DASHBOARD}: no widget for us-west-2` }],
  },
  {
    name: "a missing dashboard",
    breakIt: () => (account.dashboardBody = undefined),
    fails: () => [{ check: "dashboard", region: GLOBAL_SCOPE, detail: `GetDashboard ${DASHBOARD}: ResourceNotFound: Dashboard does not exist` }],
  },
  {
    name: "an inconsistent region (memory)",
    breakIt: () => ((account.regions["us-west-2"].lambda as FunctionConfiguration).MemorySize = 256),
    fails: () => [{ check: "consistent-lambda", region: CROSS_REGION_SCOPE, detail: "memorySize: us-east-1=128, us-west-2=256" }],
  },
  {
    name: "an inconsistent region (alarm threshold)",
    breakIt: () => (account.regions["us-west-2"].alarms[2].Threshold = 5),
    fails: () => [{
      check: "consistent-alarms",
      region: CROSS_REGION_SCOPE,
      detail:
        "iac-aws-nova-api-4xx-alarm-{region}-dev-2f69835b: " +
        "us-east-1=AWS/Lambda/api-4xx Sum GreaterThanOrEqualToThreshold 1 over 1/1 x 300s missing=notBreaching, " +
        "us-west-2=AWS/Lambda/api-4xx Sum GreaterThanOrEqualToThreshold 5 over 1/1 x 300s missing=notBreaching",
    }],
  },
  {
    name: "an inconsistent region (bucket key)",
    breakIt: () => (account.regions["us-east-1"].encryption = { algorithm: "AES256", bucketKey: false }),
    fails: () => [{ check: "consistent-s3", region: CROSS_REGION_SCOPE, detail: "bucketKey: us-east-1=false, us-west-2=true" }],
  },
  {
    name: "the wrong runtime in one region only",
    breakIt: () => ((account.regions["us-west-2"].lambda as FunctionConfiguration).Runtime = "nodejs20.x"),
    fails: () => [
      { check: "lambda-runtime", region: "us-west-2", detail: "nodejs20.x; expected nodejs22.x or nodejs24.x" },
      { check: "consistent-lambda", region: CROSS_REGION_SCOPE, detail: "runtime: us-east-1=nodejs22.x, us-west-2=nodejs20.x" },
    ],
  },
];

describe.each(variants)("$name", ({ breakIt, fails }) => {
  it("fails exactly the right checks, with what was found", async () => {
    breakIt();
    const expected = fails(account.regions["us-west-2"]).map((failure) => ({ ...failure, status: "FAIL" }));
    expect(notPassed(await verify())).toEqual(expected);
  });
});

describe("a function that does not exist", () => {
  it("fails every Lambda check of that region with the SDK's error, and nothing else", async () => {
    const name = account.regions["us-west-2"].lambda?.FunctionName;
    account.regions["us-west-2"].lambda = undefined;
    const detail = `GetFunctionConfiguration ${name}: ResourceNotFoundException: Function not found: ${name}`;
    expect(notPassed(await verify())).toEqual(
      ["lambda-runtime", "lambda-architecture", "lambda-tracing", "lambda-vpc", "lambda-environment"].map((check) => ({
        check, region: "us-west-2", status: "FAIL", detail,
      })),
    );
  });
});

describe("deniesInsecureTransport", () => {
  const arn = "arn:aws:s3:::bucket";
  it.each<[string, string | undefined, boolean]>([
    ["the library's TLS-only policy", JSON.stringify(tlsOnlyBucketPolicy(arn)), true],
    ["a boolean false condition and AWS:* principal",
      JSON.stringify({ Statement: { Effect: "Deny", Principal: { AWS: "*" }, Action: ["s3:*"], Condition: { Bool: { "aws:SecureTransport": false } } } }), true],
    ["a deny of s3:GetObject only",
      JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:GetObject", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }), false],
    ["a deny for one account only",
      JSON.stringify({ Statement: [{ Effect: "Deny", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }), false],
    ["a deny without the condition", JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*" }] }), false],
    ["text that is not JSON", "{", false],
    ["no policy", undefined, false],
  ])("%s: %p", (_, policy, expected) => {
    expect(deniesInsecureTransport(policy)).toBe(expected);
  });
});

describe("AWS clients and credentials", () => {
  it("builds clients for the region with the attempt limit asked for", async () => {
    const clients = createAwsClients("eu-west-1", { maxAttempts: 2, connectionTimeoutMs: 100, requestTimeoutMs: 200 });
    for (const client of [clients.s3, clients.lambda, clients.cloudWatch, clients.ec2]) {
      expect(await client.config.region()).toBe("eu-west-1");
      expect(await client.config.maxAttempts()).toBe(2);
    }
  });

  it("turns a failed credential lookup into the --http-only hint", async () => {
    await expect(assertAwsCredentials(async () => { throw new Error("Could not load credentials from any providers"); }))
      .rejects.toThrow(new VerifyInputError(
        "No AWS credentials found (Could not load credentials from any providers). Configure credentials (AWS_PROFILE, " +
          "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or aws sso login), or pass --http-only to run only the HTTP checks.",
      ));
  });

  it("gives up on a credential lookup that never answers", async () => {
    await expect(assertAwsCredentials(() => new Promise(() => undefined), 20)).rejects.toThrow(
      /^No AWS credentials found \(no answer within 20 ms\)\. /,
    );
  });

  it("stops before any AWS call when there are no credentials", async () => {
    const calls = () => s3.calls().length + lambda.calls().length + cloudWatch.calls().length + ec2.calls().length;
    const before = calls();
    await expect(runVerification({ outputs, source: "test", http: fastHttp }, {
      credentials: async () => { throw new Error("none"); },
    })).rejects.toThrow(VerifyInputError);
    expect(calls()).toBe(before);
  });
});
