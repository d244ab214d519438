import { readFileSync } from "fs";
import { TYPE_MAPPINGS, TypeMapping } from "../../../../offline/plan/update/cfn-map";
import { findHazards, hazardLine } from "../../../../offline/plan/update/hazards";
import { UpdatePlan, UpdateStep, planUpdate } from "../../../../offline/plan/update/plan";
import { REPLACEMENT_RULES_PATH, ReplacementRules, loadReplacementRules } from "../../../../offline/plan/update/rules";
import { ReplacementRulesFile } from "../../../../offline/plan/update/rules-file";
import { ResourceState, StackState } from "../../../../offline/plan/update/state";
import { STACK_URN, resourceState } from "../../../support/resource-state";

/**
 * Where the Pulumi AWS provider, the bridge and the program's own dynamic
 * provider decide differently from CloudFormation's metadata. Each expected op
 * is written from the source named next to it, not from the plan's output:
 * - terraform-provider-aws internal/service/apigateway/integration.go: `type`,
 *   `integration_http_method`, `credentials` and `passthrough_behavior` are
 *   ForceNew (CloudFormation updates them in place);
 * - internal/service/deploy/app.go: `name` is not ForceNew and Update calls
 *   UpdateApplication with NewApplicationName (CloudFormation replaces);
 * - internal/service/apigateway/base_path_mapping.go: `base_path` is not
 *   ForceNew and Update patches /basePath (CloudFormation replaces);
 * - pulumi-aws provider/resources.go declares DeleteBeforeReplace for
 *   aws_api_gateway_integration and aws_iam_role_policy_attachment;
 * - lib/release-provider.ts diffRelease: a new region, functionName, aliasName,
 *   applicationName or deploymentGroupName replaces the release step, with
 *   deleteBeforeReplace false;
 * - AWS::CloudWatch::Alarm `Metrics` (an alarm's metric-math queries):
 *   "Update requires: No interruption";
 * - pulumi-terraform-bridge pkg/tfbridge/schema.go nameRequiresDeleteBeforeReplace,
 *   for types that declare UniqueNameFields: a changed unique name is created
 *   first, an unchanged one set by the program is deleted first.
 */

const rules = loadReplacementRules();
const PROVIDER = "urn:pulumi:dev::tap::pulumi:providers:aws::east";

/** A resource bound to the east provider. */
function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceState> = {}): ResourceState {
  return resourceState(type, name, inputs, { provider: `${PROVIDER}::east-id`, ...extra });
}

const provider = resource("pulumi:providers:aws", "east", { region: "us-east-1" }, { provider: undefined });
const stack = (resources: ResourceState[]): StackState => ({ stackUrn: STACK_URN, resources: [provider, ...resources], outputs: {} });
const stepOf = (result: UpdatePlan, name: string) => result.steps.find((step) => step.name === name && step.logical);
const changed = (before: ResourceState, inputs: Record<string, unknown>, with_ = rules) => stepOf(planUpdate(stack([before]), stack([{ ...before, inputs: { ...before.inputs, ...inputs } }]), with_), nameOf(before));
const nameOf = (resource: ResourceState) => resource.urn.slice(resource.urn.lastIndexOf("::") + 2);

const INTEGRATION = "aws:apigateway/integration:Integration";
const integration = resource(INTEGRATION, "integration", { restApi: "a1b2c3d4e5", resourceId: "r1", httpMethod: "ANY", type: "AWS_PROXY", integrationHttpMethod: "POST", uri: "arn:fn" });

