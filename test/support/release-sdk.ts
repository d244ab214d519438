import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient, DeploymentInfo } from "@aws-sdk/client-codedeploy";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { ReleaseClients, ReleaseClock, ReleaseError, ReleaseTarget, releaseVersion } from "../../lib/release-deployment";
import type { ReleaseInputs, ReleaseOutputs } from "../../lib/release-provider";

/**
 * What the release step's tests share: aws-sdk-client-mock mocks of the four
 * clients (reset them in a beforeEach), a release target in eu-west-1 (and the
 * release step's inputs and recorded state for it), clients of that region,
 * and a clock that never waits.
 */

export const sdk = {
  codeDeploy: mockClient(CodeDeployClient),
  lambda: mockClient(LambdaClient),
  sts: mockClient(STSClient),
  cloudWatch: mockClient(CloudWatchClient),
};

export function resetSdk(): void {
  for (const mock of Object.values(sdk)) mock.reset();
}

export const ACCOUNT = "111111111111";

export const TARGET: ReleaseTarget = {
  region: "eu-west-1",
  allowedAccountIds: [ACCOUNT],
  applicationName: "shop-api-eu-west-1-prod-0a1b2c3d",
  deploymentGroupName: "shop-api-live-eu-west-1-prod-0a1b2c3d",
  functionName: "shop-api-eu-west-1-prod-0a1b2c3d",
  aliasName: "live",
  targetVersion: "8",
  alarmNames: ["shop-rollback-errors-alarm-eu-west-1-prod-0a1b2c3d", "shop-rollback-5xx-alarm-eu-west-1-prod-0a1b2c3d"],
  timeoutMinutes: 15,
  pollSeconds: 15,
};

/** The release step's inputs for TARGET, as the program passes them. */
export const RELEASE_INPUTS: ReleaseInputs = {
  ...TARGET,
  allowedAccountIds: [...TARGET.allowedAccountIds],
  alarmNames: [...TARGET.alarmNames],
  deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  ignoreRollbackAlarmsOnce: "",
};

/** The release step's ID for TARGET's alias. */
export const RELEASE_ID = `${TARGET.region}/${TARGET.functionName}:${TARGET.aliasName}`;

/** The state a release of `inputs` recorded: by default, a deployment from version 7 that succeeded. */
export function recordedRelease(inputs: ReleaseInputs = RELEASE_INPUTS, outcome: Partial<ReleaseOutputs> = {}): ReleaseOutputs {
  return { ...inputs, previousVersion: "7", liveVersion: inputs.targetVersion, deploymentId: "d-RELEASE01", rollbackAlarmsIgnoredFor: "", ...outcome };
}

export const CLIENTS: ReleaseClients = {
  codeDeploy: new CodeDeployClient({ region: "eu-west-1" }),
  lambda: new LambdaClient({ region: "eu-west-1" }),
  sts: new STSClient({ region: "eu-west-1" }),
  cloudWatch: new CloudWatchClient({ region: "eu-west-1" }),
};

/** A clock whose sleep returns at once and moves time forward; it records every wait. */
export function fakeClock(start = Date.parse("2025-03-04T10:00:00Z")): ReleaseClock & { readonly waits: number[] } {
  let time = start;
  const waits: number[] = [];
  return { waits, now: () => time, sleep: async (ms) => { waits.push(ms); time += ms; } };
}

export function deployment(id: string, status: DeploymentInfo["status"], extra: Partial<DeploymentInfo> = {}): { deploymentInfo: DeploymentInfo } {
  return { deploymentInfo: { deploymentId: id, status, ...extra } };
}

/** The ReleaseError a release throws (fails the test when it resolves or throws anything else). */
export async function releaseFailure(target: ReleaseTarget = TARGET, clock: ReleaseClock = fakeClock()): Promise<ReleaseError> {
  const error = await releaseVersion(target, CLIENTS, clock).then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof ReleaseError)) throw new Error(`Expected a ReleaseError, got ${String(error)}`);
  return error;
}
