import { join } from "path";
import { withEditedHandler } from "../../../../offline/plan/update/config-changes";
import { stackStateOfEvaluation } from "../../../../offline/plan/update/desired";
import { ProgramEvaluator, createProgramEvaluator } from "../../../../offline/plan/update/evaluations";
import { Hazard, findHazards, hazardLine } from "../../../../offline/plan/update/hazards";
import { planUpdate } from "../../../../offline/plan/update/plan";
import { loadReplacementRules } from "../../../../offline/plan/update/rules";
import { ResourceState, StackState } from "../../../../offline/plan/update/state";
import { loadStackConfig } from "../../../../offline/stack-config/loader";
import { REPO_ROOT } from "../../../support/paths";
import { sharedSetup } from "../../../support/shared-setup";

/**
 * Turning `rollout` on or off in the same update as a code change ships the
 * code to all the traffic of every region at once, and so does turning it off
 * after a rollback: the update plan reports a `rollout-switch` hazard on each
 * function, one line with the resource, what happens and the fix. Planned on
 * the example dev stack (two regions) as `npm run plan -- --from` does: an
 * edit to the handler is a deployed function whose archive has another hash.
 * Expected behaviour, from Lambda's and CodeDeploy's rules: with `publish`
 * going from false to true, Lambda publishes the changed code as the first
 * version and the alias is created on it, so the release has nothing to shift;
 * with provisioned concurrency the function already published and the alias
 * exists, so the release shifts it and nothing is hazardous.
 */

const rules = loadReplacementRules();
const FUNCTIONS = ["tap-us-east-1-api-function", "tap-us-west-2-api-function"];
let evaluator: ProgramEvaluator;
const states = new Map<string, StackState>();

async function stateOf(overrides: readonly string[]): Promise<StackState> {
  const key = JSON.stringify(overrides);
  const known = states.get(key);
  if (known) return known;
  const config = loadStackConfig(REPO_ROOT, "dev", overrides);
  const state = stackStateOfEvaluation(config.project, config.stack, await evaluator.evaluate(config.values));
  states.set(key, state);
  return state;
}

function hazardsOf(deployed: StackState, desired: StackState): Hazard[] {
  const plan = planUpdate(deployed, desired, rules);
  return findHazards({ steps: plan.steps, deployed: plan.deployed, oldOutputs: plan.oldOutputs, newOutputs: plan.newOutputs }, rules);
}

/** `deployed` with each region's function at `newest` and its release's alias at `live` (a release that rolled back). */
function afterRollback(deployed: StackState, live: string, newest: string): StackState {
  const patched = (resource: ResourceState): ResourceState => {
    if (resource.type === "aws:lambda/function:Function") return { ...resource, outputs: { ...resource.outputs, version: newest } };
    if (resource.type === "pulumi-nodejs:dynamic:Resource") return { ...resource, outputs: { ...resource.outputs, liveVersion: live, targetVersion: live } };
    return resource;
  };
  return { ...deployed, resources: deployed.resources.map(patched) };
}

sharedSetup(async () => {
  evaluator = await createProgramEvaluator(join(REPO_ROOT, "index.ts"), "tap", "dev");
  for (const overrides of [[], ["rollout=canary"], ["lambdaProvisionedConcurrency=2"], ["lambdaProvisionedConcurrency=2", "rollout=canary"]]) await stateOf(overrides);
}, 120_000);

describe("rollout switched in the same update as a code change", () => {
  it("all-at-once -> canary with a handler edit: each function ships its new code everywhere at once, one line each with the fix", async () => {
    const hazards = hazardsOf(withEditedHandler(await stateOf([])), await stateOf(["rollout=canary"]));
    expect(hazards.map((hazard) => [hazard.kind, hazard.type, hazard.name])).toEqual(FUNCTIONS.map((name) => ["rollout-switch", "aws:lambda/function:Function", name]));
    expect(hazardLine(hazards[0])).toBe(
      "aws:lambda:Function tap-us-east-1-api-function: rollout turns on in the same update as a code change: Lambda publishes the new code as the function's first version, " +
        "the live alias is created on it and tap-us-east-1-release finds nothing to shift, so the new code serves all the traffic at once, with no canary and no rollback. " +
        "Fix: turn rollout on or off in an update with no function change: deploy the code change in an update of its own, before or after (docs/rollouts.md).",
    );
  });

  it("canary -> all-at-once with a handler edit: the same, the other way", async () => {
    const hazards = hazardsOf(withEditedHandler(await stateOf(["rollout=canary"])), await stateOf([]));
    expect(hazards.map((hazard) => [hazard.kind, hazard.name])).toEqual(FUNCTIONS.map((name) => ["rollout-switch", name]));
    expect(hazards[1].what).toBe(
      "rollout turns off in the same update as a code change: tap-us-west-2-release is deleted and the API serves the new code at once " +
        "(the function's $LATEST, or the live alias Pulumi moves to the new version), with no canary and no rollback",
    );
  });

  it("canary -> all-at-once with a handler edit and provisioned concurrency (the alias stays, Pulumi moves it): a hazard too", async () => {
    const hazards = hazardsOf(withEditedHandler(await stateOf(["lambdaProvisionedConcurrency=2", "rollout=canary"])), await stateOf(["lambdaProvisionedConcurrency=2"]));
    expect(hazards.map((hazard) => [hazard.kind, hazard.name])).toEqual(FUNCTIONS.map((name) => ["rollout-switch", name]));
  });
});

describe("rollout switched without a code change, or where the release still shifts", () => {
  it.each([
    ["all-at-once -> canary", [], ["rollout=canary"]],
    ["canary -> all-at-once", ["rollout=canary"], []],
  ])("%s alone: no hazard", async (_, from, to) => {
    expect(hazardsOf(await stateOf(from), await stateOf(to))).toEqual([]);
  });

  it("a handler edit with rollout staying on: no hazard (the release shifts it)", async () => {
    expect(hazardsOf(withEditedHandler(await stateOf(["rollout=canary"])), await stateOf(["rollout=canary"]))).toEqual([]);
  });

  it("all-at-once -> canary with a handler edit when provisioned concurrency already published and aliased: no hazard", async () => {
    expect(hazardsOf(withEditedHandler(await stateOf(["lambdaProvisionedConcurrency=2"])), await stateOf(["lambdaProvisionedConcurrency=2", "rollout=canary"]))).toEqual([]);
  });
});

describe("rollout switched off after a rollback", () => {
  it("warns when the alias serves an older version than the function's newest (read from the deployed state)", async () => {
    const hazards = hazardsOf(afterRollback(await stateOf(["rollout=canary"]), "7", "8"), await stateOf([]));
    expect(hazards.map((hazard) => [hazard.kind, hazard.name])).toEqual(FUNCTIONS.map((name) => ["rollout-switch", name]));
    expect(hazardLine(hazards[0])).toBe(
      "aws:lambda:Function tap-us-east-1-api-function: rollout turns off while the live alias serves version 7 and the function's newest version is 8 " +
        "(a release rolled back or never ran): the API then serves version 8's code at once (the function's $LATEST, or the alias Pulumi moves to it). " +
        "Fix: keep rollout on and release a fixed version (pulumi up) until the alias serves the newest version, then turn rollout off in an update with no function change.",
    );
  });

  it("says nothing when the alias serves the newest version", async () => {
    expect(hazardsOf(afterRollback(await stateOf(["rollout=canary"]), "8", "8"), await stateOf([]))).toEqual([]);
  });
});
