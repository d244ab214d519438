import { DYNAMIC_RESOURCE_TYPE, releaseLogicalName } from "../../../lib/rollout-spec";
import { TYPES } from "../../../offline/resource-types";
import { isReleaseStep } from "../../../offline/plan/release-step";
import { AWS_PROVIDER_TYPE, DYNAMIC_RESOURCE_TYPE as MAPPED_DYNAMIC_TYPE, TYPE_MAPPINGS } from "../../../offline/plan/update/cfn-map";

/**
 * The plan's one test for a safe rollout's release step, with lib's own type
 * and name (lib/rollout-spec.ts), and the update plan's table keyed by the
 * shared vocabulary of type tokens (offline/resource-types.ts).
 */

describe("isReleaseStep", () => {
  it.each([
    ["the release step lib names for dev in us-east-1", { type: DYNAMIC_RESOURCE_TYPE, name: releaseLogicalName("dev", "us-east-1") }, true],
    ["another dynamic resource", { type: DYNAMIC_RESOURCE_TYPE, name: "dev-us-east-1-cleanup" }, false],
    ["an alias named like a release", { type: TYPES.alias, name: releaseLogicalName("dev", "us-east-1") }, false],
  ])("%s: %s", (_label, resource, expected) => {
    expect(isReleaseStep(resource)).toBe(expected);
  });
});

describe("the update plan's type table", () => {
  it("uses the vocabulary's tokens: lib's dynamic type, the provider's, and every mapped AWS type is one of TYPES", () => {
    // Spelled out: Pulumi's tokens for a dynamic resource and for the AWS provider.
    expect([MAPPED_DYNAMIC_TYPE, DYNAMIC_RESOURCE_TYPE, AWS_PROVIDER_TYPE]).toEqual(["pulumi-nodejs:dynamic:Resource", "pulumi-nodejs:dynamic:Resource", "pulumi:providers:aws"]);
    const vocabulary = new Set<string>(Object.values(TYPES));
    expect(Object.keys(TYPE_MAPPINGS).filter((type) => !vocabulary.has(type))).toEqual([]);
  });
});
