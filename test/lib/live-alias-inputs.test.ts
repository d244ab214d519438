import { TYPES } from "../../offline/resource-types";
import type { TapStackArgs } from "../../lib";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * Under a gradual rollout the live alias has exactly three inputs: name,
 * functionName and functionVersion. Nothing else may be added.
 *
 * Why: the alias ignores changes to functionVersion (CodeDeploy owns it), and
 * Pulumi's ignoreChanges works by putting the OLD input back into the new
 * inputs (processIgnoreChanges in pulumi/pulumi's step generator). The old
 * input is the version the alias was created on, long since replaced by
 * CodeDeploy. As long as no other input can change, the alias never gets an
 * update and the stale value is never sent. Add any updatable input (a
 * description, say) and the next change of it makes the provider call
 * UpdateAlias with that stale functionVersion, moving all the traffic back to
 * the first version behind CodeDeploy's back. Provisioned concurrency is
 * therefore a resource of its own that names the alias (qualifier), not an
 * input of the alias.
 */

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness();
});

describe.each<[string, TapStackArgs]>([
  ["canary", { rollout: "canary" }],
  ["linear with provisioned concurrency", { rollout: "linear", lambdaProvisionedConcurrency: 2 }],
])("rollout: %s", (_, args) => {
  sharedSetup(async () => {
    await harness.build({ regions: ["eu-west-1"], ...args });
  }, 60_000);

  it("gives the live alias exactly name, functionName and functionVersion, with functionVersion and routingConfig ignored", () => {
    const alias = harness.cloud.single("eu-west-1", TYPES.alias);
    const defined = Object.entries(alias.inputs).filter(([, value]) => value !== undefined).map(([key]) => key).sort();
    expect(defined).toEqual(["functionName", "functionVersion", "name"]);
    expect([...alias.options.ignoreChanges].sort()).toEqual(["functionVersion", "routingConfig"]);
  });

  it("keeps provisioned concurrency out of the alias: a resource of its own on the alias's name, or none", () => {
    const alias = harness.cloud.single("eu-west-1", TYPES.alias);
    const provisioned = harness.cloud.inRegion("eu-west-1", TYPES.provisionedConcurrency);
    const expected = args.lambdaProvisionedConcurrency ?? 0;
    expect(provisioned.map((config) => [config.inputs.qualifier, config.inputs.provisionedConcurrentExecutions])).toEqual(expected > 0 ? [[alias.state.name, expected]] : []);
  });
});
