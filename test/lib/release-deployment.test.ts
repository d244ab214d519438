import { DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  ThrottlingException,
} from "@aws-sdk/client-codedeploy";
import { GetAliasCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CREATE_ATTEMPTS, releaseVersion } from "../../lib/release-deployment";
import { ACCOUNT, CLIENTS, TARGET, deployment, fakeClock, releaseFailure, resetSdk, sdk } from "../support/release-sdk";
import { awsCliCommandProblems, awsCliCommandsIn } from "../support/aws-cli-hint";

/**
 * The release step's AWS calls, against aws-sdk-client-mock clients and a
 * fake clock (no real waiting): a success, an alias that already serves the
 * version, a rollback on an alarm, a deployment stuck until the timeout,
 * throttling, a deployment already running for the group, and credentials for
 * the wrong account. Expected requests follow CodeDeploy's API reference
 * (CreateDeployment with an AppSpecContent revision; StopDeployment with
 * autoRollbackEnabled).
 */

const { codeDeploy, lambda, sts, cloudWatch } = sdk;
const clients = CLIENTS;
const CONSOLE = (id: string) => `https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=eu-west-1`;

const throttled = () => new ThrottlingException({ message: "Rate exceeded", $metadata: {} });

beforeEach(() => {
  resetSdk();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci` });
  lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7" });
  codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-RELEASE01" });
  cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
});

const failure = (clock = fakeClock()) => releaseFailure(TARGET, clock);

describe("a release that succeeds", () => {
  it("reads the alias, starts one deployment from its version to the target with a Lambda AppSpec, and waits for Succeeded", async () => {
    codeDeploy.on(GetDeploymentCommand).resolvesOnce(deployment("d-RELEASE01", "InProgress")).resolvesOnce(deployment("d-RELEASE01", "InProgress")).resolves(deployment("d-RELEASE01", "Succeeded"));
    const clock = fakeClock();

    await expect(releaseVersion(TARGET, clients, clock)).resolves.toEqual({ previousVersion: "7", liveVersion: "8", deploymentId: "d-RELEASE01" });

    expect(lambda.commandCalls(GetAliasCommand).map((call) => call.args[0].input)).toEqual([{ FunctionName: TARGET.functionName, Name: "live" }]);
    const creates = codeDeploy.commandCalls(CreateDeploymentCommand).map((call) => call.args[0].input);
    expect(creates).toHaveLength(1);
    const { revision, ...request } = creates[0];
    expect(request).toEqual({
      applicationName: TARGET.applicationName,
      deploymentGroupName: TARGET.deploymentGroupName,
      description: `${TARGET.functionName}:live 7 -> 8 (pulumi up)`,
    });
    expect(revision?.revisionType).toBe("AppSpecContent");
    // The Lambda AppSpec of CodeDeploy's user guide: version 0.0, one AWS::Lambda::Function with Name, Alias, CurrentVersion, TargetVersion.
    const content = revision?.appSpecContent?.content ?? "";
    expect(content.startsWith('{"version":0.0,')).toBe(true);
    expect(JSON.parse(content)).toEqual({
      version: 0,
      Resources: [{ [TARGET.functionName]: { Type: "AWS::Lambda::Function", Properties: { Name: TARGET.functionName, Alias: "live", CurrentVersion: "7", TargetVersion: "8" } } }],
    });
    expect(codeDeploy.commandCalls(GetDeploymentCommand).map((call) => call.args[0].input)).toEqual(Array(3).fill({ deploymentId: "d-RELEASE01" }));
    expect(clock.waits).toEqual([15_000, 15_000, 15_000]);
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it("starts nothing when the alias already serves the target version (an update without a new version)", async () => {
    lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "8" });
    const clock = fakeClock();
    await expect(releaseVersion(TARGET, clients, clock)).resolves.toEqual({ previousVersion: "8", liveVersion: "8", deploymentId: "" });
    expect(codeDeploy.calls()).toHaveLength(0);
    expect(clock.waits).toEqual([]);
  });
});

describe("a release CodeDeploy rolls back", () => {
  it("on an alarm: fails with the deployment ID, the alarm that fired, the rollback, the console link and what to do next", async () => {
    const created = new Date("2025-03-04T10:00:00Z");
    codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-RELEASE01" }).resolvesOnce(deployment("d-RELEASE01", "InProgress")).resolves(deployment("d-RELEASE01", "Stopped", {
      createTime: created,
      errorInformation: { code: "ALARM_ACTIVE", message: "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected." },
      rollbackInfo: { rollbackDeploymentId: "d-ROLLBACK1" },
    }));
    codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-ROLLBACK1" }).resolvesOnce(deployment("d-ROLLBACK1", "InProgress")).resolves(deployment("d-ROLLBACK1", "Succeeded"));
    cloudWatch.on(DescribeAlarmHistoryCommand, { AlarmName: TARGET.alarmNames[0] }).resolves({
      AlarmHistoryItems: [{
        AlarmName: TARGET.alarmNames[0],
        Timestamp: new Date("2025-03-04T10:02:41Z"),
        HistoryItemType: "StateUpdate",
        HistorySummary: "Alarm updated from OK to ALARM",
        HistoryData: JSON.stringify({ version: "1.0", oldState: { stateValue: "OK" }, newState: { stateValue: "ALARM", stateReason: "Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (5.0)." } }),
      }],
    });

    const error = await failure();

    expect(error.deploymentId).toBe("d-RELEASE01");
    expect(error.message).toBe(
      `Release of ${TARGET.functionName}:live to version 8 in eu-west-1 failed: deployment d-RELEASE01 stopped ` +
        "(ALARM_ACTIVE: One or more alarms have been activated according to the Amazon CloudWatch metrics you selected.). " +
        `Alarm that fired: ${TARGET.alarmNames[0]} (ALARM at 2025-03-04T10:02:41.000Z: Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (5.0).). ` +
        "CodeDeploy rolled back (deployment d-ROLLBACK1): version 7 serves all the traffic again. " +
        `Console: ${CONSOLE("d-RELEASE01")}. ` +
        "Next: read the alarm and the function's logs, then fix the code and run pulumi up (the wave starts again from the home region), " +
        "or run pulumi up unchanged to try version 8 again.",
    );
    // Each of the group's alarms' state changes since the deployment was created, oldest first.
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((call) => call.args[0].input)).toEqual(TARGET.alarmNames.map((AlarmName) => ({
      AlarmName, HistoryItemType: "StateUpdate", StartDate: created, ScanBy: "TimestampAscending", MaxRecords: 100,
    })));
  });

  it("on a failed deployment with no alarm in ALARM: says so, and which alarms it looked at", async () => {
    codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-RELEASE01" }).resolves(deployment("d-RELEASE01", "Failed", {
      createTime: new Date("2025-03-04T10:00:00Z"),
      errorInformation: { code: "INVALID_LAMBDA_CONFIGURATION", message: "The target version is not valid." },
      rollbackInfo: { rollbackDeploymentId: "d-ROLLBACK2" },
    }));
    codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-ROLLBACK2" }).resolves(deployment("d-ROLLBACK2", "Succeeded"));

    const { message } = await failure();

    expect(message).toContain("deployment d-RELEASE01 failed (INVALID_LAMBDA_CONFIGURATION: The target version is not valid.)");
    expect(message).toContain(`No rollback alarm (${TARGET.alarmNames.join(", ")}) went to ALARM after the deployment started at 2025-03-04T10:00:00.000Z`);
    expect(message).toContain("CodeDeploy rolled back (deployment d-ROLLBACK2)");
  });
});

describe("a deployment stuck in progress", () => {
  it("is stopped with a rollback when the timeout passes, and the error names it", async () => {
    codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-RELEASE01", "InProgress"));
    codeDeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping Pending. Stopping to be retried" });
    const clock = fakeClock();

    const error = await failure(clock);

    // 15 minutes of 15-second polls: 60 waits, then the deadline.
    expect(clock.waits).toEqual(Array(60).fill(15_000));
    expect(codeDeploy.commandCalls(StopDeploymentCommand).map((call) => call.args[0].input)).toEqual([{ deploymentId: "d-RELEASE01", autoRollbackEnabled: true }]);
    expect(error.message).toBe(
      `Release of ${TARGET.functionName}:live to version 8 in eu-west-1 timed out: deployment d-RELEASE01 was still InProgress after 15 minutes. ` +
        "The step asked CodeDeploy to stop it with a rollback (StopDeployment: Pending, Stopping Pending. Stopping to be retried): the stop has not finished, " +
        "so the alias may still send part of the traffic to version 8 until CodeDeploy has stopped and rolled back. Check the deployment and the alias in the console. " +
        `Console: ${CONSOLE("d-RELEASE01")}. Run pulumi up again to start a new deployment.`,
    );
  });

  it("says how to stop it by hand when StopDeployment fails, with a command that pastes", async () => {
    codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-RELEASE01", "InProgress"));
    codeDeploy.on(StopDeploymentCommand).rejects(Object.assign(new Error("User is not authorized to perform: codedeploy:StopDeployment"), { name: "AccessDeniedException" }));
    const { message } = await failure();
    expect(message).toContain("Stopping it failed (AccessDeniedException: User is not authorized to perform: codedeploy:StopDeployment)");
    const commands = awsCliCommandsIn(message);
    expect(commands.map((command) => command.text)).toEqual(["aws deploy stop-deployment --deployment-id d-RELEASE01 --auto-rollback-enabled --region eu-west-1"]);
    expect(awsCliCommandProblems(commands[0])).toEqual([]);
  });
});

describe("throttling", () => {
  it("retries a throttled CreateDeployment with a doubling wait, and keeps polling through a throttled GetDeployment", async () => {
    codeDeploy.on(CreateDeploymentCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ deploymentId: "d-RELEASE01" });
    codeDeploy.on(GetDeploymentCommand).rejectsOnce(throttled()).resolves(deployment("d-RELEASE01", "Succeeded"));
    const clock = fakeClock();

    await expect(releaseVersion(TARGET, clients, clock)).resolves.toEqual({ previousVersion: "7", liveVersion: "8", deploymentId: "d-RELEASE01" });
    expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(3);
    expect(clock.waits).toEqual([2_000, 4_000, 15_000, 15_000]);
  });

  it("gives up after CREATE_ATTEMPTS throttled starts, having shifted nothing", async () => {
    codeDeploy.on(CreateDeploymentCommand).rejects(throttled());
    const { message, deploymentId } = await failure();
    expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(CREATE_ATTEMPTS);
    expect(deploymentId).toBeUndefined();
    expect(message).toBe(`Release of ${TARGET.functionName}:live to version 8 in eu-west-1 could not start: CreateDeployment failed 5 times (ThrottlingException: Rate exceeded). Nothing was shifted; run pulumi up again.`);
  });
});

describe("a deployment already running for the group", () => {
  it("starts nothing, names the running deployment, and gives a console link and a stop command that pastes", async () => {
    codeDeploy.on(CreateDeploymentCommand).rejects(new DeploymentLimitExceededException({ message: "The Deployment Group already has an active Deployment", $metadata: {} }));
    codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-RUNNING01"] });

    const error = await failure();

    expect(codeDeploy.commandCalls(ListDeploymentsCommand).map((call) => call.args[0].input)).toEqual([{
      applicationName: TARGET.applicationName,
      deploymentGroupName: TARGET.deploymentGroupName,
      includeOnlyStatuses: ["Created", "Queued", "InProgress", "Baking", "Ready"],
    }]);
    expect(error.deploymentId).toBe("d-RUNNING01");
    expect(error.message).toBe(
      `Release of ${TARGET.functionName}:live to version 8 in eu-west-1 not started: deployment group ${TARGET.deploymentGroupName} already runs deployment d-RUNNING01 ` +
        "(CodeDeploy runs one at a time per group). Nothing was shifted. " +
        `Wait for it (${CONSOLE("d-RUNNING01")}) and run pulumi up again, or stop it and roll it back first: ` +
        "aws deploy stop-deployment --deployment-id d-RUNNING01 --auto-rollback-enabled --region eu-west-1",
    );
    const commands = awsCliCommandsIn(error.message);
    expect(commands).toHaveLength(1);
    expect(awsCliCommandProblems(commands[0])).toEqual([]);
    expect(codeDeploy.commandCalls(GetDeploymentCommand)).toHaveLength(0);
  });
});

describe("credentials for the wrong account", () => {
  it("refuse before reading the alias or starting anything, naming both accounts", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "222222222222", Arn: "arn:aws:sts::222222222222:assumed-role/dev/alice" });

    const { message } = await failure();

    expect(message).toBe(
      `Release of ${TARGET.functionName}:live to version 8 in eu-west-1 refused: the credentials are for account 222222222222 ` +
        "(arn:aws:sts::222222222222:assumed-role/dev/alice), but the stack's allowedAccountIds are 111111111111. Nothing was started. " +
        "Use credentials for account 111111111111 (check them with: aws sts get-caller-identity) and run pulumi up again.",
    );
    expect(lambda.calls()).toHaveLength(0);
    expect(codeDeploy.calls()).toHaveLength(0);
    expect(awsCliCommandsIn(message).map(awsCliCommandProblems)).toEqual([[]]);
  });
});

describe("the CLI-hint check itself", () => {
  it.each([
    ["aws deploy stop-deployment --auto-rollback-enabled --region eu-west-1", "--deployment-id is required"],
    ["aws deploy stop-deployment --deployment-id d-1 --auto-rollback-enabled yes", "--auto-rollback-enabled takes no value"],
    ["aws deploy stop-deployment --deployment-id --region eu-west-1", "--deployment-id is not a flag"],
    ["aws deploy stop-deployments --deployment-id d-1", "deploy has no operation stop-deployments"],
    ["aws deploy stop-deployment --deployment d-1", "--deployment is not a parameter of stop-deployment"],
    ["aws codedeploy stop-deployment --deployment-id d-1", 'unknown CLI service "codedeploy"'],
  ])("finds what is wrong in %s", (text, problem) => {
    expect(awsCliCommandProblems(awsCliCommandsIn(text)[0])).toContain(problem);
  });
});
