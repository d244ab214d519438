import * as fs from "fs";
import * as path from "path";
import { DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import { CreateDeploymentCommand, DeploymentLimitExceededException, GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { ReleaseInputs, ReleaseOutputs, createReleaseProvider } from "../../lib/release-provider";
import { REPO_ROOT } from "../support/paths";
import { ACCOUNT, CLIENTS, RELEASE_ID, RELEASE_INPUTS, deployment, fakeClock, recordedRelease, resetSdk, sdk } from "../support/release-sdk";

/**
 * lib/release-iam-policy.json is what the credentials running `pulumi up`
 * need for the release step, on top of what the AWS providers need. The test
 * drives the step's provider through every path (a release, an alias that
 * still splits its traffic, a group already deploying, a rollback, a timeout,
 * a release without the alarms, a refresh), records every SDK command it
 * sends with aws-sdk-client-mock, maps each to its IAM action (the Service
 * Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 * and its Lambda, CloudWatch and STS pages), and checks the policy grants
 * exactly those.
 */

interface Statement {
  readonly Sid: string;
  readonly Effect: string;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

const POLICY_FILE = path.join(REPO_ROOT, "lib", "release-iam-policy.json");
const policy = JSON.parse(fs.readFileSync(POLICY_FILE, "utf8")) as { Version: string; Statement: Statement[] };

/**
 * The IAM action of each command, written from the Service Authorization
 * Reference; null for GetCallerIdentity, which needs none ("No permissions are
 * required", https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
const IAM_ACTIONS: Readonly<Record<string, string | null>> = {
  CreateDeploymentCommand: "codedeploy:CreateDeployment",
  GetDeploymentCommand: "codedeploy:GetDeployment",
  ListDeploymentsCommand: "codedeploy:ListDeployments",
  StopDeploymentCommand: "codedeploy:StopDeployment",
  GetAliasCommand: "lambda:GetAlias",
  DescribeAlarmHistoryCommand: "cloudwatch:DescribeAlarmHistory",
  GetCallerIdentityCommand: null,
};
/**
 * A CreateDeployment that overrides the group's alarm configuration also needs
 * codedeploy:UpdateDeploymentGroup (CodeDeploy's API reference, the note on
 * CreateDeployment's overrideAlarmConfiguration).
 */
const OVERRIDE_ACTION = "codedeploy:UpdateDeploymentGroup";

/** What one command sent needs: its action, and the override's when it carries one. */
function actionsOf(command: { constructor: { name: string }; input: object }): string[] {
  const name = command.constructor.name;
  if (!(name in IAM_ACTIONS)) throw new Error(`The release step sends ${name}, which IAM_ACTIONS does not map: add its IAM action here and to lib/release-iam-policy.json`);
  const action = IAM_ACTIONS[name];
  const override = "overrideAlarmConfiguration" in command.input ? [OVERRIDE_ACTION] : [];
  return [...(action === null ? [] : [action]), ...override];
}

/** Every command sent to the four mocked clients since the last reset. */
function sentCommands() {
  return Object.values(sdk).flatMap((mock) => mock.calls().map((call) => call.args[0] as unknown as { constructor: { name: string }; input: object }));
}

let provider: ResourceProvider<ReleaseInputs, ReleaseOutputs>;
const sent = new Map<string, Set<string>>();

/** Runs one path of the release step, records what it sent, and ignores whether it failed (the failures are paths too). */
async function drive(path: string, arrange: () => void, act: () => Promise<unknown>): Promise<void> {
  resetSdk();
  sdk.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7" });
  sdk.codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-RELEASE02" });
  sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-RELEASE02", "Succeeded"));
  arrange();
  provider = createReleaseProvider({ clientsFor: () => CLIENTS, clock: fakeClock() });
  await act().catch(() => undefined);
  sent.set(path, new Set(sentCommands().flatMap(actionsOf)));
}

beforeAll(async () => {
  const next: ReleaseInputs = { ...RELEASE_INPUTS, targetVersion: "8" };
  const before = recordedRelease({ ...RELEASE_INPUTS, targetVersion: "7" });
  await drive("a release", () => undefined, () => provider.update!(RELEASE_ID, before, next));
  await drive("a release without the alarms", () => undefined, () => provider.update!(RELEASE_ID, before, { ...next, ignoreRollbackAlarmsOnce: "fix-1" }));
  await drive("an alias that still splits its traffic", () => {
    sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7", RoutingConfig: { AdditionalVersionWeights: { "8": 0.1 } } });
    sdk.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  }, () => provider.update!(RELEASE_ID, before, next));
  await drive("a group already deploying", () => {
    sdk.codeDeploy.on(CreateDeploymentCommand).rejects(new DeploymentLimitExceededException({ message: "limit", $metadata: {} }));
    sdk.codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-RUNNING1"] });
  }, () => provider.update!(RELEASE_ID, before, next));
  await drive("a rollback", () => {
    sdk.codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-RELEASE02" }).resolves(deployment("d-RELEASE02", "Stopped", {
      errorInformation: { code: "ALARM_ACTIVE", message: "alarms" }, rollbackInfo: { rollbackDeploymentId: "d-ROLLBACK2" },
    }));
    sdk.codeDeploy.on(GetDeploymentCommand, { deploymentId: "d-ROLLBACK2" }).resolves(deployment("d-ROLLBACK2", "Succeeded"));
    sdk.cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  }, () => provider.update!(RELEASE_ID, before, next));
  await drive("a timeout", () => {
    sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-RELEASE02", "InProgress"));
    sdk.codeDeploy.on(StopDeploymentCommand).resolves({ status: "Pending" });
  }, () => provider.update!(RELEASE_ID, before, next));
  await drive("a refresh", () => undefined, () => provider.read!(RELEASE_ID, before));
});

