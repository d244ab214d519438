import { TapStackArgs, namingContextOf, resolveTapStackArgs, tapStackArgsFromConfig } from "../../lib/config";
import { DASHBOARD_LIMITS, DashboardInputError, DashboardRegion, buildDashboard } from "../../lib/dashboard";
import { fitName, isValidBucketName, shortHash } from "../../lib/naming";
import { errorOf, expectConfigError } from "../support/config-errors";

/**
 * Valid/invalid pairs at the exact boundaries of the validators, each written
 * to kill a mutant that survived the other tests (see docs/mutation-testing.md):
 * the valid side fails if a limit is tightened, the
 * invalid side if it is loosened or dropped, and every rejection is checked
 * by its whole message.
 */

type UntypedArgs = Record<string, unknown>;
const resolve = (args: UntypedArgs) => resolveTapStackArgs(args as TapStackArgs, "dev");

const DOMAIN_RULE = 'Expected a lower-case DNS name such as "api.example.com" (no scheme, no trailing dot).';
const ZONE_RULE = 'Expected a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ".';
const EMAIL_RULE = 'Expected one email address such as "ops@example.com", or leave it unset.';
const ZONE = "Z0123456789ABCDEFGHIJ";

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

const PROJECT_RULE =
  'Use 2 to 24 lower-case letters, digits and single hyphens, starting with a letter, with no hyphen at either end, such as "iac-aws-nova".';
const REGION_LIST_HINT = `Expected a list of AWS region names, such as ["us-east-1","us-west-2"]. Set it with: pulumi config rm regions && pulumi config set --path 'regions[0]' us-east-1`;

describe("describeValue: every value is shown readably, and a bigint anywhere still gives a TapConfigError", () => {
  it.each([
    // Before the fix, JSON.stringify threw "Do not know how to serialize a BigInt" (a TypeError) for these two.
    ["a list holding a bigint", { projectName: [BigInt(5)] }, "projectName", `Invalid config "projectName": the list [5n]. Expected a string. ${PROJECT_RULE}`],
    ["an object holding a bigint", { regions: { first: BigInt(1) } }, "regions", `Invalid config "regions": object {"first":1n}. ${REGION_LIST_HINT}`],
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

describe("dashboard alarm widget: 1 to 100 alarms per region", () => {
  const region = (alarmCount: number): DashboardRegion => ({
    region: "us-east-1",
    functionName: "fn",
    apiName: "api",
    stageName: "dev",
    alarmArns: Array.from({ length: alarmCount }, (_, i) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:a${i}`),
  });
  const alarmsShown = (alarmCount: number) => {
    const widget = buildDashboard([region(alarmCount)]).widgets.find((w) => w.type === "alarm");
    return widget?.type === "alarm" ? widget.properties.alarms.length : undefined;
  };

  it("the limit is CloudWatch's 100", () => {
    expect(DASHBOARD_LIMITS.alarmsPerAlarmWidget).toBe(100);
  });

  it.each([1, 100])("accepts %i alarms and shows them all", (alarmCount) => {
    expect(alarmsShown(alarmCount)).toBe(alarmCount);
  });

  it.each([0, 101])("rejects %i alarms", (alarmCount) => {
    const error = errorOf(() => buildDashboard([region(alarmCount)]));
    expect(error).toBeInstanceOf(DashboardInputError);
    expect((error as Error).message).toBe(`Invalid dashboard regions[0].alarmArns: ${alarmCount} ARNs. An alarm status widget takes 1 to 100.`);
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

describe("config: survivors of the scoped mutation run of lib/config.ts", () => {
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

describe("dashboard: survivors of the scoped mutation run of lib/dashboard.ts", () => {
  const input: DashboardRegion = { region: "us-east-1", functionName: "fn", apiName: "api", stageName: "dev", alarmArns: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"] };

  it("each region's four graphs have their exact titles and are not stacked", () => {
    const graphs = buildDashboard([input]).widgets.flatMap((w) => (w.type === "metric" ? [{ title: w.properties.title, stacked: w.properties.stacked }] : []));
    expect(graphs).toEqual([
      { title: "us-east-1 · Lambda invocations and errors", stacked: false },
      { title: "us-east-1 · Lambda duration (ms)", stacked: false },
      { title: "us-east-1 · API requests, 4XX and 5XX", stacked: false },
      { title: "us-east-1 · API latency (ms)", stacked: false },
    ]);
  });

  it("the error is named DashboardInputError", () => {
    expect((errorOf(() => buildDashboard([])) as Error).name).toBe("DashboardInputError");
  });
});
