import fc from "fast-check";
import {
  AlarmWidget,
  DASHBOARD_LIMITS,
  DashboardBody,
  DashboardInputError,
  DashboardRegion,
  DashboardWidget,
  MetricWidget,
  buildDashboard,
  buildDashboardBody,
  dashboardConsoleUrl,
  maxDashboardRegions,
  validateDashboardRegionCodes,
} from "../../lib/dashboard";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";
import { RegionNames } from "../../lib/naming";
import { errorOf } from "../support/config-errors";

/** Realistic inputs: default project names and alarm ARNs shaped like AWS's. */
function regionInput(region: string): DashboardRegion {
  const names = new RegionNames({ project: "iac-aws-nova", environment: "dev", stack: "dev" }, region);
  return {
    region,
    functionName: names.lambdaFunction,
    apiName: `${names.restApi}-rest`,
    stageName: "dev",
    alarmArns: ["lambda-errors", "lambda-duration", "api-4xx", "api-5xx"].map(
      (metric) => `arn:aws:cloudwatch:${region}:123456789012:alarm:${names.alarm(metric)}`,
    ),
  };
}

/** Inputs whose strings all have the same length, so only the region count changes the size. */
function uniformInput(index: number): DashboardRegion {
  const id = String(index).padStart(3, "0");
  return {
    region: `xx-test-${id}`,
    functionName: `fn-${id}`,
    apiName: `api-${id}`,
    stageName: "dev",
    alarmArns: [1, 2, 3, 4].map((n) => `arn:aws:cloudwatch:xx-test-${id}:123456789012:alarm:a${n}-${id}`),
  };
}

/** The body as CloudWatch will read it: parsed back from the JSON string. */
function parse(regions: readonly DashboardRegion[]): DashboardBody {
  return JSON.parse(buildDashboardBody(regions)) as DashboardBody;
}

const isMetric = (w: DashboardWidget): w is MetricWidget => w.type === "metric";
const isAlarm = (w: DashboardWidget): w is AlarmWidget => w.type === "alarm";

function metricWidgetsOf(widgets: DashboardWidget[], region: string): MetricWidget[] {
  return widgets.filter(isMetric).filter((w) => w.properties.region === region);
}

function countMetrics(widgets: DashboardWidget[]): number {
  return widgets.filter(isMetric).reduce((sum, w) => sum + w.properties.metrics.length, 0);
}

