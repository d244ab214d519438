import { MockCloud, PLACEHOLDER_ACCOUNT_ID, RecordedResource, exactlyOne, installMockCloud, valueOf, waitForRegistrations } from "../../offline/mock-cloud";
import { resolveTapStackArgs } from "../../lib/config";
import type { DashboardBody, MetricWidget, AlarmWidget } from "../../lib/dashboard";
import type { GlobalDashboard, RegionalAlarms } from "../../lib/monitoring";
import type { PolicyDocument } from "../../lib/alarm-policies";
import { sharedSetup } from "../support/shared-setup";
import { LOOKUPS, TYPES } from "../../offline/resource-types";

/**
 * RegionalAlarms and GlobalDashboard under the mock cloud, built directly
 * (not through TapStack) with one real aws Provider per region and fake
 * function / API names that differ per region, so any cross-region mix-up shows.
 */

const EAST = "us-east-1";
const WEST = "us-west-2";
const EMAIL = "ops@example.com";
const FAKE: Record<string, { functionName: string; apiName: string; stageName: string }> = {
  [EAST]: { functionName: "fake-fn-east", apiName: "fake-api-east", stageName: "dev" },
  [WEST]: { functionName: "fake-fn-west", apiName: "fake-api-west", stageName: "blue" },
};

let cloud: MockCloud;
let monitoring: typeof import("../../lib/monitoring");
const alarmsByRegion: Record<string, RegionalAlarms> = {};
let dashboard: GlobalDashboard;

beforeAll(async () => {
  cloud = await installMockCloud("tap", "dev");
  monitoring = await import("../../lib/monitoring");
});

// Built before the first test (before every test in Stryker's coverage run: see test/support/shared-setup.ts).
sharedSetup(async () => {
  cloud.reset();
  const { Provider } = await import("@pulumi/aws/provider");
  const { RegionNames, globalNames } = await import("../../lib/naming");
  const context = { project: "iac-aws-nova", environment: "dev", stack: "dev" };
  const providers: Record<string, InstanceType<typeof Provider>> = {};
  for (const region of [EAST, WEST]) {
    providers[region] = new Provider(`provider-${region}`, { region });
    alarmsByRegion[region] = new monitoring.RegionalAlarms(`mon-${region}`, {
      names: new RegionNames(context, region),
      ...FAKE[region],
      alarmEmail: region === EAST ? EMAIL : undefined,
    }, { provider: providers[region] });
  }
  dashboard = new monitoring.GlobalDashboard("dash", {
    dashboardName: globalNames(context).dashboard,
    regions: [EAST, WEST].map((region) => ({ region, ...FAKE[region], alarmArns: alarmsByRegion[region].alarmArns })),
  }, { provider: providers[EAST] });
  await waitForRegistrations();
});

const alarmsIn = (region: string): RecordedResource[] => cloud.inRegion(region, TYPES.alarm);
const topicArnIn = (region: string): string => cloud.single(region, TYPES.topic).state.arn;
const alarmByName = (name: string): RecordedResource => exactlyOne(cloud.customResources(TYPES.alarm).filter((r) => r.inputs.name === name), `alarm named ${name}`);

