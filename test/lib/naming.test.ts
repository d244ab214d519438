import { createHash } from "crypto";
import fc from "fast-check";
import { resolveTapStackArgs } from "../../lib/config";
import {
  NAME_LIMITS,
  NamingContext,
  RegionNames,
  fitName,
  globalNames,
  isValidBucketName,
  sanitizeStackName,
  shortHash,
  stackHash,
} from "../../lib/naming";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";

/**
 * Pure tests of lib/naming.ts: AWS's name rules for every resource, the
 * bucket-name predicate itself, deterministic shortening, and (with
 * fast-check) any valid project name, any stack name, every commercial region.
 */

/**
 * AWS's name rules, written out here from AWS's API references so they are checked independently of
 * lib/naming.ts. Where a reference allows Unicode, the rule here is the printable-ASCII subset tap's names use.
 */
const AWS_NAME_RULES = {
  // Lambda CreateFunction, FunctionName: https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
  lambdaFunction: /^[A-Za-z0-9_-]{1,64}$/,
  // IAM CreateRole, RoleName: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
  iamRole: /^[\w+=,.@-]{1,64}$/,
  // CloudWatch Logs CreateLogGroup, logGroupName: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
  logGroup: /^[A-Za-z0-9_\-/.#]{1,512}$/,
  // CloudWatch PutDashboard, DashboardName: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
  dashboard: /^[A-Za-z0-9_-]{1,255}$/,
  // CloudWatch PutMetricAlarm, AlarmName: 1-255 UTF-8 characters, no control characters.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
  alarm: /^[\x20-\x7e]{1,255}$/,
  // EC2 CreateSecurityGroup, GroupName: at most 255 of a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$*, never starting
  // with sg-. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
  securityGroup: /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/,
  // SNS CreateTopic, Name: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
  snsTopic: /^[A-Za-z0-9_-]{1,256}$/,
  // WAFv2 CreateWebACL, Name (EntityName): https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
  wafWebAcl: /^[\w-]{1,128}$/,
  // API Gateway CreateRestApi, name: a required string with no documented pattern, so only printable text of a
  // bounded length is checked. https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html
  restApi: /^[\x20-\x7e]{1,1024}$/,
  // A tag value is at most 256 characters: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html
  tagValue: /^[\x20-\x7e]{1,256}$/,
} as const;

const DEFAULT_CONTEXT: NamingContext = { project: "iac-aws-nova", environment: "dev", stack: "dev" };
/** Longest project (24) and environment (16) in the longest region name: forces every shortening. */
const LONGEST_CONTEXT: NamingContext = { project: "abcdefghijklmnopqrstuvwx", environment: "abcdefghijklmnop", stack: "My_Stack.Prod" };
const LONGEST_REGION = [...COMMERCIAL_REGION_NAMES].sort((a, b) => b.length - a.length)[0];

/** Every regional physical name, by the rule it must meet. */
function regionalNames(names: RegionNames): Array<[label: string, name: string, rule: RegExp]> {
  return [
    ["lambdaFunction", names.lambdaFunction, AWS_NAME_RULES.lambdaFunction],
    ["lambdaRole", names.lambdaRole, AWS_NAME_RULES.iamRole],
    ["flowLogRole", names.flowLogRole, AWS_NAME_RULES.iamRole],
    ["flowLogGroup", names.flowLogGroup, AWS_NAME_RULES.logGroup],
    ["lambdaLogGroup", names.lambdaLogGroup, AWS_NAME_RULES.logGroup],
    ["apiAccessLogGroup", names.apiAccessLogGroup, AWS_NAME_RULES.logGroup],
    ["lambdaSecurityGroup", names.lambdaSecurityGroup, AWS_NAME_RULES.securityGroup],
    ["alarm(errors)", names.alarm("errors"), AWS_NAME_RULES.alarm],
    ["alarm(api-5xx)", names.alarm("api-5xx"), AWS_NAME_RULES.alarm],
    ["alarmTopic", names.alarmTopic, AWS_NAME_RULES.snsTopic],
    ["webAcl", names.webAcl, AWS_NAME_RULES.wafWebAcl],
    ["restApi", names.restApi, AWS_NAME_RULES.restApi],
    ["vpc", names.vpc, AWS_NAME_RULES.tagValue],
    ["privateSubnet(0)", names.privateSubnet(0), AWS_NAME_RULES.tagValue],
    ["privateSubnet(1)", names.privateSubnet(1), AWS_NAME_RULES.tagValue],
  ];
}

/** The account the bucket names are built for, unless a test says otherwise. */
const ACCOUNT = "123456789012";

/** All of one region's names as one record, for determinism and distinctness checks. */
function allNames(names: RegionNames, accountId = ACCOUNT): Record<string, string> {
  const entries = regionalNames(names).map(([label, name]) => [label, name] as const);
  return Object.fromEntries([...entries, ["artifactBucket", names.artifactBucket(accountId)]]);
}

/** Every broken rule of one context's names in every commercial region, as readable strings (empty when all hold). */
function nameRuleViolations(context: NamingContext): string[] {
  const violations: string[] = [];
  for (const region of COMMERCIAL_REGION_NAMES) {
    const names = new RegionNames(context, region);
    for (const [label, name, rule] of regionalNames(names)) {
      if (!rule.test(name)) violations.push(`${region} ${label} ${JSON.stringify(name)} breaks ${rule}`);
    }
    const bucket = names.artifactBucket(ACCOUNT);
    if (!isValidBucketName(bucket)) violations.push(`${region} artifactBucket ${JSON.stringify(bucket)} is not a valid bucket name`);
    // A role namePrefix: IAM role characters, at most 38 (64 less the 26-character unique suffix).
    const prefix = names.apiGatewayCloudWatchRolePrefix;
    if (!/^[\w+=,.@-]{1,38}$/.test(prefix)) violations.push(`${region} apiGatewayCloudWatchRolePrefix ${JSON.stringify(prefix)}`);
    // IAM roles and buckets are global: only the region keeps the regions' copies apart.
    for (const name of [names.lambdaRole, names.flowLogRole, prefix, bucket]) {
      if (!name.includes(`-${region}-`)) violations.push(`${region} ${JSON.stringify(name)} lacks its region`);
    }
  }
  const global = globalNames(context);
  if (!AWS_NAME_RULES.dashboard.test(global.dashboard)) violations.push(`dashboard ${JSON.stringify(global.dashboard)}`);
  for (const region of COMMERCIAL_REGION_NAMES) {
    const alarm = global.healthCheckAlarm(region);
    if (!AWS_NAME_RULES.alarm.test(alarm)) violations.push(`health-check alarm ${JSON.stringify(alarm)}`);
  }
  return violations;
}

function accepted(args: { projectName?: string; environmentSuffix?: string }): boolean {
  try {
    resolveTapStackArgs(args, "dev");
    return true;
  } catch {
    return false;
  }
}

// --- generators, from the config validator's grammar: lower-case words joined by single hyphens ---
const LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");
const ALPHANUMERIC = [...LETTERS, ..."0123456789".split("")];
const word = (minLength: number) => fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength, maxLength: 10 });
const hyphenated = (head: fc.Arbitrary<string>) =>
  fc.tuple(head, fc.array(word(1), { maxLength: 4 })).map(([first, rest]) => [first, ...rest].join("-"));