const granted = () => policy.Statement.flatMap((statement) => statement.Action);

describe("lib/release-iam-policy.json", () => {
  it("each path sends the commands it must (so the recording covers every call)", () => {
    expect(Object.fromEntries([...sent].map(([path, actions]) => [path, [...actions].sort()]))).toEqual({
      "a release": ["codedeploy:CreateDeployment", "codedeploy:GetDeployment", "lambda:GetAlias"],
      "a release without the alarms": ["codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:UpdateDeploymentGroup", "lambda:GetAlias"],
      "an alias that still splits its traffic": ["codedeploy:ListDeployments", "lambda:GetAlias"],
      "a group already deploying": ["codedeploy:CreateDeployment", "codedeploy:ListDeployments", "lambda:GetAlias"],
      "a rollback": ["cloudwatch:DescribeAlarmHistory", "codedeploy:CreateDeployment", "codedeploy:GetDeployment", "lambda:GetAlias"],
      "a timeout": ["codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:StopDeployment", "lambda:GetAlias"],
      "a refresh": ["lambda:GetAlias"],
    });
  });

  it("grants exactly the actions the step's commands need, each once", () => {
    const needed = [...new Set([...sent.values()].flatMap((actions) => [...actions]))].sort();
    expect([...granted()].sort()).toEqual(needed);
    expect(new Set(granted()).size).toBe(granted().length);
  });

  it("maps every command the step's code imports, so a new call fails here until the policy has it", () => {
    const sources = ["lib/release-deployment.ts", "lib/release-provider.ts"].map((file) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));
    const imported = sources.flatMap((source) => [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-[a-z0-9-]+"/g)]
      .flatMap(([, names]) => names.split(",").map((name) => name.trim()).filter((name) => name.endsWith("Command"))));
    expect([...new Set(imported)].sort()).toEqual(Object.keys(IAM_ACTIONS).sort());
  });

  it("allows only, with Sids, and names resource types rather than *", () => {
    expect(policy.Version).toBe("2012-10-17");
    expect(policy.Statement.map((statement) => statement.Effect)).toEqual(policy.Statement.map(() => "Allow"));
    expect(new Set(policy.Statement.map((statement) => statement.Sid)).size).toBe(policy.Statement.length);
    expect(policy.Statement.map((statement) => [statement.Sid, statement.Resource])).toEqual([
      ["ReleaseThroughTheDeploymentGroup", ["arn:aws:codedeploy:*:*:deploymentgroup:*"]],
      ["ReadTheLiveAlias", ["arn:aws:lambda:*:*:function:*"]],
      ["NameTheAlarmThatFired", ["arn:aws:cloudwatch:*:*:alarm:*"]],
    ]);
  });
});
