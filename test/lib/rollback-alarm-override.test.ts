import { DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import { CreateDeploymentCommand, GetDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { ReleaseInputs, ReleaseOutputs, alarmOverrideFor, createReleaseProvider, diffRelease } from "../../lib/release-provider";
import { ALARM_OVERRIDE_VARIABLE, DYNAMIC_RESOURCE_TYPE, alarmOverrideLabel } from "../../lib/rollout-spec";
import { shellWords } from "../support/pulumi-config-cli";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { ACCOUNT, CLIENTS, RELEASE_ID, RELEASE_INPUTS, deployment, fakeClock, recordedRelease, releaseFailure, resetSdk, sdk } from "../support/release-sdk";

/**
 * Shipping a fix while a rollback alarm fires: with the alarm in ALARM, every
 * CodeDeploy deployment of the group stops at once (ALARM_ACTIVE). A new label
 * in `pulumi up`'s TAP_IGNORE_ROLLBACK_ALARMS_ONCE lets each region's next deployment run with
 * CodeDeploy's alarm polling off (CreateDeployment overrideAlarmConfiguration
 * `enabled: false`, https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html);
 * the release records the label, so a label left exported never turns the
 * alarms off again.
 */

const LABEL = "fix-1234";
/** The release that is the fix: the alias serves 7, the new version is 8. */
const FIX: ReleaseInputs = { ...RELEASE_INPUTS, targetVersion: "8", ignoreRollbackAlarmsOnce: LABEL };
const BEFORE_FIX = recordedRelease({ ...RELEASE_INPUTS, targetVersion: "7" });

let provider: ResourceProvider<ReleaseInputs, ReleaseOutputs>;

beforeEach(() => {
  resetSdk();
  sdk.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7" });
  sdk.codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-FIX00001" });
  sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-FIX00001", "Succeeded"));
  provider = createReleaseProvider({ clientsFor: () => CLIENTS, clock: fakeClock() });
});

const createInputs = () => sdk.codeDeploy.commandCalls(CreateDeploymentCommand).map((call) => call.args[0].input);

describe("the TAP_IGNORE_ROLLBACK_ALARMS_ONCE variable of pulumi up", () => {
  it.each(["fix-1234", "after-d-ABC123", "INC.42_b", "a".repeat(64)])("accepts %j", (label) => {
    expect(alarmOverrideLabel({ [ALARM_OVERRIDE_VARIABLE]: label })).toBe(label);
  });

  it("unset or empty: no label, the rollback alarms always apply", () => {
    expect([alarmOverrideLabel({}), alarmOverrideLabel({ [ALARM_OVERRIDE_VARIABLE]: "" })]).toEqual(["", ""]);
  });

  it.each(["fix 1234", "-fix", "a".repeat(65), "fix/1"])("rejects %j, naming the variable, the value and the rule", (value) => {
    expect(() => alarmOverrideLabel({ [ALARM_OVERRIDE_VARIABLE]: value })).toThrow(new Error(
      `Invalid TAP_IGNORE_ROLLBACK_ALARMS_ONCE: ${JSON.stringify(value)}. Expected a label of 1-64 letters, digits, '.', '_' and '-', ` +
        "starting with a letter or digit, such as TAP_IGNORE_ROLLBACK_ALARMS_ONCE=fix-1234 pulumi up; unset it to keep the rollback alarms."));
  });
});

describe("which release ignores the alarms", () => {
  it.each([
    ["a new label", LABEL, "", LABEL],
    ["a label the last deployment used", LABEL, LABEL, undefined],
    ["another label than the one used", "fix-1235", LABEL, "fix-1235"],
    ["no label", "", LABEL, undefined],
  ])("%s: %j after %j -> %j", (_what, label, used, expected) => {
    expect(alarmOverrideFor(label, used)).toBe(expected);
  });

  it("a new label is an update of the release, so the preview shows it", () => {
    expect(diffRelease(recordedRelease(), { ...RELEASE_INPUTS, ignoreRollbackAlarmsOnce: LABEL })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("the release with a new label", () => {
  it("starts its deployment with CodeDeploy's alarm polling off, names the label, and records it", async () => {
    const updated = await provider.update?.(RELEASE_ID, BEFORE_FIX, FIX);

    expect(createInputs()).toEqual([expect.objectContaining({
      overrideAlarmConfiguration: { enabled: false },
      description: `${FIX.functionName}:live 7 -> 8 (pulumi up, rollback alarms ignored once: ${LABEL})`,
    })]);
    expect(updated?.outs).toMatchObject({ liveVersion: "8", deploymentId: "d-FIX00001", rollbackAlarmsIgnoredFor: LABEL });
  });

  it("the next release with the label still set watches the alarms again", async () => {
    const fixed = recordedRelease(FIX, { rollbackAlarmsIgnoredFor: LABEL });
    sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "8" });

    const updated = await provider.update?.(RELEASE_ID, fixed, { ...FIX, targetVersion: "9" });

    expect(createInputs()).toHaveLength(1);
    expect(createInputs()[0]).not.toHaveProperty("overrideAlarmConfiguration");
    expect(updated?.outs?.rollbackAlarmsIgnoredFor).toBe(LABEL);
  });

  it("a release that starts nothing (the alias already serves the target) keeps the label for the next deployment", async () => {
    sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "8" });

    const created = await provider.create({ ...FIX });

    expect(createInputs()).toEqual([]);
    expect(created.outs?.rollbackAlarmsIgnoredFor).toBe("");
  });

  it("without a label, the deployment keeps the group's alarms", async () => {
    await provider.update?.(RELEASE_ID, BEFORE_FIX, { ...FIX, ignoreRollbackAlarmsOnce: "" });
    expect(createInputs()[0]).not.toHaveProperty("overrideAlarmConfiguration");
  });
});

describe("a release stopped by an alarm that was firing before it started", () => {
  it("says how to ship the fix once, and the command works when pasted", async () => {
    sdk.codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-STOPPED1" });
    sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-STOPPED1", "Stopped", {
      errorInformation: { code: "ALARM_ACTIVE", message: "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected." },
    }));
    // No alarm changed state during the deployment: the one in ALARM was there before it.
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });

    const { message } = await releaseFailure();
    const hint = /Run it once with: (.*)$/.exec(message)?.[1] ?? "";
    expect(hint).toBe("TAP_IGNORE_ROLLBACK_ALARMS_ONCE=after-d-STOPPED1 pulumi up");

    // Pasted into a POSIX shell: one assignment for the command's environment, then the command.
    const [assignment, ...command] = shellWords(hint);
    const [variable, value] = assignment.split(/=(.*)/s);
    expect(command).toEqual(["pulumi", "up"]);
    expect(alarmOverrideLabel({ [variable]: value })).toBe("after-d-STOPPED1");
  });

  it("gives no such hint when an alarm went to ALARM during the deployment (the new version is the suspect)", async () => {
    sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-FIX00001", "Stopped", { errorInformation: { code: "ALARM_ACTIVE", message: "alarms" } }));
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [{
      AlarmName: RELEASE_INPUTS.alarmNames[0], Timestamp: new Date("2025-03-04T10:02:00Z"), HistoryItemType: "StateUpdate", HistorySummary: "Alarm updated from OK to ALARM",
    }] });
    const message = (await releaseFailure()).message;
    // The history was read (not the lookup's error path), and it names the alarm; then no override is offered.
    expect(message).toContain(`Alarm that fired: ${RELEASE_INPUTS.alarmNames[0]} (ALARM at 2025-03-04T10:02:00.000Z`);
    expect(message).not.toContain(ALARM_OVERRIDE_VARIABLE);
  });
});

describe("the program under the mock cloud", () => {
  let harness: StackHarness;
  beforeAll(async () => {
    harness = await setupHarness();
  });
  afterEach(() => {
    delete process.env[ALARM_OVERRIDE_VARIABLE];
  });

  it("hands pulumi up's label to every region's release step", async () => {
    process.env[ALARM_OVERRIDE_VARIABLE] = LABEL;
    await harness.build({ rollout: "canary", regions: ["us-east-1", "us-west-2"] });
    const releases = harness.cloud.resources.filter((resource) => resource.type === DYNAMIC_RESOURCE_TYPE);
    expect(releases.map((release) => [release.inputs.region, release.inputs.ignoreRollbackAlarmsOnce])).toEqual([["us-east-1", LABEL], ["us-west-2", LABEL]]);
  });

  it("refuses a bad label before anything is created", async () => {
    process.env[ALARM_OVERRIDE_VARIABLE] = "fix 1234";
    await expect(harness.build({ rollout: "canary", regions: ["us-east-1"] })).rejects.toThrow(`Invalid ${ALARM_OVERRIDE_VARIABLE}: "fix 1234".`);
    expect(harness.cloud.resources).toEqual([]);
  });
});
