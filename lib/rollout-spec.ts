/**
 * Safe rollouts as plain data: the `rollout` modes, the CodeDeploy
 * configuration each one uses, how long a release takes, the AppSpec a
 * release sends, and how long a wave of regions takes. No Pulumi and no AWS SDK
 * import, so the program, the release step, the offline plan, the verifier
 * and the benchmarks share one source of truth.
 */

/** The values of the `rollout` config key. */
export const ROLLOUT_MODES = ["all-at-once", "canary", "linear"] as const;
export type RolloutMode = (typeof ROLLOUT_MODES)[number];
/** The modes that shift traffic with CodeDeploy. */
export type GradualRolloutMode = Exclude<RolloutMode, "all-at-once">;

/** How one gradual mode shifts a region's traffic. */
export interface RolloutStrategy {
  /** A predefined CodeDeploy configuration for the Lambda compute platform. */
  readonly deploymentConfigName: string;
  /** Minutes from the first traffic shift to the last, as the configuration defines them. */
  readonly trafficShiftMinutes: number;
  /** What the configuration does, in words. */
  readonly description: string;
}

/**
 * The two predefined CodeDeploy configurations tap uses
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html):
 * canary shifts 10% of the traffic, waits 5 minutes, then shifts the rest;
 * linear shifts 10% every minute, ten steps. The step and interval are fixed
 * by the configuration's name, so they are not config keys.
 */
export const ROLLOUT_STRATEGIES: Readonly<Record<GradualRolloutMode, RolloutStrategy>> = {
  canary: {
    deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    trafficShiftMinutes: 5,
    description: "10% of the traffic for 5 minutes, then the rest",
  },
  linear: {
    deploymentConfigName: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    trafficShiftMinutes: 10,
    description: "10% more of the traffic every minute, 10 steps",
  },
};

/** True when `mode` shifts traffic gradually (a version, the `live` alias and CodeDeploy in every region). */
export function isGradual(mode: RolloutMode): mode is GradualRolloutMode {
  return mode !== "all-at-once";
}

/**
 * What every deployment group rolls back on: a failed deployment, and an alarm
 * of the group firing while it runs (lib/regional-rollout.ts sets them, `npm
 * run verify` requires them).
 */
export const AUTO_ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] as const;

/** The alias the API invokes. CodeDeploy moves it from one published version to the next. */
export const LIVE_ALIAS = "live";

/**
 * The environment variable of `pulumi up` that ships a fix while a rollback
 * alarm fires: a label, new each time, makes each region's next deployment
 * run without CodeDeploy's alarm polling (docs/rollouts.md, "Shipping a fix
 * while a rollback alarm fires"). Each release records the label it used, and
 * a used label is ignored.
 */
export const ALARM_OVERRIDE_VARIABLE = "TAP_IGNORE_ROLLBACK_ALARMS_ONCE";

/** A label lands in CodeDeploy's deployment description and in the release's state. */
const ALARM_OVERRIDE_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The label of ALARM_OVERRIDE_VARIABLE in `env`; "" when it is unset or empty.
 * @throws Error naming the variable, the value and the rule, before anything is created.
 */
export function alarmOverrideLabel(env: Readonly<Record<string, string | undefined>>): string {
  const value = env[ALARM_OVERRIDE_VARIABLE] ?? "";
  if (value === "" || ALARM_OVERRIDE_LABEL.test(value)) return value;
  throw new Error(
    `Invalid ${ALARM_OVERRIDE_VARIABLE}: ${JSON.stringify(value)}. Expected a label of 1-64 letters, digits, '.', '_' and '-', ` +
      `starting with a letter or digit, such as ${ALARM_OVERRIDE_VARIABLE}=fix-1234 pulumi up; unset it to keep the rollback alarms.`,
  );
}

/** How often the release step asks CodeDeploy for the deployment's status. */
export const RELEASE_POLL_SECONDS = 15;

/**
 * What a release may take beyond its traffic shift before the step gives up:
 * CodeDeploy's start, its checks of the alias and the alarms, and the last
 * shift. Past it the step stops the deployment (with a rollback) and fails.
 */
export const RELEASE_TIMEOUT_MARGIN_MINUTES = 10;

/**
 * What a release of an alias with provisioned concurrency may take on top:
 * when CodeDeploy points part of the alias at the new version, Lambda
 * allocates that version's share of the provisioned instances first, and
 * CodeDeploy waits for them (its service role reads
 * lambda:GetProvisionedConcurrencyConfig for that). AWS documents no bound:
 * an allocation reports IN_PROGRESS until READY
 * (https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html).
 * 5 minutes is an estimate, not a measurement: users report about 4 minutes
 * for 10 instances (https://github.com/hashicorp/terraform-provider-aws/issues/13329).
 */
export const PROVISIONED_CONCURRENCY_ALLOCATION_MINUTES = 5;

