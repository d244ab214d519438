import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { AWS_CONSTRAINTS, CheckedResource, checkAwsConstraints } from "../../../offline/aws-constraints/check";
import { generateConstraints } from "../../../offline/aws-constraints/generate";
import type { ConstraintsFile, FieldRule } from "../../../offline/aws-constraints/rules";
import { DOCUMENTED_RULES, TYPES_WITHOUT_RULES, TYPE_MAPPINGS } from "../../../offline/aws-constraints/map";
import { RecordedResource, withoutStackTraces } from "../../../offline/mock-cloud";
import type { PreviewJson } from "../../../offline/plan/export";
import { COMMERCIAL_REGION_NAMES } from "../../../lib/regions";
import type { TapStackArgs } from "../../../lib";
import { FIXTURES, REPO_ROOT } from "../../support/paths";
import { StackHarness, setupHarness } from "../../support/stack-harness";

/**
 * The plan's AWS input check: the generated rules are AWS's own (botocore's
 * models), each rule family rejects what AWS rejects with a message naming
 * resource, field, value and rule, and the whole program with every option
 * on, in every region tap supports, sends nothing AWS would refuse.
 */

const ROOT = REPO_ROOT;
const PROVIDER_URN = "urn:pulumi:dev::tap::pulumi:providers:aws::test-us-east-1";

function ruleOf(type: string, property: string): FieldRule {
  const found = AWS_CONSTRAINTS.fields.filter((rule) => rule.type === type && rule.property === property);
  if (found.length !== 1) throw new Error(`expected one rule for ${type} ${property}, found ${found.length}`);
  return found[0];
}

/** A custom resource as the mock cloud records it, bound to PROVIDER_URN. */
function resource(type: string, name: string, inputs: Record<string, unknown>): CheckedResource {
  return { urn: `urn:pulumi:dev::tap::${type}::${name}`, type, name, inputs, custom: true, provider: PROVIDER_URN };
}

/** The regional provider as the mock records it: nested inputs arrive as JSON text. */
function provider(defaultTags: Record<string, string>): CheckedResource {
  return {
    urn: PROVIDER_URN,
    type: "pulumi:providers:aws",
    name: "test-us-east-1",
    inputs: { region: "us-east-1", defaultTags: JSON.stringify({ tags: defaultTags }) },
    custom: true,
    provider: undefined,
  };
}

const messagesOf = (resources: readonly CheckedResource[]) => checkAwsConstraints(resources).violations.map((violation) => violation.message);

