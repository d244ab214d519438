import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CostedResource, PRICES, estimateMonthlyCost, formatUsd, roundCents } from "../../../offline/plan/costs";
import { DEFAULT_LIFECYCLE_OPTIONS, type RecordedResource } from "../../../offline/mock-cloud";
import { PlanConfigError, loadStackConfig, parseConfigOverride } from "../../../offline/stack-config/loader";
import { configWarnings } from "../../../lib/config-warnings";
import { displayType, keySettings, physicalName } from "../../../offline/plan/describe";
import { EXIT_CODES, exitCodeForViolations } from "../../../offline/plan/exit";
import { toDot, toPreviewJson } from "../../../offline/plan/export";
import { GLOBAL_COLUMN, buildPlanModel, childrenByParent, countResources, creationWaves } from "../../../offline/plan/model";
import { renderCosts, renderTree } from "../../../offline/plan/render";
import { COLOR, PLAIN, chooseStyle } from "../../../offline/plan/style";

/**
 * The plan's pure parts: the cost estimate, the config loader, the
 * per-type descriptions, the model, and the JSON and DOT writers. No Pulumi
 * runtime is loaded here (test/offline/plan/cli.test.ts runs the real program).
 */

const HOURS = PRICES.hoursPerMonth;

function resource(type: string, region: string | undefined, inputs: Record<string, unknown> = {}, name = "r", id?: string): CostedResource {
  return { type, name, region, inputs, id };
}

function alarms(region: string, count: number): CostedResource[] {
  return Array.from({ length: count }, (_, index) => resource("aws:cloudwatch/metricAlarm:MetricAlarm", region, { period: 60, metricName: "Errors" }, `alarm-${region}-${index}`));
}

