import { createHash } from "crypto";
import fc from "fast-check";
import {
  API_CACHE_SIZES_GB,
  CONFIG_KEY_TYPES,
  LOG_RETENTION_DAYS,
  ResolvedTapStackConfig,
  TapConfigError,
  TapStackArgs,
  defaultEnvironmentSuffix,
  namingContextOf,
  resolveTapStackArgs,
  tapStackArgsFromConfig,
} from "../../lib/config";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";
import { errorOf, expectConfigError } from "../support/config-errors";

/**
 * Pure tests of lib/config.ts: the defaults, and every way a value can be
 * wrong, each with its exact message. Limits are tested at their exact
 * boundaries: the valid side fails if a limit is tightened, the invalid side
 * if it is loosened or dropped.
 */

/** "accepted", "rejected" (a TapConfigError) or "crashed" (any other error). */
function outcomeOf(run: () => unknown): "accepted" | "rejected" | "crashed" {
  try {
    run();
    return "accepted";
  } catch (error) {
    return error instanceof TapConfigError ? "rejected" : "crashed";
  }
}

/** Args of the wrong type on purpose: what a JavaScript caller or a hand-edited config could pass. */
type UntypedArgs = Record<string, unknown>;
const resolve = (args: UntypedArgs) => resolveTapStackArgs(args as TapStackArgs, "dev");

const PROJECT_RULE =
  'Use 2 to 24 lower-case letters, digits and single hyphens, starting with a letter, with no hyphen at either end, such as "iac-aws-nova".';
