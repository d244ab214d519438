import type { TapStackArgs } from "../../lib";
import { formerGlobalRoutingProvider, formerRegionalProviderName, globalProviderName, regionalProviderName } from "../../lib/providers";
import type { RecordedResource } from "../../offline/mock-cloud";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * A provider's logical name carries nothing a user may change on a live
 * stack, and stacks deployed before the rename keep their providers.
 *
 * Every resource records the URN of the provider it was created through. When
 * the provider's URN changes, Pulumi creates a new provider, deletes the old
 * one, and diffs every resource against the new provider's configuration
 * (pulumi/pulumi, pkg/resource/deploy/step_generator.go, providerChanged),
 * unless the old URN is an alias of the new one, in which case nothing
 * happens. The names used to be `{project}-provider-{region}-{env}`, so a new
 * `environmentSuffix` or `projectName` gave every resource a new provider.
 * Now they are `{name}-{region}-provider`, and each provider has its former
 * URN as an alias.
 */

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness("dev");
});

async function providersOf(args: TapStackArgs): Promise<RecordedResource[]> {
  await harness.build(args);
  return harness.cloud.providers();
}

describe("the providers' logical names", () => {
  it.each([
    ["regional", regionalProviderName("tap", "eu-west-1"), "tap-eu-west-1-provider"],
    ["account-wide", globalProviderName("tap"), "tap-global-provider"],
    ["former regional (an alias)", formerRegionalProviderName({ project: "iac-aws-nova", environment: "dev", stack: "dev" }, "us-east-1"), "iac-aws-nova-provider-us-east-1-dev"],
  ])("%s: %s", (_label, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it("GlobalRouting's former us-east-1 provider: a child of the `{name}-global` GlobalRouting", () => {
    expect(formerGlobalRoutingProvider("tap")).toEqual({ name: "tap-global-us-east-1-provider", parentName: "tap-global", parentType: "tap:global:GlobalRouting" });
  });
});

/** The providers of the dev stack with its defaults (environment "dev"), built once for this file. */
let baseline: RecordedResource[];
sharedSetup(async () => {
  baseline = await providersOf({});
});

describe("changing what a user may change on a live stack keeps every provider's URN", () => {
  it.each<[string, TapStackArgs]>([
    ["environmentSuffix", { environmentSuffix: "staging" }],
    ["projectName", { projectName: "shop" }],
  ])("%s", async (_key, args) => {
    const changed = (await providersOf(args)).map((p) => p.urn);
    expect(changed).toEqual(baseline.map((p) => p.urn));
  });
});

describe("stacks deployed with the former names keep their providers: each former URN is the alias of the provider that replaces it", () => {
  // Copied by hand from test/snapshots/urns/dev.txt and failover-outside-us-east-1.txt as they were before the rename.
  const FORMER_DEV = {
    "us-east-1": "urn:pulumi:dev::tap::tap:index:TapStack$pulumi:providers:aws::iac-aws-nova-provider-us-east-1-dev",
    "us-west-2": "urn:pulumi:dev::tap::tap:index:TapStack$pulumi:providers:aws::iac-aws-nova-provider-us-west-2-dev",
  };
  const FORMER_GLOBAL_ROUTING_PROVIDER = "urn:pulumi:dev::tap::tap:index:TapStack$tap:global:GlobalRouting$pulumi:providers:aws::tap-global-us-east-1-provider";

  const providers = () => baseline;

  it("each regional provider has exactly its former URN as an alias, and the same region", () => {
    for (const [region, former] of Object.entries(FORMER_DEV)) {
      const matching = providers().filter((p) => p.options.aliases.includes(former));
      expect(matching.map((p) => [p.name, p.inputs.region, p.options.aliases])).toEqual([[`tap-${region}-provider`, region, [former]]]);
    }
  });

  it("the account-wide provider is aliased to GlobalRouting's former us-east-1 provider (the provider of the health-check alarms of stacks without us-east-1)", () => {
    const global = providers().filter((p) => p.name === "tap-global-provider");
    expect(global.map((p) => [p.inputs.region, p.options.aliases])).toEqual([["us-east-1", [FORMER_GLOBAL_ROUTING_PROVIDER]]]);
  });

  it("no two providers claim one former URN, and no alias is a current URN", () => {
    const aliases = providers().flatMap((p) => p.options.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(aliases.filter((alias) => providers().some((p) => p.urn === alias))).toEqual([]);
  });
});