/** Project names the validator accepts: start with a letter, 2-24 characters. */
const projectNames = fc.oneof(
  hyphenated(fc.tuple(fc.constantFrom(...LETTERS), word(0)).map(([letter, tail]) => letter + tail)),
  fc.constantFrom("ab", "iac-aws-nova", "abcdefghijklmnopqrstuvwx", "a-b-c-d-e-f-g-h-i-j-k-l", "sthreex", "xn-a", "sgx"),
).filter((projectName) => projectName.length <= 24 && accepted({ projectName }));

/** Environment suffixes the validator accepts: 1-16 characters, may start with a digit. */
const environmentSuffixes = fc.oneof(hyphenated(word(1)), fc.constantFrom("dev", "prod", "1", "abcdefghijklmnop"))
  .filter((environmentSuffix) => environmentSuffix.length <= 16 && accepted({ environmentSuffix }));

/** Any stack name: Pulumi-style ones, arbitrary Unicode (astral planes included), and long ones. */
const stackNames = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", minLength: 60, maxLength: 120 }),
  fc.constantFrom("My_Stack.Prod", "s3alias", "x-s3alias", "--", "日本語", "İSTANBUL", ""),
);

describe("isValidBucketName against known names", () => {
  it.each([
    ["abc", "the shortest allowed (3)"],
    ["a".repeat(63), "the longest allowed (63)"],
    ["my-bucket-1", "letters, digits and hyphens"],
    ["my.bucket.name", "single dots"],
    ["1bucket", "starts with a digit"],
    ["1.2.3", "digits and dots but not an IP address"],
    ["xn-bucket", "xn- with one hyphen only"],
    ["my-s3alias-bucket", "a reserved suffix in the middle"],
    ["iac-aws-nova-artifacts-us-east-1-dev-my-stack-prod", "tap's own bucket name"],
  ])("accepts %j (%s)", (name) => {
    expect(isValidBucketName(name)).toBe(true);
  });

  it.each([
    ["", "empty"],
    ["ab", "too short (2)"],
    ["a".repeat(64), "too long (64)"],
    ["My-bucket", "upper case"],
    ["my_bucket", "underscore"],
    ["my bucket", "space"],
    ["bücket", "non-ASCII letter"],
    ["-bucket", "starts with a hyphen"],
    ["bucket-", "ends with a hyphen"],
    [".bucket", "starts with a dot"],
    ["bucket.", "ends with a dot"],
    ["my..bucket", "two adjacent dots"],
    ["192.168.5.4", "shaped like an IP address"],
    ["xn--bucket", "reserved prefix xn--"],
    ["sthree-bucket", "reserved prefix sthree-"],
    ["sthree-configurator-x", "reserved prefix sthree-configurator"],
    ["amzn-s3-demo-bucket", "reserved prefix amzn-s3-demo-"],
    ["bucket-s3alias", "reserved suffix -s3alias"],
    ["bucket--ol-s3", "reserved suffix --ol-s3"],
    ["bucket.mrap", "reserved suffix .mrap"],
    ["bucket--x-s3", "reserved suffix --x-s3"],
    ["bucket--table-s3", "reserved suffix --table-s3"],
  ])("rejects %j (%s)", (name) => {
    expect(isValidBucketName(name)).toBe(false);
  });
});