/** The release step's timeout for one region, in minutes (more with provisioned concurrency: see above). */
export function releaseTimeoutMinutes(mode: GradualRolloutMode, provisionedConcurrency = 0): number {
  const allocation = provisionedConcurrency > 0 ? PROVISIONED_CONCURRENCY_ALLOCATION_MINUTES : 0;
  return ROLLOUT_STRATEGIES[mode].trafficShiftMinutes + RELEASE_TIMEOUT_MARGIN_MINUTES + allocation;
}

/**
 * The longest a release wave may run before its last step gives up: the
 * regions release one after another, each within its own timeout (a rollback
 * is waited for within the same timeout). What a deploy job must allow for on
 * top of the rest of `pulumi up` (.github/workflows/main.yml).
 */
export function releaseWaveTimeoutMinutes(mode: GradualRolloutMode, regions: number, provisionedConcurrency = 0): number {
  return regions * releaseTimeoutMinutes(mode, provisionedConcurrency);
}

/** How long a whole wave takes, and why. */
export interface WaveDuration {
  readonly mode: GradualRolloutMode;
  readonly regions: number;
  /** Traffic-shift minutes of one region (the CodeDeploy configuration's own time). */
  readonly perRegionMinutes: number;
  /** regions × perRegionMinutes: the regions release one after another. */
  readonly totalMinutes: number;
  /** Upper bound of one region: perRegionMinutes plus the poll interval the step may lag behind CodeDeploy. */
  readonly perRegionUpperMinutes: number;
  readonly totalUpperMinutes: number;
  /** The formula, in words. */
  readonly formula: string;
}

/**
 * T(N) = N × S for N regions, where S is the configuration's traffic-shift
 * time (canary 5 min, linear 10 min): the releases run one region after
 * another, and each takes at least S. The step notices the end within one poll
 * interval, so the upper figure adds RELEASE_POLL_SECONDS per region.
 * CodeDeploy's own start-up (seconds) is not modelled.
 */
export function waveDuration(mode: GradualRolloutMode, regions: number): WaveDuration {
  const perRegionMinutes = ROLLOUT_STRATEGIES[mode].trafficShiftMinutes;
  const perRegionUpperMinutes = perRegionMinutes + RELEASE_POLL_SECONDS / 60;
  return {
    mode,
    regions,
    perRegionMinutes,
    totalMinutes: regions * perRegionMinutes,
    perRegionUpperMinutes,
    totalUpperMinutes: regions * perRegionUpperMinutes,
    formula: `T(N) = N × ${perRegionMinutes} min (${ROLLOUT_STRATEGIES[mode].deploymentConfigName}), at most N × (${perRegionMinutes} min + ${RELEASE_POLL_SECONDS} s poll)`,
  };
}

/** What one release shifts: the function, its alias, and the versions. */
export interface AppSpecTarget {
  readonly functionName: string;
  readonly aliasName: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
}

/**
 * The Lambda AppSpec of one release, as JSON text
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html).
 * `version` is written as `0.0`, the form AWS's examples use (JSON.stringify would write `0`).
 */
export function appSpecContent(target: AppSpecTarget): string {
  const resources = [
    {
      [target.functionName]: {
        Type: "AWS::Lambda::Function",
        Properties: {
          Name: target.functionName,
          Alias: target.aliasName,
          CurrentVersion: target.currentVersion,
          TargetVersion: target.targetVersion,
        },
      },
    },
  ];
  return `{"version":0.0,"Resources":${JSON.stringify(resources)}}`;
}

/** The CodeDeploy console page of one deployment. */
export function deploymentConsoleUrl(region: string, deploymentId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${region}`;
}

/** Logical names of release resources end with this: the update plan reports a change of one as a release. */
export const RELEASE_NAME_SUFFIX = "-release";

/** The logical name of a region's release step. */
export function releaseLogicalName(stackName: string, region: string): string {
  return `${stackName}-${region}${RELEASE_NAME_SUFFIX}`;
}

/** The Pulumi type of every dynamic-provider resource (the nodejs SDK's `pulumi.dynamic.Resource`). */
export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic:Resource";

/**
 * A release step's inputs whose change makes it a release of something else (another region, function, alias,
 * application or deployment group): its provider's diff replaces the step, creating the new one first
 * (lib/release-provider.ts `diffRelease`, `deleteBeforeReplace: false`). The update plan reads them from here too.
 */
export const RELEASE_REPLACING_INPUTS = ["region", "functionName", "aliasName", "applicationName", "deploymentGroupName"] as const;
/** A release step's inputs whose change is an update: a new target version, or new settings of the step. */
export const RELEASE_UPDATING_INPUTS = [
  "targetVersion",
  "allowedAccountIds",
  "alarmNames",
  "timeoutMinutes",
  "pollSeconds",
  "deploymentConfigName",
  "ignoreRollbackAlarmsOnce",
] as const;
