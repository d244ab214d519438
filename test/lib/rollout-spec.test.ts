import {
  ROLLOUT_MODES,
  ROLLOUT_STRATEGIES,
  appSpecContent,
  deploymentConsoleUrl,
  isGradual,
  releaseLogicalName,
  releaseTimeoutMinutes,
  releaseWaveTimeoutMinutes,
  waveDuration,
} from "../../lib/rollout-spec";
import { resolveTapStackArgs } from "../../lib/config";
import { expectConfigError } from "../support/config-errors";

/**
 * The rollout's plain data: the modes, CodeDeploy's predefined Lambda
 * configurations (names and times from the CodeDeploy user guide, "Deployment
 * configurations on an AWS Lambda compute platform"), the wave's
 * duration, and the AppSpec.
 */

describe("the rollout config key", () => {
  it("defaults to all-at-once and accepts canary and linear", () => {
    expect(resolveTapStackArgs({}, "dev").rollout).toBe("all-at-once");
    expect(ROLLOUT_MODES.map((rollout) => resolveTapStackArgs({ rollout }, "dev").rollout)).toEqual(["all-at-once", "canary", "linear"]);
  });

  it.each([["blue-green"], ["Canary"], [""]])("rejects %j, naming the key, the value and the allowed values", (value) => {
    expectConfigError(() => resolveTapStackArgs({ rollout: value as never }, "dev"), "rollout",
      `Invalid config "rollout": ${JSON.stringify(value)}. Allowed values: "all-at-once", "canary", "linear".`);
  });
});

describe("CodeDeploy's configurations", () => {
  it("canary: 10% for 5 minutes, then the rest; linear: 10% every minute, 10 steps", () => {
    expect(ROLLOUT_STRATEGIES.canary).toMatchObject({ deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes", trafficShiftMinutes: 5 });
    expect(ROLLOUT_STRATEGIES.linear).toMatchObject({ deploymentConfigName: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute", trafficShiftMinutes: 10 });
    expect(ROLLOUT_MODES.filter(isGradual)).toEqual(["canary", "linear"]);
  });

  it("gives each release its shift plus 10 minutes before the step gives up", () => {
    expect([releaseTimeoutMinutes("canary"), releaseTimeoutMinutes("linear")]).toEqual([15, 20]);
  });

  it("gives a wave each region's timeout, one after another: 3 canary regions 45 min, 2 linear with provisioned concurrency 50", () => {
    expect([releaseWaveTimeoutMinutes("canary", 3), releaseWaveTimeoutMinutes("linear", 2, 1), releaseWaveTimeoutMinutes("canary", 0)]).toEqual([45, 50, 0]);
  });
});

describe("the release wave", () => {
  it.each([
    ["canary", 1, 5, 5.25],
    ["canary", 3, 15, 15.75],
    ["linear", 3, 30, 30.75],
    ["linear", 5, 50, 51.25],
  ] as const)("%s over %i regions takes N × shift = %i minutes, at most %f with a 15 s poll per region", (mode, regions, total, upper) => {
    const duration = waveDuration(mode, regions);
    expect([duration.totalMinutes, duration.totalUpperMinutes]).toEqual([total, upper]);
  });

  it("writes the formula with the configuration it comes from", () => {
    expect(waveDuration("canary", 2).formula).toBe("T(N) = N × 5 min (CodeDeployDefault.LambdaCanary10Percent5Minutes), at most N × (5 min + 15 s poll)");
  });

  it("names each release <stack>-<region>-release", () => {
    expect(releaseLogicalName("tap", "us-west-2")).toBe("tap-us-west-2-release");
  });
});

describe("the AppSpec and the console link", () => {
  it("is CodeDeploy's Lambda AppSpec: version 0.0 and one AWS::Lambda::Function with Name, Alias, CurrentVersion and TargetVersion", () => {
    const text = appSpecContent({ functionName: "my-fn", aliasName: "live", currentVersion: "3", targetVersion: "4" });
    expect(text).toBe('{"version":0.0,"Resources":[{"my-fn":{"Type":"AWS::Lambda::Function","Properties":{"Name":"my-fn","Alias":"live","CurrentVersion":"3","TargetVersion":"4"}}}]}');
  });

  it("links to the deployment in its region's CodeDeploy console", () => {
    expect(deploymentConsoleUrl("eu-west-1", "d-ABC123")).toBe("https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123?region=eu-west-1");
  });
});