describe("buildDashboardBody", () => {
  const east = regionInput("us-east-1");
  const west = regionInput("us-west-2");

  it("is JSON in CloudWatch's body format: every widget has type, x, y, width, height and properties inside the 24-column grid", () => {
    const body = parse([east, west]);
    expect(body.start).toBe("-PT3H");
    expect(body.widgets).toHaveLength(11);
    for (const widget of body.widgets) {
      expect(Object.keys(widget).sort()).toEqual(["height", "properties", "type", "width", "x", "y"]);
      expect(["metric", "alarm", "text"]).toContain(widget.type);
      expect(Number.isInteger(widget.x) && widget.x >= 0).toBe(true);
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      expect(widget.height).toBeGreaterThan(0);
    }
  });

  it("places no two widgets on the same grid cell", () => {
    const cells = new Set<string>();
    const overlaps: string[] = [];
    let covered = 0;
    for (const w of parse(COMMERCIAL_REGION_NAMES.map(regionInput)).widgets) {
      covered += w.width * w.height;
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          const cell = `${x},${y}`;
          if (cells.has(cell)) overlaps.push(cell);
          cells.add(cell);
        }
      }
    }
    expect(overlaps).toEqual([]);
    // Header 24x2, then per region 4 graphs of 6x6 and a 24x3 alarm strip.
    expect(covered).toBe(24 * 2 + 34 * (4 * 36 + 24 * 3));
  });

  it.each([["us-east-1"], ["us-west-2"]])("shows %s's Lambda and API metrics with that region's real names, dimensions and statistics", (region) => {
    const input = region === "us-east-1" ? east : west;
    const widgets = metricWidgetsOf(parse([east, west]).widgets, region);
    expect(widgets).toHaveLength(4);
    const fn = ["FunctionName", input.functionName];
    const api = ["ApiName", input.apiName, "Stage", input.stageName];
    expect(widgets.map((w) => w.properties.metrics)).toEqual([
      [
        ["AWS/Lambda", "Invocations", ...fn, { stat: "Sum", label: "Invocations" }],
        ["AWS/Lambda", "Errors", ...fn, { stat: "Sum", label: "Errors" }],
      ],
      [
        ["AWS/Lambda", "Duration", ...fn, { stat: "p50", label: "p50" }],
        ["AWS/Lambda", "Duration", ...fn, { stat: "p99", label: "p99" }],
      ],
      [
        ["AWS/ApiGateway", "Count", ...api, { stat: "Sum", label: "Requests" }],
        ["AWS/ApiGateway", "4XXError", ...api, { stat: "Sum", label: "4XX" }],
        ["AWS/ApiGateway", "5XXError", ...api, { stat: "Sum", label: "5XX" }],
      ],
      [
        ["AWS/ApiGateway", "Latency", ...api, { stat: "p50", label: "p50" }],
        ["AWS/ApiGateway", "Latency", ...api, { stat: "p99", label: "p99" }],
      ],
    ]);
    for (const w of widgets) {
      expect(w.properties.period).toBe(60);
      expect(w.properties.view).toBe("timeSeries");
      expect(w.properties.title.startsWith(`${region} · `)).toBe(true);
    }
  });

  it("never mixes regions: a metric widget of one region names no other region's function or API", () => {
    const widgets = parse([east, west]).widgets;
    const eastText = JSON.stringify(metricWidgetsOf(widgets, "us-east-1"));
    const westText = JSON.stringify(metricWidgetsOf(widgets, "us-west-2"));
    expect(eastText).not.toContain(west.functionName);
    expect(westText).not.toContain(east.functionName);
    expect(eastText).toContain(east.functionName);
  });

  it("gives each region one alarm status widget listing exactly its alarm ARNs", () => {
    const alarmWidgets = parse([east, west]).widgets.filter(isAlarm);
    expect(alarmWidgets.map((w) => w.properties.alarms)).toEqual([east.alarmArns, west.alarmArns]);
    expect(alarmWidgets.map((w) => w.properties.title)).toEqual(["us-east-1 · alarms", "us-west-2 · alarms"]);
    for (const w of alarmWidgets) expect(w.properties.sortBy).toBe("stateUpdatedTimestamp");
  });

  it("starts with a header naming every region and saying the dashboard is generated", () => {
    const [header] = parse([east, west]).widgets;
    expect(header.type).toBe("text");
    expect(header.type === "text" && header.properties.markdown).toBe(
      "# tap: us-east-1, us-west-2\nManaged by Pulumi: edits made in the console are overwritten on the next deployment.",
    );
  });

  it("grows linearly: exactly 5 widgets and 9 metrics per region, and the same number of bytes per region up to digit growth of y", () => {
    const sizes: number[] = [];
    for (let n = 1; n <= 34; n++) {
      const regions = Array.from({ length: n }, (_, i) => uniformInput(i));
      const body = parse(regions);
      expect(body.widgets).toHaveLength(1 + 5 * n);
      expect(countMetrics(body.widgets)).toBe(9 * n);
      sizes.push(buildDashboardBody(regions).length);
    }
    const increments = sizes.slice(1).map((size, i) => size - sizes[i]);
    const first = increments[0];
    // y grows from one to three digits over 34 regions: 5 widgets x at most 2 extra characters each.
    for (const increment of increments) expect(Math.abs(increment - first)).toBeLessThanOrEqual(10);
    expect(sizes[33]).toBeLessThan(sizes[0] * 34);
  });

  it("holds all 34 commercial regions within CloudWatch's widget, metric and alarm-widget limits", () => {
    const body = parse(COMMERCIAL_REGION_NAMES.map(regionInput));
    expect(COMMERCIAL_REGION_NAMES).toHaveLength(34);
    expect(body.widgets).toHaveLength(171);
    expect(body.widgets.length).toBeLessThanOrEqual(DASHBOARD_LIMITS.widgets);
    expect(countMetrics(body.widgets)).toBe(306);
    for (const w of body.widgets.filter(isMetric)) expect(w.properties.metrics.length).toBeLessThanOrEqual(DASHBOARD_LIMITS.metricsPerWidget);
    for (const w of body.widgets.filter(isAlarm)) expect(w.properties.alarms.length).toBeLessThanOrEqual(DASHBOARD_LIMITS.alarmsPerAlarmWidget);
    for (const region of COMMERCIAL_REGION_NAMES) expect(metricWidgetsOf(body.widgets, region)).toHaveLength(4);
  });

  it("fits at most 99 regions: 496 widgets pass, 100 regions (501 widgets) are refused with the numbers", () => {
    expect(maxDashboardRegions()).toBe(99);
    expect(buildDashboard(Array.from({ length: 99 }, (_, i) => uniformInput(i))).widgets).toHaveLength(496);
    expect(() => buildDashboardBody(Array.from({ length: 100 }, (_, i) => uniformInput(i)))).toThrow(
      "Invalid dashboard regions: 100 regions need 501 widgets and 900 metrics; one dashboard holds at most 500 widgets and 2500 metrics, i.e. 99 regions.",
    );
  });

  it("shows any subset of the commercial regions, each exactly once, in the order given", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...COMMERCIAL_REGION_NAMES], { minLength: 1 }), (regions) => {
        const body = parse(regions.map(regionInput));
        const alarmTitles = body.widgets.filter(isAlarm).map((w) => w.properties.title);
        expect(alarmTitles).toEqual(regions.map((r) => `${r} · alarms`));
        expect(body.widgets).toHaveLength(1 + 5 * regions.length);
      }),
      { numRuns: 50 },
    );
  });

  describe("rejects bad input by name", () => {
    it.each<[string, () => unknown, string]>([
      ["no regions", () => buildDashboardBody([]), "Invalid dashboard regions: the list is empty. Give at least one region, the home region first."],
      [
        "a duplicate region",
        () => buildDashboardBody([east, west, east]),
        'Invalid dashboard regions[2].region: "us-east-1" appears twice. Each region may appear once.',
      ],
      ["an empty region code", () => validateDashboardRegionCodes(["us-east-1", ""]), 'Invalid dashboard regions[1].region: "". Expected a region code such as "us-east-1".'],
      [
        "an empty function name",
        () => buildDashboardBody([east, { ...west, functionName: "" }]),
        'Invalid dashboard regions[1].functionName: "". Expected the deployed resource\'s name.',
      ],
      ["an empty API name", () => buildDashboardBody([{ ...east, apiName: "" }]), 'Invalid dashboard regions[0].apiName: "". Expected the deployed resource\'s name.'],
      ["no alarms", () => buildDashboardBody([{ ...east, alarmArns: [] }]), "Invalid dashboard regions[0].alarmArns: 0 ARNs. An alarm status widget takes 1 to 100."],
      [
        "more than 100 alarms",
        () => buildDashboardBody([{ ...east, alarmArns: Array.from({ length: 101 }, (_, i) => `arn:aws:cloudwatch:us-east-1:1:alarm:a${i}`) }]),
        "Invalid dashboard regions[0].alarmArns: 101 ARNs. An alarm status widget takes 1 to 100.",
      ],
    ])("%s", (_label, run, message) => {
      expect(run).toThrow(message);
    });
  });
});

