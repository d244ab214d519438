import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { RegionNames } from "./naming";
import { ALARM_METRICS, ALARM_SPECS, ALARM_TREAT_MISSING_DATA, AlarmMetric, AlarmSpec } from "./alarm-specs";
import { AlarmScope, alarmTopicKeyPolicy, alarmTopicPolicy } from "./alarm-policies";
import { DashboardRegion, buildDashboardBody, dashboardConsoleUrl, validateDashboardRegionCodes } from "./dashboard";
import { createRollbackAlarms, rollbackAlarmNames } from "./rollback-alarms";

export { ALARM_METRICS, ALARM_SPECS, ALARM_TREAT_MISSING_DATA } from "./alarm-specs";
export type { AlarmMetric, AlarmSpec } from "./alarm-specs";

/** The alarm key is only there to encrypt in-flight notifications; nothing stored needs it later. */
export const ALARM_KEY_SETTINGS = {
  /** Shortest window KMS allows. A key pending deletion costs nothing. */
  deletionWindowInDays: 7,
  /** Yearly rotation (Security Hub KMS.4). Each rotation adds $1/month, for the first two only. */
  enableKeyRotation: true,
} as const;

export interface RegionalAlarmsArgs {
  /** Names for this region's resources. */
  names: RegionNames;
  /** Name of the region's Lambda function: the `FunctionName` dimension. */
  functionName: pulumi.Input<string>;
  /**
   * The alias the API invokes under a gradual rollout (`live`). When set, the
   * Lambda alarms measure that alias: Lambda publishes the metrics of a
   * qualified invocation with `FunctionName` and `Resource` = `name:alias`,
   * so during a release they count exactly the traffic the alias serves, the
   * new version's share included. It also adds the rollback alarms
   * (lib/rollback-alarms.ts), which the region's CodeDeploy deployment group
   * watches instead of these paging alarms.
   * @default undefined (the alarms measure the whole function; no rollback alarms)
   */
  functionQualifier?: string;
  /** Name (not ID) of the region's REST API: the `ApiName` dimension. */
  apiName: pulumi.Input<string>;
  /** Name of the API's stage: the `Stage` dimension. */
  stageName: pulumi.Input<string>;
  /**
   * Email address subscribed to the region's alarm topic. AWS sends a
   * confirmation mail first; nothing is delivered until it is confirmed.
   * Validated by `resolveTapStackArgs` (config key `alarmEmail`).
   * @default undefined (no subscription)
   */
  alarmEmail?: string;
}

/**
 * One region's alarms: the four alarms of `ALARM_SPECS` on the region's
 * function and API, and the topic their ALARM and OK actions publish to,
 * encrypted with a customer-managed KMS key ($1/month; see
 * lib/alarm-policies.ts for why the free AWS-managed key cannot work).
 * Bind it to the region's provider through `opts.provider`.
 */
export class RegionalAlarms extends pulumi.ComponentResource {
  public readonly key: kms.Key;
  public readonly topic: sns.Topic;
  public readonly topicPolicy: sns.TopicPolicy;
  public readonly alarms: Readonly<Record<AlarmMetric, cloudwatch.MetricAlarm>>;
  /** The alarms' ARNs, in `ALARM_METRICS` order. */
  public readonly alarmArns: pulumi.Output<string[]>;
  /** The alarms' names, in `ALARM_METRICS` order. */
  public readonly alarmNames: pulumi.Output<string[]>;
  /** The rollback alarms, in `ROLLBACK_ALARMS` order; empty unless `functionQualifier` is set. */
  public readonly rollbackAlarms: readonly cloudwatch.MetricAlarm[];
  /** Set when `alarmEmail` is. */
  public readonly emailSubscription?: sns.TopicSubscription;

