import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import type { CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult } from "@pulumi/pulumi/dynamic";
import { ReleaseClients, ReleaseClock, ReleaseTarget, SYSTEM_CLOCK, aliasVersion, releaseVersion } from "./release-deployment";
import { RELEASE_REPLACING_INPUTS, RELEASE_UPDATING_INPUTS } from "./rollout-spec";

/**
 * The release step's dynamic provider: what Pulumi calls for a `Release`
 * resource (lib/release.ts). This file is the entry of an esbuild bundle that
 * the program stores as the resource's `__provider`, so the provider's code
 * is this file and what it imports from tap, nothing captured from the
 * program's memory; the AWS SDK is not bundled but required from the
 * project's node_modules when Pulumi loads the provider.
 *
 * What each operation means:
 * - create: release the target version (nothing starts when the alias
 *   already serves it, as on a new stack, where the alias is created on it);
 * - diff: an update when the target version or a setting of the step changes,
 *   or when the version the alias serves (`liveVersion`, which `read`
 *   refreshes) is not the target; a replacement when the function, alias,
 *   region, application or group changes (a release of something else);
 *   nothing for a change of this code;
 * - read (`pulumi refresh`): the version the alias serves in AWS, as
 *   `liveVersion` ("" when the alias is gone), so an alias moved by hand shows
 *   in the refresh and the next `pulumi up` releases the target again;
 * - update: release the new target version; nothing starts when the alias
 *   already serves it. A new `ignoreRollbackAlarmsOnce` label (from
 *   TAP_IGNORE_ROLLBACK_ALARMS_ONCE, lib/rollout-spec.ts) turns the
 *   rollback alarms off for the next deployment only (`alarmOverrideFor`). A failed update keeps the old state, so the next
 *   `pulumi up` sees the same difference and starts a new deployment;
 * - delete: nothing. A release is a past event: deleting its record neither
 *   moves the alias nor stops anything (the alias and the deployment group are
 *   deleted by their own resources).
 */

/** The inputs of a release resource: the target, plus the configuration named in messages and the plan. */
export interface ReleaseInputs extends ReleaseTarget {
  readonly deploymentConfigName: string;
  /** The label of `pulumi up`'s ALARM_OVERRIDE_VARIABLE ("" when unset): see `alarmOverrideFor`. */
  readonly ignoreRollbackAlarmsOnce: string;
}

/** What the state records after a release. */
export interface ReleaseOutputs extends ReleaseInputs {
  readonly previousVersion: string;
  readonly liveVersion: string;
  readonly deploymentId: string;
  /** The last label a deployment of this release ran without the rollback alarms for ("" for none). */
  readonly rollbackAlarmsIgnoredFor: string;
}

export interface ReleaseProviderDependencies {
  readonly clientsFor: (region: string) => ReleaseClients;
  readonly clock: ReleaseClock;
}

/** Attempts per SDK call (the SDK's standard retry mode retries throttling, 5xx and network errors). */
export const SDK_MAX_ATTEMPTS = 5;

