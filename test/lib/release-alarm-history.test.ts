import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CreateDeploymentCommand, GetDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ACCOUNT, TARGET, deployment, releaseFailure, resetSdk, sdk } from "../support/release-sdk";

/**
 * Which alarm stopped a release: read from the alarms' history
 * (DescribeAlarmHistory, HistoryItemType StateUpdate, from the deployment's
 * createTime), not from their state once the deployment has ended. A 60-s
 * alarm may be OK again by then, and an alarm that was already in ALARM before
 * the deployment started did not fire during it. CodeDeploy's own reason
 * (errorInformation, ALARM_ACTIVE) comes first, and a failed lookup is
 * reported as such. History items are shaped as the CloudWatch API reference
 * documents them (HistoryData is JSON with oldState and newState).
 */

const CREATED = new Date("2025-03-04T10:00:00Z");
const [ERRORS, FIVE_XX] = TARGET.alarmNames;
const ALARM_ACTIVE = { code: "ALARM_ACTIVE", message: "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped." } as const;

function stateUpdate(alarmName: string, at: string, from: string, to: string, reason: string) {
  return {
    AlarmName: alarmName,
    AlarmType: "MetricAlarm" as const,
    Timestamp: new Date(at),
    HistoryItemType: "StateUpdate" as const,
    HistorySummary: `Alarm updated from ${from} to ${to}`,
    HistoryData: JSON.stringify({ version: "1.0", oldState: { stateValue: from }, newState: { stateValue: to, stateReason: reason } }),
  };
}

beforeEach(() => {
  resetSdk();
  sdk.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7" });
  sdk.codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-RELEASE01" });
  sdk.codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-RELEASE01" }).resolves(deployment("d-RELEASE01", "Stopped", {
    createTime: CREATED,
    errorInformation: ALARM_ACTIVE,
    rollbackInfo: { rollbackDeploymentId: "d-ROLLBACK1" },
  }));
  sdk.codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-ROLLBACK1" }).resolves(deployment("d-ROLLBACK1", "Succeeded"));
  sdk.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
});

describe("the alarm that stopped a release", () => {
  it("is named from its history even when it is OK again by the time the deployment has ended", async () => {
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: ERRORS }).resolves({
      AlarmHistoryItems: [
        stateUpdate(ERRORS, "2025-03-04T10:03:10Z", "OK", "ALARM", "Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (5.0)."),
        stateUpdate(ERRORS, "2025-03-04T10:06:10Z", "ALARM", "OK", "Threshold Crossed: no datapoints were received for 2 periods."),
      ],
    });
    // What the alarms say now: all OK (an answer the old lookup relied on).
    sdk.cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    const { message } = await releaseFailure();

    expect(message).toContain(
      `Alarm that fired: ${ERRORS} (ALARM at 2025-03-04T10:03:10.000Z: Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (5.0).).`,
    );
    expect(sdk.cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((call) => call.args[0].input)).toEqual([ERRORS, FIVE_XX].map((AlarmName) => ({
      AlarmName, HistoryItemType: "StateUpdate", StartDate: CREATED, ScanBy: "TimestampAscending", MaxRecords: 100,
    })));
  });

  it("does not blame an alarm that was already in ALARM before the deployment started", async () => {
    // The 5XX alarm went to ALARM at 09:50 and stayed there: no state change since the deployment's creation.
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: ERRORS }).resolves({
      AlarmHistoryItems: [stateUpdate(ERRORS, "2025-03-04T10:02:30Z", "OK", "ALARM", "Threshold Crossed")],
    });
    sdk.cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: ERRORS, StateValue: "ALARM" }, { AlarmName: FIVE_XX, StateValue: "ALARM" }] });

    const { message } = await releaseFailure();

    expect(message).toContain(`Alarm that fired: ${ERRORS} (ALARM at 2025-03-04T10:02:30.000Z: Threshold Crossed).`);
    expect(message).not.toContain(FIVE_XX);
  });

  it("names every alarm that fired, in the order they fired, reading the summary when HistoryData is not JSON", async () => {
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: ERRORS }).resolves({
      AlarmHistoryItems: [{ ...stateUpdate(ERRORS, "2025-03-04T10:04:00Z", "OK", "ALARM", ""), HistoryData: "not json" }],
    });
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: FIVE_XX }).resolves({
      AlarmHistoryItems: [
        stateUpdate(FIVE_XX, "2025-03-04T10:01:00Z", "INSUFFICIENT_DATA", "OK", "Threshold Crossed"),
        stateUpdate(FIVE_XX, "2025-03-04T10:03:00Z", "OK", "ALARM", "Threshold Crossed"),
      ],
    });

    const { message } = await releaseFailure();

    expect(message).toContain(`Alarm that fired: ${FIVE_XX} (ALARM at 2025-03-04T10:03:00.000Z: Threshold Crossed), ${ERRORS} (ALARM at 2025-03-04T10:04:00.000Z).`);
  });

  it("says when no alarm changed to ALARM during the deployment, and from when it looked", async () => {
    const { message } = await releaseFailure();
    expect(message).toContain(
      `No rollback alarm (${ERRORS}, ${FIVE_XX}) went to ALARM after the deployment started at 2025-03-04T10:00:00.000Z (one already in ALARM then would have stopped it at once).`,
    );
  });

  it("puts CodeDeploy's reason (ALARM_ACTIVE) before the alarms", async () => {
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: ERRORS }).resolves({ AlarmHistoryItems: [stateUpdate(ERRORS, "2025-03-04T10:03:00Z", "OK", "ALARM", "")] });
    const { message } = await releaseFailure();
    const reason = message.indexOf(`(ALARM_ACTIVE: ${ALARM_ACTIVE.message})`);
    expect(reason).toBeGreaterThan(0);
    expect(reason).toBeLessThan(message.indexOf("Alarm that fired"));
  });

  it("reports a failed lookup as such, with the IAM action it needs, instead of saying no alarm fired", async () => {
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand).rejects(Object.assign(new Error("User: arn:aws:sts::111111111111:assumed-role/deployer/ci is not authorized to perform: cloudwatch:DescribeAlarmHistory"), { name: "AccessDenied" }));

    const { message } = await releaseFailure();

    expect(message).toContain(
      `Which alarm fired is unknown: DescribeAlarmHistory of ${ERRORS} failed (AccessDenied: User: arn:aws:sts::111111111111:assumed-role/deployer/ci is not authorized to perform: cloudwatch:DescribeAlarmHistory); ` +
        `the release step needs cloudwatch:DescribeAlarmHistory on the group's alarms (${ERRORS}, ${FIVE_XX}), whose history the console also shows: ` +
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:.",
    );
    expect(message).not.toContain("No rollback alarm");
    // The rest of the message still says what happened to the traffic.
    expect(message).toContain("CodeDeploy rolled back (deployment d-ROLLBACK1): version 7 serves all the traffic again.");
  });
});
