import { DEFAULT_LIFECYCLE_OPTIONS, RecordedResource } from "../../../../offline/mock-cloud";
import { createSteps } from "../../../../offline/plan/export";
import { buildPlanModel } from "../../../../offline/plan/model";
import { GLOBAL_SERVICE_MODULES, isGlobalServiceType } from "../../../../offline/plan/update/global-services";
import { UpdatePlan, planUpdate } from "../../../../offline/plan/update/plan";
import { loadReplacementRules } from "../../../../offline/plan/update/rules";
import { ResourceState, StackState, stackStateFromPlanJson } from "../../../../offline/plan/update/state";
import { TYPES } from "../../../../offline/resource-types";
import { STACK_URN, providerReference, resourceState, urnOf } from "../../../support/resource-state";

/**
 * What the update plan does when a resource's provider reference changes, on
 * hand-made stacks. The expected ops are written from the sources, not from
 * the plan's output:
 *
 * - pulumi/pulumi, pkg/resource/deploy/step_generator.go, `providerChanged`:
 *   the same reference is no change; a reference added or removed is a
 *   replacement (ReplaceKeys ["provider"]); a new provider whose alias is the
 *   old provider's URN (`sg.aliased[oldRef.URN()] == newRef.URN()`) is no
 *   change; any other new provider is asked DiffConfig, and only a
 *   replacement there replaces the resource. Otherwise the resource is diffed
 *   as usual.
 * - @pulumi/aws 7's DiffConfig asks for no replacement: version 7 dropped the
 *   provider's ForcesProviderReplace on `region` (pulumi/pulumi-aws commit
 *   d273034ca4dff0fdfe4e1ab5f8896e4673055ece; a maintainer on
 *   pulumi/pulumi-aws#5652: "the new AWS v7 ... removes the cascading replace
 *   logic entirely"), having moved the region into each resource.
 * - @pulumi/aws 7, guide "Enhanced Region Support": a region-aware resource's
 *   `region` "defaults to the Region specified in the provider configuration",
 *   and "changing the value of `region` will force resource replacement";
 *   global services (IAM, Route 53, CloudFront, ...) have no `region`.
 * - The engine matches a resource whose URN is new through its aliases
 *   (apitype.ResourceV3 `aliases`).
 */

const rules = loadReplacementRules();

const state = resourceState;

const provider = (name: string, region: string, extra: Partial<ResourceState> = {}, inputs: Record<string, unknown> = {}) =>
  state(TYPES.provider, name, { region, ...inputs }, extra);
/** A resource of `type` bound to the provider `providerName`. */
const through = (providerName: string, type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceState> = {}) =>
  state(type, name, inputs, { provider: providerReference(providerName), ...extra });

const stackOf = (resources: ResourceState[]): StackState => ({ stackUrn: STACK_URN, resources, outputs: {} });
const plan = (before: ResourceState[], after: ResourceState[]) => planUpdate(stackOf(before), stackOf(after), rules);
const stepOf = (result: UpdatePlan, name: string) => result.steps.find((step) => step.name === name && step.logical);
const opsByName = (result: UpdatePlan) => result.steps.filter((step) => step.logical && step.type !== "pulumi:pulumi:Stack").map((step) => [step.op, step.name]);

const LOGS = { name: "tap-logs" };
const ROLE = { name: "tap-role", assumeRolePolicy: "{}" };
const RECORD = { zoneId: "Z1", name: "api.example.com", type: "A" };

describe("--json carries each resource's aliases, and --from reads them back", () => {
  it("a recorded alias URN goes into the step's newState.aliases and out again into the deployed stack", () => {
    const former = urnOf(TYPES.provider, "iac-aws-nova-provider-us-east-1-dev");
    const recorded: RecordedResource = {
      urn: urnOf(TYPES.provider, "tap-us-east-1-provider"), type: TYPES.provider, name: "tap-us-east-1-provider", custom: true, id: "p-1",
      inputs: { region: "us-east-1" }, state: { region: "us-east-1" }, parent: undefined, provider: undefined, dependencies: [], region: "us-east-1",
      options: { ...DEFAULT_LIFECYCLE_OPTIONS, aliases: [former] },
    };
    const steps = createSteps(buildPlanModel({ project: "tap", stack: "dev", resources: [recorded], outputs: {}, placeholderAccountId: "123456789012" }));
    expect(steps.map((step) => step.newState.aliases)).toEqual([undefined, [former]]);
    const read = stackStateFromPlanJson(JSON.parse(JSON.stringify({ steps })), "plan.json");
    expect(read.resources.map((resource) => [resource.urn, resource.aliases])).toEqual([[recorded.urn, [former]]]);
  });
});

