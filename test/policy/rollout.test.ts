import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import * as proxy from "@pulumi/policy/proxy";
import { PACK_ENFORCEMENT_LEVEL, PlannedResource, evaluatePolicies, tapPolicies } from "../../policy/policies";
import { runPolicies } from "../../policy/evaluate";
import { invokedFunctionArn, rolloutApiReachesAlias } from "../../policy/rollout-policies";
import { unknownCheckingProxy } from "../../policy/support";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { TYPES } from "../../offline/resource-types";
import { ROLLOUT_FUNCTION_ARN, UNQUALIFIED_INTEGRATION, UNQUALIFIED_PERMISSION, invocationsOf, rolloutPlan } from "../support/rollout-plan";

/**
 * rollout-api-reaches-alias: with a CodeDeploy Lambda application in the
 * stack (`rollout` canary or linear), API Gateway may invoke aliases only.
 * Hand-made plans break one piece at a time; then the real program, built
 * with rollout canary, passes the whole pack.
 */

const UNKNOWN_STRING = (proxy as unknown as { unknownStringValue: string }).unknownStringValue;
const POLICY = "rollout-api-reaches-alias";

function check(resources: PlannedResource[]) {
  return runPolicies(resources, tapPolicies.filter((policy) => policy.name === POLICY), PACK_ENFORCEMENT_LEVEL);
}

function withProps(resource: PlannedResource, props: Record<string, unknown>): PlannedResource {
  return { ...resource, props: { ...resource.props, ...props } };
}

describe("rollout-api-reaches-alias on hand-made plans", () => {
  const plan = rolloutPlan();

  it("passes an integration and a permission that use the live alias", async () => {
    expect(await check(Object.values(plan))).toEqual([]);
  });

  it("reports an integration that invokes the unqualified function", async () => {
    const unqualified = withProps(plan.integration, { uri: invocationsOf(ROLLOUT_FUNCTION_ARN) });
    expect(await check([plan.application, plan.alias, unqualified, plan.permission])).toEqual([
      { policy: POLICY, enforcementLevel: "mandatory", urn: plan.integration.urn, message: UNQUALIFIED_INTEGRATION },
    ]);
  });

  it("reports an integration that invokes a version, or an alias the stack does not manage", async () => {
    for (const qualifier of ["7", "beta"]) {
      const other = withProps(plan.integration, { uri: invocationsOf(`${ROLLOUT_FUNCTION_ARN}:${qualifier}`) });
      expect((await check([plan.application, plan.alias, other])).map((v) => v.urn)).toEqual([plan.integration.urn]);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ["no qualifier", { qualifier: undefined }],
    ["an empty qualifier", { qualifier: "" }],
    ["a qualifier that is no alias of the function", { qualifier: "beta" }],
    ["another function's alias", { function: "other-fn" }],
  ])("reports an API Gateway permission with %s", async (_, change) => {
    const violations = await check([plan.application, plan.alias, plan.integration, withProps(plan.permission, change)]);
    expect(violations.map((v) => v.urn)).toEqual([plan.permission.urn]);
    if (change.function === undefined) expect(violations[0].message).toBe(UNQUALIFIED_PERMISSION);
  });

  it("accepts a permission that names the function by ARN", async () => {
    expect(await check([plan.application, plan.alias, plan.integration, withProps(plan.permission, { function: ROLLOUT_FUNCTION_ARN })])).toEqual([]);
  });

  it("leaves permissions for other services and non-Lambda integrations alone", async () => {
    const events = withProps(plan.permission, { principal: "events.amazonaws.com", qualifier: undefined });
    const mock = withProps(plan.integration, { type: "MOCK", uri: undefined });
    expect(await check([plan.application, plan.alias, mock, events])).toEqual([]);
  });

  it("does not apply without a CodeDeploy Lambda application: all-at-once stacks invoke the function itself", async () => {
    const unqualified = withProps(plan.integration, { uri: invocationsOf(ROLLOUT_FUNCTION_ARN) });
    const bare = withProps(plan.permission, { qualifier: undefined });
    expect(await check([unqualified, bare])).toEqual([]);
    expect(await check([withProps(plan.application, { computePlatform: "Server" }), unqualified, bare])).toEqual([]);
  });

  it("says nothing in a preview that cannot know the URI yet (a new alias): the update checks it again", () => {
    const engine = (resource: PlannedResource, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource => ({
      type: resource.type, name: resource.name, urn: resource.urn, props: unknownCheckingProxy({ ...resource.props }), propertyDependencies, dependencies: [],
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      isType: () => false, asType: () => undefined,
    });
    const run = (resources: PolicyResource[]) => {
      const messages: string[] = [];
      void (rolloutApiReachesAlias as StackValidationPolicy).validateStack(
        { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: (reason?: string): never => { throw new Error(reason); } },
        (message) => messages.push(message));
      return messages;
    };
    const alias = engine(withProps(plan.alias, { invokeArn: UNKNOWN_STRING }));
    const pending = withProps(plan.integration, { uri: UNKNOWN_STRING });
    expect(run([engine(plan.application), alias, engine(pending)])).toEqual([]);
    // Once the alias exists its invokeArn is known, and an unqualified URI is reported.
    expect(run([engine(plan.application), engine(plan.alias), engine(withProps(plan.integration, { uri: invocationsOf(ROLLOUT_FUNCTION_ARN) }))])).toEqual([UNQUALIFIED_INTEGRATION]);
  });

  it("reads the function ARN an integration URI invokes", () => {
    expect(invokedFunctionArn(invocationsOf(`${ROLLOUT_FUNCTION_ARN}:live`))).toBe(`${ROLLOUT_FUNCTION_ARN}:live`);
    expect(invokedFunctionArn("arn:aws:apigateway:us-east-1:s3:path/bucket/key")).toBeUndefined();
  });
});

describe("the program with rollout canary and the stage cache", () => {
  let harness: StackHarness;

  beforeAll(async () => {
    harness = await setupHarness();
    await harness.build({ rollout: "canary", enableApiCache: true });
  }, 120_000);

  it("passes every policy of the pack, this one with something to check in each region, the cache's GET methods and /api/health included", async () => {
    const plan = harness.cloud.customResources().map((r) => ({ urn: r.urn, type: r.type, name: r.name, id: r.id, props: r.state, provider: r.provider }));
    // Per region: ANY and GET on /api and /api/{proxy+}, and ANY on /api/health (lib/serverless-api.ts's routes).
    const integrations = plan.filter((r) => r.type === TYPES.integration);
    expect(integrations.map((r) => String(r.props.uri).endsWith(":live/invocations"))).toEqual(Array(10).fill(true));
    expect(plan.filter((r) => r.type === TYPES.permission).map((r) => r.props.qualifier)).toEqual(["live", "live"]);
    expect(await evaluatePolicies(plan)).toEqual([]);
  });
});
