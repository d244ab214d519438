import { DEFAULT_LIFECYCLE_OPTIONS, PLACEHOLDER_ACCOUNT_ID, RecordedResource } from "../../../offline/mock-cloud";
import { destroyStepNumbers } from "../../../offline/plan/destroy/order";
import { PlanModel, buildPlanModel } from "../../../offline/plan/model";
import { PLAIN } from "../../../offline/plan/style";
import { releaseWavePlan, renderReleaseWaves } from "../../../offline/plan/rollout";
import type { TapStackArgs } from "../../../lib";
import { StackHarness, setupHarness } from "../../support/stack-harness";
import { sharedSetup } from "../../support/shared-setup";

/**
 * The offline plan of a stack with `rollout` canary: the release waves and
 * the expected rollout time, read from the planned release steps; and the
 * destroy order, which must keep CodeDeploy's role until its deployment group
 * is gone (CodeDeploy acts as the role while a group exists).
 */

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1"];
let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness();
});

async function planOf(args: TapStackArgs): Promise<PlanModel> {
  await harness.build(args);
  return buildPlanModel({ project: "tap", stack: "dev", resources: [...harness.cloud.resources], outputs: {}, placeholderAccountId: PLACEHOLDER_ACCOUNT_ID });
}

function one(model: PlanModel, type: string, name: string) {
  const found = model.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
}

describe("with rollout canary in three regions", () => {
  let model: PlanModel;

  sharedSetup(async () => {
    model = await planOf({ regions: REGIONS, rollout: "canary" });
  }, 60_000);

  it("orders the waves as the release steps depend on each other: home region first", () => {
    const plan = releaseWavePlan(model);
    expect(plan?.problem).toBeUndefined();
    expect(plan?.mode).toBe("canary");
    expect(plan?.steps.map((step) => [step.wave, step.region, step.after && one(model, "pulumi-nodejs:dynamic:Resource", `tap-${REGIONS[step.wave - 2]}-release`).urn === step.after])).toEqual([
      [1, "us-east-1", undefined],
      [2, "us-west-2", true],
      [3, "eu-west-1", true],
    ]);
  });

  it("prints the waves, what stops each, and the expected rollout time (3 × 5 min)", () => {
    const lines = renderReleaseWaves(model, PLAIN);
    const alarms = (region: string) => [`rollback-errors`, `rollback-5xx`].map((metric) => `iac-aws-nova-${metric}-alarm-${region}-dev-2f69835b`).join(", ");
    expect(lines).toEqual([
      "",
      "Release waves (rollout canary: CodeDeployDefault.LambdaCanary10Percent5Minutes, 10% of the traffic for 5 minutes, then the rest)",
      `  1. us-east-1       first (home region) · rolls back on ${alarms("us-east-1")} · gives up after 15 min`,
      `  2. us-west-2       after us-east-1 succeeds · rolls back on ${alarms("us-west-2")} · gives up after 15 min`,
      `  3. eu-west-1       after us-west-2 succeeds · rolls back on ${alarms("eu-west-1")} · gives up after 15 min`,
      "  Expected rollout time: 15 min for 3 region(s), at most 15 min 45 s: T(N) = N × 5 min (CodeDeployDefault.LambdaCanary10Percent5Minutes), at most N × (5 min + 15 s poll).",
      "  A rollback in one region fails `pulumi up` there and leaves the regions after it on their current version.",
    ]);
  });

  it.each(REGIONS)("destroys %s's deployment group before CodeDeploy's role and its policy, and the release step before the group", (region) => {
    const steps = destroyStepNumbers(model.resources);
    const step = (type: string, name: string) => steps.get(one(model, type, name).urn) ?? 0;
    const group = step("aws:codedeploy/deploymentGroup:DeploymentGroup", `tap-${region}-rollout-deployment-group`);
    const role = step("aws:iam/role:Role", `tap-${region}-rollout-role`);
    const policy = step("aws:iam/rolePolicy:RolePolicy", `tap-${region}-rollout-role-policy`);
    const release = step("pulumi-nodejs:dynamic:Resource", `tap-${region}-release`);
    const application = step("aws:codedeploy/application:Application", `tap-${region}-rollout-application`);
    expect(group).toBeGreaterThan(release);
    expect(policy).toBeGreaterThan(group);
    expect(role).toBeGreaterThan(policy);
    expect(application).toBeGreaterThan(group);
  });
});

describe("with the default rollout", () => {
  it("has no release waves and prints none", async () => {
    const model = await planOf({ regions: ["us-east-1"] });
    expect(releaseWavePlan(model)).toBeUndefined();
    expect(renderReleaseWaves(model, PLAIN)).toEqual([]);
  }, 60_000);
});

describe("release steps that do not form one wave", () => {
  /** Hand-made release steps: `after[i]` lists the indexes step i depends on. */
  function modelOf(after: number[][]): PlanModel {
    const urn = (index: number) => `urn:pulumi:dev::tap::pulumi-nodejs:dynamic:Resource::tap-r${index}-release`;
    const resources: RecordedResource[] = after.map((deps, index) => ({
      urn: urn(index), type: "pulumi-nodejs:dynamic:Resource", name: `tap-r${index}-release`, custom: true, id: `r${index}`,
      inputs: { region: `r${index}`, deploymentConfigName: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute", alarmNames: [], timeoutMinutes: 20 },
      state: {}, parent: undefined, provider: undefined, dependencies: deps.map(urn), region: undefined,
      options: DEFAULT_LIFECYCLE_OPTIONS,
    }));
    return buildPlanModel({ project: "tap", stack: "dev", resources, outputs: {}, placeholderAccountId: PLACEHOLDER_ACCOUNT_ID });
  }

  it.each<[string, number[][], string]>([
    ["two steps that wait for nothing", [[], []], "2 release steps wait for no other: the regions would be released side by side"],
    ["two steps that wait for the same one", [[], [0], [0]], "2 release steps wait for tap-r0-release: they would run side by side"],
  ])("reports %s", (_, after, problem) => {
    const model = modelOf(after);
    expect(releaseWavePlan(model)?.problem).toBe(problem);
    expect(renderReleaseWaves(model, PLAIN).at(-1)).toBe(`  problem: ${problem}.`);
  });

  it("times a linear wave at 10 minutes per region", () => {
    expect(renderReleaseWaves(modelOf([[], [0]]), PLAIN)[4]).toBe(
      "  Expected rollout time: 20 min for 2 region(s), at most 20 min 30 s: T(N) = N × 10 min (CodeDeployDefault.LambdaLinear10PercentEvery1Minute), at most N × (10 min + 15 s poll).",
    );
  });
});
