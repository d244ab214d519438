import { mockClient } from "aws-sdk-client-mock";
import { APIGatewayClient, GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand, ListTagsForResourceCommand as ListAlarmTagsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogGroupTagsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeAddressesCommand, DescribeRegionsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetAccountSettingsCommand, GetFunctionCommand, GetFunctionConcurrencyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { GetBucketTaggingCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetTopicAttributesCommand, ListTagsForResourceCommand as ListTopicTagsCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { TapStackArgs, resolveTapStackArgs, tapStackArgsFromConfig } from "../../lib/config";
import { MANAGE_ACCOUNT_FIX } from "../../lib/account-checks";
import { RegionNames, globalNames } from "../../lib/naming";
import { createAwsClients } from "../../preflight/aws";
import { checkCaller } from "../../preflight/checks/account";
import { checkLoggingRole } from "../../preflight/checks/api-gateway";
import { CheckContext } from "../../preflight/checks/context";
import { checkHostedZone } from "../../preflight/checks/hosted-zone";
import { checkConcurrency, concurrencyRow } from "../../preflight/checks/lambda";
import { checkNames } from "../../preflight/checks/names";
import { EIP_QUOTA, VPC_QUOTA, checkQuota } from "../../preflight/checks/quotas";
import { checkRegions } from "../../preflight/checks/regions";
import type { PlannedName } from "../../preflight/names";
import { Row } from "../../preflight/rows";

/**
 * Every check against an account answered by aws-sdk-client-mock: what makes
 * it ok, what makes it fail (and the fix it names), and that a denied call
 * leaves it unknown, naming the IAM action. Expected values come from AWS's
 * documented rules (quoted in each check's module), not from the checks.
 */

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const CONTEXT = { project: "iac-aws-nova", environment: "dev", stack: "dev" };
const names = new RegionNames(CONTEXT, REGION);
const OWN_TAGS = { Project: "iac-aws-nova", Stack: "dev" };

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const apigateway = mockClient(APIGatewayClient);
const lambda = mockClient(LambdaClient);
const quotas = mockClient(ServiceQuotasClient);
const route53 = mockClient(Route53Client);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const logs = mockClient(CloudWatchLogsClient);
const cloudwatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const MOCKS = [sts, ec2, apigateway, lambda, quotas, route53, s3, iam, logs, cloudwatch, sns];

beforeEach(() => MOCKS.forEach((mock) => mock.reset()));

const aws = createAwsClients({ maxAttempts: 1, connectionTimeoutMs: 100, requestTimeoutMs: 100 });

/** The SDK error AWS's answer becomes: its code as the name, the HTTP status in $metadata. */
function awsError(code: string, status: number, message = `${code} (test)`): Error {
  return Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: status }, $fault: status >= 500 ? "server" : "client" });
}
const denied = (code = "AccessDeniedException") => awsError(code, 403, `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform this action`);

/** The names the plan creates in us-east-1 for the dev stack with no options (one of each kind but alarms). */
const PLANNED: PlannedName[] = [
  { check: "name:bucket", type: "aws:s3/bucket:Bucket", region: REGION, name: names.artifactBucket(ACCOUNT) },
  { check: "name:function", type: "aws:lambda/function:Function", region: REGION, name: names.lambdaFunction },
  { check: "name:role", type: "aws:iam/role:Role", region: REGION, name: names.lambdaRole },
  { check: "name:log-group", type: "aws:cloudwatch/logGroup:LogGroup", region: REGION, name: names.lambdaLogGroup },
  { check: "name:alarm", type: "aws:cloudwatch/metricAlarm:MetricAlarm", region: REGION, name: names.alarm("lambda-errors") },
  { check: "name:topic", type: "aws:sns/topic:Topic", region: REGION, name: names.alarmTopic },
  { check: "name:dashboard", type: "aws:cloudwatch/dashboard:Dashboard", region: REGION, name: globalNames(CONTEXT).dashboard },
];

