import { mockClient } from "aws-sdk-client-mock";
import { APIGatewayClient, GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DescribeRegionsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetAccountSettingsCommand, GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { resolveTapStackArgs } from "../../lib/config";
import { DEFAULT_LIFECYCLE_OPTIONS, RecordedResource } from "../../offline/mock-cloud";
import { createAwsClients } from "../../preflight/aws";
import { formatTable } from "../../preflight/report";
import { EXIT_CODES, Row, exitCodeOf, fail, ok, sortRows, unknown } from "../../preflight/rows";
import { runPreflight } from "../../preflight/run";

/**
 * How one run puts the checks together: what it skips in a region that is
 * not enabled, what it cannot know without the caller's account or the
 * program's names, how long it waits for credentials, and the exit status
 * and table it ends with.
 */

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const apigateway = mockClient(APIGatewayClient);
const lambda = mockClient(LambdaClient);
const quotas = mockClient(ServiceQuotasClient);
const s3 = mockClient(S3Client);
mockClient(CloudWatchClient).rejects(Object.assign(new Error("not in this test"), { name: "InternalFailure", $metadata: { httpStatusCode: 500 } }));

const config = resolveTapStackArgs({ regions: ["us-east-1", "ap-east-1"] }, "dev");
// aws-sdk-client-mock answers every call, so no credentials are needed: the chain is replaced by one that finds some.
const aws = { ...createAwsClients({ maxAttempts: 1, connectionTimeoutMs: 100, requestTimeoutMs: 100 }), credentials: async () => undefined };

function functionNamed(name: string, region: string): RecordedResource {
  return {
    urn: `urn:${name}`, type: "aws:lambda/function:Function", name, inputs: { name }, state: { name }, id: name, custom: true,
    parent: undefined, provider: "urn:provider", dependencies: [], region, options: DEFAULT_LIFECYCLE_OPTIONS,
  };
}

beforeEach(() => {
  [sts, ec2, apigateway, lambda, quotas, s3].forEach((mock) => mock.reset());
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/ci" });
  ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: "us-east-1", OptInStatus: "opt-in-not-required" }, { RegionName: "ap-east-1", OptInStatus: "not-opted-in" }] });
  apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: "arn:aws:iam::123456789012:role/logs" });
  lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  lambda.on(GetFunctionCommand).rejects(Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } }));
  quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
});

describe("runPreflight", () => {
  it("checks nothing more in a region that is not enabled, and says so", async () => {
    const result = await runPreflight({ config, aws, evaluate: async () => [functionNamed("fn-east", "us-east-1"), functionNamed("fn-hk", "ap-east-1")] });
    expect(result.rows.map((row) => `${row.check} ${row.region} ${row.status}`)).toEqual([
      "account global ok",
      "region us-east-1 ok",
      "region ap-east-1 fail",
      "apigateway-logging-role us-east-1 ok",
      "lambda-concurrency us-east-1 ok",
      "vpc-quota us-east-1 ok",
      "name:function us-east-1 ok",
    ]);
    expect(result.stopped).toBe("Not checked in ap-east-1: the region is not enabled.");
    expect(exitCodeOf(result.rows)).toBe(EXIT_CODES.failed);
  });

  it("reports the names unknown, in one row, when the program cannot be evaluated", async () => {
    const result = await runPreflight({ config, aws, evaluate: async () => { throw new Error("The program failed while it was evaluated:\n  - boom"); } });
    expect(result.rows.find((row) => row.check === "names")).toEqual(
      unknown("names", "global", "The program could not be evaluated, so the names it would create are unknown: The program failed while it was evaluated:   - boom"),
    );
  });

  it("checks no bucket name when STS did not say whose account this is: those names hold the account ID", async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("x"), { name: "InternalFailure", $metadata: { httpStatusCode: 500 } }));
    const bucket: RecordedResource = { ...functionNamed("b", "us-east-1"), type: "aws:s3/bucket:Bucket", inputs: { bucket: "iac-aws-nova-artifacts-placeholder" } };
    const result = await runPreflight({ config, aws, evaluate: async (accountId) => (accountId === undefined ? [bucket, functionNamed("fn-east", "us-east-1")] : []) });
    expect(result.rows.filter((row) => row.check.startsWith("name:"))).toEqual([
      unknown("name:bucket", "us-east-1", "Not checked: bucket names hold the account ID, and the caller's account is unknown."),
      ok("name:function", "us-east-1", "1 free (fn-east)."),
    ]);
    expect(s3.calls()).toEqual([]);
  });

  it("stops with one line when the credentials chain does not answer in time", async () => {
    const hanging = { ...aws, credentials: () => new Promise<void>(() => undefined) };
    const result = await runPreflight({ config, aws: hanging, evaluate: async () => [], credentialsTimeoutMs: 50 });
    expect(result).toEqual({
      rows: [],
      fatal: "No AWS credentials found (none found within 0.05 s). Configure credentials as for the AWS CLI (AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or aws sso login) and run preflight again.",
    });
    expect(sts.calls()).toEqual([]);
  });
});

describe("exit status and table", () => {
  const rows: Row[] = [
    unknown("name:role", "us-east-1", "AccessDenied: these credentials may not call iam GetRole.", "iam:GetRole"),
    ok("account", "global", "Account 123456789012."),
    fail("lambda-concurrency", "us-east-1", "reserving 100 would leave 0 unreserved.", "pulumi config set lambdaReservedConcurrency -1"),
  ];

  it("1 when anything fails, else 7 when anything is unknown, else 0", () => {
    expect(exitCodeOf(rows)).toBe(1);
    expect(exitCodeOf(rows.filter((row) => row.status !== "fail"))).toBe(7);
    expect(exitCodeOf(rows.filter((row) => row.status === "ok"))).toBe(0);
    expect(exitCodeOf([])).toBe(0);
  });

  it("prints one row per check, in check order, with the fix or the missing permission, then the verdict", () => {
    expect(formatTable(sortRows(rows, ["us-east-1"]), 1)).toBe([
      "CHECK               REGION     STATUS   DETAIL",
      "account             global     ok       Account 123456789012.",
      "lambda-concurrency  us-east-1  fail     reserving 100 would leave 0 unreserved. Fix: pulumi config set lambdaReservedConcurrency -1",
      "name:role           us-east-1  unknown  AccessDenied: these credentials may not call iam GetRole. Missing permission: iam:GetRole.",
      "",
      "3 checks: 1 ok, 1 failed, 1 unknown; pulumi up would fail (exit 1).",
      "",
    ].join("\n"));
  });

  it("escapes what AWS sent before printing it: no control characters reach the terminal", () => {
    const table = formatTable([unknown("account", "global", "InternalFailure: \u001b[31mred\u001b[0m\nsecond line")], 7);
    expect(table).toContain("InternalFailure: \\u001b[31mred\\u001b[0m\\u000asecond line");
  });
});