describe("estimateMonthlyCost", () => {
  const useast = "us-east-1";
  const euwest = "eu-west-1";
  const resources: CostedResource[] = [
    resource("aws:ec2/natGateway:NatGateway", useast),
    resource("aws:ec2/eip:Eip", useast, { domain: "vpc" }),
    resource("aws:ec2/vpcEndpoint:VpcEndpoint", useast, { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] }),
    resource("aws:ec2/vpcEndpoint:VpcEndpoint", useast, { vpcEndpointType: "Gateway" }),
    ...alarms(useast, 6),
    ...alarms(euwest, 6),
    resource("aws:cloudwatch/metricAlarm:MetricAlarm", euwest, {
      metricQueries: [{ id: "e1", expression: "m1 / m2" }, { id: "m1", metric: { period: 60 } }, { id: "m2", metric: { period: 60 } }],
    }),
    resource("aws:cloudwatch/metricAlarm:MetricAlarm", euwest, { period: 10 }),
    resource("aws:cloudwatch/compositeAlarm:CompositeAlarm", useast),
    ...Array.from({ length: 4 }, (_, index) => resource("aws:cloudwatch/dashboard:Dashboard", useast, {}, `dashboard-${index}`)),
    resource("aws:route53/healthCheck:HealthCheck", useast, { type: "HTTPS_STR_MATCH", requestInterval: 10, measureLatency: true }),
    resource("aws:route53/healthCheck:HealthCheck", useast, { type: "CALCULATED" }),
    resource("aws:kms/key:Key", euwest),
    resource("aws:wafv2/webAcl:WebAcl", euwest, { rules: [{}, {}, {}] }),
    resource("aws:apigateway/stage:Stage", euwest, { cacheClusterEnabled: true, cacheClusterSize: "1.6" }),
    resource("aws:apigateway/stage:Stage", euwest, { cacheClusterEnabled: true, cacheClusterSize: "3" }, "odd-stage"),
    resource("aws:apigateway/stage:Stage", euwest, { cacheClusterEnabled: false }),
    resource("aws:lambda/function:Function", euwest, { name: "my-fn", memorySize: 512, architectures: ["arm64"] }, "fn"),
    resource("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", euwest, { functionName: "my-fn", provisionedConcurrentExecutions: 2 }),
    resource("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", euwest, { functionName: "elsewhere", provisionedConcurrentExecutions: 1 }, "pc-elsewhere"),
    resource("aws:acm/certificate:Certificate", useast, { domainName: "api.example.com" }),
  ];
  const estimate = estimateMonthlyCost(resources);
  const line = (item: string, region: string) => estimate.lines.find((candidate) => candidate.item === item && candidate.region === region);

  it.each([
    ["NAT gateway", useast, 1, 32.85],
    ["Public IPv4 address (Elastic IP)", useast, 1, 3.65],
    ["Interface VPC endpoint (3 AZs)", useast, 3, 21.9],
    ["CloudWatch alarm metrics", useast, 6, 0.6],
    ["CloudWatch alarm metrics", euwest, 8, 0.8],
    ["CloudWatch alarm metrics, high resolution", euwest, 1, 0.3],
    ["CloudWatch composite alarms", useast, 1, 0.5],
    ["CloudWatch dashboards", useast, 4, 12],
    ["Route 53 health checks", useast, 1, 0.75],
    ["Route 53 health-check options (HTTPS, string matching, fast interval, latency measurement)", useast, 4, 8],
    ["Route 53 health checks (calculated)", useast, 1, 0.5],
    ["KMS customer managed keys", euwest, 1, 1],
    ["WAF web ACLs", euwest, 1, 5],
    ["WAF rules", euwest, 3, 3],
    ["API Gateway cache (1.6 GB)", euwest, 1, 27.74],
    ["Lambda provisioned concurrency (512 MB, arm64)", euwest, 2, 8.76],
    ["Lambda provisioned concurrency (128 MB, x86_64)", euwest, 1, 1.37],
  ])("prices %s in %s: %d for $%d a month", (item, region, quantity, usd) => {
    expect(line(item, region)).toMatchObject({ quantity, monthlyUsd: usd });
  });

  it("prices nothing else: gateway endpoints, caches that are off and ACM certificates are free", () => {
    expect(estimate.lines).toHaveLength(17);
    expect(estimate.regions).toEqual([useast, euwest]);
  });

  it("sums each region, then takes the account-wide free tier off the total only", () => {
    expect(estimate.subtotalByRegion).toEqual({ [useast]: 80.75, [euwest]: 47.97 });
    expect(estimate.subtotalUsd).toBe(128.72);
    expect(estimate.freeTier).toEqual([
      { item: "Free tier: 10 of the first 10 alarm metrics", monthlyUsd: -1 },
      { item: "Free tier: 3 of the first 3 dashboards", monthlyUsd: -9 },
    ]);
    expect(estimate.totalUsd).toBe(118.72);
  });

  it("warns about what it could not price exactly, naming the resource", () => {
    expect(estimate.warnings).toEqual([
      'Stage odd-stage: no price for cache size "3" GB (priced sizes: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237); its cache is not in the total.',
      'Provisioned concurrency pc-elsewhere: function "elsewhere" is not in the plan, so 128 MB x86_64 (Lambda\'s defaults) was assumed.',
    ]);
  });

  it("lists per-unit prices for the usage-based charges of the planned types only", () => {
    expect(estimate.usageNotes).toEqual([
      "Lambda: $0.20 per million Lambda requests; $0.0000133334 per Lambda GB-second, arm64; $0.0000166667 per Lambda GB-second, x86_64.",
      "NAT gateway: $0.045 per GB processed by a NAT gateway.",
      "VPC endpoints: $0.01 per GB processed by an interface endpoint; gateway endpoints (S3, DynamoDB) are free.",
      "WAF: $0.60 per million requests inspected by WAF.",
      "KMS: $0.03 per 10,000 KMS requests.",
      "ACM: public certificates are free.",
    ]);
  });

  it("keeps the whole free tier when fewer alarms and dashboards are planned, and never goes below zero", () => {
    const small = estimateMonthlyCost([...alarms(useast, 4), ...alarms(euwest, 4), resource("aws:cloudwatch/dashboard:Dashboard", useast)]);
    expect([small.subtotalUsd, small.totalUsd]).toEqual([3.8, 0]);
    expect(small.freeTier.map((credit) => credit.monthlyUsd)).toEqual([-0.8, -3]);
  });

  it("orders regions (and their lines) as the plan's providers are, whatever order the resources came in", () => {
    const ordered = estimateMonthlyCost([resource("aws:kms/key:Key", euwest), resource("aws:kms/key:Key", useast), resource("aws:kms/key:Key", "ap-south-1")], PRICES, [useast, euwest]);
    expect(ordered.regions).toEqual([useast, euwest, "ap-south-1"]);
    expect(ordered.lines.map((line) => line.region)).toEqual([useast, euwest, "ap-south-1"]);
  });

  it("charges nothing for an empty plan", () => {
    expect(estimateMonthlyCost([])).toMatchObject({ lines: [], regions: [], subtotalUsd: 0, freeTier: [], totalUsd: 0, usageNotes: [], warnings: [] });
  });

  it("renders one row per charge, a column per region, and the total after the free tier", () => {
    const text = renderCosts(estimate, PLAIN).join("\n");
    expect(text).toMatch(/NAT gateway: 1 x \$0\.045\/h x 730 h\s+\$32\.85\s+\$32\.85\n/);
    expect(text).toMatch(/Lambda provisioned concurrency \(512 MB, arm64\): 2 x 0\.5 GB x 2,628,000 s x \$0\.0000033334\/GB-s\s+\$8\.76\s+\$8\.76\n/);
    expect(text).toMatch(/Subtotal\s+\$80\.75\s+\$47\.97\s+\$128\.72\n/);
    expect(text).toMatch(/Free tier: 3 of the first 3 dashboards \(account-wide\)\s+-\$9\.00\n/);
    expect(text).toMatch(/Estimated fixed cost per month\s+\$118\.72\n/);
    expect(renderCosts(estimateMonthlyCost([]), PLAIN).join("\n")).toContain("No fixed monthly charges: every planned resource is free or billed by usage only. Total $0.00.");
  });
});