describe("RegionalAlarms", () => {
  it.each([EAST, WEST])("creates in %s exactly one key, topic, topic policy and four alarms, all bound to that region's provider", (region) => {
    expect(cloud.inRegion(region, TYPES.kmsKey)).toHaveLength(1);
    expect(cloud.inRegion(region, TYPES.topic)).toHaveLength(1);
    expect(cloud.inRegion(region, TYPES.topicPolicy)).toHaveLength(1);
    expect(alarmsIn(region)).toHaveLength(4);
    // Every child of this region's component is bound to this region's provider.
    const children = cloud.customResources().filter((r) => r.name.startsWith(`mon-${region}-`));
    expect(children.length).toBe(region === EAST ? 8 : 7);
    for (const child of children) expect(child.region).toBe(region);
  });

  it("looks the account and partition up through each region's own provider", () => {
    const lookups = cloud.calls.filter((c) => c.token === LOOKUPS.callerIdentity || c.token === LOOKUPS.partition);
    expect(lookups.map((c) => c.region).sort()).toEqual([EAST, EAST, WEST, WEST]);
  });

  describe.each([EAST, WEST])("alarms of %s", (region) => {
    const expected = [
      {
        metric: "lambda-errors", namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", period: 600, evaluationPeriods: 1, threshold: 5,
        description: "More than 5 Lambda invocation errors in 10 minutes. Check the function's log group.",
      },
      {
        metric: "lambda-duration", namespace: "AWS/Lambda", metricName: "Duration", statistic: "Average", period: 300, evaluationPeriods: 2, threshold: 25000,
        description: "Average Lambda duration above 25 s for 10 minutes: close to the timeout, and API Gateway gives up at 29 s.",
      },
      {
        metric: "api-4xx", namespace: "AWS/ApiGateway", metricName: "4XXError", statistic: "Sum", period: 600, evaluationPeriods: 1, threshold: 10,
        description: "More than 10 client errors (4XX) in 10 minutes: bad clients, throttling (429) or a broken route.",
      },
      {
        metric: "api-5xx", namespace: "AWS/ApiGateway", metricName: "5XXError", statistic: "Sum", period: 60, evaluationPeriods: 1, threshold: 0,
        description: "Any server error (5XX) in a minute: the integration or API Gateway itself failed.",
      },
    ];

    it.each(expected)("$metric: $namespace $metricName, $statistic over $period s x $evaluationPeriods, > $threshold, missing data not breaching", (row) => {
      const alarm = alarmByName(`iac-aws-nova-${row.metric}-alarm-${region}-dev-2f69835b`);
      expect(alarm.region).toBe(region);
      expect(alarm.inputs).toMatchObject({
        namespace: row.namespace,
        metricName: row.metricName,
        statistic: row.statistic,
        period: row.period,
        evaluationPeriods: row.evaluationPeriods,
        threshold: row.threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        // What the person paged reads first: says what fired and where to look.
        alarmDescription: row.description,
      });
      expect(alarm.inputs.extendedStatistic).toBeUndefined();
    });

    it("watches this region's own function, and this region's own API and stage", () => {
      const fake = FAKE[region];
      for (const metric of ["lambda-errors", "lambda-duration"]) {
        expect(alarmByName(`iac-aws-nova-${metric}-alarm-${region}-dev-2f69835b`).inputs.dimensions).toEqual({ FunctionName: fake.functionName });
      }
      for (const metric of ["api-4xx", "api-5xx"]) {
        expect(alarmByName(`iac-aws-nova-${metric}-alarm-${region}-dev-2f69835b`).inputs.dimensions).toEqual({ ApiName: fake.apiName, Stage: fake.stageName });
      }
    });

    it("sends both ALARM and OK to this region's topic, and is created after the topic policy", () => {
      const topicArn = topicArnIn(region);
      expect(topicArn).toBe(`arn:aws:sns:${region}:${PLACEHOLDER_ACCOUNT_ID}:iac-aws-nova-alarms-${region}-dev-2f69835b`);
      const policyUrn = cloud.single(region, TYPES.topicPolicy).urn;
      for (const alarm of alarmsIn(region)) {
        expect(alarm.inputs.alarmActions).toEqual([topicArn]);
        expect(alarm.inputs.okActions).toEqual([topicArn]);
        expect(alarm.dependencies).toContain(policyUrn);
      }
    });

    it("exposes the alarms' names and ARNs in a fixed order, as the alarms report them", async () => {
      const names = ["lambda-errors", "lambda-duration", "api-4xx", "api-5xx"].map((m) => `iac-aws-nova-${m}-alarm-${region}-dev-2f69835b`);
      expect(await valueOf(alarmsByRegion[region].alarmNames)).toEqual(names);
      expect(await valueOf(alarmsByRegion[region].alarmArns)).toEqual(names.map((n) => alarmByName(n).state.arn));
      expect(await valueOf(alarmsByRegion[region].topic.arn)).toBe(topicArnIn(region));
    });
  });

  describe.each([EAST, WEST])("encryption and policies of %s", (region) => {
    const regionAlarmArns = () => alarmsIn(region).map((a) => a.state.arn).sort();
    const sourceConditions = () => ({
      StringEquals: { "aws:SourceAccount": PLACEHOLDER_ACCOUNT_ID },
      ArnLike: { "aws:SourceArn": regionAlarmArns() },
    });
    const sorted = (policy: PolicyDocument) => ({
      ...policy,
      Statement: policy.Statement.map((s) => (s.Condition ? { ...s, Condition: { ...s.Condition, ArnLike: { "aws:SourceArn": [...(s.Condition.ArnLike["aws:SourceArn"] as string[])].sort() } } } : s)),
    });

    it("encrypts the topic with this region's customer-managed key, rotated yearly, 7-day deletion window", () => {
      const key = cloud.single(region, TYPES.kmsKey);
      expect(cloud.single(region, TYPES.topic).inputs.kmsMasterKeyId).toBe(key.state.arn);
      expect(key.inputs.enableKeyRotation).toBe(true);
      expect(key.inputs.deletionWindowInDays).toBe(7);
      expect(key.inputs.description).toBe(`Encrypts the alarm notifications of topic ${cloud.single(region, TYPES.topic).inputs.name}`);
      expect(key.inputs.description).toBe(`Encrypts the alarm notifications of topic iac-aws-nova-alarms-${region}-dev-2f69835b`);
    });

    it("key policy: account root administers; CloudWatch may Decrypt/GenerateDataKey* only for this region's four alarms", () => {
      const policy = sorted(JSON.parse(cloud.single(region, TYPES.kmsKey).inputs.policy) as PolicyDocument);
      expect(policy).toEqual({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AllowAccountAdministration", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PLACEHOLDER_ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" },
          {
            Sid: "AllowCloudWatchAlarmsToUseKey",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: sourceConditions(),
          },
        ],
      });
      expect(regionAlarmArns()).toHaveLength(4);
      for (const arn of regionAlarmArns()) expect(arn.startsWith(`arn:aws:cloudwatch:${region}:`)).toBe(true);
    });

    it("topic policy: CloudWatch may publish to this topic only, only for this region's four alarms", () => {
      const topicPolicy = cloud.single(region, TYPES.topicPolicy);
      expect(topicPolicy.inputs.arn).toBe(topicArnIn(region));
      expect(sorted(JSON.parse(topicPolicy.inputs.policy) as PolicyDocument)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowCloudWatchAlarmsToPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArnIn(region),
            Condition: sourceConditions(),
          },
        ],
      });
    });
  });

  it("subscribes alarmEmail to the topic of the region that was given one, and nowhere else", () => {
    const subscription = cloud.single(EAST, TYPES.topicSubscription);
    expect(subscription.inputs).toMatchObject({ topic: topicArnIn(EAST), protocol: "email", endpoint: EMAIL });
    expect(cloud.inRegion(WEST, TYPES.topicSubscription)).toHaveLength(0);
    expect(alarmsByRegion[EAST].emailSubscription).toBeDefined();
    expect(alarmsByRegion[WEST].emailSubscription).toBeUndefined();
  });
});