describe("a renamed provider", () => {
  const before = [provider("old-east", "us-east-1"), through("old-east", TYPES.logGroup, "logs", LOGS), through("old-east", TYPES.role, "role", ROLE)];

  it("with its former URN as an alias is the same provider: it and every resource bound to it are unchanged", () => {
    const after = [
      provider("tap-us-east-1-provider", "us-east-1", { aliases: [urnOf(TYPES.provider, "old-east")] }),
      through("tap-us-east-1-provider", TYPES.logGroup, "logs", LOGS),
      through("tap-us-east-1-provider", TYPES.role, "role", ROLE),
    ];
    const result = plan(before, after);
    expect(opsByName(result)).toEqual([["same", "tap-us-east-1-provider"], ["same", "logs"], ["same", "role"]]);
    expect(result.changeSummary).toEqual({ same: 4 });
  });

  it("without the alias is a new provider and the old one is deleted; the resources, in the same region, move to it unchanged (DiffConfig asks no replacement)", () => {
    const after = [provider("tap-us-east-1-provider", "us-east-1"), through("tap-us-east-1-provider", TYPES.logGroup, "logs", LOGS), through("tap-us-east-1-provider", TYPES.role, "role", ROLE)];
    expect(opsByName(plan(before, after))).toEqual([["create", "tap-us-east-1-provider"], ["same", "logs"], ["same", "role"], ["delete", "old-east"]]);
  });
});

