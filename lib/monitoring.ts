import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { RegionNames } from "./naming";
import { AlarmScope, alarmTopicKeyPolicy, alarmTopicPolicy } from "./alarm-policies";
import { DashboardRegion, buildDashboardBody, dashboardConsoleUrl, validateDashboardRegionCodes } from "./dashboard";

/** The four alarms every region gets. */
export type AlarmMetric = "lambdaErrors" | "lambdaDuration" | "api4xx" | "api5xx";

/** How one alarm watches one metric. */
export interface AlarmSpec {
  /** Passed to `RegionNames.alarm()`; becomes part of the alarm's name. */
  readonly nameComponent: string;
  readonly namespace: "AWS/Lambda" | "AWS/ApiGateway";
  readonly metricName: string;
  readonly statistic: "Sum" | "Average";
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparisonOperator: "GreaterThanThreshold";
  readonly description: string;
}

/**
 * The seed's thresholds, the one source of truth for the alarms.
 * Lambda and API Gateway publish these metrics at one-minute resolution, so
 * 60 s is the shortest standard period.
 */
export const ALARM_SPECS: Readonly<Record<AlarmMetric, AlarmSpec>> = {
  lambdaErrors: {
    nameComponent: "lambda-errors",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    statistic: "Sum",
    periodSeconds: 600,
    evaluationPeriods: 1,
    threshold: 5,
    comparisonOperator: "GreaterThanThreshold",
    description: "More than 5 Lambda invocation errors in 10 minutes. Check the function's log group.",
  },
  lambdaDuration: {
    nameComponent: "lambda-duration",
    namespace: "AWS/Lambda",
    metricName: "Duration",
    statistic: "Average",
    // Two 5-minute periods: a sustained slowdown, not one burst of cold starts.
    periodSeconds: 300,
    evaluationPeriods: 2,
    threshold: 25000,
    comparisonOperator: "GreaterThanThreshold",
    description: "Average Lambda duration above 25 s for 10 minutes: close to the timeout, and API Gateway gives up at 29 s.",
  },
  api4xx: {
    nameComponent: "api-4xx",
    namespace: "AWS/ApiGateway",
    metricName: "4XXError",
    statistic: "Sum",
    periodSeconds: 600,
    evaluationPeriods: 1,
    threshold: 10,
    comparisonOperator: "GreaterThanThreshold",
    description: "More than 10 client errors (4XX) in 10 minutes: bad clients, throttling (429) or a broken route.",
  },
  api5xx: {
    nameComponent: "api-5xx",
    namespace: "AWS/ApiGateway",
    metricName: "5XXError",
    statistic: "Sum",
    periodSeconds: 60,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    description: "Any server error (5XX) in a minute: the integration or API Gateway itself failed.",
  },
};

/** The metrics in a fixed order: alarm names and ARNs are listed in this order. */
export const ALARM_METRICS: readonly AlarmMetric[] = ["lambdaErrors", "lambdaDuration", "api4xx", "api5xx"];

/**
 * Missing data counts as OK for every alarm. These metrics exist only while
 * requests arrive: an idle API publishes nothing. "missing" would leave idle
 * regions in INSUFFICIENT_DATA and "breaching" would page on idleness. The
 * price: a region that receives no traffic at all never alarms here; the
 * Route 53 health checks of the global layer cover that case.
 */
export const ALARM_TREAT_MISSING_DATA = "notBreaching";

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
  /** Set when `alarmEmail` is. */
  public readonly emailSubscription?: sns.TopicSubscription;

  constructor(name: string, args: RegionalAlarmsArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:RegionalAlarms", name, {}, opts);
    const { names } = args;
    const child = { parent: this };
    const alarmNames = ALARM_METRICS.map((metric) => names.alarm(ALARM_SPECS[metric].nameComponent));

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

    this.topicPolicy = new sns.TopicPolicy(`${name}-topic-policy`, {
      arn: this.topic.arn,
      policy: pulumi.all([scope, this.topic.arn]).apply(([s, topicArn]) => JSON.stringify(alarmTopicPolicy(s, topicArn, alarmNames))),
    }, child);

    const dimensions: Record<AlarmSpec["namespace"], pulumi.Input<Record<string, pulumi.Input<string>>>> = {
      "AWS/Lambda": { FunctionName: args.functionName },
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
   * dashboard from the first region, so pass that region's provider in `opts`.
   * At most `maxDashboardRegions()` (99).
   */
  regions: GlobalDashboardRegion[];
}

/**
 * The one dashboard of the stack. CloudWatch dashboards are global to the
 * account, so it is created once, through the home region's provider, never
 * once per region. Its body is computed from the regions' names and alarm
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
    }, { parent: this });

    this.dashboardName = this.dashboard.dashboardName;
    this.dashboardUrl = this.dashboardName.apply((dashboardName) => dashboardConsoleUrl(homeRegion, dashboardName));
    this.registerOutputs({ dashboardName: this.dashboardName, dashboardUrl: this.dashboardUrl });
  }
}