describe("offline/aws-constraints/rules.json: AWS's rules, from botocore", () => {
  it("records the botocore release and the API version of every service it read", () => {
    expect(AWS_CONSTRAINTS.botocore.version).toBe("1.29.27");
    expect(AWS_CONSTRAINTS.services).toEqual({
      acm: "2015-12-08",
      apigateway: "2015-07-09",
      cloudwatch: "2010-08-01",
      codedeploy: "2014-10-06",
      ec2: "2016-11-15",
      iam: "2010-05-08",
      kms: "2014-11-01",
      lambda: "2015-03-31",
      logs: "2014-03-28",
      route53: "2013-04-01",
      s3: "2006-03-01",
      sns: "2010-03-31",
      wafv2: "2019-07-29",
    });
    expect(AWS_CONSTRAINTS.unsupportedPatterns).toEqual([]);
  });

  it("holds known rules exactly as AWS publishes them", () => {
    // ACM's model escapes the slash (\/); the IAM and WAFv2 tag patterns do not.
    expect(ruleOf("aws:acm/certificate:Certificate", "tags.{value}")).toMatchObject({
      source: "model",
      operation: "RequestCertificate",
      member: "Tags.[].Value",
      shape: "TagValue",
      minLength: 0,
      maxLength: 256,
      pattern: "[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*",
    });
    expect(ruleOf("aws:wafv2/webAcl:WebAcl", "description")).toMatchObject({
      shape: "EntityDescription",
      minLength: 1,
      maxLength: 256,
      pattern: "^[\\w+=:#@/\\-,\\.][\\w+=:#@/\\-,\\.\\s]+[\\w+=:#@/\\-,\\.]$",
    });
    expect(ruleOf("aws:wafv2/webAcl:WebAcl", "rules.[].visibilityConfig.metricName")).toMatchObject({ shape: "MetricName", minLength: 1, maxLength: 255, pattern: "^[\\w#:\\.\\-/]+$" });
    expect(ruleOf("aws:iam/role:Role", "description")).toMatchObject({ shape: "roleDescriptionType", maxLength: 1000, pattern: "[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*" });
    expect(ruleOf("aws:iam/role:Role", "name")).toMatchObject({ shape: "roleNameType", minLength: 1, maxLength: 64, pattern: "[\\w+=,.@-]+" });
    expect(ruleOf("aws:lambda/function:Function", "description")).toMatchObject({ shape: "Description", minLength: 0, maxLength: 256 });
    expect(ruleOf("aws:cloudwatch/metricAlarm:MetricAlarm", "alarmDescription")).toMatchObject({ shape: "AlarmDescription", minLength: 0, maxLength: 1024 });
    expect(ruleOf("aws:acm/certificate:Certificate", "validationMethod")).toMatchObject({ shape: "ValidationMethod", enum: ["EMAIL", "DNS"] });
    // CodeDeploy CreateApplication / CreateDeploymentGroup: names of 1 to 100 characters, no pattern
    // (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html).
    expect(ruleOf("aws:codedeploy/application:Application", "name")).toMatchObject({ shape: "ApplicationName", minLength: 1, maxLength: 100 });
    expect(ruleOf("aws:codedeploy/application:Application", "computePlatform")).toMatchObject({ shape: "ComputePlatform", enum: ["Server", "Lambda", "ECS"] });
    expect(ruleOf("aws:codedeploy/deploymentGroup:DeploymentGroup", "deploymentGroupName")).toMatchObject({ shape: "DeploymentGroupName", minLength: 1, maxLength: 100 });
    expect(ruleOf("aws:codedeploy/deploymentGroup:DeploymentGroup", "autoRollbackConfiguration.events.[]")).toMatchObject({
      shape: "AutoRollbackEvent",
      enum: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"],
    });
  });

  it("holds exactly one rule per row of the mapping table, so the file cannot lag behind the table", () => {
    const fromTable = TYPE_MAPPINGS.flatMap((mapping) => mapping.fields.map((field) => `${mapping.type} ${field.property} ${field.member} ${field.documented ?? "model"}`));
    const fromFile = AWS_CONSTRAINTS.fields.map((rule) => `${rule.type} ${rule.property} ${rule.member} ${rule.source === "model" ? "model" : Object.entries(DOCUMENTED_RULES).find(([, documented]) => documented.url === rule.url && documented.text === rule.text)?.[0]}`);
    expect(fromFile).toEqual(fromTable);
    expect(fromFile).toHaveLength(159);
  });

  it("cites an AWS documentation page for every rule that is not in the model", () => {
    const documented = AWS_CONSTRAINTS.fields.filter((rule) => rule.source === "documentation");
    expect(documented).toHaveLength(44);
    for (const rule of documented) expect([rule.type, rule.property, rule.url]).toEqual([rule.type, rule.property, expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//)]);
  });
});

describe("generateConstraints (npm run constraints:generate)", () => {
  let dataDir: string;
  beforeAll(() => {
    // A botocore tree as pip installs it: gzipped models, the version in botocore/__init__.py.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tap-botocore-"));
    dataDir = path.join(root, "botocore", "data");
    fs.mkdirSync(path.join(dataDir, "demo", "2020-01-01"), { recursive: true });
    fs.writeFileSync(path.join(root, "botocore", "__init__.py"), "__version__ = '1.40.2'\n");
    const model = {
      operations: { CreateThing: { input: { shape: "CreateThingRequest" } } },
      shapes: {
        CreateThingRequest: { type: "structure", members: { Name: { shape: "ThingName" }, Label: { shape: "JavaOnly" }, Note: { shape: "String" } } },
        ThingName: { type: "string", min: 1, max: 5, pattern: "[a-z]+" },
        // A Java character class JavaScript does not know.
        JavaOnly: { type: "string", max: 10, pattern: "\\p{javaLowerCase}+" },
        String: { type: "string" },
      },
    };
    fs.writeFileSync(path.join(dataDir, "demo", "2020-01-01", "service-2.json.gz"), zlib.gzipSync(JSON.stringify(model)));
    // An older API version, plain JSON as Debian ships it: the generator must take the latest version.
    fs.mkdirSync(path.join(dataDir, "demo", "2015-01-01"));
    const older = { ...model, shapes: { ...model.shapes, ThingName: { type: "string", max: 99 } } };
    fs.writeFileSync(path.join(dataDir, "demo", "2015-01-01", "service-2.json"), JSON.stringify(older));
    // A service with only a plain model.
    fs.mkdirSync(path.join(dataDir, "plain", "2018-01-01"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "plain", "2018-01-01", "service-2.json"), JSON.stringify(older));
  });
  afterAll(() => fs.rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true }));

  const demo = (fields: { property: string; member: string }[]) => [{ type: "demo:index:Thing", service: "demo", operation: "CreateThing", fields }];

  it("reads gzipped models and botocore's version, and reports a pattern JavaScript cannot compile instead of dropping it", () => {
    const document: ConstraintsFile = generateConstraints(dataDir, demo([{ property: "name", member: "Name" }, { property: "label", member: "Label" }]));
    expect(document.botocore).toEqual({ version: "1.40.2", dataDir });
    expect(document.services).toEqual({ demo: "2020-01-01" });
    expect(document.fields[0]).toEqual({
      type: "demo:index:Thing",
      property: "name",
      service: "demo",
      apiVersion: "2020-01-01",
      operation: "CreateThing",
      member: "Name",
      shape: "ThingName",
      source: "model",
      minLength: 1,
      maxLength: 5,
      pattern: "[a-z]+",
    });
    const error = "Invalid regular expression: /^(?:\\p{javaLowerCase}+)$/u: Invalid property name";
    expect(document.unsupportedPatterns).toEqual([{ shape: "demo JavaOnly", pattern: "\\p{javaLowerCase}+", error }]);
    expect(document.fields[1]).toMatchObject({ shape: "JavaOnly", maxLength: 10, pattern: "\\p{javaLowerCase}+", patternError: error });

    // The check still applies the length, and says the pattern went unchecked.
    const report = checkAwsConstraints([{ ...resource("demo:index:Thing", "thing", { label: "elevenchars" }), provider: undefined }], document);
    expect(report.violations.map((violation) => violation.message)).toEqual([
      'demo:index:Thing "thing": label = "elevenchars" is 11 characters long, over the maximum length of 10 (demo CreateThing Label, shape JavaOnly)',
    ]);
    expect(report.patternsNotChecked).toEqual(["demo:index:Thing label"]);
  });

  it("reads plain service-2.json too", () => {
    const document = generateConstraints(dataDir, [{ type: "plain:index:Thing", service: "plain", operation: "CreateThing", fields: [{ property: "name", member: "Name" }] }]);
    expect(document.services).toEqual({ plain: "2018-01-01" });
    expect(document.fields).toEqual([
      { type: "plain:index:Thing", property: "name", service: "plain", apiVersion: "2018-01-01", operation: "CreateThing", member: "Name", shape: "ThingName", source: "model", maxLength: 99 },
    ]);
  });

  it("refuses a table row the model does not back: an unknown member, or a member without any rule", () => {
    expect(() => generateConstraints(dataDir, demo([{ property: "size", member: "Size" }, { property: "note", member: "Note" }]))).toThrow(
      "The mapping table does not match the model:\n" +
        '  - demo:index:Thing size -> demo CreateThing Size: no step "Size" in shape CreateThingRequest (structure)\n' +
        "  - demo:index:Thing note -> demo CreateThing Note: shape String has no length, pattern or enum in the model; map a documented rule or drop the field",
    );
  });
});