describe("a provider in another region", () => {
  const providers = [provider("east", "us-east-1"), provider("west", "us-west-2")];

  it("replaces a region-aware resource for its region, delete first when the program sets a name Pulumi would autoname", () => {
    const result = plan([...providers, through("east", TYPES.logGroup, "logs", LOGS)], [...providers, through("west", TYPES.logGroup, "logs", LOGS)]);
    expect(stepOf(result, "logs")).toMatchObject({
      op: "replace",
      replaceReasons: ["region"],
      diffReasons: ["region"],
      detailedDiff: { region: { kind: "update-replace", inputDiff: true } },
      replacement: { order: "delete-first" },
    });
    expect(stepOf(result, "logs")?.replacement?.because[0]).toMatch(/^region: its provider's region changes from us-east-1 to us-west-2; /);
  });

  it("replaces a dashboard (region-aware, although dashboards are global to the account) create first under its required name", () => {
    const dashboard = { dashboardName: "tap-dashboard", dashboardBody: "{}" };
    const result = plan([...providers, through("east", TYPES.dashboard, "dash", dashboard)], [...providers, through("west", TYPES.dashboard, "dash", dashboard)]);
    expect(stepOf(result, "dash")).toMatchObject({ op: "replace", replaceReasons: ["region"], replacement: { order: "create-first" } });
  });

  it.each([
    ["an IAM role", TYPES.role, ROLE],
    ["a Route 53 record", TYPES.record, RECORD],
    ["a Route 53 health check", TYPES.healthCheck, { fqdn: "x.example.com", type: "HTTPS" }],
  ])("leaves %s alone: its service is global, it has no region", (_label, type, inputs) => {
    const result = plan([...providers, through("east", type, "global", inputs)], [...providers, through("west", type, "global", inputs)]);
    expect(stepOf(result, "global")?.op).toBe("same");
  });

  it("changes nothing for a resource that sets its own region (the provider's region no longer applies)", () => {
    const pinned = { ...LOGS, region: "eu-west-1" };
    expect(stepOf(plan([...providers, through("east", TYPES.logGroup, "logs", pinned)], [...providers, through("west", TYPES.logGroup, "logs", pinned)]), "logs")?.op).toBe("same");
  });

  it("through an alias: the renamed provider in another region still replaces what is region-aware", () => {
    const after = [provider("renamed", "us-west-2", { aliases: [urnOf(TYPES.provider, "east")] }), providers[1], through("renamed", TYPES.logGroup, "logs", LOGS), through("renamed", TYPES.role, "role", ROLE)];
    const result = plan([...providers, through("east", TYPES.logGroup, "logs", LOGS), through("east", TYPES.role, "role", ROLE)], after);
    expect(opsByName(result)).toEqual([["update", "renamed"], ["same", "west"], ["replace", "logs"], ["same", "role"]]);
    expect(stepOf(result, "renamed")?.detailedDiff).toEqual({ region: { kind: "update", inputDiff: true } });
    // Through the alias it is the same provider (no provider change to note): only its region changed.
    expect(stepOf(result, "logs")?.notes).toEqual([]);
  });
});

describe("the same provider", () => {
  it("with a new region is updated in place, and replaces its region-aware resources but not its global ones", () => {
    const before = [provider("east", "us-east-1"), through("east", TYPES.logGroup, "logs", LOGS), through("east", TYPES.role, "role", ROLE)];
    const after = [provider("east", "eu-west-1"), through("east", TYPES.logGroup, "logs", LOGS), through("east", TYPES.role, "role", ROLE)];
    expect(opsByName(plan(before, after))).toEqual([["update", "east"], ["replace", "logs"], ["same", "role"]]);
  });

  it("in the same region leaves everything alone", () => {
    const resources = [provider("east", "us-east-1"), through("east", TYPES.logGroup, "logs", LOGS)];
    expect(plan(resources, resources).changeSummary).toEqual({ same: 3 });
  });
});

describe("a provider reference added or removed", () => {
  it("replaces the resource, create first, for its provider (providerChanged: an empty reference)", () => {
    const result = plan([provider("east", "us-east-1"), state(TYPES.logGroup, "logs", LOGS)], [provider("east", "us-east-1"), through("east", TYPES.logGroup, "logs", LOGS)]);
    expect(stepOf(result, "logs")).toMatchObject({ op: "replace", replaceReasons: ["provider"], detailedDiff: null, replacement: { order: "create-first" } });
  });
});

describe("another provider's default tags", () => {
  const tags = (value: string) => ({ defaultTags: `{"tags":{"Environment":"${value}"}}` });

  it("update the tagsAll of every taggable resource that moves to it, and of nothing else; the same tags change nothing", () => {
    const policy = { role: "tap-role", policy: "{}" };
    const before = [provider("a", "us-east-1", {}, tags("dev")), through("a", TYPES.logGroup, "logs", LOGS), through("a", TYPES.rolePolicy, "policy", policy)];
    const moved = (value: string) => [provider("b", "us-east-1", {}, tags(value)), through("b", TYPES.logGroup, "logs", LOGS), through("b", TYPES.rolePolicy, "policy", policy)];
    const retagged = plan(before, moved("staging"));
    expect(stepOf(retagged, "logs")).toMatchObject({ op: "update", detailedDiff: { tagsAll: { kind: "update", inputDiff: false } } });
    expect(stepOf(retagged, "logs")?.notes).toEqual(["its provider changes from a to b; @pulumi/aws's DiffConfig asks for no replacement, so only its inputs decide"]);
    // An inline role policy takes no tags (RolePolicyArgs has no `tags`).
    expect(stepOf(retagged, "policy")?.op).toBe("same");
    expect(stepOf(plan(before, moved("dev")), "logs")?.op).toBe("same");
  });
});

describe("which types follow their provider's region (the generated rules file against the guide's global services)", () => {
  it("every mapped AWS type declares `region` in @pulumi/aws exactly when its service is not global", () => {
    const awsTypes = rules.mappedTypes().filter((type) => type.startsWith("aws:"));
    expect(awsTypes.filter((type) => rules.isRegionAware(type) === isGlobalServiceType(type))).toEqual([]);
    // The program's global types: IAM's and Route 53's.
    expect(awsTypes.filter(isGlobalServiceType).sort()).toEqual([TYPES.role, TYPES.rolePolicy, TYPES.rolePolicyAttachment, TYPES.healthCheck, TYPES.record].sort());
  });

  it("an unmapped type is regional unless its service is global; WAF Classic is global, WAFv2 regional", () => {
    expect([rules.isRegionAware("aws:sqs/queue:Queue"), rules.isRegionAware("aws:cloudfront/distribution:Distribution"), rules.isRegionAware("pulumi-nodejs:dynamic:Resource")]).toEqual([true, false, false]);
    expect([GLOBAL_SERVICE_MODULES.includes("waf"), GLOBAL_SERVICE_MODULES.includes("wafv2")]).toEqual([true, false]);
  });
});
