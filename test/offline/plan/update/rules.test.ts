import { diffInputs, applyIgnoreChanges } from "../../../../offline/plan/update/diff";
import { findHazards, hazardLine } from "../../../../offline/plan/update/hazards";
import { UpdatePlan, planUpdate } from "../../../../offline/plan/update/plan";
import { loadReplacementRules } from "../../../../offline/plan/update/rules";
import { ResourceState, StackState } from "../../../../offline/plan/update/state";
import { STACK_URN, resourceState, urnOf } from "../../../support/resource-state";

/**
 * The update plan's rules on hand-made stacks, one family at a time, each with
 * a case that replaces (or is a hazard) and one that does not. The expected
 * ops are written from AWS's CloudFormation resource reference ("Update
 * requires: Replacement" vs "No interruption"), the engine's and the bridge's
 * rules, and AWS's API reference, not from the plan's output.
 */

const rules = loadReplacementRules();
const EAST = urnOf("pulumi:providers:aws", "east");
const WEST = urnOf("pulumi:providers:aws", "west");

/** A resource bound to the east provider (providers themselves have none). */
function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceState> = {}): ResourceState {
  return resourceState(type, name, inputs, { ...(type.startsWith("pulumi:providers:") ? {} : { provider: `${EAST}::east-id` }), ...extra });
}

const providers = [resource("pulumi:providers:aws", "east", { region: "us-east-1" }), resource("pulumi:providers:aws", "west", { region: "us-west-2" })];
const stack = (resources: ResourceState[], outputs: Record<string, unknown> = {}): StackState => ({ stackUrn: STACK_URN, resources: [...providers, ...resources], outputs });
const plan = (before: ResourceState[], after: ResourceState[], outputs: [Record<string, unknown>, Record<string, unknown>] = [{}, {}]) =>
  planUpdate(stack(before, outputs[0]), stack(after, outputs[1]), rules);
const stepOf = (result: UpdatePlan, name: string) => result.steps.find((step) => step.name === name && step.logical);
const hazardsOf = (result: UpdatePlan) => findHazards({ steps: result.steps, deployed: result.deployed, oldOutputs: result.oldOutputs, newOutputs: result.newOutputs }, rules);

const FUNCTION = "aws:lambda/function:Function";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";

describe("detailedDiff paths and kinds, as Pulumi writes them", () => {
  it("reports leaf paths: nested keys with dots, list elements by index, added and deleted keys", () => {
    const changes = diffInputs(
      { vpcConfig: { subnetIds: ["a", "b"] }, tags: { Name: "x", "a.b": "1" }, gone: 1 },
      { vpcConfig: { subnetIds: ["a", "c", "d"] }, tags: { Name: "x", "a.b": "2" }, added: true },
    );
    expect([...changes.entries()]).toEqual([
      ["added", "add"],
      ["gone", "delete"],
      ['tags["a.b"]', "update"],
      ["vpcConfig.subnetIds[1]", "update"],
      ["vpcConfig.subnetIds[2]", "add"],
    ]);
  });

  it("compares an archive by its hash, and treats null like a missing key", () => {
    const archive = (hash: string) => ({ "4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7", hash, assets: { "index.js": { hash } } });
    expect([...diffInputs({ code: archive("1"), x: null }, { code: archive("2") }).entries()]).toEqual([["code", "update"]]);
  });

  it("ignoreChanges puts the old value back at that path", () => {
    expect(applyIgnoreChanges({ availabilityZone: "us-east-1a", tags: { a: "1" } }, { availabilityZone: "us-east-1b", tags: { a: "2" } }, ["availabilityZone"])).toEqual({
      availabilityZone: "us-east-1a",
      tags: { a: "2" },
    });
  });
});

describe("CloudFormation's causesReplacement", () => {
  // AWS::Lambda::Function: MemorySize "Update requires: No interruption"; FunctionName "Update requires: Replacement".
  it("a function's memory changes in place", () => {
    const result = plan([resource(FUNCTION, "fn", { memorySize: 128 })], [resource(FUNCTION, "fn", { memorySize: 256 })]);
    expect(stepOf(result, "fn")).toMatchObject({ op: "update", detailedDiff: { memorySize: { kind: "update", inputDiff: true } }, diffReasons: ["memorySize"], replaceReasons: [] });
  });

  it("a function's name replaces it, delete first because the program sets a name Pulumi would autoname", () => {
    const result = plan([resource(FUNCTION, "fn", { name: "a" })], [resource(FUNCTION, "fn", { name: "b" })]);
    expect(stepOf(result, "fn")).toMatchObject({ op: "replace", replaceReasons: ["name"], detailedDiff: { name: { kind: "update-replace" } }, replacement: { order: "delete-first" } });
    // Delete first: the old one goes before the replacement is created.
    expect(result.steps.filter((step) => step.name === "fn").map((step) => step.op)).toEqual(["delete-replaced", "replace", "create-replacement"]);
    expect(result.changeSummary).toEqual({ same: 3, replace: 1 });
  });

  // AWS::EC2::SecurityGroup: VpcId "Update requires: Replacement"; Tags "No interruption".
  it("a security group without a set name is replaced create first when its VPC changes, and updated when only its tags change", () => {
    const sg = "aws:ec2/securityGroup:SecurityGroup";
    const moved = plan([resource(sg, "sg", { vpcId: "vpc-1" })], [resource(sg, "sg", { vpcId: "vpc-2" })]);
    expect(stepOf(moved, "sg")?.replacement?.order).toBe("create-first");
    expect(moved.steps.map((step) => step.op)).toEqual(["same", "same", "same", "create-replacement", "replace", "delete-replaced"]);
    expect(stepOf(plan([resource(sg, "sg", { tags: { a: "1" } })], [resource(sg, "sg", { tags: { a: "2" } })]), "sg")?.op).toBe("update");
  });
});

