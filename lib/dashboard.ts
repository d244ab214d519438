/**
 * The global CloudWatch dashboard's body, built from plain strings so it can
 * be tested without Pulumi. Format: CloudWatch "Dashboard Body Structure and
 * Syntax" (API reference): a `widgets` array of {type, x, y, width, height,
 * properties}; metric arrays are `[Namespace, MetricName, DimName, DimValue,
 * ..., {rendering options}]`; an alarm status widget is `type: "alarm"` with
 * `properties.alarms` = alarm ARNs.
 */

/** CloudWatch's documented dashboard limits. None of them can be raised. */
export const DASHBOARD_LIMITS = {
  /** Widgets per dashboard (Dashboard Body Structure: "between 0 and 500 widget objects"). */
  widgets: 500,
  /** Metrics in one widget (CloudWatch service quotas). */
  metricsPerWidget: 500,
  /** Metrics across all widgets of one dashboard (CloudWatch service quotas). */
  metricsPerDashboard: 2500,
  /** ARNs in one alarm status widget (1 to 100). */
  alarmsPerAlarmWidget: 100,
  /** Columns of the dashboard grid. */
  gridColumns: 24,
} as const;

/** Graph settings shared by every metric widget. */
export const DASHBOARD_GRAPH = {
  /** One minute: the finest resolution Lambda and API Gateway publish, and the 5XX alarm's period. */
  periodSeconds: 60,
  /** Time range the dashboard opens with. */
  start: "-PT3H",
  metricWidgetWidth: 6,
  metricWidgetHeight: 6,
  alarmWidgetHeight: 3,
  headerHeight: 2,
} as const;

/** What the dashboard shows for one region. Every value is the real, deployed name. */
export interface DashboardRegion {
  /** Region code, such as `us-east-1`. */
  readonly region: string;
  /** The Lambda function's name (dimension `FunctionName`). */
  readonly functionName: string;
  /** The REST API's name, not its ID (dimension `ApiName`). */
  readonly apiName: string;
  /** The API stage's name (dimension `Stage`). */
  readonly stageName: string;
  /** ARNs of the region's alarms, shown in its alarm status widget. */
  readonly alarmArns: readonly string[];
}

/** One entry of a metric widget's `metrics` array. */
export type MetricEntry = [namespace: string, metricName: string, ...dimensionsAndOptions: (string | MetricRenderingOptions)[]];

export interface MetricRenderingOptions {
  readonly stat: string;
  readonly label: string;
}

export interface MetricWidget {
  readonly type: "metric";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly view: "timeSeries";
    readonly stacked: false;
    readonly period: number;
    readonly metrics: MetricEntry[];
  };
}

export interface AlarmWidget {
  readonly type: "alarm";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  // No `region`: it is not an alarm widget property; each alarm ARN names its region.
  readonly properties: { readonly title: string; readonly alarms: string[]; readonly sortBy: "stateUpdatedTimestamp" };
}

export interface TextWidget {
  readonly type: "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly markdown: string };
}

export type DashboardWidget = MetricWidget | AlarmWidget | TextWidget;

export interface DashboardBody {
  readonly start: string;
  readonly widgets: DashboardWidget[];
}

/** Widgets and metrics each region adds; the body grows by exactly this much per region. */
export const PER_REGION = { widgets: 5, metrics: 9 } as const;
/** Widgets present whatever the number of regions (the header). */
export const FIXED_WIDGETS = 1;

/**
 * The most regions one dashboard can hold: the tighter of the widget and
 * metric limits. 99 with 5 widgets and 9 metrics per region.
 */
export function maxDashboardRegions(): number {
  return Math.min(
    Math.floor((DASHBOARD_LIMITS.widgets - FIXED_WIDGETS) / PER_REGION.widgets),
    Math.floor(DASHBOARD_LIMITS.metricsPerDashboard / PER_REGION.metrics),
  );
}

/** Thrown for invalid dashboard input; names the argument, the value and the rule. */
export class DashboardInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DashboardInputError";
  }
}

function lambdaMetric(metricName: string, functionName: string, stat: string, label: string): MetricEntry {
  return ["AWS/Lambda", metricName, "FunctionName", functionName, { stat, label }];
}

function apiMetric(metricName: string, input: DashboardRegion, stat: string, label: string): MetricEntry {
  return ["AWS/ApiGateway", metricName, "ApiName", input.apiName, "Stage", input.stageName, { stat, label }];
}

function metricWidget(input: DashboardRegion, column: number, y: number, title: string, metrics: MetricEntry[]): MetricWidget {
  return {
    type: "metric",
    x: column * DASHBOARD_GRAPH.metricWidgetWidth,
    y,
    width: DASHBOARD_GRAPH.metricWidgetWidth,
    height: DASHBOARD_GRAPH.metricWidgetHeight,
    properties: {
      title: `${input.region} · ${title}`,
      region: input.region,
      view: "timeSeries",
      stacked: false,
      period: DASHBOARD_GRAPH.periodSeconds,
      metrics,
    },
  };
}