export function defaultReleaseClients(region: string): ReleaseClients {
  const config = { region, maxAttempts: SDK_MAX_ATTEMPTS };
  return { codeDeploy: new CodeDeployClient(config), lambda: new LambdaClient(config), sts: new STSClient(config), cloudWatch: new CloudWatchClient(config) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Which inputs differ between the recorded release and the program's new one;
 * also a change when the alias serves (as last recorded or refreshed) another
 * version than the target, so a release undone by hand is done again.
 */
export function diffRelease(olds: Partial<ReleaseOutputs>, news: ReleaseInputs): DiffResult {
  // Which inputs replace and which update is kept in lib/rollout-spec.ts, which the update plan reads too.
  const replaces = RELEASE_REPLACING_INPUTS.filter((key) => !same(olds[key], news[key]));
  const updates = RELEASE_UPDATING_INPUTS.filter((key) => !same(olds[key], news[key]));
  const drifted = typeof olds.liveVersion === "string" && olds.liveVersion !== news.targetVersion;
  // Nothing physical is replaced: the new release can be made before the old record is dropped.
  return { changes: replaces.length + updates.length > 0 || drifted, replaces: [...replaces], deleteBeforeReplace: false };
}

/** The target a release acts on, from its inputs (the engine hands over extra keys, such as `__provider`). */
function targetOf(inputs: ReleaseInputs): ReleaseInputs {
  return {
    region: inputs.region,
    allowedAccountIds: [...inputs.allowedAccountIds],
    applicationName: inputs.applicationName,
    deploymentGroupName: inputs.deploymentGroupName,
    functionName: inputs.functionName,
    aliasName: inputs.aliasName,
    targetVersion: inputs.targetVersion,
    alarmNames: [...inputs.alarmNames],
    timeoutMinutes: inputs.timeoutMinutes,
    pollSeconds: inputs.pollSeconds,
    deploymentConfigName: inputs.deploymentConfigName,
    ignoreRollbackAlarmsOnce: inputs.ignoreRollbackAlarmsOnce,
  };
}

/**
 * The label a release ignores the rollback alarms for, or undefined: a label
 * applies to one deployment per region, the first this release starts after
 * the label is set. Once a deployment used it, the state records it, and the
 * next release watches the alarms again even if the variable is still set,
 * so a label left exported in a shell never leaves later releases unguarded.
 */
export function alarmOverrideFor(label: string, usedLabel: string): string | undefined {
  return label !== "" && label !== usedLabel ? label : undefined;
}

/** A release's ID: what it shifts (one per function alias). */
export function releaseId(inputs: ReleaseInputs): string {
  return `${inputs.region}/${inputs.functionName}:${inputs.aliasName}`;
}

export function createReleaseProvider(dependencies: ReleaseProviderDependencies = { clientsFor: defaultReleaseClients, clock: SYSTEM_CLOCK }): ResourceProvider<ReleaseInputs, ReleaseOutputs> {
  const release = async (inputs: ReleaseInputs, olds?: ReleaseOutputs): Promise<ReleaseOutputs> => {
    const target = targetOf(inputs);
    const used = olds?.rollbackAlarmsIgnoredFor ?? "";
    const ignoreRollbackAlarmsFor = alarmOverrideFor(target.ignoreRollbackAlarmsOnce, used);
    const result = await releaseVersion(target, dependencies.clientsFor(target.region), dependencies.clock, { ignoreRollbackAlarmsFor });
    // A failed release throws: the state keeps the old record, so the label still applies to the next attempt.
    const started = result.deploymentId !== "";
    return { ...target, ...result, rollbackAlarmsIgnoredFor: started && ignoreRollbackAlarmsFor !== undefined ? ignoreRollbackAlarmsFor : used };
  };
  return {
    async diff(_id: string, olds: ReleaseOutputs, news: ReleaseInputs): Promise<DiffResult> {
      return diffRelease(olds, news);
    },
    async create(inputs: ReleaseInputs): Promise<CreateResult<ReleaseOutputs>> {
      return { id: releaseId(inputs), outs: await release(inputs) };
    },
    async update(_id: string, olds: ReleaseOutputs, news: ReleaseInputs): Promise<UpdateResult<ReleaseOutputs>> {
      return { outs: await release(news, olds) };
    },
    async read(id: string, props?: ReleaseOutputs): Promise<ReadResult<ReleaseOutputs>> {
      if (!props) throw new Error(`Reading release ${id} needs its recorded state: pulumi import of a release is not supported.`);
      const liveVersion = await aliasVersion(props.functionName, props.aliasName, props.region, dependencies.clientsFor(props.region));
      return { id, props: { ...props, liveVersion } };
    },
    async delete(): Promise<void> {
      // Nothing to undo in AWS: see the file comment.
    },
  };
}

/** What the dynamic-provider host calls (`require(text).handler()`) to get the provider. */
export function handler(): ResourceProvider<ReleaseInputs, ReleaseOutputs> {
  return createReleaseProvider();
}