describe("an API Gateway integration (the provider's schema, not CloudFormation)", () => {
  it.each([
    ["type", { type: "HTTP_PROXY" }],
    ["integrationHttpMethod", { integrationHttpMethod: "GET" }],
    ["credentials", { credentials: "arn:aws:iam::123456789012:role/r" }],
    ["passthroughBehavior", { passthroughBehavior: "NEVER" }],
  ])("a new %s replaces it, delete first because the provider declares DeleteBeforeReplace for integrations", (field, inputs) => {
    expect(changed(integration, inputs)).toMatchObject({ op: "replace", replaceReasons: [field], replacement: { order: "delete-first" } });
  });

  it("a new uri updates it in place (UpdateIntegration patches /uri)", () => {
    expect(changed(integration, { uri: "arn:fn2" })).toMatchObject({ op: "update", replaceReasons: [] });
  });
});

describe("renames the provider makes in place", () => {
  it("a CodeDeploy application's new name updates it (UpdateApplication), with no note of a missing rule", () => {
    const application = resource("aws:codedeploy/application:Application", "app", { name: "tap-a", computePlatform: "Lambda" });
    expect(changed(application, { name: "tap-b" })).toMatchObject({ op: "update", diffReasons: ["name"], replaceReasons: [], notes: [] });
    // ComputePlatform: ForceNew in the provider, "Update requires: Replacement" in CloudFormation.
    expect(changed(application, { computePlatform: "Server" })?.op).toBe("replace");
  });

  it("a base path mapping's new base path updates it (UpdateBasePathMapping); a new domain replaces it", () => {
    const mapping = resource("aws:apigateway/basePathMapping:BasePathMapping", "mapping", { domainName: "api.example.com", restApi: "a1", stageName: "dev", basePath: "" });
    expect(changed(mapping, { basePath: "v2" })).toMatchObject({ op: "update", replaceReasons: [] });
    expect(changed(mapping, { domainName: "api2.example.com" })?.op).toBe("replace");
  });
});

describe("a release step (the program's dynamic provider)", () => {
  const release = resource("pulumi-nodejs:dynamic:Resource", "tap-us-east-1-release", {
    region: "us-east-1", functionName: "fn-a", aliasName: "live", applicationName: "app", deploymentGroupName: "group", targetVersion: "3",
  });

  it.each([["region", "us-west-2"], ["functionName", "fn-b"], ["aliasName", "other"], ["applicationName", "app-2"], ["deploymentGroupName", "group-2"]])(
    "a new %s replaces it, creating the new step first",
    (field, value) => {
      expect(changed(release, { [field]: value })).toMatchObject({ op: "replace", replaceReasons: [field], replacement: { order: "create-first" } });
    },
  );

  it("a new target version is a release: an update", () => {
    expect(changed(release, { targetVersion: "4" })).toMatchObject({ op: "update", replaceReasons: [] });
  });
});

describe("metric-math alarms", () => {
  it("new metric queries update the alarm in place, with no note of a missing rule", () => {
    const alarm = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "rate", { name: "tap-rate", metricQueries: [{ id: "rate", expression: "100 * e / r" }] });
    expect(changed(alarm, { metricQueries: [{ id: "rate", expression: "100 * FILL(e, 0) / r" }] })).toMatchObject({ op: "update", replaceReasons: [], notes: [] });
  });
});

