/**
 * The alarms every region gets, as plain data: no Pulumi import, so the
 * verifier and the tests can read the same source of truth cheaply.
 */

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

/**
 * The rollback alarms of a gradual rollout (`rollout` canary or linear): what
 * the region's CodeDeploy deployment group watches, kept apart from the four
 * paging alarms above, whose thresholds suit a person but not a 5-minute
 * canary (a single 5XX of the old version or of API Gateway itself would stop
 * a good release; a 10-minute window can hardly act inside the canary and
 * stays in ALARM long after a burst).
 *
 * Each one measures an error RATE with CloudWatch metric math: errors divided
 * by requests in the same 60-s period, as a percentage, and only when the
 * period has at least `minimumRequests` requests (below that the period counts
 * as 0 %, so a handful of requests cannot trip it). AWS's recommended API
 * Gateway alarms also watch the rate (the `Average` of 4XXError/5XXError, 0.05
 * = 5 %) over 60-s periods
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html);
 * they ask for 5 breaching periods of 5 (4XXError), which a 5-minute canary
 * cannot wait for, so these ask for 2 of 3 ("M out of N": one noisy minute is
 * tolerated, two bad minutes stop the release about 2-3 minutes after the new
 * version takes traffic, inside the canary's 5 minutes;
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html).
 */
export type RollbackAlarm = "lambdaErrorRate" | "api5xxRate";

export interface RollbackAlarmSpec {
  /** Passed to `RegionNames.alarm()`; becomes part of the alarm's name. */
  readonly nameComponent: string;
  readonly namespace: "AWS/Lambda" | "AWS/ApiGateway";
  /** The failed requests (summed over the period). */
  readonly errorMetric: string;
  /** All requests (summed over the period). */
  readonly requestMetric: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** A period breaches when more than this percentage of its requests failed. */
  readonly thresholdPercent: number;
  /** A period with fewer requests counts as 0 % (not breaching). */
  readonly minimumRequests: number;
  readonly description: string;
}

/**
 * The rollback alarms. A fully broken new version that gets the canary's 10 %
 * of the traffic makes about 10 % of the alias's (or the stage's) requests
 * fail, more than the 5 % threshold; the old version's share dilutes a partly
 * broken one (one that fails under half its requests is not caught at 10 %).
 * Twenty requests a minute is the least traffic that lets a broken 10 % show
 * as two failures a minute; a quieter region is not judged by these alarms.
 */
export const ROLLBACK_ALARM_SPECS: Readonly<Record<RollbackAlarm, RollbackAlarmSpec>> = {
  lambdaErrorRate: {
    nameComponent: "rollback-errors",
    namespace: "AWS/Lambda",
    errorMetric: "Errors",
    requestMetric: "Invocations",
    periodSeconds: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    thresholdPercent: 5,
    minimumRequests: 20,
    description:
      "Rolls back a release: over 5% of the live alias's invocations failed (crash, timeout, init error) in 2 of the last 3 minutes, " +
      "counting only minutes with at least 20 invocations. Watched by the region's CodeDeploy deployment group.",
  },
  api5xxRate: {
    nameComponent: "rollback-5xx",
    namespace: "AWS/ApiGateway",
    errorMetric: "5XXError",
    requestMetric: "Count",
    periodSeconds: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    thresholdPercent: 5,
    minimumRequests: 20,
    description:
      "Rolls back a release: over 5% of the stage's requests answered 5XX (the handler's own 500s included) in 2 of the last 3 minutes, " +
      "counting only minutes with at least 20 requests. Watched by the region's CodeDeploy deployment group.",
  },
};

/** The least traffic a region needs for a rollback alarm to judge a release at all. */
export interface RollbackTrafficFloor {
  /** Requests a minute below which a minute counts as 0 % failed, whatever failed. */
  readonly requestsPerMinute: number;
  /** Minutes that must reach it and breach, out of `ofMinutes`, before the alarm fires. */
  readonly minutes: number;
  readonly ofMinutes: number;
}

/** `spec`'s traffic floor, in requests a minute (docs/rollouts.md, "How much traffic the alarms need"). */
export function rollbackTrafficFloor(spec: RollbackAlarmSpec): RollbackTrafficFloor {
  const minutesPerPeriod = spec.periodSeconds / 60;
  return {
    requestsPerMinute: spec.minimumRequests / minutesPerPeriod,
    minutes: spec.datapointsToAlarm * minutesPerPeriod,
    ofMinutes: spec.evaluationPeriods * minutesPerPeriod,
  };
}

/** The rollback alarms in a fixed order: the deployment group lists them in this order. */
export const ROLLBACK_ALARMS: readonly RollbackAlarm[] = ["lambdaErrorRate", "api5xxRate"];

/** One query of a metric-math alarm, in the provider's shape (`metricQueries` of `aws.cloudwatch.MetricAlarm`). */
export interface RollbackAlarmQuery<D> {
  readonly id: string;
  readonly label: string;
  readonly returnData: boolean;
  readonly expression?: string;
  readonly metric?: { readonly namespace: string; readonly metricName: string; readonly dimensions: D; readonly period: number; readonly stat: "Sum" };
}

/**
 * The metric-math queries of a rollback alarm: the errors and requests of the
 * period (`Sum`), and the returned expression
 * `IF(requests >= MIN, 100 * FILL(errors, 0) / requests, 0)`. FILL makes a
 * period with requests but no error datapoint count as 0 errors; a period
 * without requests returns no value, which the alarm treats as missing data
 * (not breaching).
 */
export function rollbackAlarmQueries<D>(spec: RollbackAlarmSpec, dimensions: D): RollbackAlarmQuery<D>[] {
  const metric = (metricName: string) => ({ namespace: spec.namespace, metricName, dimensions, period: spec.periodSeconds, stat: "Sum" as const });
  return [
    { id: "errors", label: `${spec.errorMetric} (Sum)`, returnData: false, metric: metric(spec.errorMetric) },
    { id: "requests", label: `${spec.requestMetric} (Sum)`, returnData: false, metric: metric(spec.requestMetric) },
    {
      id: "rate",
      label: `${spec.errorMetric} as % of ${spec.requestMetric}`,
      returnData: true,
      expression: `IF(requests >= ${spec.minimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
    },
  ];
}