describe("GlobalDashboard", () => {
  it("is created once, through the provider it is given (TapStack gives its account-wide one), with the naming module's name", () => {
    const dashboards = cloud.customResources(TYPES.dashboard);
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].region).toBe(EAST);
    expect(dashboards[0].inputs.dashboardName).toBe("iac-aws-nova-dashboard-dev-2f69835b");
  });

  it("links to the dashboard in the home region's console", async () => {
    expect(await valueOf(dashboard.dashboardUrl)).toBe(
      "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/iac-aws-nova-dashboard-dev-2f69835b",
    );
  });

  it("shows every region's real function, API, stage and alarm ARNs, each in a widget of that region", () => {
    const body = JSON.parse(cloud.customResources(TYPES.dashboard)[0].inputs.dashboardBody) as DashboardBody;
    for (const region of [EAST, WEST]) {
      const { functionName, apiName, stageName } = FAKE[region];
      const graphs = body.widgets.filter((w): w is MetricWidget => w.type === "metric" && w.properties.region === region);
      expect(graphs).toHaveLength(4);
      const metrics = graphs.flatMap((w) => w.properties.metrics);
      expect(metrics.filter((m) => m[0] === "AWS/Lambda").every((m) => m[2] === "FunctionName" && m[3] === functionName)).toBe(true);
      expect(metrics.filter((m) => m[0] === "AWS/ApiGateway").every((m) => m[2] === "ApiName" && m[3] === apiName && m[4] === "Stage" && m[5] === stageName)).toBe(true);
      expect(metrics.map((m) => m[1]).sort()).toEqual(["4XXError", "5XXError", "Count", "Duration", "Duration", "Errors", "Invocations", "Latency", "Latency"]);
      const alarmWidget = body.widgets.find((w): w is AlarmWidget => w.type === "alarm" && w.properties.title === `${region} · alarms`);
      expect(alarmWidget?.properties.alarms.slice().sort()).toEqual(alarmsIn(region).map((a) => a.state.arn).sort());
    }
  });

  it("refuses a duplicate region before registering anything", () => {
    const before = cloud.resources.length;
    expect(() => new monitoring.GlobalDashboard("dash-dup", {
      dashboardName: "x",
      regions: [EAST, EAST].map((region) => ({ region, ...FAKE[EAST], alarmArns: ["arn:aws:cloudwatch:us-east-1:1:alarm:a"] })),
    }, {})).toThrow('Invalid dashboard regions[1].region: "us-east-1" appears twice. Each region may appear once.');
    expect(() => new monitoring.GlobalDashboard("dash-empty", { dashboardName: "x", regions: [] }, {})).toThrow(
      "Invalid dashboard regions: the list is empty. Give at least one region, the home region first.",
    );
    expect(cloud.resources.length).toBe(before);
  });
});

describe("alarmEmail config validation", () => {
  const rule = 'Expected one email address such as "ops@example.com", or leave it unset.';
  it.each(["not-an-email", "a@b", "two@x.com,three@y.com", "", "a b@c.com"])("rejects %j by name, value and rule", (bad) => {
    expect(() => resolveTapStackArgs({ alarmEmail: bad }, "dev")).toThrow(`Invalid config "alarmEmail": ${JSON.stringify(bad)}. ${rule}`);
  });

  it("accepts one address and keeps it unchanged; unset means no subscription", () => {
    expect(resolveTapStackArgs({ alarmEmail: "first.last+ops@sub.example.co" }, "dev").alarmEmail).toBe("first.last+ops@sub.example.co");
    expect(resolveTapStackArgs({}, "dev").alarmEmail).toBeUndefined();
  });
});
