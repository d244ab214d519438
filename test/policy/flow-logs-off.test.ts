import * as fs from "fs";
import * as path from "path";
import { FLOW_LOGS_ADVISORY_POLICY_CONFIG, configWarnings } from "../../lib/config-warnings";
import { enforcementOverridesOf } from "../../policy/evaluate";
import { PlannedResource, evaluatePolicies } from "../../policy/policies";
import { TYPES } from "../../offline/resource-types";
import { runPlanCli } from "../support/plan-cli";
import { REPO_ROOT } from "../support/paths";

/**
 * enableFlowLogs=false is a documented setting, but the policy pack's
 * mandatory vpc-has-flow-log policy (Security Hub EC2.6) blocks it. The plan
 * says so first, with the command that deploys anyway, and that command works.
 */

/** What the program says (its exact text: test/lib/config-warnings.test.ts). */
const [WARNING] = configWarnings({ enableFlowLogs: false, lambdaReservedConcurrency: undefined, regions: ["us-east-1", "us-west-2"] });

describe("npm run plan -- -c enableFlowLogs=false", () => {
  let run: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    run = await runPlanCli(["-c", "enableFlowLogs=false"]);
  }, 120_000);

  it("says what will happen and how to proceed right under the config line, then exits 1 on the 2 violations", () => {
    const lines = run.stdout.split("\n");
    expect(lines[2]).toMatch(/^Config: tap:enableFlowLogs=false /);
    expect(lines[3]).toBe(`warning: ${WARNING}`);
    expect(run.stdout.match(/\[vpc-has-flow-log\]/g)).toHaveLength(2);
    expect([run.code, run.stderr]).toEqual([1, ""]);
  });
});

describe("the pasted hint: the policy pack with the shipped policy pack config", () => {
  const hint = /pulumi up --policy-pack (\S+) --policy-pack-config (\S+)$/.exec(WARNING);
  const packDir = path.join(REPO_ROOT, hint?.[1] ?? "");
  const configFile = path.join(REPO_ROOT, hint?.[2] ?? "");

  it("names the policy pack folder and a config file that exist", () => {
    expect(hint?.[2]).toBe(FLOW_LOGS_ADVISORY_POLICY_CONFIG);
    expect(fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(configFile, "utf8"))).toEqual({ "vpc-has-flow-log": "advisory" });
  });

  it("turns exactly the 2 flow-log violations advisory, and leaves every other policy mandatory", async () => {
    const overrides = enforcementOverridesOf(JSON.parse(fs.readFileSync(configFile, "utf8")));
    const { installMockCloud, waitForRegistrations, withoutStackTraces } = await import("../../offline/mock-cloud");
    const cloud = await installMockCloud("tap", "dev");
    const lib = await import("../../lib");
    await withoutStackTraces(async () => {
      new lib.TapStack("tap", { enableFlowLogs: false });
      await waitForRegistrations();
    });
    const planned: PlannedResource[] = cloud.customResources().map((r) => ({ urn: r.urn, type: r.type, name: r.name, id: r.id, props: r.state, provider: r.provider }));
    const vpcs = planned.filter((r) => r.type === TYPES.vpc).map((r) => r.urn).sort();
    expect(vpcs).toHaveLength(2);

    const levels = async (byName?: ReturnType<typeof enforcementOverridesOf>) =>
      (await evaluatePolicies(planned, byName)).map((v) => [v.policy, v.enforcementLevel, v.urn]).sort();
    expect(await levels()).toEqual(vpcs.map((urn) => ["vpc-has-flow-log", "mandatory", urn]));
    expect(await levels(overrides)).toEqual(vpcs.map((urn) => ["vpc-has-flow-log", "advisory", urn]));
    expect(overrides).toEqual(new Map([["vpc-has-flow-log", "advisory"]]));
  }, 120_000);
});