describe("checkAwsConstraints: one violation per rule family, with the message the plan prints", () => {
  it("pattern: an ACM Name tag with parentheses, which ACM's TagValue pattern refuses", () => {
    expect(messagesOf([resource("aws:acm/certificate:Certificate", "cert", { domainName: "api.example.com", validationMethod: "DNS", tags: { Name: "api.example.com (us-east-1)" } })])).toEqual([
      'aws:acm/certificate:Certificate "cert": tags.Name = "api.example.com (us-east-1)" does not match the pattern [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]* (acm RequestCertificate Tags[].Value, shape TagValue)',
    ]);
  });

  it("pattern: a web ACL description with parentheses, which WAFv2's EntityDescription pattern refuses", () => {
    const description = "Rate limit and AWS managed rules in front of iac-aws-nova-api-us-east-1-dev (us-east-1)";
    expect(messagesOf([resource("aws:wafv2/webAcl:WebAcl", "waf", { name: "waf", scope: "REGIONAL", description })])).toEqual([
      `aws:wafv2/webAcl:WebAcl "waf": description = "${description}" does not match the pattern ^[\\w+=:#@/\\-,\\.][\\w+=:#@/\\-,\\.\\s]+[\\w+=:#@/\\-,\\.]$ (wafv2 CreateWebACL Description, shape EntityDescription)`,
    ]);
  });

  it("pattern inside a list: a rule's metric name", () => {
    const rules = [{ name: "ok", visibilityConfig: { metricName: "ok" } }, { name: "rate-limit", visibilityConfig: { metricName: "rate limit" } }];
    expect(messagesOf([resource("aws:wafv2/webAcl:WebAcl", "waf", { rules })])).toEqual([
      'aws:wafv2/webAcl:WebAcl "waf": rules[1].visibilityConfig.metricName = "rate limit" does not match the pattern ^[\\w#:\\.\\-/]+$ (wafv2 CreateWebACL Rules[].VisibilityConfig.MetricName, shape MetricName)',
    ]);
  });

  it("maximum length: an IAM role name of 65 characters", () => {
    const name = `role-${"x".repeat(60)}`;
    expect(messagesOf([resource("aws:iam/role:Role", "role", { name })])).toEqual([
      `aws:iam/role:Role "role": name = "${name}" is 65 characters long, over the maximum length of 64 (iam CreateRole RoleName, shape roleNameType)`,
    ]);
  });

  it("minimum length: an empty alarm name", () => {
    expect(messagesOf([resource("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", { name: "" })])).toEqual([
      'aws:cloudwatch/metricAlarm:MetricAlarm "alarm": name = "" is 0 characters long, under the minimum length of 1 (cloudwatch PutMetricAlarm AlarmName, shape AlarmName)',
    ]);
  });

  it("enum: a validation method ACM does not offer", () => {
    expect(messagesOf([resource("aws:acm/certificate:Certificate", "cert", { validationMethod: "HTTP" })])).toEqual([
      'aws:acm/certificate:Certificate "cert": validationMethod = "HTTP" is not one of EMAIL, DNS (acm RequestCertificate ValidationMethod, shape ValidationMethod)',
    ]);
  });

  it("documented rules the model leaves out: security-group name, SNS topic name, dashboard name, stage name", () => {
    expect(
      messagesOf([
        resource("aws:ec2/securityGroup:SecurityGroup", "sg", { name: "sg-lambda", description: "Lambda: HTTPS out" }),
        resource("aws:sns/topic:Topic", "topic", { name: "alarms.fifo" }),
        resource("aws:sns/topic:Topic", "fifo", { name: "alarms.fifo", fifoTopic: true }),
        resource("aws:cloudwatch/dashboard:Dashboard", "dashboard", { dashboardName: "tap dashboard" }),
        resource("aws:apigateway/stage:Stage", "stage", { stageName: "v1.0" }),
      ]),
    ).toEqual([
      'aws:ec2/securityGroup:SecurityGroup "sg": name = "sg-lambda" does not match the pattern (?!sg-)[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]* (ec2 CreateSecurityGroup GroupName, not in the model; documented at https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-security-group-request/group-name.html)',
      'aws:sns/topic:Topic "topic": name = "alarms.fifo" does not match the pattern [A-Za-z0-9_-]+ (sns CreateTopic Name, not in the model; documented at https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sns/aws.sdk.kotlin.services.sns.model/-create-topic-request/name.html)',
      'aws:cloudwatch/dashboard:Dashboard "dashboard": dashboardName = "tap dashboard" does not match the pattern [A-Za-z0-9_-]+ (cloudwatch PutDashboard DashboardName, not in the model; documented at https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html)',
      'aws:apigateway/stage:Stage "stage": stageName = "v1.0" does not match the pattern [A-Za-z0-9_-]+ (apigateway CreateStage stageName, not in the model; documented at https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/apigateway/aws.sdk.kotlin.services.apigateway.model/-create-stage-request)',
    ]);
  });

  it("merges the provider's default tags (recorded as JSON text) under the resource's own, and checks them against each service's rules", () => {
    const report = checkAwsConstraints([
      provider({ Project: "tap", Team: "platform (core)", Name: "overridden (by the resource)" }),
      resource("aws:iam/role:Role", "role", { name: "role", tags: { Name: "role" } }),
      // EC2's documented tag rules have no character set: parentheses pass there, an aws: key does not.
      resource("aws:ec2/vpc:Vpc", "vpc", { tags: { "aws:owner": "me" } }),
    ]);
    expect(report.violations.map((violation) => violation.message)).toEqual([
      'aws:iam/role:Role "role": tags.Team (default tag of provider test-us-east-1) = "platform (core)" does not match the pattern [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]* (iam CreateRole Tags[].Value, shape tagValueType)',
      'aws:ec2/vpc:Vpc "vpc": tags["aws:owner"] = "aws:owner" does not match the pattern (?!aws:)[\\s\\S]* (ec2 CreateVpc TagSpecifications[].Tags[].Key, not in the model; documented at https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html)',
    ]);
    // role: name + 3 keys + 3 values; vpc: 4 keys + 4 values.
    expect(report.fieldsChecked).toBe(15);
  });

  it("checks the length but not the stale enum of a Route 53 latency region launched after this botocore release", () => {
    const rule = ruleOf("aws:route53/record:Record", "latencyRoutingPolicies.[].region");
    expect(rule.enum).not.toContain("mx-central-1");
    const report = checkAwsConstraints([resource("aws:route53/record:Record", "record", { latencyRoutingPolicies: [{ region: "mx-central-1" }] })]);
    expect(report).toEqual({ botocoreVersion: "1.29.27", fieldsChecked: 1, violations: [], patternsNotChecked: [] });
  });
});