describe("isValidBucketName: only a whole IP-address shape is refused", () => {
  it.each([
    ["192.168.5.4", false],
    ["192.168.55.44", false],
    ["10.200.300.4000", false],
    // Each of these contains an IP-address shape but is not one: S3 accepts it.
    ["a192.168.5.4", true],
    ["192.168.5.4a", true],
    ["192.168.5.4.5", true],
  ])("%s: valid %s", (name, valid) => {
    expect(isValidBucketName(name)).toBe(valid);
  });
});

describe("sanitizeStackName", () => {
  it.each([
    ["My_Stack.Prod", "my-stack-prod"],
    ["dev", "dev"],
    ["Prod-EU", "prod-eu"],
    ["a  b__c..d", "a-b-c-d"],
    ["-edge-", "edge"],
    ["ünïcode", "n-code"],
    ["日本語", "stack"],
    ["__", "stack"],
    ["", "stack"],
  ])("%j becomes %j", (stack, expected) => {
    expect(sanitizeStackName(stack)).toBe(expected);
  });
});

describe("fitName and shortHash", () => {
  it("shortHash is the first 8 hex digits of SHA-256", () => {
    // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
    expect(shortHash("hello")).toBe("2cf24dba");
  });

  it("returns a name that fits unchanged", () => {
    expect(fitName("a".repeat(64), 64)).toBe("a".repeat(64));
  });

  it("shortens a long name to exactly maxLength: the prefix, a hyphen and the hash of the full name", () => {
    const long = "a".repeat(70);
    const fitted = fitName(long, 64);
    expect(fitted).toHaveLength(64);
    expect(fitted).toBe(`${"a".repeat(55)}-${shortHash(long)}`);
    expect(fitted).toBe("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-6bd5e503");
  });

  it("trims separators at the cut, so the result is shorter by them and has no double hyphen", () => {
    // The 5-character prefix would be "abcd-".
    const fitted = fitName("abcd-fghijklmnop", 14);
    expect(fitted).toBe(`abcd-${shortHash("abcd-fghijklmnop")}`);
    expect(fitted).toHaveLength(13);
  });

  it("is deterministic", () => {
    const long = `${"x".repeat(100)}-end`;
    expect(fitName(long, 64)).toBe(fitName(long, 64));
  });

  it("keeps two long names that differ only in their last character apart", () => {
    const a = fitName(`${"p".repeat(80)}-a`, 64);
    const b = fitName(`${"p".repeat(80)}-b`, 64);
    expect(a).not.toBe(b);
    expect(a.slice(0, 55)).toBe(b.slice(0, 55));
    expect([a.length, b.length]).toEqual([64, 64]);
  });
});

