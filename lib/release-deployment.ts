import { AlarmHistoryItem, CloudWatchClient, DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentInfo,
  DeploymentStatus,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { GetAliasCommand, GetAliasCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ALARM_OVERRIDE_VARIABLE, appSpecContent, deploymentConsoleUrl } from "./rollout-spec";

/**
 * One region's release, with the AWS SDK: check the credentials' account,
 * read what the `live` alias serves, start a CodeDeploy deployment to the new
 * version, wait for it, and explain a rollback. The IAM actions it needs are
 * those of the calls below, listed in lib/release-iam-policy.json (a test
 * records the calls and checks the policy). The release step's dynamic
 * provider (release-provider.ts) calls `releaseVersion`; the tests call it
 * with aws-sdk-client-mock clients and a fake clock.
 */

/** What one region's release shifts, and how long it may take. */
export interface ReleaseTarget {
  readonly region: string;
  /**
   * The stack's `allowedAccountIds`: the release refuses credentials for any
   * other account, as the stack's AWS providers do. Empty: no check (the
   * release uses the same credentials as the providers, so there is nothing
   * else to compare them with).
   */
  readonly allowedAccountIds: readonly string[];
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly functionName: string;
  readonly aliasName: string;
  /** The published version the alias should serve after the release. */
  readonly targetVersion: string;
  /** The deployment group's rollback alarms: a rollback's error names the ones that went to ALARM during the deployment. */
  readonly alarmNames: readonly string[];
  /** From the start of the deployment; past it the step stops the deployment with a rollback and fails. */
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
}

/** The SDK clients of the target's region. */
export interface ReleaseClients {
  readonly codeDeploy: CodeDeployClient;
  readonly lambda: LambdaClient;
  readonly sts: STSClient;
  readonly cloudWatch: CloudWatchClient;
}

/** Time, injectable so the tests never wait. */
export interface ReleaseClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: ReleaseClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ReleaseResult {
  /** The version the alias served before the release. */
  readonly previousVersion: string;
  /** The version it serves now: the target. */
  readonly liveVersion: string;
  /** The deployment that shifted the traffic; "" when the alias already served the target and nothing was started. */
  readonly deploymentId: string;
}

/** How one release treats the deployment group's rollback alarms. */
export interface ReleaseOptions {
  /**
   * A label (ALARM_OVERRIDE_VARIABLE of `pulumi up`): the deployment this
   * release starts, if it starts one, turns off CodeDeploy's alarm polling
   * (CreateDeployment's overrideAlarmConfiguration `enabled: false`), so a
   * rollback alarm already firing because of the version being replaced does
   * not stop the fix. Undefined: the group's alarms apply.
   */
  readonly ignoreRollbackAlarmsFor?: string;
}

/** A release that did not happen or did not finish; the message says what happened and what to do next. */
export class ReleaseError extends Error {
  constructor(
    message: string,
    /** The deployment concerned, when one was started or found. */
    readonly deploymentId?: string,
  ) {
    super(message);
    this.name = "ReleaseError";
  }
}

/** Attempts of CreateDeployment while CodeDeploy throttles, the first included. */
export const CREATE_ATTEMPTS = 5;
/** First wait after a throttled CreateDeployment; it doubles on each further attempt. */
export const THROTTLE_BACKOFF_MS = 2_000;

const FINAL_STATUSES: readonly DeploymentStatus[] = ["Succeeded", "Failed", "Stopped"];
/** The statuses of a deployment that still holds the group (CodeDeploy runs one at a time per group). */
export const ACTIVE_STATUSES: readonly DeploymentStatus[] = ["Created", "Queued", "InProgress", "Baking", "Ready"];

function isThrottling(error: unknown): boolean {
  const { name, $retryable } = error as { name?: string; $retryable?: { throttling?: boolean } };
  return name === "ThrottlingException" || name === "TooManyRequestsException" || $retryable?.throttling === true;
}

function releaseLabel(target: ReleaseTarget): string {
  return `Release of ${target.functionName}:${target.aliasName} to version ${target.targetVersion} in ${target.region}`;
}

/**
 * Shifts the target's alias to the target version with CodeDeploy and waits
 * for it. Starts nothing when the alias already serves the target version.
 * @throws ReleaseError on credentials outside allowedAccountIds, an alias that
 *   still splits its traffic, a deployment already running for the group, a
 *   failed or rolled-back deployment, or the timeout.
 */
export async function releaseVersion(target: ReleaseTarget, clients: ReleaseClients, clock: ReleaseClock = SYSTEM_CLOCK, options: ReleaseOptions = {}): Promise<ReleaseResult> {
  await assertAccount(target, clients);
  const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: target.functionName, Name: target.aliasName }));
  const currentVersion = alias.FunctionVersion;
  if (currentVersion === undefined) throw new ReleaseError(`${releaseLabel(target)}: GetAlias returned no FunctionVersion for ${target.functionName}:${target.aliasName}.`);
  // CodeDeploy shifts an alias from one version to another: weights left on it mean a deployment runs or was cut short.
  const weights = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  if (weights.length > 0) throw await weightedAlias(target, alias, weights, clients);
  if (currentVersion === target.targetVersion) return { previousVersion: currentVersion, liveVersion: currentVersion, deploymentId: "" };

  const started = clock.now();
  const deploymentId = await startDeployment(target, currentVersion, clients, clock, options);
  const deployment = await waitForDeployment(target, deploymentId, started, clients, clock);
  if (deployment.status === "Succeeded") return { previousVersion: currentVersion, liveVersion: target.targetVersion, deploymentId };
  throw new ReleaseError(await rollbackMessage(target, currentVersion, deployment, started, clients, clock), deploymentId);
}