/** TapStack built directly under the mock cloud (faster than the CLI for 34 regions), in this file's registry. */
let harness: StackHarness | undefined;
async function evaluate(args: TapStackArgs): Promise<RecordedResource[]> {
  harness ??= await setupHarness("prod");
  await harness.build(args);
  return [...harness.cloud.resources];
}

const everyOption: TapStackArgs = {
  environmentSuffix: "prod",
  enableNatGateway: true,
  enableFlowLogs: true,
  lambdaReservedConcurrency: 100,
  lambdaProvisionedConcurrency: 2,
  apiLoggingLevel: "INFO",
  manageApiGatewayAccount: true,
  alarmEmail: "ops@example.com",
  domainName: "api.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  enableWaf: true,
  enableApiCache: true,
  apiCacheSizeGb: "237",
  rollout: "canary",
};

describe("the whole program, every option on", () => {
  it("sends nothing AWS would reject in any of the 34 regions (latency routing), and every type it creates is mapped or excused", async () => {
    expect(COMMERCIAL_REGION_NAMES).toHaveLength(34);
    const resources = await evaluate({ ...everyOption, regions: [...COMMERCIAL_REGION_NAMES], routingPolicy: "latency" });
    const report = checkAwsConstraints(resources);
    expect(report.violations).toEqual([]);
    expect(report.patternsNotChecked).toEqual([]);

    const types = [...new Set(resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).map((r) => r.type))].sort();
    const mapped = new Set(TYPE_MAPPINGS.map((mapping) => mapping.type));
    expect(types.filter((type) => !mapped.has(type) && !(type in TYPES_WITHOUT_RULES))).toEqual([]);
    // Every type the table maps is one the program creates, and vice versa for the excused ones: no dead rows.
    expect([...mapped, ...Object.keys(TYPES_WITHOUT_RULES)].sort()).toEqual(types);

    // Each taggable type (its @pulumi/aws class has tagsAll, so the provider's default tags reach it) has its tag keys
    // checked (S3's model and documentation give no rule for a bucket tag's value, so values are checked elsewhere only).
    const taggable = types.filter((type) => type.startsWith("aws:")).filter((type) => {
      const [, module, name] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
      return fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "aws", module, `${name}.d.ts`), "utf8").includes("readonly tagsAll:");
    });
    const tagChecked = [...new Set(AWS_CONSTRAINTS.fields.filter((rule) => rule.property === "tags.{key}").map((rule) => rule.type))].sort();
    expect(taggable).toEqual(tagChecked);
  }, 300_000);

  it("sends nothing AWS would reject with failover routing either", async () => {
    const resources = await evaluate({ ...everyOption, regions: ["us-east-1", "eu-west-1"], routingPolicy: "failover" });
    const report = checkAwsConstraints(resources);
    expect(report.violations).toEqual([]);
    const failover = resources.filter((r) => r.type === "aws:route53/record:Record" && r.inputs.failoverRoutingPolicies).map((r) => r.inputs.failoverRoutingPolicies[0].type);
    expect(failover.sort()).toEqual(["PRIMARY", "PRIMARY", "SECONDARY", "SECONDARY"]);
  }, 120_000);
});