describe("the price table (offline/plan/prices.json)", () => {
  it("dates itself and names a known source for every price", () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}$/);
    expect(PRICES.hoursPerMonth).toBe(730);
    for (const [key, price] of Object.entries(PRICES.prices)) {
      expect([key, price.usd > 0, Object.keys(PRICES.sources).includes(price.source)]).toEqual([key, true, true]);
    }
    expect(Object.keys(PRICES.sources)).toContain(PRICES.apiCacheHourBySizeGb.source);
  });

  it("prices every cache size the config accepts", async () => {
    const { API_CACHE_SIZES_GB } = await import("../../../lib/config");
    expect(Object.keys(PRICES.apiCacheHourBySizeGb.usd).sort()).toEqual([...API_CACHE_SIZES_GB].sort());
  });

  // Amazon VPC pricing (https://aws.amazon.com/vpc/pricing/): a NAT gateway costs $0.045 an hour, about $33 a month,
  // and an interface endpoint $0.01 per AZ-hour, about $7.30 a month per AZ (us-east-1).
  it("gives AWS's published monthly figures: NAT about $33, an interface endpoint AZ $7.30", () => {
    expect(roundCents(PRICES.prices.natGatewayHour.usd * HOURS)).toBe(32.85);
    expect(roundCents(PRICES.prices.interfaceEndpointAzHour.usd * HOURS)).toBe(7.3);
  });

  it.each([
    [0, "$0.00"],
    [73, "$73.00"],
    [-0.8, "-$0.80"],
    [1234.5, "$1,234.50"],
  ])("formats %d as %s", (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });
});

