import { CreateDeploymentCommand, GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { releaseVersion } from "../../lib/release-deployment";
import { PROVISIONED_CONCURRENCY_ALLOCATION_MINUTES, releaseTimeoutMinutes } from "../../lib/rollout-spec";
import { awsCliCommandProblems, awsCliCommandsIn } from "../support/aws-cli-hint";
import { ACCOUNT, CLIENTS, TARGET, deployment, fakeClock, releaseFailure, resetSdk, sdk } from "../support/release-sdk";

/**
 * What the release step checks before it starts a deployment, and what it
 * says when it gives up: the caller's account against the stack's
 * `allowedAccountIds` (the release uses the providers' own credentials, so
 * that list is the only thing to compare them with); an alias that still
 * splits its traffic (RoutingConfig.AdditionalVersionWeights, as GetAlias
 * returns it), which CodeDeploy cannot start from; and StopDeployment's
 * answer (Succeeded or Pending, CodeDeploy API reference) on a timeout. The
 * timeout itself grows with provisioned concurrency.
 */

beforeEach(() => {
  resetSdk();
  sdk.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci` });
  sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7" });
  sdk.codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-RELEASE01" });
  sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-RELEASE01", "Succeeded"));
  sdk.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
});

describe("the caller's account", () => {
  it("is not asked for when the stack sets no allowedAccountIds, and the release goes ahead", async () => {
    await expect(releaseVersion({ ...TARGET, allowedAccountIds: [] }, CLIENTS, fakeClock())).resolves.toEqual({ previousVersion: "7", liveVersion: "8", deploymentId: "d-RELEASE01" });
    expect(sdk.sts.calls()).toHaveLength(0);
  });

  it("may be any of the allowed accounts", async () => {
    await expect(releaseVersion({ ...TARGET, allowedAccountIds: ["222222222222", ACCOUNT] }, CLIENTS, fakeClock())).resolves.toMatchObject({ liveVersion: "8" });
  });

  it("refuses an account outside the list, naming every allowed one, before reading the alias", async () => {
    sdk.sts.on(GetCallerIdentityCommand).resolves({ Account: "333333333333", Arn: "arn:aws:sts::333333333333:assumed-role/dev/alice" });
    const { message } = await releaseFailure({ ...TARGET, allowedAccountIds: ["222222222222", ACCOUNT] });
    expect(message).toBe(
      `Release of ${TARGET.functionName}:live to version 8 in eu-west-1 refused: the credentials are for account 333333333333 ` +
        "(arn:aws:sts::333333333333:assumed-role/dev/alice), but the stack's allowedAccountIds are 222222222222, 111111111111. Nothing was started. " +
        "Use credentials for one of 222222222222, 111111111111 (check them with: aws sts get-caller-identity) and run pulumi up again.",
    );
    expect([sdk.lambda.calls().length, sdk.codeDeploy.calls().length]).toEqual([0, 0]);
  });
});

describe("an alias that still splits its traffic", () => {
  const weighted = { Name: "live", FunctionVersion: "7", RoutingConfig: { AdditionalVersionWeights: { "6": 0.1 } } };

  it("is refused when no deployment runs, with the command that clears the weights", async () => {
    sdk.lambda.on(GetAliasCommand).resolves(weighted);

    const { message } = await releaseFailure();

    expect(message).toBe(
      `Release of ${TARGET.functionName}:live to version 8 in eu-west-1 not started: the live alias still sends 10% to version 6 (the rest to version 7), ` +
        `and no deployment of group ${TARGET.deploymentGroupName} is running: a deployment was cut short, or the weights were set by hand. ` +
        "CodeDeploy shifts an alias between two versions and cannot start from a split one. Nothing was shifted. " +
        "Send all the traffic to version 7 by clearing the weights, then run pulumi up again: " +
        `aws lambda update-alias --function-name ${TARGET.functionName} --name live --routing-config '{"AdditionalVersionWeights":{}}' --region eu-west-1`,
    );
    expect(sdk.codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    const commands = awsCliCommandsIn(message);
    expect(commands.map((command) => command.options.get("--routing-config"))).toEqual([`'{"AdditionalVersionWeights":{}}'`]);
    expect(commands.map(awsCliCommandProblems)).toEqual([[]]);
  });

  it("is refused as a running deployment when the group has one, naming it", async () => {
    sdk.lambda.on(GetAliasCommand).resolves(weighted);
    sdk.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-RUNNING01"] });
    const error = await releaseFailure();
    expect(error.deploymentId).toBe("d-RUNNING01");
    expect(error.message).toContain(`deployment group ${TARGET.deploymentGroupName} already runs deployment d-RUNNING01`);
    expect(sdk.codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("is refused even when its primary version is already the target (a rollback may be under way)", async () => {
    sdk.lambda.on(GetAliasCommand).resolves({ ...weighted, FunctionVersion: "8", RoutingConfig: { AdditionalVersionWeights: { "7": 0.5 } } });
    const { message } = await releaseFailure();
    expect(message).toContain("the live alias still sends 50% to version 7 (the rest to version 8)");
  });
});

describe("the CLI check of the clearing command", () => {
  it.each([
    [`aws lambda update-alias --function-name f --name live --routing-config '{"Weights":{}}' --region eu-west-1`, "--routing-config has no member Weights"],
    ["aws lambda update-alias --function-name f --name live --routing-config {} --region eu-west-1", "--routing-config takes a JSON object in single quotes"],
    ["aws lambda update-alias --name live --routing-config '{}'", "--function-name is required"],
  ])("finds what is wrong in %s", (text, problem) => {
    expect(awsCliCommandProblems(awsCliCommandsIn(text)[0])).toContain(problem);
  });
});

describe("a timeout whose stop has completed", () => {
  it("does not claim the old version already has all the traffic", async () => {
    sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-RELEASE01", "InProgress"));
    sdk.codeDeploy.on(StopDeploymentCommand).resolves({ status: "Succeeded", statusMessage: "Stopped" });
    const { message } = await releaseFailure();
    expect(message).toContain(
      "The step stopped it and asked for a rollback (StopDeployment: Succeeded, Stopped): CodeDeploy moves the alias back to the version it served before " +
        "in a rollback deployment; until that ends, version 8 may still get part of the traffic.",
    );
    expect(message).not.toContain("keeps the traffic");
  });
});

describe("the release timeout", () => {
  it("is the shift time plus 10 minutes, and 5 more with provisioned concurrency (an estimate of its allocation)", () => {
    expect(PROVISIONED_CONCURRENCY_ALLOCATION_MINUTES).toBe(5);
    expect([releaseTimeoutMinutes("canary"), releaseTimeoutMinutes("canary", 0), releaseTimeoutMinutes("canary", 1)]).toEqual([15, 15, 20]);
    expect([releaseTimeoutMinutes("linear"), releaseTimeoutMinutes("linear", 100)]).toEqual([20, 25]);
  });
});
