import { RegionNames, globalNames } from "../../lib/naming";
import { DEFAULT_LIFECYCLE_OPTIONS, PLACEHOLDER_ACCOUNT_ID, RecordedResource } from "../../offline/mock-cloud";
import { plannedNames } from "../../preflight/names";
import { StackHarness, setupHarness } from "../support/stack-harness";

/**
 * The names preflight checks are the ones the program would ask AWS for:
 * learned from what it registers under the mock cloud, skipping names made
 * from another resource's output (nothing older can hold them) and names
 * AWS completes itself (`namePrefix`).
 */

const CONTEXT = { project: "iac-aws-nova", environment: "dev", stack: "dev" };

function record(type: string, inputs: Record<string, unknown>, overrides: Partial<RecordedResource> = {}): RecordedResource {
  return {
    urn: `urn:pulumi:dev::tap::${type}::r`, type, name: "r", inputs, state: inputs, id: "r-id", custom: true,
    parent: undefined, provider: "urn:provider", dependencies: [], region: "eu-west-1", options: DEFAULT_LIFECYCLE_OPTIONS, ...overrides,
  };
}

describe("plannedNames, on records made by hand", () => {
  it("keeps fixed names, and skips computed ones, name prefixes, components and resources of no region", () => {
    const resources = [
      record("aws:lambda/function:Function", { name: "fixed-function" }),
      record("aws:cloudwatch/logGroup:LogGroup", { name: "API-Gateway-Execution-Logs_abc/dev" }, { propertyDependencies: { name: ["urn:rest-api"] } }),
      record("aws:cloudwatch/logGroup:LogGroup", { name: "/fixed/group", retentionInDays: 7 }, { propertyDependencies: { retentionInDays: ["urn:other"] } }),
      record("aws:iam/role:Role", { namePrefix: "iac-aws-nova-apigw-eu-west-1-" }),
      record("aws:sns/topic:Topic", { name: "no-region" }, { region: undefined }),
      record("aws:sns/topic:Topic", { name: "component" }, { custom: false }),
      record("aws:ec2/vpc:Vpc", { tags: { Name: "a-tag-is-no-name" } }),
    ];
    expect(plannedNames(resources)).toEqual([
      { check: "name:function", type: "aws:lambda/function:Function", region: "eu-west-1", name: "fixed-function" },
      { check: "name:log-group", type: "aws:cloudwatch/logGroup:LogGroup", region: "eu-west-1", name: "/fixed/group" },
    ]);
  });
});

describe("plannedNames, on the program's default stack", () => {
  let harness: StackHarness;
  beforeAll(async () => {
    harness = await setupHarness("dev");
    await harness.build({ regions: ["us-east-1"] });
  });

  it("every name lib/naming.ts gives the region's resources, and not the execution log group's (it holds the new API's ID)", () => {
    const names = new RegionNames(CONTEXT, "us-east-1");
    const planned = plannedNames(harness.cloud.resources).map((name) => `${name.check} ${name.region} ${name.name}`).sort();
    expect(planned).toEqual([
      `name:alarm us-east-1 ${names.alarm("api-4xx")}`,
      `name:alarm us-east-1 ${names.alarm("api-5xx")}`,
      `name:alarm us-east-1 ${names.alarm("lambda-duration")}`,
      `name:alarm us-east-1 ${names.alarm("lambda-errors")}`,
      `name:bucket us-east-1 ${names.artifactBucket(PLACEHOLDER_ACCOUNT_ID)}`,
      `name:dashboard us-east-1 ${globalNames(CONTEXT).dashboard}`,
      `name:function us-east-1 ${names.lambdaFunction}`,
      `name:log-group us-east-1 ${names.apiAccessLogGroup}`,
      `name:log-group us-east-1 ${names.flowLogGroup}`,
      `name:log-group us-east-1 ${names.lambdaLogGroup}`,
      `name:role us-east-1 ${names.flowLogRole}`,
      `name:role us-east-1 ${names.lambdaRole}`,
      `name:topic us-east-1 ${names.alarmTopic}`,
    ].sort());
    const logGroups = harness.cloud.customResources("aws:cloudwatch/logGroup:LogGroup").map((group) => String(group.inputs.name));
    expect(logGroups.filter((name) => name.startsWith("API-Gateway-Execution-Logs_"))).toHaveLength(1);
  });
});