/**
 * The version the alias serves now (its primary version), for `pulumi
 * refresh`; "" when the function or the alias no longer exists.
 * @throws ReleaseError when GetAlias fails for another reason (access denied, say).
 */
export async function aliasVersion(functionName: string, aliasName: string, region: string, clients: Pick<ReleaseClients, "lambda">): Promise<string> {
  try {
    const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: aliasName }));
    return alias.FunctionVersion ?? "";
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return "";
    throw new ReleaseError(`Reading ${functionName}:${aliasName} in ${region} failed: GetAlias (lambda:GetAlias) answered ${(error as Error).name}: ${(error as Error).message}`);
  }
}

/**
 * When `allowedAccountIds` is set, the credentials must be for one of them,
 * as the stack's AWS providers require: the release would otherwise act on
 * (or not find) another account's function.
 */
async function assertAccount(target: ReleaseTarget, clients: ReleaseClients): Promise<void> {
  if (target.allowedAccountIds.length === 0) return;
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (identity.Account !== undefined && target.allowedAccountIds.includes(identity.Account)) return;
  const allowed = target.allowedAccountIds.join(", ");
  throw new ReleaseError(
    `${releaseLabel(target)} refused: the credentials are for account ${identity.Account ?? "unknown"} (${identity.Arn ?? "no ARN"}), ` +
      `but the stack's allowedAccountIds are ${allowed}. Nothing was started. ` +
      `Use credentials for ${target.allowedAccountIds.length === 1 ? `account ${allowed}` : `one of ${allowed}`} (check them with: aws sts get-caller-identity) and run pulumi up again.`,
  );
}

/**
 * The alias still splits its traffic: a deployment of the group runs (then
 * say which), or one was cut short and left its weights (then say how to
 * clear them). Nothing is started either way.
 */
async function weightedAlias(target: ReleaseTarget, alias: GetAliasCommandOutput, weights: [string, number][], clients: ReleaseClients): Promise<ReleaseError> {
  const running = await activeDeployments(target, clients);
  if (running.length > 0) return alreadyRunningError(target, running);
  const split = weights.map(([version, weight]) => `${Math.round(weight * 100)}% to version ${version}`).join(", ");
  return new ReleaseError(
    `${releaseLabel(target)} not started: the ${target.aliasName} alias still sends ${split} (the rest to version ${alias.FunctionVersion}), ` +
      `and no deployment of group ${target.deploymentGroupName} is running: a deployment was cut short, or the weights were set by hand. ` +
      "CodeDeploy shifts an alias between two versions and cannot start from a split one. Nothing was shifted. " +
      `Send all the traffic to version ${alias.FunctionVersion} by clearing the weights, then run pulumi up again: ` +
      `aws lambda update-alias --function-name ${target.functionName} --name ${target.aliasName} --routing-config '{"AdditionalVersionWeights":{}}' --region ${target.region}`,
  );
}