// Provider references, aliases and regions: test/offline/plan/update/provider-change.test.ts.
describe("the provider's own rules", () => {
  it("the same provider under the same URN leaves the resource alone", () => {
    expect(stepOf(plan([resource(LOG_GROUP, "logs", { name: "l" })], [resource(LOG_GROUP, "logs", { name: "l" })]), "logs")?.op).toBe("same");
  });

  it("a required name (the dashboard's dashboardName) is replaced create first, and delete first with deleteBeforeReplace", () => {
    const before = resource(DASHBOARD, "dash", { dashboardName: "a", dashboardBody: "{}" });
    expect(stepOf(plan([before], [resource(DASHBOARD, "dash", { dashboardName: "b", dashboardBody: "{}" })]), "dash")?.replacement?.order).toBe("create-first");
    const withOption = resource(DASHBOARD, "dash", { dashboardName: "b", dashboardBody: "{}" }, { deleteBeforeReplace: true });
    expect(stepOf(plan([before], [withOption]), "dash")?.replacement?.order).toBe("delete-first");
  });

  // AWS::EC2::Subnet AvailabilityZone: "Update requires: Replacement".
  it("ignoreChanges fields trigger nothing: a subnet's zone changes without a replacement only while it is ignored", () => {
    const subnet = "aws:ec2/subnet:Subnet";
    const ignored = plan([resource(subnet, "s", { availabilityZone: "us-east-1a" })], [resource(subnet, "s", { availabilityZone: "us-east-1b" }, { ignoreChanges: ["availabilityZone"] })]);
    expect(stepOf(ignored, "s")?.op).toBe("same");
    expect(stepOf(plan([resource(subnet, "s", { availabilityZone: "us-east-1a" })], [resource(subnet, "s", { availabilityZone: "us-east-1b" })]), "s")?.op).toBe("replace");
  });

  it("a provider's changed input updates the provider in place, and its default tags update every taggable resource's tagsAll", () => {
    const before = [resource(LOG_GROUP, "logs", { name: "l" }), resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: "{}" })];
    const withTags = (tags: string): StackState => ({ stackUrn: STACK_URN, resources: [resource("pulumi:providers:aws", "east", { region: "us-east-1", defaultTags: tags }), providers[1], ...before], outputs: {} });
    const after = planUpdate(withTags('{"tags":{"a":"2"}}'), withTags('{"tags":{"a":"3"}}'), rules);
    expect(stepOf(after, "east")).toMatchObject({ op: "update", detailedDiff: { defaultTags: { kind: "update" } } });
    expect(stepOf(after, "logs")).toMatchObject({ op: "update", detailedDiff: { tagsAll: { kind: "update", inputDiff: false } } });
    // An inline role policy takes no tags.
    expect(stepOf(after, "p")?.op).toBe("same");
  });

  it("a release (a dynamic -release resource) is an update, never a replacement", () => {
    const dynamic = "pulumi-nodejs:dynamic:Resource";
    const result = plan([resource(dynamic, "tap-us-east-1-api-release", { version: "1" })], [resource(dynamic, "tap-us-east-1-api-release", { version: "2" })]);
    expect(stepOf(result, "tap-us-east-1-api-release")).toMatchObject({ op: "update", notes: ["release: a new Lambda version is rolled out"] });
  });

  it("a published function's new code is an update of the function, and its alias follows the new version in place", () => {
    const fn = resource(FUNCTION, "fn", { name: "f", publish: true, code: "v1" }, { outputs: { name: "f", publish: true, code: "v1", version: "1", arn: "arn:aws:lambda:us-east-1:1:function:f" } });
    const alias = (version: string) => resource("aws:lambda/alias:Alias", "live", { name: "live", functionName: "f", functionVersion: version }, { dependencies: [fn.urn] });
    const result = plan([fn, alias("1")], [{ ...fn, inputs: { ...fn.inputs, code: "v2" } }, alias("1")]);
    expect(stepOf(result, "fn")).toMatchObject({ op: "update", notes: ["publishes a new Lambda version"] });
    expect(stepOf(result, "live")).toMatchObject({ op: "update", detailedDiff: { functionVersion: { kind: "update" } } });
  });

  it("a dependent holding a replaced resource's ID changes too, and is replaced when that input forces it (AWS::EC2::Route RouteTableId)", () => {
    const table = resource("aws:ec2/routeTable:RouteTable", "rt", { vpcId: "vpc-1" });
    const route = resource("aws:ec2/route:Route", "r", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0" }, { dependencies: [table.urn] });
    const result = plan([table, route], [{ ...table, inputs: { vpcId: "vpc-2" } }, route]);
    expect(stepOf(result, "r")).toMatchObject({ op: "replace", replaceReasons: ["routeTableId"] });
    expect(stepOf(plan([table, route], [table, route]), "r")?.op).toBe("same");
  });
});