const ENVIRONMENT_RULE = 'Use 1 to 16 lower-case letters, digits and single hyphens, with no hyphen at either end, such as "dev".';
const REGION_LIST_HINT = `Set a list such as ["us-east-1","us-west-2"], e.g. pulumi config set --path 'regions[0]' us-east-1.`;
const NOT_A_REGION_CODE = 'That is not a region code: expected the form "us-east-1" (lower case, area, number).';
const UNKNOWN_REGION = `Not an AWS commercial region tap supports. Allowed: ${COMMERCIAL_REGION_NAMES.join(", ")}.`;
const RETENTION_VALUES = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
const CACHE_SIZES = '"0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"';
const EMAIL_RULE = 'Expected one email address such as "ops@example.com", or leave it unset.';
const DOMAIN_RULE = 'Expected a lower-case DNS name such as "api.example.com" (no scheme, no trailing dot).';
const ZONE_RULE = 'Expected a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ".';
const GLOBAL = { domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

const EXPECTED_DEFAULTS: ResolvedTapStackConfig = {
  projectName: "iac-aws-nova",
  environmentSuffix: "dev",
  regions: ["us-east-1", "us-west-2"],
  stackName: "dev",
  allowedAccountIds: [],
  enableNatGateway: false,
  enableFlowLogs: true,
  logRetentionDays: 30,
  lambdaMemoryMb: 128,
  lambdaTimeoutSeconds: 30,
  lambdaArchitecture: "arm64",
  lambdaReservedConcurrency: undefined,
  lambdaProvisionedConcurrency: 0,
  rollout: "all-at-once",
  apiThrottlingRateLimit: 100,
  apiThrottlingBurstLimit: 50,
  apiLoggingLevel: "ERROR",
  manageApiGatewayAccount: false,
  alarmEmail: undefined,
  globalRouting: undefined,
  enableWaf: false,
  enableApiCache: false,
  apiCacheSizeGb: "0.5",
};

describe("resolveTapStackArgs: defaults and accepted values", () => {
  it("resolves {} to the documented defaults, with the stack name passed in", () => {
    expect(resolveTapStackArgs({}, "dev")).toEqual(EXPECTED_DEFAULTS);
  });

  it("resolves a full valid config exactly", () => {
    const resolved = resolveTapStackArgs({
      projectName: "shop",
      environmentSuffix: "prod-2",
      regions: ["eu-west-1", "ap-northeast-1"],
      stackName: "My_Stack.Prod",
      allowedAccountIds: ["111111111111", "012345678901"],
      enableNatGateway: true,
      enableFlowLogs: false,
      logRetentionDays: 365,
      lambdaMemoryMb: 10240,
      lambdaTimeoutSeconds: 900,
      lambdaArchitecture: "x86_64",
      lambdaReservedConcurrency: 20,
      lambdaProvisionedConcurrency: 20,
      rollout: "linear",
      apiThrottlingRateLimit: 10000,
      apiThrottlingBurstLimit: 5000,
      apiLoggingLevel: "INFO",
      manageApiGatewayAccount: true,
      alarmEmail: "first.last+ops@sub.example.co",
      ...GLOBAL,
      routingPolicy: "failover",
      healthCheckIntervalSeconds: 10,
      healthCheckFailureThreshold: 10,
      enableWaf: true,
      enableApiCache: true,
      apiCacheSizeGb: "237",
    }, "ignored");
    expect(resolved).toEqual({
      projectName: "shop",
      environmentSuffix: "prod-2",
      regions: ["eu-west-1", "ap-northeast-1"],
      stackName: "My_Stack.Prod",
      allowedAccountIds: ["111111111111", "012345678901"],
      enableNatGateway: true,
      enableFlowLogs: false,
      logRetentionDays: 365,
      lambdaMemoryMb: 10240,
      lambdaTimeoutSeconds: 900,
      lambdaArchitecture: "x86_64",
      lambdaReservedConcurrency: 20,
      lambdaProvisionedConcurrency: 20,
      rollout: "linear",
      apiThrottlingRateLimit: 10000,
      apiThrottlingBurstLimit: 5000,
      apiLoggingLevel: "INFO",
      manageApiGatewayAccount: true,
      alarmEmail: "first.last+ops@sub.example.co",
      globalRouting: {
        domainName: "api.example.com",
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
        routingPolicy: "failover",
        healthCheckIntervalSeconds: 10,
        healthCheckFailureThreshold: 10,
      },
      enableWaf: true,
      enableApiCache: true,
      apiCacheSizeGb: "237",
    });
  });

  it.each<[string, string]>([
    ["prod", "prod"],
    ["dev", "dev"],
    ["My_Stack.Prod", "my-stack-prod"],
    ["alice-dev", "alice-dev"],
    ["dev_1", "dev-1"],
    // 16 characters fit as they are; a 17th makes fitName keep 7 and append 8 hex digits of the whole name.
    ["feature-abcdefgh", "feature-abcdefgh"],
    ["feature-abcdefghi", `feature-${createHash("sha256").update("feature-abcdefghi").digest("hex").slice(0, 8)}`],
    ["__", "stack"],
  ])("without environmentSuffix, stack %j gets the environment %j (its name, sanitized and fitted to 16)", (stack, environment) => {
    expect(resolveTapStackArgs({}, stack).environmentSuffix).toBe(environment);
    expect(defaultEnvironmentSuffix(stack)).toBe(environment);
  });

  it("an explicit environmentSuffix wins over the stack name", () => {
    expect(resolveTapStackArgs({ environmentSuffix: "dev" }, "prod").environmentSuffix).toBe("dev");
  });

  it("gives the global layer its routing defaults", () => {
    expect(resolve(GLOBAL).globalRouting).toEqual({ ...GLOBAL, routingPolicy: "latency", healthCheckIntervalSeconds: 30, healthCheckFailureThreshold: 3 });
  });

  it("copies the regions list instead of keeping the caller's array", () => {
    const regions = ["us-east-1"];
    const resolved = resolveTapStackArgs({ regions }, "dev");
    regions.push("us-west-2");
    expect(resolved.regions).toEqual(["us-east-1"]);
  });

  it.each<[string, UntypedArgs]>([
    ["shortest project name", { projectName: "ab" }],
    ["longest project name (24)", { projectName: "a".repeat(24) }],
    ["project with digits and hyphens", { projectName: "a1-b2-c3" }],
    ["project starting sthree without the hyphen", { projectName: "sthreex" }],
    ["project sgx (security group names may start with sg, not sg-)", { projectName: "sgx" }],
    ["environment starting with a digit", { environmentSuffix: "1dev" }],
    ["one-character environment", { environmentSuffix: "p" }],
    ["longest environment (16)", { environmentSuffix: "a".repeat(16) }],
    ["every commercial region at once", { regions: [...COMMERCIAL_REGION_NAMES] }],
    ["lowest memory, timeout and limits", { lambdaMemoryMb: 128, lambdaTimeoutSeconds: 1, apiThrottlingRateLimit: 1, apiThrottlingBurstLimit: 1 }],
    ["reserved 0 (no provisioned)", { lambdaReservedConcurrency: 0 }],
    ["provisioned equal to reserved", { lambdaReservedConcurrency: 5, lambdaProvisionedConcurrency: 5 }],
    ["provisioned without a reservation", { lambdaProvisionedConcurrency: 10000 }],
    ["every log retention value", { logRetentionDays: 3653 }],
    ["failover with two regions", { ...GLOBAL, routingPolicy: "failover", regions: ["us-east-1", "eu-west-1"] }],
    ["health-check threshold 1", { ...GLOBAL, healthCheckFailureThreshold: 1 }],
  ])("accepts %s", (_label, args) => {
    expect(() => resolve(args)).not.toThrow();
  });

  it.each(LOG_RETENTION_DAYS.map((days) => [days]))("accepts logRetentionDays %d", (days) => {
    expect(resolve({ logRetentionDays: days }).logRetentionDays).toBe(days);
  });

  it.each(API_CACHE_SIZES_GB.map((size) => [size]))("accepts apiCacheSizeGb %s", (size) => {
    expect(resolve({ apiCacheSizeGb: size }).apiCacheSizeGb).toBe(size);
  });
});

describe("resolveTapStackArgs: regions", () => {
  it.each<[string, unknown, string, string]>([
    ["an unknown region", ["us-east-9"], "regions[0]", `Invalid config "regions[0]": "us-east-9". ${UNKNOWN_REGION}`],
    ["a GovCloud region (another partition)", ["us-gov-west-1"], "regions[0]", `Invalid config "regions[0]": "us-gov-west-1". ${UNKNOWN_REGION}`],
    ["a China region (another partition)", ["us-east-1", "cn-north-1"], "regions[1]", `Invalid config "regions[1]": "cn-north-1". ${UNKNOWN_REGION}`],
    ["upper case", ["US-EAST-1"], "regions[0]", `Invalid config "regions[0]": "US-EAST-1". ${NOT_A_REGION_CODE}`],
    ["no hyphens", ["useast1"], "regions[0]", `Invalid config "regions[0]": "useast1". ${NOT_A_REGION_CODE}`],
    ["an empty string", ["us-east-1", ""], "regions[1]", `Invalid config "regions[1]": "". ${NOT_A_REGION_CODE}`],
    ["surrounding spaces", [" us-east-1"], "regions[0]", `Invalid config "regions[0]": " us-east-1". ${NOT_A_REGION_CODE}`],
    ["an availability zone", ["us-east-1a"], "regions[0]", `Invalid config "regions[0]": "us-east-1a". ${NOT_A_REGION_CODE}`],
    ["a number in the list", [1], "regions[0]", 'Invalid config "regions[0]": number 1. Expected a region name such as "us-east-1".'],
    ["null in the list", [null], "regions[0]", 'Invalid config "regions[0]": object null. Expected a region name such as "us-east-1".'],
    ["an empty list", [], "regions", `Invalid config "regions": the list []. At least one region is required. ${REGION_LIST_HINT}`],
    ["a duplicate", ["us-east-1", "us-west-2", "us-east-1"], "regions[2]", 'Invalid config "regions[2]": "us-east-1". Each region may appear only once: remove the duplicate.'],
    ["a plain string", "us-east-1", "regions", `Invalid config "regions": "us-east-1". Expected a list of AWS region names. ${REGION_LIST_HINT}`],
    ["an object", { 0: "us-east-1" }, "regions", `Invalid config "regions": object {"0":"us-east-1"}. Expected a list of AWS region names. ${REGION_LIST_HINT}`],
  ])("rejects %s", (_label, regions, key, message) => {
    expectConfigError(() => resolve({ regions }), key, message);
  });
});

describe("resolveTapStackArgs: projectName and environmentSuffix", () => {
  it.each<[string, unknown, string]>([
    ["upper case", "MyProject", `Invalid config "projectName": "MyProject". ${PROJECT_RULE}`],
    ["an underscore", "my_project", `Invalid config "projectName": "my_project". ${PROJECT_RULE}`],
    ["a dot", "my.project", `Invalid config "projectName": "my.project". ${PROJECT_RULE}`],
    ["a trailing dot", "project.", `Invalid config "projectName": "project.". ${PROJECT_RULE}`],
    ["a space", "my project", `Invalid config "projectName": "my project". ${PROJECT_RULE}`],
    ["a leading digit", "1project", `Invalid config "projectName": "1project". ${PROJECT_RULE}`],
    ["a leading hyphen", "-project", `Invalid config "projectName": "-project". ${PROJECT_RULE}`],
    ["a trailing hyphen", "project-", `Invalid config "projectName": "project-". ${PROJECT_RULE}`],
    ["a double hyphen", "my--project", `Invalid config "projectName": "my--project". ${PROJECT_RULE}`],
    ["a non-ASCII letter", "projé", `Invalid config "projectName": "projé". ${PROJECT_RULE}`],
    ["too short (1)", "a", `Invalid config "projectName": "a". It is 1 characters long. ${PROJECT_RULE}`],
    ["empty", "", `Invalid config "projectName": "". It is 0 characters long. ${PROJECT_RULE}`],
    ["too long (25)", "a".repeat(25), `Invalid config "projectName": "${"a".repeat(25)}". It is 25 characters long. ${PROJECT_RULE}`],
    ["a number", 42, `Invalid config "projectName": number 42. Expected a string. ${PROJECT_RULE}`],
    ["the S3-reserved prefix xn-- (also a double hyphen)", "xn--app", `Invalid config "projectName": "xn--app". ${PROJECT_RULE}`],
    ["the S3-reserved prefix sthree-", "sthree-app", 'Invalid config "projectName": "sthree-app". S3 reserves the prefix "sthree-" for bucket names. Choose another project name.'],
    ["sthree, which makes buckets start with sthree-", "sthree", 'Invalid config "projectName": "sthree". S3 reserves the prefix "sthree-" for bucket names. Choose another project name.'],
    ["the S3-reserved prefix amzn-s3-demo-", "amzn-s3-demo-app", 'Invalid config "projectName": "amzn-s3-demo-app". S3 reserves the prefix "amzn-s3-demo-" for bucket names. Choose another project name.'],
    ["amzn-s3-demo, which makes buckets start with amzn-s3-demo-", "amzn-s3-demo", 'Invalid config "projectName": "amzn-s3-demo". S3 reserves the prefix "amzn-s3-demo-" for bucket names. Choose another project name.'],
    ["sg, which makes security group names start with sg-", "sg", 'Invalid config "projectName": "sg". EC2 rejects security group names that start with "sg-". Choose another project name.'],
    ["sg-app, which makes security group names start with sg-", "sg-app", 'Invalid config "projectName": "sg-app". EC2 rejects security group names that start with "sg-". Choose another project name.'],
  ])("rejects a projectName with %s", (_label, projectName, message) => {
    expectConfigError(() => resolve({ projectName }), "projectName", message);
  });

  it.each<[string, unknown, string]>([
    ["upper case", "Dev", `Invalid config "environmentSuffix": "Dev". ${ENVIRONMENT_RULE}`],
    ["an underscore", "dev_1", `Invalid config "environmentSuffix": "dev_1". ${ENVIRONMENT_RULE}`],
    ["a dot", "dev.1", `Invalid config "environmentSuffix": "dev.1". ${ENVIRONMENT_RULE}`],
    ["a space", "de v", `Invalid config "environmentSuffix": "de v". ${ENVIRONMENT_RULE}`],
    ["a leading hyphen", "-dev", `Invalid config "environmentSuffix": "-dev". ${ENVIRONMENT_RULE}`],
    ["a trailing hyphen", "dev-", `Invalid config "environmentSuffix": "dev-". ${ENVIRONMENT_RULE}`],
    ["a double hyphen", "dev--1", `Invalid config "environmentSuffix": "dev--1". ${ENVIRONMENT_RULE}`],
    ["only a hyphen", "-", `Invalid config "environmentSuffix": "-". ${ENVIRONMENT_RULE}`],
    ["empty", "", `Invalid config "environmentSuffix": "". It is 0 characters long. ${ENVIRONMENT_RULE}`],
    ["too long (17)", "a".repeat(17), `Invalid config "environmentSuffix": "${"a".repeat(17)}". It is 17 characters long. ${ENVIRONMENT_RULE}`],
    ["a boolean", true, `Invalid config "environmentSuffix": boolean true. Expected a string. ${ENVIRONMENT_RULE}`],
  ])("rejects an environmentSuffix with %s", (_label, environmentSuffix, message) => {
    expectConfigError(() => resolve({ environmentSuffix }), "environmentSuffix", message);
  });

  it("rejects an empty stack name", () => {
    expectConfigError(() => resolve({ stackName: "" }), "stackName", 'Invalid config "stackName": "". Expected a non-empty stack name.');
    expectConfigError(() => resolveTapStackArgs({}, ""), "stackName", 'Invalid config "stackName": "". Expected a non-empty stack name.');
  });

  const word = (first: string[]) =>
    fc.tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")), maxLength: 6 }))
      .map(([head, tail]) => head + tail);
  const grammar = (first: string[]) =>
    fc.tuple(word(first), fc.array(word("abcdefghijklmnopqrstuvwxyz0123456789".split("")), { maxLength: 4 }))
      .map(([head, rest]) => [head, ...rest].join("-"));

  it("accepts every project name of the grammar (2-24, letter first) except the reserved prefixes", () => {
    fc.assert(
      fc.property(grammar("abcdefghijklmnopqrstuvwxyz".split("")).filter((name) => name.length >= 2 && name.length <= 24), (projectName) => {
        const reserved = ["sthree-", "amzn-s3-demo-", "sg-"].some((prefix) => `${projectName}-`.startsWith(prefix));
        expect(outcomeOf(() => resolve({ projectName }))).toBe(reserved ? "rejected" : "accepted");
      }),
      { numRuns: 300 },
    );
  });

  it("accepts every environment suffix of the grammar (1-16)", () => {
    fc.assert(
      fc.property(grammar("abcdefghijklmnopqrstuvwxyz0123456789".split("")).filter((name) => name.length <= 16), (environmentSuffix) => {
        expect(resolve({ environmentSuffix }).environmentSuffix).toBe(environmentSuffix);
      }),
      { numRuns: 300 },
    );
  });
});

describe("resolveTapStackArgs: allowedAccountIds", () => {
  const ACCOUNT_RULE = 'Expected a 12-digit AWS account ID as text, such as "111111111111" (quote it in YAML so leading zeros survive).';
  it("accepts a list of distinct 12-digit IDs, leading zeros kept, and an empty list (any account)", () => {
    expect(resolve({ allowedAccountIds: ["000000000001", "999999999999"] }).allowedAccountIds).toEqual(["000000000001", "999999999999"]);
    expect(resolve({ allowedAccountIds: [] }).allowedAccountIds).toEqual([]);
  });

  it.each<[string, unknown, string, string]>([
    ["11 digits", ["11111111111"], "allowedAccountIds[0]", `Invalid config "allowedAccountIds[0]": "11111111111". ${ACCOUNT_RULE}`],
    ["13 digits", ["1111111111111"], "allowedAccountIds[0]", `Invalid config "allowedAccountIds[0]": "1111111111111". ${ACCOUNT_RULE}`],
    ["a number (YAML without quotes)", [111111111111], "allowedAccountIds[0]", `Invalid config "allowedAccountIds[0]": number 111111111111. ${ACCOUNT_RULE}`],
    ["a letter", ["11111111111a"], "allowedAccountIds[0]", `Invalid config "allowedAccountIds[0]": "11111111111a". ${ACCOUNT_RULE}`],
    ["a trailing newline", ["111111111111\n"], "allowedAccountIds[0]", `Invalid config "allowedAccountIds[0]": "111111111111\\n". ${ACCOUNT_RULE}`],
    ["a duplicate", ["111111111111", "111111111111"], "allowedAccountIds[1]", `Invalid config "allowedAccountIds[1]": "111111111111". Each account may appear only once: remove the duplicate.`],
    ["a plain string", "111111111111", "allowedAccountIds", `Invalid config "allowedAccountIds": "111111111111". Expected a list of 12-digit AWS account IDs. Set a list such as ["111111111111"], e.g. pulumi config set --path 'allowedAccountIds[0]' 111111111111.`],
  ])("rejects %s", (_label, allowedAccountIds, key, message) => {
    expectConfigError(() => resolve({ allowedAccountIds } as UntypedArgs), key, message);
  });
});

describe("resolveTapStackArgs: every other key", () => {
  it.each<[string, UntypedArgs, string, string]>([
    // booleans
    ["enableNatGateway as a string", { enableNatGateway: "yes" }, "enableNatGateway", 'Invalid config "enableNatGateway": "yes". Expected true or false.'],
    ["enableNatGateway as 1", { enableNatGateway: 1 }, "enableNatGateway", 'Invalid config "enableNatGateway": number 1. Expected true or false.'],
    ["enableFlowLogs as \"false\"", { enableFlowLogs: "false" }, "enableFlowLogs", 'Invalid config "enableFlowLogs": "false". Expected true or false.'],
    ["manageApiGatewayAccount as \"on\"", { manageApiGatewayAccount: "on" }, "manageApiGatewayAccount", 'Invalid config "manageApiGatewayAccount": "on". Expected true or false.'],
    ["enableWaf as \"true\"", { enableWaf: "true" }, "enableWaf", 'Invalid config "enableWaf": "true". Expected true or false.'],
    ["enableApiCache as 0", { enableApiCache: 0 }, "enableApiCache", 'Invalid config "enableApiCache": number 0. Expected true or false.'],
    // logRetentionDays
    ["logRetentionDays 31", { logRetentionDays: 31 }, "logRetentionDays", `Invalid config "logRetentionDays": number 31. Allowed values: ${RETENTION_VALUES}.`],
    ["logRetentionDays 0 (never expire)", { logRetentionDays: 0 }, "logRetentionDays", `Invalid config "logRetentionDays": number 0. Allowed values: ${RETENTION_VALUES}.`],
    ["logRetentionDays as a string", { logRetentionDays: "30" }, "logRetentionDays", `Invalid config "logRetentionDays": "30". Allowed values: ${RETENTION_VALUES}.`],
    // lambdaMemoryMb
    ["lambdaMemoryMb 127", { lambdaMemoryMb: 127 }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": number 127. It is out of range: expected a whole number from 128 to 10240.'],
    ["lambdaMemoryMb 10241", { lambdaMemoryMb: 10241 }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": number 10241. It is out of range: expected a whole number from 128 to 10240.'],
    ["lambdaMemoryMb 256.5", { lambdaMemoryMb: 256.5 }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": number 256.5. Expected a whole number from 128 to 10240.'],
    ["lambdaMemoryMb NaN", { lambdaMemoryMb: NaN }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": number NaN. Expected a whole number from 128 to 10240.'],
    ["lambdaMemoryMb Infinity", { lambdaMemoryMb: Infinity }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": number Infinity. Expected a whole number from 128 to 10240.'],
    ["lambdaMemoryMb as a bigint", { lambdaMemoryMb: BigInt(256) }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": bigint 256. Expected a whole number from 128 to 10240.'],
    ["lambdaMemoryMb as a string", { lambdaMemoryMb: "256" }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": "256". Expected a whole number from 128 to 10240.'],
    // lambdaTimeoutSeconds
    ["lambdaTimeoutSeconds 0", { lambdaTimeoutSeconds: 0 }, "lambdaTimeoutSeconds", 'Invalid config "lambdaTimeoutSeconds": number 0. It is out of range: expected a whole number from 1 to 900.'],
    ["lambdaTimeoutSeconds 901", { lambdaTimeoutSeconds: 901 }, "lambdaTimeoutSeconds", 'Invalid config "lambdaTimeoutSeconds": number 901. It is out of range: expected a whole number from 1 to 900.'],
    ["lambdaTimeoutSeconds 1.5", { lambdaTimeoutSeconds: 1.5 }, "lambdaTimeoutSeconds", 'Invalid config "lambdaTimeoutSeconds": number 1.5. Expected a whole number from 1 to 900.'],
    // lambdaArchitecture
    ["lambdaArchitecture ARM64", { lambdaArchitecture: "ARM64" }, "lambdaArchitecture", 'Invalid config "lambdaArchitecture": "ARM64". Allowed values: "arm64", "x86_64".'],
    ["lambdaArchitecture x86", { lambdaArchitecture: "x86" }, "lambdaArchitecture", 'Invalid config "lambdaArchitecture": "x86". Allowed values: "arm64", "x86_64".'],
    // concurrency
    ["lambdaReservedConcurrency -1", { lambdaReservedConcurrency: -1 }, "lambdaReservedConcurrency", 'Invalid config "lambdaReservedConcurrency": number -1. It is out of range: expected a whole number from 0 to 10000.'],
    ["lambdaReservedConcurrency 10001", { lambdaReservedConcurrency: 10001 }, "lambdaReservedConcurrency", 'Invalid config "lambdaReservedConcurrency": number 10001. It is out of range: expected a whole number from 0 to 10000.'],
    ["lambdaReservedConcurrency 2.5", { lambdaReservedConcurrency: 2.5 }, "lambdaReservedConcurrency", 'Invalid config "lambdaReservedConcurrency": number 2.5. Expected a whole number from 0 to 10000.'],
    ["lambdaProvisionedConcurrency -1", { lambdaProvisionedConcurrency: -1 }, "lambdaProvisionedConcurrency", 'Invalid config "lambdaProvisionedConcurrency": number -1. It is out of range: expected a whole number from 0 to 10000.'],
    ["lambdaProvisionedConcurrency 10001", { lambdaProvisionedConcurrency: 10001 }, "lambdaProvisionedConcurrency", 'Invalid config "lambdaProvisionedConcurrency": number 10001. It is out of range: expected a whole number from 0 to 10000.'],
    ["provisioned 5 > reserved 2", { lambdaReservedConcurrency: 2, lambdaProvisionedConcurrency: 5 }, "lambdaProvisionedConcurrency", 'Invalid config "lambdaProvisionedConcurrency": number 5. It cannot exceed lambdaReservedConcurrency (2). Lower it or raise the reservation.'],
    ["provisioned 1 > reserved 0", { lambdaReservedConcurrency: 0, lambdaProvisionedConcurrency: 1 }, "lambdaProvisionedConcurrency", 'Invalid config "lambdaProvisionedConcurrency": number 1. It cannot exceed lambdaReservedConcurrency (0). Lower it or raise the reservation.'],
    // API throttling and logging
    ["apiThrottlingRateLimit 0", { apiThrottlingRateLimit: 0 }, "apiThrottlingRateLimit", 'Invalid config "apiThrottlingRateLimit": number 0. It is out of range: expected a whole number from 1 to 10000.'],
    ["apiThrottlingRateLimit 10001", { apiThrottlingRateLimit: 10001 }, "apiThrottlingRateLimit", 'Invalid config "apiThrottlingRateLimit": number 10001. It is out of range: expected a whole number from 1 to 10000.'],
    ["apiThrottlingBurstLimit 0", { apiThrottlingBurstLimit: 0 }, "apiThrottlingBurstLimit", 'Invalid config "apiThrottlingBurstLimit": number 0. It is out of range: expected a whole number from 1 to 5000.'],
    ["apiThrottlingBurstLimit 5001", { apiThrottlingBurstLimit: 5001 }, "apiThrottlingBurstLimit", 'Invalid config "apiThrottlingBurstLimit": number 5001. It is out of range: expected a whole number from 1 to 5000.'],
    ["apiLoggingLevel DEBUG", { apiLoggingLevel: "DEBUG" }, "apiLoggingLevel", 'Invalid config "apiLoggingLevel": "DEBUG". Allowed values: "OFF", "ERROR", "INFO".'],
    ["apiLoggingLevel in lower case", { apiLoggingLevel: "error" }, "apiLoggingLevel", 'Invalid config "apiLoggingLevel": "error". Allowed values: "OFF", "ERROR", "INFO".'],
    // alarmEmail
    ["alarmEmail without @", { alarmEmail: "ops.example.com" }, "alarmEmail", `Invalid config "alarmEmail": "ops.example.com". ${EMAIL_RULE}`],
    ["alarmEmail with a one-label domain", { alarmEmail: "ops@localhost" }, "alarmEmail", `Invalid config "alarmEmail": "ops@localhost". ${EMAIL_RULE}`],
    ["alarmEmail with two dots", { alarmEmail: "ops..team@example.com" }, "alarmEmail", `Invalid config "alarmEmail": "ops..team@example.com". ${EMAIL_RULE}`],
    ["alarmEmail with two addresses", { alarmEmail: "a@example.com,b@example.com" }, "alarmEmail", `Invalid config "alarmEmail": "a@example.com,b@example.com". ${EMAIL_RULE}`],
    ["alarmEmail empty", { alarmEmail: "" }, "alarmEmail", `Invalid config "alarmEmail": "". ${EMAIL_RULE}`],
    ["alarmEmail longer than 254", { alarmEmail: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}.com` }, "alarmEmail",
      `Invalid config "alarmEmail": "${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}.com". ${EMAIL_RULE}`],
    // apiCacheSizeGb
    ["apiCacheSizeGb 1", { apiCacheSizeGb: "1" }, "apiCacheSizeGb", `Invalid config "apiCacheSizeGb": "1". Allowed values: ${CACHE_SIZES}.`],
    ["apiCacheSizeGb as a number", { apiCacheSizeGb: 0.5 }, "apiCacheSizeGb", `Invalid config "apiCacheSizeGb": number 0.5. Allowed values: ${CACHE_SIZES}.`],
  ])("rejects %s", (_label, args, key, message) => {
    expectConfigError(() => resolve(args), key, message);
  });
});

describe("resolveTapStackArgs: the global layer (domainName, hostedZoneId, routing)", () => {
  it("leaves the layer off when domainName is unset, even with valid routing keys (Pulumi.yaml always sends their defaults)", () => {
    expect(resolve({ routingPolicy: "failover", healthCheckIntervalSeconds: 10, healthCheckFailureThreshold: 5, regions: ["us-east-1"] }).globalRouting).toBeUndefined();
  });

  it.each<[string, UntypedArgs, string, string]>([
    ["domainName with upper case", { ...GLOBAL, domainName: "API.example.com" }, "domainName", `Invalid config "domainName": "API.example.com". ${DOMAIN_RULE}`],
    ["domainName with a scheme", { ...GLOBAL, domainName: "https://api.example.com" }, "domainName", `Invalid config "domainName": "https://api.example.com". ${DOMAIN_RULE}`],
    ["domainName with a trailing dot", { ...GLOBAL, domainName: "api.example.com." }, "domainName", `Invalid config "domainName": "api.example.com.". ${DOMAIN_RULE}`],
    ["domainName with one label", { ...GLOBAL, domainName: "localhost" }, "domainName", `Invalid config "domainName": "localhost". ${DOMAIN_RULE}`],
    ["domainName with a path", { ...GLOBAL, domainName: "api.example.com/api" }, "domainName", `Invalid config "domainName": "api.example.com/api". ${DOMAIN_RULE}`],
    ["domainName empty", { ...GLOBAL, domainName: "" }, "domainName", `Invalid config "domainName": "". ${DOMAIN_RULE}`],
    ["hostedZoneId in lower case", { ...GLOBAL, hostedZoneId: "z0123" }, "hostedZoneId", `Invalid config "hostedZoneId": "z0123". ${ZONE_RULE}`],
    ["hostedZoneId with the /hostedzone/ path", { ...GLOBAL, hostedZoneId: "/hostedzone/Z0123" }, "hostedZoneId", `Invalid config "hostedZoneId": "/hostedzone/Z0123". ${ZONE_RULE}`],
    ["hostedZoneId Z alone", { ...GLOBAL, hostedZoneId: "Z" }, "hostedZoneId", `Invalid config "hostedZoneId": "Z". ${ZONE_RULE}`],
    ["hostedZoneId without domainName", { hostedZoneId: GLOBAL.hostedZoneId }, "domainName",
      'Invalid config "domainName": not set. hostedZoneId is set, so domainName must be set too, such as "api.example.com".'],
    ["domainName without hostedZoneId", { domainName: GLOBAL.domainName }, "hostedZoneId",
      'Invalid config "hostedZoneId": not set. domainName "api.example.com" needs the ID of the Route 53 hosted zone that holds it.'],
    // Checked while the layer is off too, so a typo shows before domainName is set.
    ["routingPolicy round-robin without domainName", { routingPolicy: "round-robin" }, "routingPolicy", 'Invalid config "routingPolicy": "round-robin". Allowed values: "latency", "failover".'],
    ["healthCheckIntervalSeconds 20 without domainName", { healthCheckIntervalSeconds: 20 }, "healthCheckIntervalSeconds", 'Invalid config "healthCheckIntervalSeconds": number 20. Allowed values: 10, 30.'],
    ["healthCheckFailureThreshold 0 without domainName", { healthCheckFailureThreshold: 0 }, "healthCheckFailureThreshold", 'Invalid config "healthCheckFailureThreshold": number 0. It is out of range: expected a whole number from 1 to 10.'],
    ["routingPolicy round-robin", { ...GLOBAL, routingPolicy: "round-robin" }, "routingPolicy", 'Invalid config "routingPolicy": "round-robin". Allowed values: "latency", "failover".'],
    ["failover with one region", { ...GLOBAL, routingPolicy: "failover", regions: ["us-east-1"] }, "routingPolicy",
      'Invalid config "routingPolicy": "failover". failover needs at least two regions (a primary and a secondary); regions is ["us-east-1"]. Add a region or use "latency".'],
    ["healthCheckIntervalSeconds 20", { ...GLOBAL, healthCheckIntervalSeconds: 20 }, "healthCheckIntervalSeconds", 'Invalid config "healthCheckIntervalSeconds": number 20. Allowed values: 10, 30.'],
    ["healthCheckFailureThreshold 0", { ...GLOBAL, healthCheckFailureThreshold: 0 }, "healthCheckFailureThreshold", 'Invalid config "healthCheckFailureThreshold": number 0. It is out of range: expected a whole number from 1 to 10.'],
    ["healthCheckFailureThreshold 11", { ...GLOBAL, healthCheckFailureThreshold: 11 }, "healthCheckFailureThreshold", 'Invalid config "healthCheckFailureThreshold": number 11. It is out of range: expected a whole number from 1 to 10.'],
  ])("rejects %s", (_label, args, key, message) => {
    expectConfigError(() => resolve(args), key, message);
  });
});

const ZONE = GLOBAL.hostedZoneId;

/** A domain of exactly `length` characters: three 63-letter labels and a top-level label of the rest. */
function domainOfLength(length: number): string {
  const domain = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(length - 192)}`;
  expect(domain).toHaveLength(length);
  return domain;
}

/** An email address of exactly `length` characters: a 64-character local part and a domain of the rest. */
function emailOfLength(length: number): string {
  const email = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(length - 197)}.com`;
  expect(email).toHaveLength(length);
  return email;
}

describe("hostedZoneId: the whole value must match Z plus 1 to 31 upper-case letters or digits", () => {
  it.each([
    ["Z and one character", "Z1"],
    ["Z and 31 characters (32 in all)", `Z${"A".repeat(31)}`],
  ])("accepts %s", (_, hostedZoneId) => {
    expect(resolve({ domainName: "api.example.com", hostedZoneId }).globalRouting?.hostedZoneId).toBe(hostedZoneId);
  });

  it.each([
    // Without the pattern's `$`, each of these would pass on its valid first 32 characters.
    ["Z and 32 characters (33 in all)", `Z${"A".repeat(32)}`],
    ["a valid ID with a lower-case tail", `${ZONE}abc`],
    ["a valid ID with a hyphenated tail", `${ZONE}-old`],
  ])("rejects %s", (_, hostedZoneId) => {
    expectConfigError(() => resolve({ domainName: "api.example.com", hostedZoneId }), "hostedZoneId", `Invalid config "hostedZoneId": "${hostedZoneId}". ${ZONE_RULE}`);
  });

  it("rejects a one-element list whose element is valid (a list coerced to a string matches the pattern)", () => {
    expectConfigError(() => resolve({ domainName: "api.example.com", hostedZoneId: [ZONE] }), "hostedZoneId", `Invalid config "hostedZoneId": the list ["${ZONE}"]. ${ZONE_RULE}`);
  });
});

describe("domainName: at most 253 characters, labels of 1 to 63", () => {
  it("accepts 253 characters", () => {
    const domainName = domainOfLength(253);
    expect(resolve({ domainName, hostedZoneId: ZONE }).globalRouting?.domainName).toBe(domainName);
  });

  it("rejects 254 characters (every label still valid)", () => {
    const domainName = domainOfLength(254);
    expectConfigError(() => resolve({ domainName, hostedZoneId: ZONE }), "domainName", `Invalid config "domainName": "${domainName}". ${DOMAIN_RULE}`);
  });

  it.each(["a.example.com", "x.y.io", "api.b.example.com"])("accepts single-character labels: %s", (domainName) => {
    expect(resolve({ domainName, hostedZoneId: ZONE }).globalRouting?.domainName).toBe(domainName);
  });

  it.each([
    ["accepts a 63-character label", `${"a".repeat(63)}.example.com`, true],
    ["rejects a 64-character label", `${"a".repeat(64)}.example.com`, false],
    ["rejects a label that ends in a hyphen", "api-.example.com", false],
    ["rejects a label that starts with a hyphen", "-api.example.com", false],
  ])("%s", (_, domainName, accepted) => {
    const run = () => resolve({ domainName, hostedZoneId: ZONE });
    if (accepted) expect(run().globalRouting?.domainName).toBe(domainName);
    else expectConfigError(run, "domainName", `Invalid config "domainName": "${domainName}". ${DOMAIN_RULE}`);
  });

  it("rejects a one-element list whose element is valid, naming it as a list", () => {
    expectConfigError(() => resolve({ domainName: ["api.example.com"], hostedZoneId: ZONE }), "domainName", `Invalid config "domainName": the list ["api.example.com"]. ${DOMAIN_RULE}`);
  });
});

describe("alarmEmail: at most 254 characters, single-character labels allowed", () => {
  it("accepts 254 characters", () => {
    const alarmEmail = emailOfLength(254);
    expect(resolve({ alarmEmail }).alarmEmail).toBe(alarmEmail);
  });

  it("rejects 255 characters (local part and labels still valid)", () => {
    const alarmEmail = emailOfLength(255);
    expectConfigError(() => resolve({ alarmEmail }), "alarmEmail", `Invalid config "alarmEmail": "${alarmEmail}". ${EMAIL_RULE}`);
  });

  it.each(["ops@x.example.com", "o@example.com", "ops@a.b.co"])("accepts %s", (alarmEmail) => {
    expect(resolve({ alarmEmail }).alarmEmail).toBe(alarmEmail);
  });

  it.each([
    ["a domain label that ends in a hyphen", "ops@x-.example.com"],
    ["a domain label of 64 characters", `ops@${"x".repeat(64)}.example.com`],
  ])("rejects %s", (_, alarmEmail) => {
    expectConfigError(() => resolve({ alarmEmail }), "alarmEmail", `Invalid config "alarmEmail": "${alarmEmail}". ${EMAIL_RULE}`);
  });

  it("accepts a 63-character domain label", () => {
    const alarmEmail = `ops@${"x".repeat(63)}.example.com`;
    expect(resolve({ alarmEmail }).alarmEmail).toBe(alarmEmail);
  });

  it("rejects a one-element list whose element is valid", () => {
    expectConfigError(() => resolve({ alarmEmail: ["ops@example.com"] }), "alarmEmail", `Invalid config "alarmEmail": the list ["ops@example.com"]. ${EMAIL_RULE}`);
  });
});

describe("describeValue: every value is shown readably, and a bigint anywhere still gives a TapConfigError", () => {
  it.each([
    // JSON.stringify throws a TypeError ("Do not know how to serialize a BigInt") for these two.
    ["a list holding a bigint", { projectName: [BigInt(5)] }, "projectName", `Invalid config "projectName": the list [5n]. Expected a string. ${PROJECT_RULE}`],
    ["an object holding a bigint", { regions: { first: BigInt(1) } }, "regions", `Invalid config "regions": object {"first":1n}. Expected a list of AWS region names. ${REGION_LIST_HINT}`],
    // JSON.stringify showed these as null.
    ["a list holding NaN and Infinity", { projectName: [NaN, Infinity, -Infinity] }, "projectName", `Invalid config "projectName": the list [NaN,Infinity,-Infinity]. Expected a string. ${PROJECT_RULE}`],
    ["a nested list and object", { projectName: [["a"], { b: null, c: true }] }, "projectName", `Invalid config "projectName": the list [["a"],{"b":null,"c":true}]. Expected a string. ${PROJECT_RULE}`],
    ["a bigint", { lambdaMemoryMb: BigInt(256) }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": bigint 256. Expected a whole number from 128 to 10240.'],
    ["NaN", { lambdaMemoryMb: NaN }, "lambdaMemoryMb", 'Invalid config "lambdaMemoryMb": number NaN. Expected a whole number from 128 to 10240.'],
    ["Infinity", { lambdaTimeoutSeconds: Infinity }, "lambdaTimeoutSeconds", 'Invalid config "lambdaTimeoutSeconds": number Infinity. Expected a whole number from 1 to 900.'],
    ["null in a list", { regions: [null] }, "regions[0]", 'Invalid config "regions[0]": object null. Expected a region name such as "us-east-1".'],
  ])("%s", (_, args, key, message) => {
    expectConfigError(() => resolve(args), key, message);
  });
});

describe("TapConfigError's name, stackName, and the helpers around resolution", () => {
  it("the error is named TapConfigError: the offline plan recognises it by that name (offline/plan/runner.ts isTapConfigError)", () => {
    const error = errorOf(() => resolve({ lambdaMemoryMb: 1 }));
    expect((error as Error).name).toBe("TapConfigError");
  });

  it.each([
    ["a number", 5, 'Invalid config "stackName": number 5. Expected a non-empty stack name.'],
    ["an empty string", "", 'Invalid config "stackName": "". Expected a non-empty stack name.'],
  ])("stackName as %s is refused before it is used in a name", (_, stackName, message) => {
    expectConfigError(() => resolve({ stackName }), "stackName", message);
  });

  it("tapStackArgsFromConfig leaves a key out entirely when the config does not have it (not present as undefined)", () => {
    expect(Object.keys(tapStackArgsFromConfig(() => undefined))).toEqual([]);
    expect(Object.keys(tapStackArgsFromConfig((key) => (key === "enableWaf" ? "true" : undefined)))).toEqual(["enableWaf"]);
  });

  it("namingContextOf gives lib/naming.ts the resolved project, environment and stack", () => {
    expect(namingContextOf(resolve({ projectName: "shop", environmentSuffix: "qa", stackName: "My_Stack.Prod" }))).toEqual({ project: "shop", environment: "qa", stack: "My_Stack.Prod" });
  });
});

describe("tapStackArgsFromConfig: Pulumi config strings to typed args", () => {
  const CONFIG_KEYS = Object.keys(CONFIG_KEY_TYPES).filter((key) => key !== "stackName");
  const reader = (values: Record<string, unknown>) => (key: string) => values[key];

  it("converts each type and skips unset keys", () => {
    const args = tapStackArgsFromConfig(reader({
      projectName: "shop",
      regions: '["us-east-1","eu-west-1"]',
      enableNatGateway: "true",
      enableFlowLogs: "false",
      lambdaMemoryMb: " 256 ",
      lambdaReservedConcurrency: "7",
      apiCacheSizeGb: "1.6",
    }));
    expect(args).toEqual({
      projectName: "shop",
      regions: ["us-east-1", "eu-west-1"],
      enableNatGateway: true,
      enableFlowLogs: false,
      lambdaMemoryMb: 256,
      lambdaReservedConcurrency: 7,
      apiCacheSizeGb: "1.6",
    });
  });

  it("reads every config key once and never stackName (that is always the Pulumi stack)", () => {
    const asked: string[] = [];
    tapStackArgsFromConfig((key) => { asked.push(key); return undefined; });
    expect([...asked].sort()).toEqual([...CONFIG_KEYS].sort());
    expect(asked).not.toContain("stackName");
  });

  it("drops the Pulumi.yaml 'unset' defaults: \"\" for alarmEmail, domainName, hostedZoneId and -1 for lambdaReservedConcurrency", () => {
    const args = tapStackArgsFromConfig(reader({ alarmEmail: "", domainName: "", hostedZoneId: "", lambdaReservedConcurrency: "-1" }));
    expect(args).toEqual({});
    expect(resolveTapStackArgs(args, "dev")).toEqual(EXPECTED_DEFAULTS);
  });

  it("keeps other negative concurrency values, which the range check then rejects", () => {
    const args = tapStackArgsFromConfig(reader({ lambdaReservedConcurrency: "-2" }));
    expect(args).toEqual({ lambdaReservedConcurrency: -2 });
    expectConfigError(() => resolveTapStackArgs(args, "dev"), "lambdaReservedConcurrency", 'Invalid config "lambdaReservedConcurrency": number -2. It is out of range: expected a whole number from 0 to 10000.');
  });

  it("passes structured values (set with --path) through unchanged, for resolveTapStackArgs to check", () => {
    expect(tapStackArgsFromConfig(reader({ regions: ["us-west-1"], lambdaMemoryMb: 512, enableWaf: true }))).toEqual({ regions: ["us-west-1"], lambdaMemoryMb: 512, enableWaf: true });
  });

  const LIST_HINT = `Expected a list, such as ["us-east-1","us-west-2"]. Set it with: pulumi config set --path 'regions[0]' us-east-1`;
  it.each<[string, string, string]>([
    ["a plain region name", "us-east-1", `Invalid config "regions": "us-east-1". ${LIST_HINT}`],
    ["a comma-separated string", "us-east-1,us-west-2", `Invalid config "regions": "us-east-1,us-west-2". ${LIST_HINT}`],
    ["a JSON string", '"us-east-1"', `Invalid config "regions": "\\"us-east-1\\"". ${LIST_HINT}`],
    ["a JSON object", '{"0":"us-east-1"}', `Invalid config "regions": "{\\"0\\":\\"us-east-1\\"}". ${LIST_HINT}`],
    ["an empty string", "", `Invalid config "regions": "". ${LIST_HINT}`],
  ])("rejects regions given as %s", (_label, raw, message) => {
    expectConfigError(() => tapStackArgsFromConfig(reader({ regions: raw })), "regions", message);
  });

  const integerKeys = CONFIG_KEYS.filter((key) => CONFIG_KEY_TYPES[key as keyof TapStackArgs] === "integer");
  const booleanKeys = CONFIG_KEYS.filter((key) => CONFIG_KEY_TYPES[key as keyof TapStackArgs] === "boolean");

  it("knows the integer and boolean keys", () => {
    expect(integerKeys).toEqual([
      "logRetentionDays", "lambdaMemoryMb", "lambdaTimeoutSeconds", "lambdaReservedConcurrency", "lambdaProvisionedConcurrency",
      "apiThrottlingRateLimit", "apiThrottlingBurstLimit", "healthCheckIntervalSeconds", "healthCheckFailureThreshold",
    ]);
    expect(booleanKeys).toEqual(["enableNatGateway", "enableFlowLogs", "manageApiGatewayAccount", "enableWaf", "enableApiCache"]);
  });

  /** What each integer key accepts, as its error says it. */
  const INTEGER_RULES: Record<string, string> = {
    logRetentionDays: `Allowed values: ${LOG_RETENTION_DAYS.join(", ")}.`,
    lambdaMemoryMb: "a whole number from 128 to 10240.",
    lambdaTimeoutSeconds: "a whole number from 1 to 900.",
    lambdaReservedConcurrency: "a whole number from 0 to 10000.",
    lambdaProvisionedConcurrency: "a whole number from 0 to 10000.",
    apiThrottlingRateLimit: "a whole number from 1 to 10000.",
    apiThrottlingBurstLimit: "a whole number from 1 to 5000.",
    healthCheckIntervalSeconds: "Allowed values: 10, 30.",
    healthCheckFailureThreshold: "a whole number from 1 to 10.",
  };

  describe.each(integerKeys.map((key) => [key]))("integer key %s", (key) => {
    const rule = INTEGER_RULES[key];
    it.each([["abc"], ["1.5"], ["1e3"], [""], ["12abc"]])("rejects %j as written, naming what the key accepts", (raw) => {
      const args = tapStackArgsFromConfig(reader({ [key]: raw }));
      const expected = rule.startsWith("Allowed") ? rule : `Expected ${rule}`;
      expectConfigError(() => resolveTapStackArgs(args, "dev"), key, `Invalid config "${key}": ${JSON.stringify(raw)}. ${expected}`);
    });

    it("reports digits beyond 2^53 as written and out of range, not as 1e+23", () => {
      const raw = "99999999999999999999999";
      const args = tapStackArgsFromConfig(reader({ [key]: raw }));
      const expected = rule.startsWith("Allowed") ? rule : `It is out of range: expected ${rule}`;
      expectConfigError(() => resolveTapStackArgs(args, "dev"), key, `Invalid config "${key}": "99999999999999999999999". ${expected}`);
    });

    it("reports them out of range with the spaces a config file may keep around them", () => {
      const raw = " 99999999999999999999999 ";
      const args = tapStackArgsFromConfig(reader({ [key]: raw }));
      const expected = rule.startsWith("Allowed") ? rule : `It is out of range: expected ${rule}`;
      expectConfigError(() => resolveTapStackArgs(args, "dev"), key, `Invalid config "${key}": " 99999999999999999999999 ". ${expected}`);
    });
  });

  it("keeps a text setting that looks like a number as text", () => {
    expect(tapStackArgsFromConfig(reader({ environmentSuffix: "2024", projectName: "123" }))).toEqual({ environmentSuffix: "2024", projectName: "123" });
  });

  it("says lambdaMemoryMb 1.5 needs a whole number and gives the range", () => {
    expectConfigError(
      () => resolveTapStackArgs(tapStackArgsFromConfig(reader({ lambdaMemoryMb: "1.5" })), "dev"),
      "lambdaMemoryMb",
      'Invalid config "lambdaMemoryMb": "1.5". Expected a whole number from 128 to 10240.',
    );
  });

  describe.each(booleanKeys.map((key) => [key]))("boolean key %s", (key) => {
    it.each([["yes"], ["True"], ["1"], [""]])("rejects %j", (raw) => {
      expectConfigError(() => tapStackArgsFromConfig(reader({ [key]: raw })), key, `Invalid config "${key}": ${JSON.stringify(raw)}. Expected true or false.`);
    });
  });

  it("a converted value still goes through the range checks", () => {
    const args = tapStackArgsFromConfig(reader({ lambdaTimeoutSeconds: "901" }));
    expectConfigError(() => resolveTapStackArgs(args, "dev"), "lambdaTimeoutSeconds", 'Invalid config "lambdaTimeoutSeconds": number 901. It is out of range: expected a whole number from 1 to 900.');
  });
});
