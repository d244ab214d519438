import { Policies } from "@pulumi/policy";
import { enforcementOverridesOf, runPolicies } from "../../policy/evaluate";

/**
 * A `--policy-pack-config` file sets enforcement levels the way the Pulumi
 * CLI reads it (pkg/resource/analyzer/config.go in pulumi/pulumi): a level, or
 * an object with `enforcementLevel`, per policy name or for "all".
 */

describe("enforcementOverridesOf", () => {
  it("reads both forms and the \"all\" key, and skips an object that sets no level", () => {
    expect(enforcementOverridesOf({ a: "advisory", b: { enforcementLevel: "disabled", other: 1 }, all: "mandatory", c: { limit: 3 } })).toEqual(
      new Map([["a", "advisory"], ["b", "disabled"], ["all", "mandatory"]]),
    );
  });

  it.each([
    [{ a: "warn" }, 'Policy pack config "a": "warn" is not an enforcement level; use one of advisory, mandatory, remediate, disabled.'],
    [{ a: { enforcementLevel: 2 } }, 'Policy pack config "a": 2 is not an enforcement level; use one of advisory, mandatory, remediate, disabled.'],
    [{ a: ["advisory"] }, 'Policy pack config "a": ["advisory"] is not an enforcement level; use one of advisory, mandatory, remediate, disabled.'],
    [["a"], 'A policy pack config must be a JSON object of policy names, such as {"vpc-has-flow-log": "advisory"}; got ["a"].'],
  ])("refuses %j", (config, message) => {
    expect(() => enforcementOverridesOf(config)).toThrow(new Error(message));
  });
});

describe("runPolicies with overrides", () => {
  const stackPolicy = (name: string, enforcementLevel?: "advisory" | "mandatory") => ({
    name,
    description: name,
    enforcementLevel,
    validateStack: (_args: unknown, report: (message: string) => void) => report(`${name} failed`),
  });
  const policies = [stackPolicy("own-advisory", "advisory"), stackPolicy("pack-level")] as Policies;
  const levels = async (config: unknown) =>
    (await runPolicies([], policies, "mandatory", enforcementOverridesOf(config))).map((v) => [v.policy, v.enforcementLevel]);

  it("a policy's own entry wins over \"all\", which wins over the policy's and the pack's level", async () => {
    expect(await levels({})).toEqual([["own-advisory", "advisory"], ["pack-level", "mandatory"]]);
    expect(await levels({ all: "mandatory" })).toEqual([["own-advisory", "mandatory"], ["pack-level", "mandatory"]]);
    expect(await levels({ all: "advisory", "pack-level": "mandatory" })).toEqual([["own-advisory", "advisory"], ["pack-level", "mandatory"]]);
    expect(await levels({ "own-advisory": { enforcementLevel: "disabled" } })).toEqual([["pack-level", "mandatory"]]);
  });
});