describe("hazards", () => {
  const dashboard = (provider: string, extra: Partial<ResourceState> = {}) => resource(DASHBOARD, "dash", { dashboardName: "tap-dashboard", dashboardBody: "{}" }, { provider, ...extra });

  // PutDashboard: "If a dashboard with this name already exists, this call modifies that dashboard". A dashboard is
  // region-aware in @pulumi/aws 7, so a provider in another region replaces it.
  it("a create-first replacement under the same required name, with an upsert API, is a hazard; delete first is not", () => {
    const moved = hazardsOf(plan([dashboard(`${EAST}::east-id`)], [dashboard(`${WEST}::west-id`)]));
    expect(moved.map((hazard) => [hazard.kind, hazard.name])).toEqual([["fixed-name-create-first", "dash"]]);
    expect(hazardLine(moved[0])).toMatch(/^aws:cloudwatch:Dashboard dash: replaced create-first under the same name "tap-dashboard": PutDashboard overwrites the live resource .* Fix: keep it on a provider of the same region/);
    expect(hazardsOf(plan([dashboard(`${EAST}::east-id`)], [dashboard(`${WEST}::west-id`, { deleteBeforeReplace: true })]))).toEqual([]);
  });

  // DeleteBucket: "All objects (including all object versions and delete markers) in the bucket must be deleted before the bucket itself can be deleted."
  it("deleting a bucket, a log group or a KMS key loses data unless it is retainOnDelete", () => {
    const held = [resource("aws:s3/bucket:Bucket", "b", { bucket: "b" }), resource(LOG_GROUP, "l", { name: "l" }), resource("aws:kms/key:Key", "k", { deletionWindowInDays: 7 })];
    const hazards = hazardsOf(plan(held, []));
    expect(hazards.map((hazard) => [hazard.kind, hazard.name])).toEqual([["data-loss", "k"], ["data-loss", "l"], ["data-loss", "b"]]);
    expect(hazards[0].what).toContain("pending deletion for 7 days");
    expect(hazards[2].what).toContain("BucketNotEmpty");
    expect(hazardsOf(plan(held.map((item) => ({ ...item, retainOnDelete: true })), []))).toEqual([]);
  });

  it("a topic loses its confirmed email subscriptions when it is replaced; a topic without any loses nothing", () => {
    const topic = resource("aws:sns/topic:Topic", "t", { name: "alarms" }, { outputs: { name: "alarms", arn: "arn:aws:sns:us-east-1:1:alarms" } });
    const email = resource("aws:sns/topicSubscription:TopicSubscription", "e", { topic: "arn:aws:sns:us-east-1:1:alarms", protocol: "email", endpoint: "ops@example.com" });
    const renamed = { ...topic, inputs: { name: "alarms-2" } };
    expect(hazardsOf(plan([topic, email], [renamed, email])).filter((hazard) => hazard.kind === "data-loss").map((hazard) => hazard.name)).toEqual(["t"]);
    expect(hazardsOf(plan([topic], [renamed]))).toEqual([]);
  });

  it("replacing the security group a function uses waits for Lambda's interfaces; one no function uses does not", () => {
    const sg = resource("aws:ec2/securityGroup:SecurityGroup", "sg", { description: "a" });
    const fn = resource(FUNCTION, "fn", { vpcConfig: { securityGroupIds: [sg.id] } }, { dependencies: [sg.urn] });
    const hazards = hazardsOf(plan([sg, fn], [{ ...sg, inputs: { description: "b" } }, fn]));
    expect(hazards.map((hazard) => [hazard.kind, hazard.name])).toEqual([["lambda-network", "sg"]]);
    expect(hazards[0].what).toContain("up to about 40 minutes");
    expect(hazardsOf(plan([sg], [{ ...sg, inputs: { description: "b" } }]))).toEqual([]);
  });

  it("an exported API URL that embeds a replaced REST API's ID changes; the same URL of an API kept in place does not", () => {
    const api = resource("aws:apigateway/restApi:RestApi", "api", { name: "a" }, { id: "abcdef1234" });
    const url = { api_urls: { "us-east-1": "https://abcdef1234.execute-api.us-east-1.amazonaws.com/dev/api" } };
    const moved = hazardsOf(plan([api], [{ ...api, provider: `${WEST}::west-id` }], [url, url]));
    expect(moved.map((hazard) => [hazard.kind, hazard.name])).toEqual([["client-url", "api_urls[us-east-1]"]]);
    expect(hazardsOf(plan([api], [{ ...api, inputs: { name: "b" } }], [url, url]))).toEqual([]);
  });
});