describe("npm run plan", () => {
  it("exits 4 when AWS would reject an input, and prints and exports each violation", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tap-plan-"));
    const jsonFile = path.join(dir, "plan.json");
    let stdout = "";
    let stderr = "";
    let code = -1;
    await withoutStackTraces(() =>
      jest.isolateModulesAsync(async () => {
        const { main } = await import("../../../offline/plan/cli");
        code = await main(["--cwd", path.join(FIXTURES, "plan", "aws-rejects"), "--json", jsonFile], {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          env: {},
          projectDir: ROOT,
        });
      }),
    );
    const json = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as PreviewJson & { awsInputConstraints: ReturnType<typeof checkAwsConstraints> };
    fs.rmSync(dir, { recursive: true, force: true });

    expect([code, stderr]).toEqual([4, ""]);
    const tagValue = "(acm RequestCertificate Tags[].Value, shape TagValue)";
    const expected = [
      `aws:acm/certificate:Certificate "fixture-certificate": tags.Team (default tag of provider fixture-us-east-1) = "platform, core" does not match the pattern [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]* ${tagValue}`,
      `aws:acm/certificate:Certificate "fixture-certificate": tags.Name = "api.example.com (us-east-1)" does not match the pattern [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]* ${tagValue}`,
    ];
    expect(stdout).toContain(
      ["AWS input constraints: 6 fields checked, 2 violations (rules from botocore 1.29.27's API models)", ...expected.map((line) => `  ${line}`)].join("\n"),
    );
    expect(json.awsInputConstraints.violations.map((violation) => [violation.urn, violation.rule, violation.value, violation.message])).toEqual([
      ["urn:pulumi:dev::fixture-aws-rejects::aws:acm/certificate:Certificate::fixture-certificate", "pattern", "platform, core", expected[0]],
      ["urn:pulumi:dev::fixture-aws-rejects::aws:acm/certificate:Certificate::fixture-certificate", "pattern", "api.example.com (us-east-1)", expected[1]],
    ]);
  }, 60_000);
});