describe("dashboard alarm widget: 1 to 100 alarms per region", () => {
  const region = (alarmCount: number): DashboardRegion => ({
    region: "us-east-1",
    functionName: "fn",
    apiName: "api",
    stageName: "dev",
    alarmArns: Array.from({ length: alarmCount }, (_, i) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:a${i}`),
  });
  const alarmsShown = (alarmCount: number) => {
    const widget = buildDashboard([region(alarmCount)]).widgets.find((w) => w.type === "alarm");
    return widget?.type === "alarm" ? widget.properties.alarms.length : undefined;
  };

  it("the limit is CloudWatch's 100", () => {
    expect(DASHBOARD_LIMITS.alarmsPerAlarmWidget).toBe(100);
  });

  it.each([1, 100])("accepts %i alarms and shows them all", (alarmCount) => {
    expect(alarmsShown(alarmCount)).toBe(alarmCount);
  });

  it.each([0, 101])("rejects %i alarms", (alarmCount) => {
    const error = errorOf(() => buildDashboard([region(alarmCount)]));
    expect(error).toBeInstanceOf(DashboardInputError);
    expect((error as Error).message).toBe(`Invalid dashboard regions[0].alarmArns: ${alarmCount} ARNs. An alarm status widget takes 1 to 100.`);
  });
});

describe("buildDashboard: graph titles and its error's name", () => {
  const input: DashboardRegion = { region: "us-east-1", functionName: "fn", apiName: "api", stageName: "dev", alarmArns: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"] };

  it("each region's four graphs have their exact titles and are not stacked", () => {
    const graphs = buildDashboard([input]).widgets.flatMap((w) => (w.type === "metric" ? [{ title: w.properties.title, stacked: w.properties.stacked }] : []));
    expect(graphs).toEqual([
      { title: "us-east-1 · Lambda invocations and errors", stacked: false },
      { title: "us-east-1 · Lambda duration (ms)", stacked: false },
      { title: "us-east-1 · API requests, 4XX and 5XX", stacked: false },
      { title: "us-east-1 · API latency (ms)", stacked: false },
    ]);
  });

  it("the error is named DashboardInputError", () => {
    expect((errorOf(() => buildDashboard([])) as Error).name).toBe("DashboardInputError");
  });
});

describe("dashboardConsoleUrl", () => {
  it("opens the dashboard in the home region's console", () => {
    expect(dashboardConsoleUrl("eu-west-1", "iac-aws-nova-dashboard-dev")).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/iac-aws-nova-dashboard-dev",
    );
  });
});