function context(args: TapStackArgs = {}, planned: PlannedName[] = PLANNED): CheckContext {
  return { config: resolveTapStackArgs({ regions: [REGION, "us-west-2"], ...args }, "dev"), aws, accountId: ACCOUNT, names: planned };
}

/** The row, with `detail` and `fix` checked separately where a test says so. */
const shape = (row: Row) => [row.check, row.region, row.status];

describe("account", () => {
  it("ok when allowedAccountIds lists the caller's account", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci` });
    const result = await checkCaller(aws, context({ allowedAccountIds: [ACCOUNT] }).config);
    expect(result).toEqual({ accountId: ACCOUNT, row: { check: "account", region: "global", status: "ok", detail: `Account ${ACCOUNT} (arn:aws:iam::${ACCOUNT}:user/ci) is in allowedAccountIds.` } });
  });

  it("fails for another account, naming both, and the command that would allow it", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "222222222222", Arn: "arn:aws:iam::222222222222:user/ci" });
    const { row } = await checkCaller(aws, context({ allowedAccountIds: ["111111111111"] }).config);
    expect(row?.status).toBe("fail");
    expect(row?.detail).toBe("These credentials are for account 222222222222 (arn:aws:iam::222222222222:user/ci), but allowedAccountIds allows only 111111111111: every provider would refuse them.");
    expect(row?.fix).toBe(
      "Use credentials for account 111111111111 (for example AWS_PROFILE=<its profile>), or, if 222222222222 is the right account, allow it: " +
        "pulumi config set --path 'allowedAccountIds[1]' 222222222222",
    );
  });

  it("unknown when STS keeps failing; a credentials problem ends the run with one line instead", async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError("InternalFailure", 500));
    expect((await checkCaller(aws, context().config)).row).toEqual({ check: "account", region: "global", status: "unknown", detail: "AWS answered sts GetCallerIdentity with HTTP 500 (InternalFailure) to every attempt." });
    sts.on(GetCallerIdentityCommand).rejects(awsError("ExpiredToken", 403, "The security token included in the request is expired"));
    expect(await checkCaller(aws, context().config)).toEqual({
      fatal: "The AWS credentials have expired (ExpiredToken: The security token included in the request is expired). Refresh them (aws sso login, or new keys) and run preflight again.",
    });
  });
});

describe("region", () => {
  it("ok for regions that need no opting in or were opted in; fails, with the command that enables it, for one that was not", async () => {
    ec2.on(DescribeRegionsCommand, { AllRegions: true, RegionNames: ["us-east-1", "ap-east-1"] }).resolves({
      Regions: [{ RegionName: "us-east-1", OptInStatus: "opt-in-not-required" }, { RegionName: "ap-east-1", OptInStatus: "not-opted-in" }],
    });
    const result = await checkRegions(context({ regions: ["us-east-1", "ap-east-1"] }));
    expect(result.rows.map(shape)).toEqual([["region", "us-east-1", "ok"], ["region", "ap-east-1", "fail"]]);
    expect(result.rows[1].fix).toBe("Enable it (it takes a few minutes, then run preflight again): aws account enable-region --region-name ap-east-1");
    expect([...result.disabled]).toEqual(["ap-east-1"]);
  });

  it("unknown in every region when DescribeRegions is denied, naming ec2:DescribeRegions", async () => {
    ec2.on(DescribeRegionsCommand).rejects(denied("UnauthorizedOperation"));
    const result = await checkRegions(context());
    expect(result.rows.map((row) => [row.region, row.status, row.missingPermission])).toEqual([
      ["us-east-1", "unknown", "ec2:DescribeRegions"],
      ["us-west-2", "unknown", "ec2:DescribeRegions"],
    ]);
    expect(result.rows[0].detail).toBe("UnauthorizedOperation: these credentials may not call ec2 DescribeRegions.");
  });
});

describe("apigateway-logging-role", () => {
  const otherRole = `arn:aws:iam::${ACCOUNT}:role/APIGatewayToCloudWatchLogs`;
  const ownRole = `arn:aws:iam::${ACCOUNT}:role/${names.apiGatewayCloudWatchRolePrefix}20260101000000000000000001`;

  it.each([
    ["set by someone else, and this stack leaves it alone", {}, otherRole, "ok"],
    ["not set, and this stack sets it", { manageApiGatewayAccount: true }, undefined, "ok"],
    ["set to this project's own role, which this stack manages", { manageApiGatewayAccount: true }, ownRole, "ok"],
    ["not set, and this stack does not set it", {}, undefined, "fail"],
    ["set by someone else, and this stack would replace it", { manageApiGatewayAccount: true }, otherRole, "fail"],
  ] as const)("%s: %s", async (_what, args, roleArn, status) => {
    apigateway.on(GetAccountCommand).resolves(roleArn === undefined ? {} : { cloudwatchRoleArn: roleArn });
    expect((await checkLoggingRole(context(args), REGION)).status).toBe(status);
  });

  it("the fix for a missing role is the program's own: pasted, it makes the check pass", async () => {
    apigateway.on(GetAccountCommand).resolves({});
    const row = await checkLoggingRole(context(), REGION);
    expect(row.fix).toBe(`If no other stack or tool should own the setting, let this stack set it: ${MANAGE_ACCOUNT_FIX}`);
    const [, key, value] = /pulumi config set (\S+) (\S+)$/.exec(row.fix ?? "") as RegExpExecArray;
    expect((await checkLoggingRole(context(tapStackArgsFromConfig((name) => (name === key ? value : undefined))), REGION)).status).toBe("ok");
  });

  it("the fix for a takeover is to leave the setting alone", async () => {
    apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: otherRole });
    const row = await checkLoggingRole(context({ manageApiGatewayAccount: true }), REGION);
    expect(row.detail).toBe(`Set to ${otherRole}, which another stack or tool owns; with manageApiGatewayAccount this stack would replace it.`);
    expect(row.fix).toBe("Leave the setting to its owner: pulumi config set manageApiGatewayAccount false");
  });

  it("unknown when GetAccount is denied, naming apigateway:GET", async () => {
    apigateway.on(GetAccountCommand).rejects(denied());
    expect(await checkLoggingRole(context(), REGION)).toMatchObject({ status: "unknown", missingPermission: "apigateway:GET" });
  });
});

describe("lambda-concurrency", () => {
  /** AWS's rule: a reservation R needs UnreservedConcurrentExecutions (plus what this function holds now) - R >= 100. */
  it.each([
    ["no reservation, tiny quota", {}, { limit: 10, unreserved: 10, ownReservation: 0 }, "ok"],
    ["reserve 100 at the default quota", { lambdaReservedConcurrency: 100 }, { limit: 1000, unreserved: 1000, ownReservation: 0 }, "ok"],
    ["reserve 100 leaving exactly 100", { lambdaReservedConcurrency: 100 }, { limit: 200, unreserved: 200, ownReservation: 0 }, "ok"],
    ["reserve 100 leaving 99", { lambdaReservedConcurrency: 100 }, { limit: 199, unreserved: 199, ownReservation: 0 }, "fail"],
    ["reserve 100 on a new account's quota of 10", { lambdaReservedConcurrency: 100 }, { limit: 10, unreserved: 10, ownReservation: 0 }, "fail"],
    ["update: this function already holds its 100", { lambdaReservedConcurrency: 100 }, { limit: 200, unreserved: 100, ownReservation: 100 }, "ok"],
    ["provision 5 without a reservation, 104 unreserved", { lambdaProvisionedConcurrency: 5 }, { limit: 104, unreserved: 104, ownReservation: 0 }, "fail"],
    ["provision 5 without a reservation, 105 unreserved", { lambdaProvisionedConcurrency: 5 }, { limit: 105, unreserved: 105, ownReservation: 0 }, "ok"],
  ] as const)("%s: %s", (_what, args, account, status) => {
    expect(concurrencyRow(context(args).config, REGION, account).status).toBe(status);
  });

  it("on a new account, names the quota to ask for and the command, and the setting that fits now", () => {
    const row = concurrencyRow(context({ lambdaReservedConcurrency: 100 }).config, REGION, { limit: 150, unreserved: 150, ownReservation: 0 });
    expect(row.detail).toBe("reserving 100 would leave 50 unreserved, below the 100 Lambda keeps (quota 150, 150 unreserved): AWS would refuse it.");
    expect(row.fix).toBe(
      'Raise the "Concurrent executions" quota to at least 200 (aws service-quotas request-service-quota-increase --service-code lambda ' +
        "--quota-code L-B99A9384 --desired-value 200 --region us-east-1), or lower it: pulumi config set lambdaReservedConcurrency 50",
    );
  });

  it("where no reservation fits, the fix drops it, and pasted, the check passes", () => {
    const account = { limit: 10, unreserved: 10, ownReservation: 0 };
    const row = concurrencyRow(context({ lambdaReservedConcurrency: 100 }).config, REGION, account);
    expect(row.fix).toMatch(/, or drop the reservation: pulumi config set lambdaReservedConcurrency -1$/);
    const args = tapStackArgsFromConfig((name) => (name === "lambdaReservedConcurrency" ? "-1" : undefined));
    expect(concurrencyRow(context(args).config, REGION, account).status).toBe("ok");
  });

  it("reads the account's numbers and this function's current reservation", async () => {
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 200, UnreservedConcurrentExecutions: 100 } });
    lambda.on(GetFunctionConcurrencyCommand, { FunctionName: names.lambdaFunction }).resolves({ ReservedConcurrentExecutions: 100 });
    expect(await checkConcurrency(context({ lambdaReservedConcurrency: 100 }), REGION)).toMatchObject({ status: "ok" });
    lambda.on(GetFunctionConcurrencyCommand).rejects(awsError("ResourceNotFoundException", 404));
    expect(await checkConcurrency(context({ lambdaReservedConcurrency: 100 }), REGION)).toMatchObject({ status: "fail" });
  });

  it("unknown when GetAccountSettings is denied, naming lambda:GetAccountSettings", async () => {
    lambda.on(GetAccountSettingsCommand).rejects(denied());
    expect(await checkConcurrency(context(), REGION)).toMatchObject({ status: "unknown", missingPermission: "lambda:GetAccountSettings" });
  });
});

describe("vpc-quota and eip-quota", () => {
  const ownFilter = [{ Name: "tag:Project", Values: ["iac-aws-nova"] }, { Name: "tag:Stack", Values: ["dev"] }];
  function account(quota: number, vpcs: number, ownVpcs: number): void {
    quotas.on(GetServiceQuotaCommand, { ServiceCode: "vpc", QuotaCode: "L-F678F1CE" }).resolves({ Quota: { Value: quota } });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: Array.from({ length: vpcs }, (_, index) => ({ VpcId: `vpc-${index}` })) });
    ec2.on(DescribeVpcsCommand, { Filters: ownFilter }).resolves({ Vpcs: Array.from({ length: ownVpcs }, (_, index) => ({ VpcId: `vpc-own-${index}` })) });
  }

  it.each([
    [5, 4, 0, "ok", "4 of 5 VPCs in use; this stack adds 1."],
    [5, 5, 1, "ok", "5 of 5 VPCs in use (1 this stack's); this stack adds 0."],
    [5, 5, 0, "fail", '5 of 5 VPCs in use; this stack needs 1 more, 1 over the "VPCs per Region" quota.'],
  ] as const)("quota %d, %d VPCs of which %d this stack's: %s", async (quota, vpcs, own, status, detail) => {
    account(quota, vpcs, own);
    const row = await checkQuota(context(), VPC_QUOTA, REGION);
    expect(row.status).toBe(status);
    expect(row.detail).toBe(detail);
  });

  it("the fix for a full region names the quota increase with the value needed", async () => {
    account(5, 5, 0);
    expect((await checkQuota(context(), VPC_QUOTA, REGION)).fix).toBe(
      "Delete VPCs nobody uses in us-east-1, or raise the quota: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6 --region us-east-1",
    );
  });

  it("counts every page of DescribeVpcs", async () => {
    quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
    ec2.on(DescribeVpcsCommand, { Filters: undefined, NextToken: undefined }).resolves({ Vpcs: [{ VpcId: "vpc-1" }, { VpcId: "vpc-2" }], NextToken: "page-2" });
    ec2.on(DescribeVpcsCommand, { NextToken: "page-2" }).resolves({ Vpcs: [{ VpcId: "vpc-3" }, { VpcId: "vpc-4" }, { VpcId: "vpc-5" }] });
    ec2.on(DescribeVpcsCommand, { Filters: ownFilter }).resolves({ Vpcs: [] });
    expect((await checkQuota(context(), VPC_QUOTA, REGION)).status).toBe("fail");
  });

  it("uses AWS's default where no value was ever applied (NoSuchResourceException)", async () => {
    quotas.on(GetServiceQuotaCommand).rejects(awsError("NoSuchResourceException", 400));
    quotas.on(GetAWSDefaultServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" }).resolves({ Quota: { Value: 5 } });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1" }] });
    expect(await checkQuota(context({ enableNatGateway: true }), EIP_QUOTA, REGION)).toMatchObject({
      check: "eip-quota",
      status: "ok",
      detail: "1 of 5 Elastic IPs in use (1 this stack's); this stack adds 0.",
    });
  });

  it("unknown when DescribeVpcs is denied, naming ec2:DescribeVpcs", async () => {
    quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
    ec2.on(DescribeVpcsCommand).rejects(denied("UnauthorizedOperation"));
    expect(await checkQuota(context(), VPC_QUOTA, REGION)).toMatchObject({ status: "unknown", missingPermission: "ec2:DescribeVpcs" });
  });
});

describe("hosted-zone", () => {
  const routing = { domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

  it("no row while the global layer is off", async () => {
    expect(await checkHostedZone(context())).toEqual([]);
  });

  it.each([
    ["a public zone of the domain's parent", "example.com.", false, "ok"],
    ["a public zone of the domain itself", "api.example.com.", false, "ok"],
    ["a zone that does not hold the domain", "example.org.", false, "fail"],
    ["a zone whose name only ends the same way", "ample.com.", false, "fail"],
    ["a private zone", "example.com.", true, "fail"],
  ] as const)("%s: %s", async (_what, zoneName, privateZone, status) => {
    route53.on(GetHostedZoneCommand, { Id: routing.hostedZoneId }).resolves({ HostedZone: { Id: routing.hostedZoneId, Name: zoneName, CallerReference: "x", Config: { PrivateZone: privateZone } } });
    expect((await checkHostedZone(context(routing))).map(shape)).toEqual([["hosted-zone", "global", status]]);
  });

  it("fails when the zone does not exist, with the command that finds the right one", async () => {
    route53.on(GetHostedZoneCommand).rejects(awsError("NoSuchHostedZone", 404));
    const [row] = await checkHostedZone(context(routing));
    expect(row.fix).toBe("Create the zone for api.example.com, or find the one that holds it (aws route53 list-hosted-zones-by-name --dns-name example.com) and set it: pulumi config set hostedZoneId <its ID>");
  });

  it("unknown when GetHostedZone is denied, naming route53:GetHostedZone", async () => {
    route53.on(GetHostedZoneCommand).rejects(denied("AccessDenied"));
    expect(await checkHostedZone(context(routing))).toMatchObject([{ status: "unknown", missingPermission: "route53:GetHostedZone" }]);
  });
});

describe("names", () => {
  /** Every kind free: each lookup says "not found" in its API's words. */
  function nothingExists(): void {
    s3.on(HeadBucketCommand).rejects(awsError("NotFound", 404));
    lambda.on(GetFunctionCommand).rejects(awsError("ResourceNotFoundException", 404));
    iam.on(GetRoleCommand).rejects(awsError("NoSuchEntity", 404));
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: `${names.lambdaLogGroup}-other` }] });
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    cloudwatch.on(GetDashboardCommand).rejects(awsError("ResourceNotFound", 404));
    sns.on(GetTopicAttributesCommand).rejects(awsError("NotFound", 404));
  }

  /** The rows of every kind in us-east-1, as [check, status]. */
  async function statuses(): Promise<Row[]> {
    return checkNames(context(), REGION);
  }

  it("ok for every kind when nothing holds the names", async () => {
    nothingExists();
    const rows = await statuses();
    expect(rows.map(shape)).toEqual([
      ["name:bucket", REGION, "ok"], ["name:function", REGION, "ok"], ["name:role", REGION, "ok"], ["name:log-group", REGION, "ok"],
      ["name:alarm", REGION, "ok"], ["name:topic", REGION, "ok"], ["name:dashboard", "global", "ok"],
    ]);
    expect(rows[1].detail).toBe(`1 free (${names.lambdaFunction}).`);
  });

  it("ok for every kind when each name is this stack's own (Project and Stack tags; the dashboard shows its functions)", async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: "Project", Value: "iac-aws-nova" }, { Key: "Stack", Value: "dev" }] });
    lambda.on(GetFunctionCommand).resolves({ Tags: OWN_TAGS });
    iam.on(GetRoleCommand).resolves({ Role: { RoleName: names.lambdaRole, Path: "/", RoleId: "AROA1", Arn: "arn", CreateDate: new Date(0), Tags: [{ Key: "Project", Value: "iac-aws-nova" }, { Key: "Stack", Value: "dev" }] } });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: names.lambdaLogGroup, arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${names.lambdaLogGroup}:*` }] });
    logs.on(ListLogGroupTagsCommand, { resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${names.lambdaLogGroup}` }).resolves({ tags: OWN_TAGS });
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: names.alarm("lambda-errors"), AlarmArn: "arn:alarm" }] });
    cloudwatch.on(ListAlarmTagsCommand, { ResourceARN: "arn:alarm" }).resolves({ Tags: [{ Key: "Project", Value: "iac-aws-nova" }, { Key: "Stack", Value: "dev" }] });
    cloudwatch.on(GetDashboardCommand).resolves({ DashboardBody: JSON.stringify({ widgets: [{ properties: { metrics: [["AWS/Lambda", "Errors", "FunctionName", names.lambdaFunction]] } }] }) });
    sns.on(GetTopicAttributesCommand, { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${names.alarmTopic}` }).resolves({ Attributes: {} });
    sns.on(ListTopicTagsCommand).resolves({ Tags: [{ Key: "Project", Value: "iac-aws-nova" }, { Key: "Stack", Value: "dev" }] });
    const rows = await statuses();
    expect(rows.map((row) => row.status)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(rows[0].detail).toBe(`0 free, 1 already this stack's (Project and Stack tags) (${names.artifactBucket(ACCOUNT)}).`);
  });

  it("fails for a bucket name another account holds (HeadBucket 403), with a fix that changes the names", async () => {
    nothingExists();
    s3.on(HeadBucketCommand).rejects(awsError("Forbidden", 403));
    const [bucket] = await statuses();
    expect(bucket).toMatchObject({ check: "name:bucket", status: "fail", detail: `${names.artifactBucket(ACCOUNT)} exists and belongs to another account (HeadBucket: 403).` });
    expect(bucket.fix).toBe("The name is another account's: give the stack other names with another project name, e.g. pulumi config set projectName <another name>");
  });

  it("fails for names left by an earlier stack (other tags, or none), naming what holds each and how to delete it", async () => {
    nothingExists();
    lambda.on(GetFunctionCommand).resolves({ Tags: { Project: "iac-aws-nova", Stack: "old" } });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: names.lambdaLogGroup, logGroupArn: "arn:group" }] });
    logs.on(ListLogGroupTagsCommand).resolves({ tags: {} });
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
    sns.on(ListTopicTagsCommand).resolves({ Tags: [] });
    cloudwatch.on(GetDashboardCommand).resolves({ DashboardBody: '{"widgets":[]}' });
    const rows = await statuses();
    const byCheck = Object.fromEntries(rows.map((row) => [row.check, row]));
    expect(rows.map((row) => row.status)).toEqual(["ok", "fail", "ok", "fail", "ok", "fail", "fail"]);
    expect(byCheck["name:function"].detail).toBe(`${names.lambdaFunction} exists in this account with Project=iac-aws-nova, Stack=old.`);
    expect(byCheck["name:log-group"].detail).toBe(`${names.lambdaLogGroup} exists in this account with no Project or Stack tag.`);
    expect(byCheck["name:log-group"].fix).toBe(
      "These names end in this stack's hash, so only an earlier stack of this project and stack name asked for them. If nothing needs it, delete it, " +
        `e.g. aws logs delete-log-group --log-group-name ${names.lambdaLogGroup} --region us-east-1; otherwise deploy under another stack name.`,
    );
    expect(byCheck["name:topic"].fix).toContain(`aws sns delete-topic --topic-arn arn:aws:sns:us-east-1:${ACCOUNT}:${names.alarmTopic} --region us-east-1`);
    expect(byCheck["name:dashboard"].detail).toBe(`${globalNames(CONTEXT).dashboard} exists, and its widgets do not show this stack's functions (dashboards carry no tags).`);
  });

  it.each([
    ["name:bucket", () => s3.on(HeadBucketCommand).rejects(awsError("InternalError", 500)), undefined],
    ["name:function", () => lambda.on(GetFunctionCommand).rejects(denied()), "lambda:GetFunction"],
    ["name:role", () => iam.on(GetRoleCommand).rejects(denied("AccessDenied")), "iam:GetRole"],
    ["name:log-group", () => logs.on(DescribeLogGroupsCommand).rejects(denied()), "logs:DescribeLogGroups"],
    ["name:alarm", () => cloudwatch.on(DescribeAlarmsCommand).rejects(denied("AccessDenied")), "cloudwatch:DescribeAlarms"],
    ["name:topic", () => sns.on(GetTopicAttributesCommand).rejects(denied("AuthorizationError")), "sns:GetTopicAttributes"],
    ["name:dashboard", () => cloudwatch.on(GetDashboardCommand).rejects(denied("AccessDenied")), "cloudwatch:GetDashboard"],
  ] as const)("%s is unknown when its lookup fails, naming the permission when one was denied", async (check, breakIt, permission) => {
    nothingExists();
    breakIt();
    const rows = await statuses();
    expect(rows.filter((row) => row.status !== "ok").map((row) => [row.check, row.status, row.missingPermission])).toEqual([[check, "unknown", permission]]);
  });

  it("a topic is unknown, not free, when the caller's account (part of its ARN) is unknown", async () => {
    nothingExists();
    const rows = await checkNames({ ...context(), accountId: undefined }, REGION);
    expect(rows.find((row) => row.check === "name:topic")).toMatchObject({ status: "unknown", detail: `${names.alarmTopic}: Not checked: the caller's account is unknown, so the topic's ARN is too.` });
  });
});