  constructor(name: string, args: RegionalAlarmsArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:RegionalAlarms", name, {}, opts);
    const { names } = args;
    const child = { parent: this };
    const rollback = args.functionQualifier !== undefined;
    // Every alarm that publishes to the topic, the rollback alarms included: the key and topic policies name them.
    const alarmNames = [
      ...ALARM_METRICS.map((metric) => names.alarm(ALARM_SPECS[metric].nameComponent)),
      ...(rollback ? rollbackAlarmNames(names) : []),
    ];

    // Through the region's provider (inherited from `this`): the account and partition the alarms' ARNs will have.
    const identity = getCallerIdentityOutput({}, child);
    const partition = getPartitionOutput({}, child);
    const scope: pulumi.Output<AlarmScope> = pulumi
      .all([identity.accountId, partition.partition])
      .apply(([accountId, partitionName]) => ({ partition: partitionName, region: names.region, accountId }));

    this.key = new kms.Key(`${name}-key`, {
      description: `Encrypts the alarm notifications of topic ${names.alarmTopic}`,
      deletionWindowInDays: ALARM_KEY_SETTINGS.deletionWindowInDays,
      enableKeyRotation: ALARM_KEY_SETTINGS.enableKeyRotation,
      policy: scope.apply((s) => JSON.stringify(alarmTopicKeyPolicy(s, alarmNames))),
      tags: { Name: names.alarmTopic },
    }, child);

    this.topic = new sns.Topic(`${name}-topic`, {
      name: names.alarmTopic,
      kmsMasterKeyId: this.key.arn,
    }, child);

    // A topic has one policy, keyed by the topic: created first, a replacement would overwrite the live policy, and
    // deleting the old one would then reset it to SNS's default. Delete first (offline/plan/update/cfn-map.ts ParentKey).
    this.topicPolicy = new sns.TopicPolicy(`${name}-topic-policy`, {
      arn: this.topic.arn,
      policy: pulumi.all([scope, this.topic.arn]).apply(([s, topicArn]) => JSON.stringify(alarmTopicPolicy(s, topicArn, alarmNames))),
    }, { ...child, deleteBeforeReplace: true });

    const dimensions: Record<AlarmSpec["namespace"], pulumi.Input<Record<string, pulumi.Input<string>>>> = {
      "AWS/Lambda": args.functionQualifier === undefined
        ? { FunctionName: args.functionName }
        : { FunctionName: args.functionName, Resource: pulumi.interpolate`${args.functionName}:${args.functionQualifier}` },
      // A REST API's stage metrics carry exactly these two dimensions.
      "AWS/ApiGateway": { ApiName: args.apiName, Stage: args.stageName },
    };
    const actions = [this.topic.arn];
    const createAlarm = (metric: AlarmMetric): cloudwatch.MetricAlarm => {
      const spec = ALARM_SPECS[metric];
      return new cloudwatch.MetricAlarm(`${name}-${spec.nameComponent}`, {
        name: names.alarm(spec.nameComponent),
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: dimensions[spec.namespace],
        statistic: spec.statistic,
        period: spec.periodSeconds,
        evaluationPeriods: spec.evaluationPeriods,
        threshold: spec.threshold,
        comparisonOperator: spec.comparisonOperator,
        treatMissingData: ALARM_TREAT_MISSING_DATA,
        alarmActions: actions,
        okActions: actions,
      }, { parent: this, dependsOn: [this.topicPolicy] }); // so the first state change can already publish
    };
    const alarms: Record<AlarmMetric, cloudwatch.MetricAlarm> = {
      lambdaErrors: createAlarm("lambdaErrors"),
      lambdaDuration: createAlarm("lambdaDuration"),
      api4xx: createAlarm("api4xx"),
      api5xx: createAlarm("api5xx"),
    };
    this.alarms = alarms;
    this.alarmArns = pulumi.all(ALARM_METRICS.map((metric) => alarms[metric].arn));
    this.rollbackAlarms = rollback
      ? createRollbackAlarms(name, { names, lambdaDimensions: dimensions["AWS/Lambda"], apiDimensions: dimensions["AWS/ApiGateway"], topicArn: this.topic.arn }, { parent: this, dependsOn: [this.topicPolicy] })
      : [];
    this.alarmNames = pulumi.all(ALARM_METRICS.map((metric) => alarms[metric].name));

    if (args.alarmEmail !== undefined) {
      this.emailSubscription = new sns.TopicSubscription(`${name}-email`, {
        topic: this.topic.arn,
        protocol: "email",
        endpoint: args.alarmEmail,
      }, child);
    }

    this.registerOutputs({ topicArn: this.topic.arn, alarmArns: this.alarmArns, alarmNames: this.alarmNames });
  }
}

/** One region's input to the dashboard: the same fields as `DashboardRegion`, as Pulumi inputs. */
export interface GlobalDashboardRegion {
  region: string;
  functionName: pulumi.Input<string>;
  apiName: pulumi.Input<string>;
  stageName: pulumi.Input<string>;
  alarmArns: pulumi.Input<string[]>;
}

export interface GlobalDashboardArgs {
  /** The dashboard's name, `globalNames(context).dashboard`. */
  dashboardName: string;
  /**
   * The regions to show, home region first. The console link opens the
   * dashboard from the first region. At most `maxDashboardRegions()` (99).
   */
  regions: GlobalDashboardRegion[];
}

/**
 * The one dashboard of the stack. CloudWatch dashboards are global to the
 * account, so it is created once, never once per region: pass TapStack's
 * account-wide provider in `opts`, which no change of the region list moves. Its body is computed from the regions' names and alarm
 * ARNs; no resource is created inside `apply`.
 */
export class GlobalDashboard extends pulumi.ComponentResource {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly dashboardName: pulumi.Output<string>;
  /** The CloudWatch console link, opened from the home region. */
  public readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: GlobalDashboardArgs, opts: pulumi.ComponentResourceOptions) {
    // The region list is plain: check it before anything is registered.
    validateDashboardRegionCodes(args.regions.map((r) => r.region));
    super("tap:monitoring:GlobalDashboard", name, {}, opts);
    const homeRegion = args.regions[0].region;
    const regionInputs = args.regions.map((r) =>
      pulumi.all([r.functionName, r.apiName, r.stageName, r.alarmArns]).apply(
        ([functionName, apiName, stageName, alarmArns]): DashboardRegion => ({ region: r.region, functionName, apiName, stageName, alarmArns }),
      ),
    );

    this.dashboard = new cloudwatch.Dashboard(`${name}-dashboard`, {
      dashboardName: args.dashboardName,
      // Names are only known once resolved: buildDashboardBody checks them (an error fails the preview).
      dashboardBody: pulumi.all(regionInputs).apply(buildDashboardBody),
      // dashboardName is required, so Pulumi would replace the dashboard create-first, and PutDashboard creates or
      // overwrites by name: the new one would take the live dashboard's place, and deleting the old resource
      // (DeleteDashboards, by name) would then remove it. Deleting first, then creating, always ends with one.
    }, { parent: this, deleteBeforeReplace: true });

    this.dashboardName = this.dashboard.dashboardName;
    this.dashboardUrl = this.dashboardName.apply((dashboardName) => dashboardConsoleUrl(homeRegion, dashboardName));
    this.registerOutputs({ dashboardName: this.dashboardName, dashboardUrl: this.dashboardUrl });
  }
}