describe("loadStackConfig", () => {
  let dir: string;
  const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tap-plan-config-"));
    write(
      "Pulumi.yaml",
      [
        "name: demo",
        "config:",
        "  flag:",
        "    type: boolean",
        "    default: false",
        "  count:",
        "    type: integer",
        "    default: 30",
        "  regions:",
        "    type: array",
        "    default: [us-east-1, us-west-2]",
        "  email:",
        "    type: string",
        '    default: ""',
        "  required:",
        "    type: string",
        "  aws:region: us-east-1",
      ].join("\n"),
    );
    write("Pulumi.dev.yaml", "config:\n  demo:count: 7\n  demo:regions:\n    - eu-west-1\n");
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("applies Pulumi.yaml defaults, then the stack file, as the engine's text values", () => {
    const config = loadStackConfig(dir, "dev");
    expect(config.project).toBe("demo");
    expect(config.values).toEqual({
      "aws:region": "us-east-1",
      "demo:count": "7",
      "demo:email": "",
      "demo:flag": "false",
      "demo:regions": '["eu-west-1"]',
    });
    expect(Object.keys(config.values)).toEqual(["aws:region", "demo:count", "demo:email", "demo:flag", "demo:regions"]);
    expect(config.origins["demo:count"]).toBe("Pulumi.dev.yaml");
    expect(config.origins["demo:flag"]).toBe("Pulumi.yaml default");
    expect(config.warnings).toEqual([]);
  });

  it("lets --config override both, with bare or qualified keys, and keeps the text as given", () => {
    const config = loadStackConfig(dir, "dev", ["flag=true", "demo:count=abc", 'regions=["ap-south-1"]', "email="]);
    expect(config.values).toMatchObject({ "demo:flag": "true", "demo:count": "abc", "demo:regions": '["ap-south-1"]', "demo:email": "" });
    expect(config.origins["demo:flag"]).toBe("--config");
  });

  it("warns about a project key Pulumi.yaml does not declare", () => {
    expect(loadStackConfig(dir, "dev", ["falg=true"]).warnings).toEqual([
      'Config key "demo:falg" (from --config) is not declared in Pulumi.yaml, so the program does not read it. Check the spelling.',
    ]);
  });

  it("names the missing stack file and the stacks that have one", () => {
    write("Pulumi.staging.yaml", "config: {}\n");
    expect(() => loadStackConfig(dir, "prod")).toThrow(
      new PlanConfigError(
        `Stack "prod" has no config file: Pulumi.prod.yaml does not exist in ${dir}. Stacks with a config file: dev, staging. ` +
          "Choose one with --stack <name>, or create Pulumi.prod.yaml with a config: map.",
      ),
    );
  });

  it("refuses a secret it cannot decrypt, saying how to override it", () => {
    write("Pulumi.dev.yaml", "config:\n  demo:email:\n    secure: AAABAKr0\n");
    expect(() => loadStackConfig(dir, "dev")).toThrow(
      'Pulumi.dev.yaml: config key "demo:email" is a secret, which the offline plan and local server cannot decrypt (there is no Pulumi backend here). Override it for the plan with --config demo:email=<value>, or give the stack file a plain value.',
    );
  });

  it("refuses a key with no value", () => {
    write("Pulumi.dev.yaml", "config:\n  demo:email:\n");
    expect(() => loadStackConfig(dir, "dev")).toThrow('Pulumi.dev.yaml: config key "demo:email" has no value. Give it a value or remove the line.');
  });

  it("refuses a directory without Pulumi.yaml", () => {
    fs.rmSync(path.join(dir, "Pulumi.yaml"));
    expect(() => loadStackConfig(dir, "dev")).toThrow(`No Pulumi.yaml in ${dir}: run this from the project's directory.`);
  });

  it("refuses a stack name that is a path, before it reads any file outside the project", () => {
    // Before the rule, "/../../evil" made the stack file <dir>/Pulumi./../../evil.yaml, that is <dir>/../evil.yaml.
    const project = path.join(dir, "project");
    fs.mkdirSync(project);
    fs.renameSync(path.join(dir, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    write("evil.yaml", "config:\n  demo:count: 666\n");
    expect(() => loadStackConfig(project, "/../../evil")).toThrow(
      new PlanConfigError('--stack "/../../evil": expected a stack name of letters, digits, "-", "_" and "." (1 to 100 characters, starting with a letter or digit), such as "dev".'),
    );
  });

  it("keeps a number or boolean scalar's text as written, as the engine does: 6.10 stays \"6.10\"", () => {
    write("Pulumi.dev.yaml", "config:\n  demo:size: 6.10\n  demo:big: 99999999999999999999999\n  demo:hex: 0x1F\n  demo:flag: true\n  demo:list: [1.50, x]\n");
    expect(loadStackConfig(dir, "dev").values).toMatchObject({
      "demo:size": "6.10",
      "demo:big": "99999999999999999999999",
      "demo:hex": "0x1F",
      "demo:flag": "true",
      // Inside a list the engine marshals JSON, as here.
      "demo:list": '[1.5,"x"]',
    });
  });

  it("refuses an explicit null (~) like an empty value", () => {
    write("Pulumi.dev.yaml", "config:\n  demo:email: ~\n");
    expect(() => loadStackConfig(dir, "dev")).toThrow(new PlanConfigError('Pulumi.dev.yaml: config key "demo:email" has no value. Give it a value or remove the line.'));
  });

  it("warns that aws:region is ignored when Pulumi.yaml disables the default AWS provider", () => {
    write("Pulumi.yaml", "name: demo\nconfig:\n  pulumi:disable-default-providers:\n    value:\n      - aws\n");
    write("Pulumi.dev.yaml", "config:\n  aws:region: eu-west-1\n");
    expect(loadStackConfig(dir, "dev").warnings).toEqual([
      'Config key "aws:region" (from Pulumi.dev.yaml) is ignored: the default AWS provider is disabled (pulumi:disable-default-providers in Pulumi.yaml), ' +
        'and every resource uses its region\'s own provider. Set the regions with "demo:regions".',
    ]);
  });

  it("warns loudly about a reservation of 0, about one above 900, naming the limit it assumed, and about any other, naming the quota it needs", () => {
    write("Pulumi.yaml", "name: demo\n");
    expect(loadStackConfig(dir, "dev", ["lambdaReservedConcurrency=0"]).warnings).toEqual([
      'Config "lambdaReservedConcurrency" is 0: Lambda throttles every invocation, so the API fails EVERY request in every region (eu-west-1). ' +
        "Set it to -1 for no reservation, or reserve at least 1.",
    ]);
    expect(loadStackConfig(dir, "dev", ["lambdaReservedConcurrency=901"]).warnings).toEqual([
      'Config "lambdaReservedConcurrency" is 901: Lambda keeps 100 executions per region unreserved, so at the default account limit of 1000 ' +
        'concurrent executions AWS rejects a reservation above 900 when it deploys. Check the "Concurrent executions" quota in each region (eu-west-1) ' +
        "and raise it first, or reserve at most 900.",
    ]);
    // New accounts start below the default quota of 1000 (Lambda quotas page), so any reservation may be refused there.
    expect(loadStackConfig(dir, "dev", ["lambdaReservedConcurrency=900"]).warnings).toEqual([
      'Config "lambdaReservedConcurrency" is 900: Lambda keeps 100 executions per region unreserved, so the "Concurrent executions" quota must be ' +
        "at least 1000 in each region (eu-west-1). The default is 1000, but new accounts start lower and AWS rejects the reservation there: " +
        "run npm run preflight before the first pulumi up, or set it to -1 for no reservation.",
    ]);
    expect(loadStackConfig(dir, "dev", ["lambdaReservedConcurrency=1"]).warnings[0]).toContain('the "Concurrent executions" quota must be at least 101 in each region');
    expect(loadStackConfig(dir, "dev", ["lambdaReservedConcurrency=-1"]).warnings).toEqual([]);
    // A bad value is the program's to report, as an error: no warning here.
    expect(loadStackConfig(dir, "dev", ["lambdaReservedConcurrency=lots"]).warnings).toEqual([]);
  });

  it("lists every region in a warning, separated by a comma and a space", () => {
    expect(configWarnings({ lambdaReservedConcurrency: 0, regions: ["us-east-1", "eu-west-1"] })).toEqual([
      'Config "lambdaReservedConcurrency" is 0: Lambda throttles every invocation, so the API fails EVERY request in every region (us-east-1, eu-west-1). ' +
        "Set it to -1 for no reservation, or reserve at least 1.",
    ]);
    expect(configWarnings({ lambdaReservedConcurrency: 901, regions: ["us-east-1", "eu-west-1"] })[0]).toContain(
      'Check the "Concurrent executions" quota in each region (us-east-1, eu-west-1) and raise it first',
    );
    expect(configWarnings({ lambdaReservedConcurrency: undefined, regions: ["us-east-1"] })).toEqual([]);
  });

  it.each(["flag", "=true", "demo:=1"])("rejects the --config argument %j, showing the form it expects", (argument) => {
    expect(() => parseConfigOverride(argument, "demo")).toThrow(
      `--config ${JSON.stringify(argument)}: expected key=value, such as --config enableNatGateway=true or --config 'regions=["us-east-1","eu-west-1"]'.`,
    );
  });

  it("splits at the first = only", () => {
    expect(parseConfigOverride("alarmEmail=a=b@example.com", "tap")).toEqual(["tap:alarmEmail", "a=b@example.com"]);
  });
});

describe("physical names and key settings", () => {
  const described = (type: string, inputs: Record<string, unknown>, name = "logical") => ({ type, name, inputs });

  it.each([
    ["aws:s3/bucket:Bucket", { bucket: "my-bucket", tags: { Name: "tagged" } }, { value: "my-bucket", source: "bucket" }],
    ["aws:cloudwatch/dashboard:Dashboard", { dashboardName: "dash" }, { value: "dash", source: "dashboardName" }],
    ["aws:lambda/function:Function", { name: "fn" }, { value: "fn", source: "name" }],
    ["aws:ec2/vpc:Vpc", { tags: { Name: "vpc-name" } }, { value: "vpc-name", source: "tags.Name" }],
    ["aws:ec2/routeTableAssociation:RouteTableAssociation", { subnetId: "subnet-1" }, undefined],
  ])("%s: %j -> %j", (type, inputs, expected) => {
    expect(physicalName(described(type, inputs))).toEqual(expected);
  });

  it("describes a subnet, a public access block with flags off, and a log group that never expires", () => {
    const resolveNothing = () => undefined;
    expect(keySettings(described("aws:ec2/subnet:Subnet", { cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a", mapPublicIpOnLaunch: false }), resolveNothing)).toEqual([
      "cidr 10.0.1.0/24",
      "AZ us-east-1a",
      "public IP on launch off",
    ]);
    expect(keySettings(described("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true }), resolveNothing)).toEqual([
      "OFF: blockPublicPolicy, restrictPublicBuckets",
    ]);
    expect(keySettings(described("aws:cloudwatch/logGroup:LogGroup", {}), resolveNothing)).toEqual(["retention: never expires"]);
    expect(keySettings(described("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }), resolveNothing)).toEqual([
      "egress all traffic to 0.0.0.0/0",
      "NO description",
    ]);
    expect(keySettings(described("aws:unknown/thing:Thing", { anything: 1 }), resolveNothing)).toEqual([]);
    // @pulumi/aws 7 takes the endpoint type as a string; unset means EDGE.
    expect(keySettings(described("aws:apigateway/restApi:RestApi", { endpointConfiguration: { types: "REGIONAL" } }), resolveNothing)).toEqual(["endpoint REGIONAL"]);
    expect(keySettings(described("aws:apigateway/restApi:RestApi", {}), resolveNothing)).toEqual(["endpoint EDGE"]);
  });

  it("shows a reference by the physical name of the resource it points at", () => {
    const subnet = { type: "aws:ec2/subnet:Subnet", name: "s", id: "subnet-1", inputs: { tags: { Name: "private-1" } } };
    const resolve = (value: unknown) => (value === "subnet-1" ? subnet : undefined);
    expect(keySettings(described("aws:ec2/routeTableAssociation:RouteTableAssociation", { subnetId: "subnet-1", routeTableId: "rtb-9" }), resolve)).toEqual(["private-1 -> rtb-9"]);
  });

  it.each([
    ["aws:ec2/vpc:Vpc", "aws:ec2:Vpc"],
    ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3:BucketPublicAccessBlock"],
    ["pulumi:providers:aws", "pulumi:providers:aws"],
    ["tap:index:TapStack", "tap:index:TapStack"],
  ])("displays %s as %s", (type, shown) => {
    expect(displayType(type)).toBe(shown);
  });
});

/** A recorded resource with the fields the model reads. */
function recorded(fields: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">): RecordedResource {
  return { inputs: {}, state: {}, id: `${fields.name}-id`, custom: true, parent: undefined, provider: undefined, dependencies: [], region: undefined, options: DEFAULT_LIFECYCLE_OPTIONS, ...fields };
}

describe("the plan model, preview JSON and DOT graph", () => {
  const prefix = "urn:pulumi:dev::p::";
  const urns = {
    stack: `${prefix}pulumi:pulumi:Stack::p-dev`,
    component: `${prefix}my:index:Comp::c`,
    provider: `${prefix}my:index:Comp$pulumi:providers:aws::prov`,
    bucket: `${prefix}my:index:Comp$aws:s3/bucket:Bucket::b`,
    policy: `${prefix}my:index:Comp$aws:s3/bucketPolicy:BucketPolicy::x`,
    global: `${prefix}aws:cloudwatch/dashboard:Dashboard::d`,
  };
  const model = buildPlanModel({
    project: "p",
    stack: "dev",
    outputs: { bucket: "b-name" },
    placeholderAccountId: "123456789012",
    resources: [
      recorded({ urn: urns.component, type: "my:index:Comp", name: "c", custom: false }),
      recorded({ urn: urns.provider, type: "pulumi:providers:aws", name: "prov", parent: urns.component, region: "eu-west-1", inputs: { region: "eu-west-1" } }),
      recorded({ urn: urns.policy, type: "aws:s3/bucketPolicy:BucketPolicy", name: "x", parent: urns.component, provider: urns.provider, region: "eu-west-1", dependencies: [urns.bucket] }),
      recorded({ urn: urns.bucket, type: "aws:s3/bucket:Bucket", name: "b", parent: urns.component, provider: urns.provider, region: "eu-west-1" }),
      recorded({ urn: urns.global, type: "aws:cloudwatch/dashboard:Dashboard", name: "d" }),
    ],
  });

  it("adds the root stack resource and makes it the parent of every top-level resource", () => {
    expect(model.resources.map((resource) => resource.urn)).toEqual([urns.stack, urns.component, urns.provider, urns.policy, urns.bucket, urns.global]);
    expect(model.resources[0]).toMatchObject({ type: "pulumi:pulumi:Stack", name: "p-dev", custom: false, synthesized: true, state: { bucket: "b-name" } });
    expect(model.resources.find((resource) => resource.urn === urns.component)?.parent).toBe(urns.stack);
    expect(model.resources.find((resource) => resource.urn === urns.bucket)?.providerReference).toBe(`${urns.provider}::prov-id`);
  });

  it("gives a component the region all its resources share, and the stack none", () => {
    const regionOf = (urn: string) => model.resources.find((resource) => resource.urn === urn)?.region;
    expect([regionOf(urns.component), regionOf(urns.stack), regionOf(urns.global)]).toEqual(["eu-west-1", undefined, undefined]);
    expect(model.regions).toEqual(["eu-west-1"]);
  });

  it("orders siblings by creation wave, then type: a bucket before the policy that needs it", () => {
    expect([urns.bucket, urns.provider, urns.policy].map((urn) => creationWaves(model).get(urn))).toEqual([0, 0, 1]);
    expect(childrenByParent(model).get(urns.component)?.map((resource) => resource.name)).toEqual(["b", "prov", "x"]);
  });

  it("counts by type and region, with a global column for what belongs to no region", () => {
    const counts = countResources(model);
    expect(counts.columns).toEqual(["eu-west-1", GLOBAL_COLUMN]);
    expect(counts.rows.find((row) => row.type === "aws:s3/bucket:Bucket")).toEqual({ type: "aws:s3/bucket:Bucket", byColumn: { "eu-west-1": 1 }, total: 1 });
    expect(counts.totalByColumn).toEqual({ "eu-west-1": 4, [GLOBAL_COLUMN]: 2 });
    expect(counts.total).toBe(6);
  });

  it("writes the DOT graph exactly as pulumi stack graph's printer would", () => {
    const small = buildPlanModel({ ...model, outputs: {}, resources: [], placeholderAccountId: "123456789012" });
    expect(toDot(small)).toBe(`strict digraph {\n    Resource0 [label="${urns.stack}"];\n}\n`);
    expect(toDot(model)).toBe(
      [
        "strict digraph {",
        `    Resource0 [label="${urns.global}"];`,
        `    Resource0 -> Resource1 [color = "#AA6639"];`,
        `    Resource2 [label="${urns.bucket}"];`,
        `    Resource2 -> Resource3 [color = "#246C60"];`,
        `    Resource2 -> Resource4 [color = "#AA6639"];`,
        `    Resource3 [label="${urns.policy}"];`,
        `    Resource3 -> Resource4 [color = "#AA6639"];`,
        `    Resource5 [label="${urns.provider}"];`,
        `    Resource5 -> Resource4 [color = "#AA6639"];`,
        `    Resource4 [label="${urns.component}"];`,
        `    Resource4 -> Resource1 [color = "#AA6639"];`,
        `    Resource1 [label="${urns.stack}"];`,
        "}",
        "",
      ].join("\n"),
    );
  });

  it("prints the tree per region, wrapping settings under their column at the given width", () => {
    const withSettings = buildPlanModel({
      ...model,
      resources: [
        recorded({ urn: urns.component, type: "my:index:Comp", name: "c", custom: false }),
        recorded({ urn: urns.provider, type: "pulumi:providers:aws", name: "prov", parent: urns.component, region: "eu-west-1", inputs: { region: "eu-west-1" } }),
        recorded({
          urn: `${prefix}my:index:Comp$aws:ec2/subnet:Subnet::s`,
          type: "aws:ec2/subnet:Subnet",
          name: "s",
          parent: urns.component,
          provider: urns.provider,
          region: "eu-west-1",
          inputs: { cidrBlock: "10.0.1.0/24", availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: false, tags: { Name: "private-1" } },
        }),
        recorded({ urn: urns.bucket, type: "aws:s3/bucket:Bucket", name: "b", parent: urns.component, provider: urns.provider, region: "eu-west-1" }),
      ],
    });
    expect(renderTree(withSettings, PLAIN, 40)).toEqual([
      "  + pulumi:pulumi:Stack  p-dev",
      "",
      "  eu-west-1  Europe (Ireland)  ·  4 resources  ·  provider prov  ·  under p-dev",
      "    + my:index:Comp            c",
      "    + ├─ aws:ec2:Subnet        private-1  cidr 10.0.1.0/24 · AZ eu-west-1a",
      "      │                                   public IP on launch off",
      "    + ├─ aws:s3:Bucket         b*         force destroy off",
      "    + └─ pulumi:providers:aws  prov       region eu-west-1 · default tags none",
    ]);
  });

  it("writes one create step per resource, provider references as <urn>::<id>", () => {
    const json = toPreviewJson({ model, config: { "p:x": "1" }, configWarnings: ["w"], violations: [], costs: estimateMonthlyCost([]) });
    expect(json.changeSummary).toEqual({ create: 6 });
    expect(json.steps[4]).toEqual({
      op: "create",
      urn: urns.bucket,
      provider: `${urns.provider}::prov-id`,
      newState: { urn: urns.bucket, custom: true, id: "b-id", type: "aws:s3/bucket:Bucket", parent: urns.component, provider: `${urns.provider}::prov-id` },
      detailedDiff: null,
    });
    expect(json.steps[3].newState.dependencies).toEqual([urns.bucket]);
    expect(json.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.prefix])).toEqual([["info", "info: "], ["warning", "warning: "]]);
    expect(json.diagnostics[1].message).toBe("w");
  });
});

describe("exit status and colour", () => {
  it.each([
    [[], EXIT_CODES.ok],
    [[{ enforcementLevel: "advisory" as const }], EXIT_CODES.ok],
    [[{ enforcementLevel: "advisory" as const }, { enforcementLevel: "mandatory" as const }], EXIT_CODES.mandatoryViolation],
  ])("violations %j exit with %d", (violations, code) => {
    expect(exitCodeForViolations(violations)).toBe(code);
  });

  it("colours only a terminal, and never with NO_COLOR", () => {
    expect(chooseStyle({ isTTY: true }, {})).toBe(COLOR);
    expect(chooseStyle({ isTTY: true }, { NO_COLOR: "1" })).toBe(PLAIN);
    expect(chooseStyle({ isTTY: false }, {})).toBe(PLAIN);
    expect(chooseStyle({}, {})).toBe(PLAIN);
  });
});
