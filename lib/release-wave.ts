import * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/aws/provider";
import type * as lambda from "@pulumi/aws/lambda";
import type { ResolvedTapStackConfig } from "./config";
import type { RegionNames } from "./naming";
import type { RegionalAlarms } from "./monitoring";
import { RegionalRollout } from "./regional-rollout";
import { Release } from "./release";
import {
  GradualRolloutMode,
  LIVE_ALIAS,
  RELEASE_POLL_SECONDS,
  isGradual,
  releaseLogicalName,
  releaseTimeoutMinutes,
} from "./rollout-spec";

/** What the rollout reads from each of TapStack's regions. */
export interface RolloutRegion {
  readonly region: string;
  readonly provider: Provider;
  readonly names: RegionNames;
  readonly api: { readonly function: lambda.Function; readonly liveAlias?: lambda.Alias };
  readonly monitoring: Pick<RegionalAlarms, "rollbackAlarms">;
}

/** One region's CodeDeploy names, as the stack exports them. */
export interface DeploymentGroupOutput {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly deploymentConfigName: string;
  readonly aliasName: string;
  /** The rollback alarms the deployment group watches (`npm run verify` checks the group lists them). */
  readonly alarmNames: string[];
}

/** What a gradual rollout adds; empty with `rollout: all-at-once`. */
export interface RolloutLayer {
  /** One per region, in region order. */
  readonly regional: readonly RegionalRollout[];
  /** The release wave; undefined when the rollout is all-at-once. */
  readonly wave: ReleaseWave | undefined;
  /** region -> the region's CodeDeploy names; undefined when the rollout is all-at-once. */
  readonly deploymentGroups: pulumi.Output<Record<string, DeploymentGroupOutput>> | undefined;
}

export interface ReleaseWaveRegion {
  readonly region: string;
  readonly rollout: RegionalRollout;
  readonly functionName: pulumi.Input<string>;
  readonly targetVersion: pulumi.Input<string>;
  readonly alias: lambda.Alias;
  readonly rollbackAlarmNames: pulumi.Input<string>[];
}

export interface ReleaseWaveArgs {
  readonly mode: GradualRolloutMode;
  /** `allowedAccountIds`: each release refuses credentials for any other account (none: no check). */
  readonly allowedAccountIds: readonly string[];
  /** `lambdaProvisionedConcurrency`: above 0, each release may take longer (releaseTimeoutMinutes). */
  readonly provisionedConcurrency: number;
  /** ALARM_OVERRIDE_VARIABLE's label: "" (the rollback alarms apply), or a label that turns them off once per region. */
  readonly ignoreRollbackAlarmsOnce: string;
  /** In release order: the home region first. */
  readonly regions: readonly ReleaseWaveRegion[];
}

/**
 * The regions' release steps, one after another: the home region's first,
 * and each further region's only once the previous region's release has
 * succeeded (`dependsOn`), so a rollback in one region stops the wave before
 * the next. A release waits for its own region's alias and deployment group.
 */
export class ReleaseWave extends pulumi.ComponentResource {
  /** In release order. */
  public readonly releases: readonly Release[];

  constructor(name: string, stackName: string, args: ReleaseWaveArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:rollout:ReleaseWave", name, {}, opts);
    const releases: Release[] = [];
    // args.regions is in release order: each region's release waits for the one before it.
    for (const region of args.regions) {
      const previous = releases[releases.length - 1];
      releases.push(new Release(releaseLogicalName(stackName, region.region), {
        region: region.region,
        allowedAccountIds: [...args.allowedAccountIds],
        applicationName: region.rollout.application.name,
        deploymentGroupName: region.rollout.deploymentGroup.deploymentGroupName,
        deploymentConfigName: region.rollout.deploymentConfigName,
        functionName: region.functionName,
        aliasName: region.alias.name,
        targetVersion: region.targetVersion,
        alarmNames: pulumi.all(region.rollbackAlarmNames),
        timeoutMinutes: releaseTimeoutMinutes(args.mode, args.provisionedConcurrency),
        pollSeconds: RELEASE_POLL_SECONDS,
        ignoreRollbackAlarmsOnce: args.ignoreRollbackAlarmsOnce,
      }, { parent: this, dependsOn: [region.alias, region.rollout.deploymentGroup, ...(previous ? [previous] : [])] }));
    }
    this.releases = releases;
    this.registerOutputs({
      order: args.regions.map((r) => r.region),
      targetVersions: pulumi.all(args.regions.map((r) => pulumi.output(r.targetVersion).apply((version) => [r.region, version] as const)))
        .apply((pairs) => Object.fromEntries(pairs)),
    });
  }
}

/**
 * Builds the gradual rollout for TapStack when `rollout` is canary or linear:
 * a RegionalRollout per region (bound to that region's provider) and the
 * release wave over them. With `all-at-once` it creates no resource.
 */
export function createRollout(
  name: string,
  config: ResolvedTapStackConfig,
  regions: readonly RolloutRegion[],
  options: { readonly parent: pulumi.Resource; readonly ignoreRollbackAlarmsOnce: string },
): RolloutLayer {
  const mode = config.rollout;
  if (!isGradual(mode)) return { regional: [], wave: undefined, deploymentGroups: undefined };
  const regional = regions.map((r) => {
    const alarms = r.monitoring.rollbackAlarms;
    if (alarms.length === 0) throw new Error(`The ${r.region} alarms have no rollback alarms: a ${mode} rollout needs RegionalAlarms' functionQualifier.`);
    return new RegionalRollout(`${name}-${r.region}-rollout`, {
      names: r.names,
      mode,
      functionArn: r.api.function.arn,
      rollbackAlarmNames: alarms.map((alarm) => alarm.name),
      rollbackAlarmArns: alarms.map((alarm) => alarm.arn),
    }, { parent: options.parent, provider: r.provider });
  });
  const waveRegions = regions.map((r, index): ReleaseWaveRegion => {
    const alias = r.api.liveAlias;
    if (!alias) throw new Error(`The ${r.region} function has no ${LIVE_ALIAS} alias: a ${mode} rollout needs ServerlessApi's gradualRollout.`);
    return {
      region: r.region,
      rollout: regional[index],
      functionName: r.api.function.name,
      targetVersion: r.api.function.version,
      alias,
      rollbackAlarmNames: r.monitoring.rollbackAlarms.map((alarm) => alarm.name),
    };
  });
  const wave = new ReleaseWave(`${name}-release-wave`, name, {
    mode,
    allowedAccountIds: config.allowedAccountIds,
    provisionedConcurrency: config.lambdaProvisionedConcurrency,
    ignoreRollbackAlarmsOnce: options.ignoreRollbackAlarmsOnce,
    regions: waveRegions,
  }, { parent: options.parent });
  // The alias's own name, as the resource reports it: what verify then reads.
  const entries = waveRegions.map((r) =>
    pulumi.all([r.rollout.application.name, r.rollout.deploymentGroup.deploymentGroupName, r.alias.name, pulumi.all(r.rollbackAlarmNames)])
      .apply(([applicationName, deploymentGroupName, aliasName, alarmNames]) =>
        [r.region, { applicationName, deploymentGroupName, deploymentConfigName: r.rollout.deploymentConfigName, aliasName, alarmNames }] as const));
  return {
    regional,
    wave,
    deploymentGroups: pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs)),
  };
}
