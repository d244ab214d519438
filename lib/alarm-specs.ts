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