/** One region's block: four graphs in a row, then its alarm status strip. */
function regionWidgets(input: DashboardRegion, y: number): DashboardWidget[] {
  const fn = input.functionName;
  return [
    metricWidget(input, 0, y, "Lambda invocations and errors", [
      lambdaMetric("Invocations", fn, "Sum", "Invocations"),
      lambdaMetric("Errors", fn, "Sum", "Errors"),
    ]),
    metricWidget(input, 1, y, "Lambda duration (ms)", [
      lambdaMetric("Duration", fn, "p50", "p50"),
      lambdaMetric("Duration", fn, "p99", "p99"),
    ]),
    metricWidget(input, 2, y, "API requests, 4XX and 5XX", [
      apiMetric("Count", input, "Sum", "Requests"),
      apiMetric("4XXError", input, "Sum", "4XX"),
      apiMetric("5XXError", input, "Sum", "5XX"),
    ]),
    metricWidget(input, 3, y, "API latency (ms)", [
      apiMetric("Latency", input, "p50", "p50"),
      apiMetric("Latency", input, "p99", "p99"),
    ]),
    {
      type: "alarm",
      x: 0,
      y: y + DASHBOARD_GRAPH.metricWidgetHeight,
      width: DASHBOARD_LIMITS.gridColumns,
      height: DASHBOARD_GRAPH.alarmWidgetHeight,
      properties: { title: `${input.region} · alarms`, alarms: [...input.alarmArns], sortBy: "stateUpdatedTimestamp" },
    },
  ];
}

const REGION_BLOCK_HEIGHT = DASHBOARD_GRAPH.metricWidgetHeight + DASHBOARD_GRAPH.alarmWidgetHeight;

/**
 * Checks the list of region codes alone: not empty, within the dashboard's
 * limits, no duplicates. Known before deployment, so callers run it before
 * registering anything.
 */
export function validateDashboardRegionCodes(regionCodes: readonly string[]): void {
  if (regionCodes.length === 0) throw new DashboardInputError("Invalid dashboard regions: the list is empty. Give at least one region, the home region first.");
  const max = maxDashboardRegions();
  if (regionCodes.length > max) {
    throw new DashboardInputError(
      `Invalid dashboard regions: ${regionCodes.length} regions need ${FIXED_WIDGETS + regionCodes.length * PER_REGION.widgets} widgets and ${regionCodes.length * PER_REGION.metrics} metrics; ` +
        `one dashboard holds at most ${DASHBOARD_LIMITS.widgets} widgets and ${DASHBOARD_LIMITS.metricsPerDashboard} metrics, i.e. ${max} regions.`,
    );
  }
  const seen = new Set<string>();
  regionCodes.forEach((region, index) => {
    if (region.length === 0) throw new DashboardInputError(`Invalid dashboard regions[${index}].region: "". Expected a region code such as "us-east-1".`);
    if (seen.has(region)) throw new DashboardInputError(`Invalid dashboard regions[${index}].region: "${region}" appears twice. Each region may appear once.`);
    seen.add(region);
  });
}

function validateRegions(regions: readonly DashboardRegion[]): void {
  validateDashboardRegionCodes(regions.map((entry) => entry.region));
  regions.forEach((entry, index) => {
    for (const key of ["functionName", "apiName", "stageName"] as const) {
      if (entry[key].length === 0) throw new DashboardInputError(`Invalid dashboard regions[${index}].${key}: "". Expected the deployed resource's name.`);
    }
    const alarms = entry.alarmArns.length;
    if (alarms < 1 || alarms > DASHBOARD_LIMITS.alarmsPerAlarmWidget) {
      throw new DashboardInputError(
        `Invalid dashboard regions[${index}].alarmArns: ${alarms} ARNs. An alarm status widget takes 1 to ${DASHBOARD_LIMITS.alarmsPerAlarmWidget}.`,
      );
    }
  });
}

/** The dashboard as an object (see `buildDashboardBody` for the JSON string). */
export function buildDashboard(regions: readonly DashboardRegion[]): DashboardBody {
  validateRegions(regions);
  const header: TextWidget = {
    type: "text",
    x: 0,
    y: 0,
    width: DASHBOARD_LIMITS.gridColumns,
    height: DASHBOARD_GRAPH.headerHeight,
    properties: {
      // AWS's PutDashboard guide recommends saying the dashboard is generated, so console edits are not lost silently.
      markdown: `# tap: ${regions.map((r) => r.region).join(", ")}\nManaged by Pulumi: edits made in the console are overwritten on the next deployment.`,
    },
  };
  const widgets: DashboardWidget[] = [header];
  regions.forEach((region, index) => {
    widgets.push(...regionWidgets(region, DASHBOARD_GRAPH.headerHeight + index * REGION_BLOCK_HEIGHT));
  });
  return { start: DASHBOARD_GRAPH.start, widgets };
}

/**
 * The dashboard body JSON for `aws.cloudwatch.Dashboard.dashboardBody`: a
 * header, then per region four graphs (Lambda invocations and errors, Lambda
 * duration p50/p99, API requests/4XX/5XX, API latency p50/p99) and an alarm
 * status widget. Grows by 5 widgets and 9 metrics per region.
 */
export function buildDashboardBody(regions: readonly DashboardRegion[]): string {
  return JSON.stringify(buildDashboard(regions));
}

/** The CloudWatch console link of a dashboard. Dashboards are global; the link opens it from `homeRegion`. */
export function dashboardConsoleUrl(homeRegion: string, dashboardName: string): string {
  return `https://${homeRegion}.console.aws.amazon.com/cloudwatch/home?region=${homeRegion}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}