describe("the bridge's order for names the provider declares unique (UniqueNameFields)", () => {
  const TOPIC = "aws:sns/topic:Topic";
  const declared: Record<string, TypeMapping> = {
    ...TYPE_MAPPINGS,
    [TOPIC]: { ...TYPE_MAPPINGS[TOPIC], uniqueNameFields: { fields: ["name"], source: "hand-made for this test" } },
  };
  const withUnique = new ReplacementRules(JSON.parse(readFileSync(REPLACEMENT_RULES_PATH, "utf8")) as ReplacementRulesFile, declared);
  const order = (oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>) => withUnique.replacementOrder(TOPIC, newInputs, false, { kind: "properties" }, oldInputs).order;

  it("a unique name that changes is created first; the same name set by the program is deleted first; an autonamed one is created first", () => {
    expect(order({ name: "a", fifoTopic: false }, { name: "b", fifoTopic: true })).toBe("create-first");
    expect(order({ name: "a", fifoTopic: false }, { name: "a", fifoTopic: true })).toBe("delete-first");
    expect(order({ name: "a-1234567", __defaults: ["name"] }, { name: "a-1234567", __defaults: ["name"], fifoTopic: true })).toBe("create-first");
  });

  it("a type without unique-name fields is deleted first whenever the program set its name, changed or not", () => {
    expect(rules.replacementOrder(TOPIC, { name: "b" }, false, { kind: "properties" }, { name: "a" }).order).toBe("delete-first");
    expect(rules.replacementOrder(TOPIC, { name: "a" }, false, { kind: "properties" }, { name: "a" }).order).toBe("delete-first");
  });

  // pulumi-aws's provider/resources.go declares UniqueNameFields for none of the types the program creates.
  it("no type of the program declares unique-name fields", () => {
    expect(Object.entries(TYPE_MAPPINGS).filter(([, mapping]) => mapping.uniqueNameFields !== undefined)).toEqual([]);
  });
});

describe("resources AWS keys by their parent", () => {
  const replaced = (before: ResourceState, after: ResourceState, order: "create-first" | "delete-first" = "create-first"): UpdateStep => ({
    op: "replace", urn: before.urn, type: before.type, name: nameOf(before), old: before, new: after, detailedDiff: null, diffReasons: [], replaceReasons: ["provider"],
    replacement: { order, orderWhy: "hand-made", because: ["provider changes"] }, notes: [], logical: true,
  });
  const hazardsOf = (steps: UpdateStep[]) => findHazards({ steps, deployed: steps.flatMap((step) => (step.old ? [step.old] : [])), oldOutputs: {}, newOutputs: {} }, rules);
  const topicPolicy = resource("aws:sns/topicPolicy:TopicPolicy", "policy", { arn: "arn:aws:sns:us-east-1:123456789012:alarms", policy: "{}" });
  const method = resource("aws:apigateway/method:Method", "method", { restApi: "a1b2c3d4e5", resourceId: "r1", httpMethod: "GET", authorization: "NONE" });

  // SetTopicAttributes replaces the topic's policy; the provider's delete sets SNS's default policy back.
  it("a topic policy replaced create-first under the same topic is a hazard: the delete resets the live policy", () => {
    const hazards = hazardsOf([replaced(topicPolicy, topicPolicy)]);
    expect(hazards.map((hazard) => [hazard.kind, hazard.name])).toEqual([["parent-key-create-first", "policy"]]);
    expect(hazardLine(hazards[0])).toMatch(
      /^aws:sns:TopicPolicy policy: replaced create-first under the same arn: SetTopicAttributes Policy writes over the live topic's policy, then deleting the replaced one \(SetTopicAttributes with SNS's default policy\) removes it, .* Fix: set deleteBeforeReplace: true on it/,
    );
  });

  // PutMethod answers ConflictException for a method that exists.
  it("a method replaced create-first under the same REST API, resource and HTTP method fails on the live one", () => {
    expect(hazardsOf([replaced(method, method)])[0].what).toMatch(/^replaced create-first under the same restApi, resourceId and httpMethod: PutMethod \(ConflictException while the method exists\) fails/);
  });

  it("no hazard when it is deleted first, when the key changes or is unknown, or when a retained one is overwritten", () => {
    expect(hazardsOf([replaced(topicPolicy, topicPolicy, "delete-first")])).toEqual([]);
    expect(hazardsOf([replaced(method, { ...method, inputs: { ...method.inputs, restApi: "f6g7h8i9j0" } })])).toEqual([]);
    expect(hazardsOf([{ ...replaced(method, method), unknownPaths: ["resourceId"] }])).toEqual([]);
    const block = resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", { bucket: "b", blockPublicAcls: true }, { retainOnDelete: true });
    expect(hazardsOf([replaced(block, block)])).toEqual([]);
  });
});