describe("fitName: separators at the cut are trimmed however many there are", () => {
  it("cuts `xxxxxxxxxx--yyy…` to 21 characters without a double hyphen: the prefix loses both separators", () => {
    const name = `${"x".repeat(10)}--${"y".repeat(30)}`;
    // 21 - 9 ("-" and 8 hash digits) = 12 characters kept: "xxxxxxxxxx--", then both hyphens trimmed.
    expect(fitName(name, 21)).toBe(`${"x".repeat(10)}-${shortHash(name)}`);
  });

  it("trims a mixed run of separators too", () => {
    const name = `${"x".repeat(9)}._-${"y".repeat(30)}`;
    expect(fitName(name, 21)).toBe(`${"x".repeat(9)}-${shortHash(name)}`);
  });
});

describe("RegionNames: exact names", () => {
  const names = new RegionNames(DEFAULT_CONTEXT, "us-east-1");
  // shortHash("iac-aws-nova/dev"): the stack's hash, which ends every physical name.
  const DEV = "2f69835b";

  it("the stack hash is the first 8 hex digits of SHA-256 of {project}/{stack}", () => {
    expect(stackHash(DEFAULT_CONTEXT)).toBe(DEV);
    expect(stackHash(DEFAULT_CONTEXT)).toBe(createHash("sha256").update("iac-aws-nova/dev").digest("hex").slice(0, 8));
  });

  it.each([
    ["vpc", names.vpc, `iac-aws-nova-vpc-us-east-1-dev-${DEV}`],
    ["privateSubnet(0)", names.privateSubnet(0), `iac-aws-nova-private-1-us-east-1-dev-${DEV}`],
    ["privateSubnet(1)", names.privateSubnet(1), `iac-aws-nova-private-2-us-east-1-dev-${DEV}`],
    ["lambdaSecurityGroup", names.lambdaSecurityGroup, `iac-aws-nova-lambda-sg-us-east-1-dev-${DEV}`],
    ["flowLogGroup", names.flowLogGroup, `/aws/vpc-flow-logs/iac-aws-nova-vpc-us-east-1-dev-${DEV}`],
    ["flowLogRole", names.flowLogRole, `iac-aws-nova-flow-logs-us-east-1-dev-${DEV}`],
    ["lambdaFunction", names.lambdaFunction, `iac-aws-nova-api-us-east-1-dev-${DEV}`],
    ["lambdaLogGroup", names.lambdaLogGroup, `/aws/lambda/iac-aws-nova-api-us-east-1-dev-${DEV}`],
    ["lambdaRole", names.lambdaRole, `iac-aws-nova-lambda-role-us-east-1-dev-${DEV}`],
    ["restApi", names.restApi, `iac-aws-nova-api-us-east-1-dev-${DEV}`],
    ["apiAccessLogGroup", names.apiAccessLogGroup, `/aws/apigateway/iac-aws-nova-api-access-us-east-1-dev-${DEV}`],
    ["apiGatewayCloudWatchRolePrefix", names.apiGatewayCloudWatchRolePrefix, "iac-aws-nova-apigw-us-east-1-"],
    ["alarm(errors)", names.alarm("errors"), `iac-aws-nova-errors-alarm-us-east-1-dev-${DEV}`],
    ["alarmTopic", names.alarmTopic, `iac-aws-nova-alarms-us-east-1-dev-${DEV}`],
    ["webAcl", names.webAcl, `iac-aws-nova-waf-us-east-1-dev-${DEV}`],
    // shortHash("123456789012/iac-aws-nova/dev"): the account is part of the bucket's hash.
    ["artifactBucket", names.artifactBucket("123456789012"), "iac-aws-nova-artifacts-us-east-1-dev-87023d81"],
  ])("%s is %j", (_label, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it("global names: the dashboard and the health-check alarm", () => {
    const global = globalNames(DEFAULT_CONTEXT);
    expect(global.dashboard).toBe(`iac-aws-nova-dashboard-dev-${DEV}`);
    expect(global.healthCheckAlarm("eu-west-1")).toBe(`iac-aws-nova-health-alarm-eu-west-1-dev-${DEV}`);
  });

  it("the bucket name's hash covers account, project and stack: any stack name gives a valid bucket name", () => {
    for (const stack of ["My_Stack.Prod", "s3alias", "x-S3Alias", "--", "日本語"]) {
      const bucket = new RegionNames({ ...DEFAULT_CONTEXT, stack }, "us-east-1").artifactBucket(ACCOUNT);
      expect(bucket).toBe(`iac-aws-nova-artifacts-us-east-1-dev-${shortHash(`${ACCOUNT}/iac-aws-nova/${stack}`)}`);
      expect(isValidBucketName(bucket)).toBe(true);
    }
  });

  it("shortens the longest inputs to the exact limit, keeping the full region", () => {
    const long = new RegionNames(LONGEST_CONTEXT, "ap-southeast-7");
    expect(LONGEST_REGION).toHaveLength("ap-southeast-7".length);
    expect(long.lambdaRole).toBe("abcdefghijklmnopqrstuvwx-lambda-role-ap-southeast-7-abc-7b679b77");
    expect(long.lambdaRole).toHaveLength(NAME_LIMITS.iamRole);
    expect(long.flowLogRole).toBe("abcdefghijklmnopqrstuvwx-flow-logs-ap-southeast-7-abcde-38125f9e");
    // A namePrefix keeps the region whole and cuts the project: IAM's unique suffix tells roles apart.
    expect(long.apiGatewayCloudWatchRolePrefix).toBe("abcdefghijklmnop-apigw-ap-southeast-7-");
    expect(long.apiGatewayCloudWatchRolePrefix).toHaveLength(NAME_LIMITS.iamRoleNamePrefix);
    expect(long.artifactBucket(ACCOUNT)).toBe("abcdefghijklmnopqrstuvwx-artifacts-ap-southeast-7-abcd-0a839899");
    expect(long.artifactBucket(ACCOUNT)).toHaveLength(NAME_LIMITS.s3Bucket);
    expect(long.lambdaFunction).toBe("abcdefghijklmnopqrstuvwx-api-ap-southeast-7-abcdefghijk-f4a6fb65");
    expect(long.lambdaFunction).toHaveLength(NAME_LIMITS.lambdaFunction);
  });
});

describe("names of two stacks in one account, and of one stack in two accounts", () => {
  const named = (context: NamingContext, region: string) => allNames(new RegionNames(context, region));
  const shared = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((label) => a[label] === b[label]);

  it.each<[string, NamingContext, NamingContext]>([
    ["dev and prod", DEFAULT_CONTEXT, { project: "iac-aws-nova", environment: "prod", stack: "prod" }],
    // A new stack without environmentSuffix used to get "dev" too; two stacks may also set the same one.
    ["alice-dev and bob-dev, both environment dev", { ...DEFAULT_CONTEXT, stack: "alice-dev" }, { ...DEFAULT_CONTEXT, stack: "bob-dev" }],
    ["dev_1 and dev-1, which sanitize alike", { ...DEFAULT_CONTEXT, stack: "dev_1" }, { ...DEFAULT_CONTEXT, stack: "dev-1" }],
  ])("%s share no physical name in any region, nor the dashboard", (_label, a, b) => {
    for (const region of COMMERCIAL_REGION_NAMES) {
      expect([region, shared(named(a, region), named(b, region))]).toEqual([region, []]);
    }
    expect(globalNames(a).dashboard).not.toBe(globalNames(b).dashboard);
  });

  it("the same stack in two accounts gets two bucket names (bucket names are global across accounts)", () => {
    const names = new RegionNames(DEFAULT_CONTEXT, "us-east-1");
    expect([names.artifactBucket("111111111111"), names.artifactBucket("222222222222")]).toEqual([
      `iac-aws-nova-artifacts-us-east-1-dev-${shortHash("111111111111/iac-aws-nova/dev")}`,
      `iac-aws-nova-artifacts-us-east-1-dev-${shortHash("222222222222/iac-aws-nova/dev")}`,
    ]);
  });

  it("role names include the region, so one account's regions never share a role", () => {
    const roles = COMMERCIAL_REGION_NAMES.map((region) => new RegionNames(LONGEST_CONTEXT, region).lambdaRole);
    COMMERCIAL_REGION_NAMES.forEach((region, index) => expect(roles[index]).toContain(`-${region}-`));
  });
});

describe("property: any valid project, any stack, every commercial region", () => {
  it("every name meets its AWS rule and contains its region; the bucket name is valid", () => {
    fc.assert(
      fc.property(projectNames, environmentSuffixes, stackNames, (project, environment, stack) => {
        expect(nameRuleViolations({ project, environment, stack })).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("names are deterministic and distinct across all regions", () => {
    fc.assert(
      fc.property(projectNames, environmentSuffixes, stackNames, (project, environment, stack) => {
        const context = { project, environment, stack };
        const byRegion = COMMERCIAL_REGION_NAMES.map((region) => allNames(new RegionNames(context, region)));
        const again = COMMERCIAL_REGION_NAMES.map((region) => allNames(new RegionNames({ ...context }, region)));
        expect(JSON.stringify(again)).toBe(JSON.stringify(byRegion));
        const collisions = Object.keys(byRegion[0]).filter((label) => new Set(byRegion.map((names) => names[label])).size !== byRegion.length);
        expect(collisions).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("two different stacks share no physical name in any region, whatever their names and environments", () => {
    fc.assert(
      fc.property(projectNames, environmentSuffixes, stackNames, stackNames, (project, environment, stackA, stackB) => {
        fc.pre(stackA !== stackB);
        const collisions = COMMERCIAL_REGION_NAMES.flatMap((region) => {
          const a = allNames(new RegionNames({ project, environment, stack: stackA }, region));
          const b = allNames(new RegionNames({ project, environment, stack: stackB }, region));
          return Object.keys(a).filter((label) => a[label] === b[label]).map((label) => `${region} ${label}`);
        });
        expect(collisions).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