async function startDeployment(target: ReleaseTarget, currentVersion: string, clients: ReleaseClients, clock: ReleaseClock, options: ReleaseOptions): Promise<string> {
  const ignoring = options.ignoreRollbackAlarmsFor;
  const command = new CreateDeploymentCommand({
    applicationName: target.applicationName,
    deploymentGroupName: target.deploymentGroupName,
    description: `${target.functionName}:${target.aliasName} ${currentVersion} -> ${target.targetVersion} (pulumi up` +
      `${ignoring === undefined ? "" : `, rollback alarms ignored once: ${ignoring}`})`,
    // This deployment only: the group keeps its alarms. CodeDeploy asks the caller for
    // codedeploy:UpdateDeploymentGroup when the override is set (CreateDeployment, overrideAlarmConfiguration).
    ...(ignoring === undefined ? {} : { overrideAlarmConfiguration: { enabled: false } }),
    revision: {
      revisionType: "AppSpecContent",
      appSpecContent: {
        content: appSpecContent({ functionName: target.functionName, aliasName: target.aliasName, currentVersion, targetVersion: target.targetVersion }),
      },
    },
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const { deploymentId } = await clients.codeDeploy.send(command);
      if (!deploymentId) throw new ReleaseError(`${releaseLabel(target)}: CreateDeployment returned no deployment ID.`);
      return deploymentId;
    } catch (error) {
      if ((error as Error).name === "DeploymentLimitExceededException") throw await alreadyRunning(target, clients);
      // The SDK retries throttling itself (maxAttempts); these attempts add patience on top, with a longer backoff.
      if (!isThrottling(error) || attempt >= CREATE_ATTEMPTS) {
        throw new ReleaseError(`${releaseLabel(target)} could not start: CreateDeployment failed${attempt > 1 ? ` ${attempt} times` : ""} (${(error as Error).name}: ${(error as Error).message}). Nothing was shifted; run pulumi up again.`);
      }
      await clock.sleep(THROTTLE_BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}

/** The IDs of the group's deployments that still hold it. */
async function activeDeployments(target: ReleaseTarget, clients: ReleaseClients): Promise<string[]> {
  const listed = await clients.codeDeploy.send(new ListDeploymentsCommand({
    applicationName: target.applicationName,
    deploymentGroupName: target.deploymentGroupName,
    includeOnlyStatuses: [...ACTIVE_STATUSES],
  }));
  return listed.deployments ?? [];
}

/** The group already runs a deployment: name it, and say how to wait for it or stop it. */
async function alreadyRunning(target: ReleaseTarget, clients: ReleaseClients): Promise<ReleaseError> {
  return alreadyRunningError(target, await activeDeployments(target, clients));
}

function alreadyRunningError(target: ReleaseTarget, ids: readonly string[]): ReleaseError {
  const first = ids[0];
  const how = first === undefined
    ? "Run pulumi up again once it has finished."
    : `Wait for it (${deploymentConsoleUrl(target.region, first)}) and run pulumi up again, or stop it and roll it back first: ` +
      `aws deploy stop-deployment --deployment-id ${first} --auto-rollback-enabled --region ${target.region}`;
  return new ReleaseError(
    `${releaseLabel(target)} not started: deployment group ${target.deploymentGroupName} already runs ${ids.length > 0 ? `deployment ${ids.join(", ")}` : "a deployment"} ` +
      `(CodeDeploy runs one at a time per group). Nothing was shifted. ${how}`,
    first,
  );
}

/** Polls until the deployment ends or the timeout passes; on the timeout, stops it with a rollback and throws. */
async function waitForDeployment(target: ReleaseTarget, deploymentId: string, started: number, clients: ReleaseClients, clock: ReleaseClock): Promise<DeploymentInfo> {
  const deadline = started + target.timeoutMinutes * 60_000;
  let last: DeploymentInfo | undefined;
  for (;;) {
    if (clock.now() >= deadline) throw await timedOut(target, deploymentId, last, clients);
    await clock.sleep(target.pollSeconds * 1000);
    try {
      const { deploymentInfo } = await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
      last = deploymentInfo;
    } catch (error) {
      // A throttled poll must not abandon a deployment in flight: ask again at the next interval.
      if (isThrottling(error)) continue;
      throw new ReleaseError(`${releaseLabel(target)}: GetDeployment ${deploymentId} failed (${(error as Error).name}: ${(error as Error).message}). ` +
        `The deployment may still be running: ${deploymentConsoleUrl(target.region, deploymentId)}`, deploymentId);
    }
    if (last?.status && FINAL_STATUSES.includes(last.status)) return last;
  }
}

async function timedOut(target: ReleaseTarget, deploymentId: string, last: DeploymentInfo | undefined, clients: ReleaseClients): Promise<ReleaseError> {
  let stopped: string;
  try {
    const answer = await clients.codeDeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
    const detail = `StopDeployment: ${answer.status ?? "no status"}${answer.statusMessage ? `, ${answer.statusMessage}` : ""}`;
    // StopDeployment answers Succeeded when the deployment has stopped, Pending while the stop is under way; the
    // rollback it asks for is a new deployment that moves the alias back afterwards, so neither answer means the
    // old version already has all the traffic.
    stopped = answer.status === "Succeeded"
      ? `The step stopped it and asked for a rollback (${detail}): CodeDeploy moves the alias back to the version it served before in a rollback deployment; until that ends, version ${target.targetVersion} may still get part of the traffic.`
      : `The step asked CodeDeploy to stop it with a rollback (${detail}): the stop has not finished, so the alias may still send part of the traffic to version ${target.targetVersion} until CodeDeploy has stopped and rolled back. Check the deployment and the alias in the console.`;
  } catch (error) {
    stopped = `Stopping it failed (${(error as Error).name}: ${(error as Error).message}): stop it in the console, or with ` +
      `aws deploy stop-deployment --deployment-id ${deploymentId} --auto-rollback-enabled --region ${target.region}`;
  }
  return new ReleaseError(
    `${releaseLabel(target)} timed out: deployment ${deploymentId} was still ${last?.status ?? "starting"} after ${target.timeoutMinutes} minutes. ${stopped} ` +
      `Console: ${deploymentConsoleUrl(target.region, deploymentId)}. Run pulumi up again to start a new deployment.`,
    deploymentId,
  );
}

/** Why the deployment failed or stopped (CodeDeploy's own reason first), which alarm fired, what serves now and what to do next. */
async function rollbackMessage(
  target: ReleaseTarget,
  previousVersion: string,
  deployment: DeploymentInfo,
  started: number,
  clients: ReleaseClients,
  clock: ReleaseClock,
): Promise<string> {
  const deploymentId = deployment.deploymentId ?? "unknown";
  const error = deployment.errorInformation;
  const cause = error ? `${error.code ?? "no code"}: ${error.message ?? "no message"}` : "CodeDeploy gave no reason";
  const since = deployment.createTime ?? new Date(started);
  const lookup = await firedAlarms(target, since, clients);
  const alarms = describeFired(target, since, lookup);
  const rollbackId = deployment.rollbackInfo?.rollbackDeploymentId;
  let traffic: string;
  if (rollbackId) {
    const rollback = await waitForRollback(target, rollbackId, started, clients, clock);
    traffic = rollback === "Succeeded"
      ? `CodeDeploy rolled back (deployment ${rollbackId}): version ${previousVersion} serves all the traffic again.`
      : `CodeDeploy's rollback ${rollbackId} is ${rollback}: check the alias in the console.`;
  } else {
    traffic = `CodeDeploy started no rollback${deployment.rollbackInfo?.rollbackMessage ? ` (${deployment.rollbackInfo.rollbackMessage})` : ""}: check which version ${target.aliasName} serves.`;
  }
  return (
    `${releaseLabel(target)} failed: deployment ${deploymentId} ${deployment.status?.toLowerCase()} (${cause}). ${alarms} ${traffic} ` +
    `Console: ${deploymentConsoleUrl(target.region, deploymentId)}. ` +
    `Next: read the alarm and the function's logs, then fix the code and run pulumi up (the wave starts again from the home region), ` +
    `or run pulumi up unchanged to try version ${target.targetVersion} again.` +
    (error?.code === "ALARM_ACTIVE" && "fired" in lookup && lookup.fired.length === 0 ? alarmAlreadyFiring(target, deploymentId) : "")
  );
}

/**
 * CodeDeploy stopped the deployment on an alarm that no change during it
 * explains: the alarm was in ALARM before it started (the version being
 * replaced fails, say), and stops every release until it clears. The
 * one-off way through, for a release that is the fix (docs/rollouts.md).
 */
function alarmAlreadyFiring(target: ReleaseTarget, deploymentId: string): string {
  return ` A rollback alarm was already in ALARM when the deployment started, so every release stops on it until it clears. ` +
    `If version ${target.targetVersion} is the fix, release it once without the rollback alarms (each region's next deployment, then they apply again). ` +
    `Run it once with: ${ALARM_OVERRIDE_VARIABLE}=after-${deploymentId} pulumi up`;
}

/** One rollback alarm's change to ALARM after the deployment started. */
export interface FiredAlarm {
  readonly alarmName: string;
  readonly at: Date;
  /** CloudWatch's reason, such as "Threshold Crossed: 2 out of the last 3 datapoints ...". */
  readonly reason: string;
}

type FiredLookup = { readonly fired: FiredAlarm[] } | { readonly error: string };

/** The stateValue an alarm changed to, from a StateUpdate history item (HistoryData is JSON; the summary says "... to ALARM"). */
function newStateOf(item: AlarmHistoryItem): { state: string; reason: string } {
  try {
    const data = JSON.parse(item.HistoryData ?? "") as { newState?: { stateValue?: string; stateReason?: string } };
    if (data.newState?.stateValue) return { state: data.newState.stateValue, reason: data.newState.stateReason ?? "" };
  } catch {
    // Not JSON: fall back to the summary.
  }
  return { state: /\bto (\w+)$/.exec(item.HistorySummary ?? "")?.[1] ?? "", reason: "" };
}

/** Longest CloudWatch state reason quoted in a message; its datapoint list can run long. */
const REASON_CHARS = 160;

/**
 * The group's rollback alarms that went to ALARM since the deployment was
 * created, from their history (DescribeAlarmHistory, StateUpdate items from
 * `since`, oldest first): an alarm's state after the deployment ended says
 * nothing (a 60-s alarm may be OK again), and one already in ALARM before the
 * start did not change during it. One page of 100 items per alarm covers a
 * release: a 60-s alarm changes state at most once a minute.
 */
async function firedAlarms(target: ReleaseTarget, since: Date, clients: ReleaseClients): Promise<FiredLookup> {
  const fired: FiredAlarm[] = [];
  for (const alarmName of target.alarmNames) {
    let items: AlarmHistoryItem[];
    try {
      const answer = await clients.cloudWatch.send(new DescribeAlarmHistoryCommand({
        AlarmName: alarmName,
        HistoryItemType: "StateUpdate",
        StartDate: since,
        ScanBy: "TimestampAscending",
        MaxRecords: 100,
      }));
      items = answer.AlarmHistoryItems ?? [];
    } catch (error) {
      return { error: `DescribeAlarmHistory of ${alarmName} failed (${(error as Error).name}: ${(error as Error).message})` };
    }
    const first = items.map((item) => ({ item, ...newStateOf(item) })).find((entry) => entry.state === "ALARM");
    if (first) fired.push({ alarmName, at: first.item.Timestamp ?? since, reason: first.reason });
  }
  return { fired: fired.sort((a, b) => a.at.getTime() - b.at.getTime()) };
}

function describeFired(target: ReleaseTarget, since: Date, lookup: FiredLookup): string {
  if ("error" in lookup) {
    return `Which alarm fired is unknown: ${lookup.error}; the release step needs cloudwatch:DescribeAlarmHistory on the group's alarms ` +
      `(${target.alarmNames.join(", ")}), whose history the console also shows: ${alarmsConsoleUrl(target.region)}.`;
  }
  if (lookup.fired.length === 0) {
    return `No rollback alarm (${target.alarmNames.join(", ")}) went to ALARM after the deployment started at ${since.toISOString()}` +
      " (one already in ALARM then would have stopped it at once).";
  }
  const quoted = (reason: string) => (reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS - 3)}...` : reason);
  return `Alarm that fired: ${lookup.fired.map((alarm) => `${alarm.alarmName} (ALARM at ${alarm.at.toISOString()}${alarm.reason ? `: ${quoted(alarm.reason)}` : ""})`).join(", ")}.`;
}

/** The CloudWatch console's alarm list of a region. */
export function alarmsConsoleUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:`;
}

/** Waits (within the same timeout) for CodeDeploy's rollback deployment to end; resolves to its last status. */
async function waitForRollback(target: ReleaseTarget, rollbackId: string, started: number, clients: ReleaseClients, clock: ReleaseClock): Promise<string> {
  const deadline = started + target.timeoutMinutes * 60_000;
  let status = "unknown";
  while (clock.now() < deadline) {
    try {
      const { deploymentInfo } = await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: rollbackId }));
      status = deploymentInfo?.status ?? status;
      if (FINAL_STATUSES.includes(status as DeploymentStatus)) return status;
    } catch (error) {
      if (!isThrottling(error)) return `not readable (${(error as Error).name})`;
    }
    await clock.sleep(target.pollSeconds * 1000);
  }
  return `still ${status}`;
}
