import { RecordedResource } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";
import { checkAwsConstraints } from "../../offline/aws-constraints/check";
import { RegionNames, stackHash } from "../../lib/naming";
import type { PolicyDocument } from "../../lib/iam-policies";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * With `rollout` canary, each region's CodeDeploy deployment group watches
 * two rollback alarms of its own, not the paging alarms: the live alias's
 * Lambda error rate and the stage's 5XX rate, each as CloudWatch metric math
 * (errors / requests x 100 over 60 s, only from 20 requests a minute), in
 * ALARM after 2 breaching minutes of 3, missing data not breaching. Expected
 * values are written from AWS's documentation: Lambda publishes an alias's
 * metrics with `FunctionName` and `Resource` = `{function}:{alias}`; API
 * Gateway a stage's with `ApiName` and `Stage`; `Errors`/`Invocations` and
 * `5XXError`/`Count` are counts whose `Sum` is the number in the period; a
 * deployment group takes up to 10 alarms; Security Hub CloudWatch.15 wants an
 * ALARM action.
 */

const REGIONS = ["us-east-1", "eu-west-1"];
const CONTEXT = { project: "iac-aws-nova", environment: "dev", stack: "dev" };
const ACCOUNT = "123456789012";

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness();
});

function alarmNamed(region: string, alarmName: string): RecordedResource {
  return harness.cloud.single(region, TYPES.alarm, { name: alarmName });
}

function rollbackNames(region: string): string[] {
  const names = new RegionNames(CONTEXT, region);
  return [names.alarm("rollback-errors"), names.alarm("rollback-5xx")];
}

describe("rollout: canary", () => {
  let resources: RecordedResource[];

  sharedSetup(async () => {
    await harness.build({ regions: REGIONS, rollout: "canary" });
    resources = [...harness.cloud.resources];
  }, 60_000);

  describe.each(REGIONS)("%s", (region) => {
    const names = new RegionNames(CONTEXT, region);
    const [errorsName, fiveXxName] = rollbackNames(region);

    it("has the two rollback alarms beside the four paging alarms, named by lib/naming.ts", () => {
      expect(harness.cloud.inRegion(region, TYPES.alarm).map((alarm) => alarm.inputs.name).sort()).toEqual([
        names.alarm("lambda-errors"), names.alarm("lambda-duration"), names.alarm("api-4xx"), names.alarm("api-5xx"), errorsName, fiveXxName,
      ].sort());
      expect(errorsName).toBe(`iac-aws-nova-rollback-errors-alarm-${region}-dev-${stackHash(CONTEXT)}`);
    });

    it("measures the live alias's Lambda error rate with metric math: Errors / Invocations of FunctionName + Resource name:live", () => {
      const fnName = harness.cloud.single(region, TYPES.function).state.name;
      const dimensions = { FunctionName: fnName, Resource: `${fnName}:live` };
      const alarm = alarmNamed(region, errorsName);
      expect(alarm.inputs.metricQueries).toEqual([
        { id: "errors", label: "Errors (Sum)", returnData: false, metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions, period: 60, stat: "Sum" } },
        { id: "requests", label: "Invocations (Sum)", returnData: false, metric: { namespace: "AWS/Lambda", metricName: "Invocations", dimensions, period: 60, stat: "Sum" } },
        { id: "rate", label: "Errors as % of Invocations", returnData: true, expression: "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)" },
      ]);
      // A metric-math alarm names no metric of its own.
      expect([alarm.inputs.metricName, alarm.inputs.namespace, alarm.inputs.statistic, alarm.inputs.period]).toEqual([undefined, undefined, undefined, undefined]);
    });

    it("measures the stage's 5XX rate with metric math: 5XXError / Count of ApiName + Stage", () => {
      const api = harness.cloud.single(region, TYPES.restApi);
      const dimensions = { ApiName: api.state.name, Stage: "dev" };
      expect(alarmNamed(region, fiveXxName).inputs.metricQueries).toEqual([
        { id: "errors", label: "5XXError (Sum)", returnData: false, metric: { namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions, period: 60, stat: "Sum" } },
        { id: "requests", label: "Count (Sum)", returnData: false, metric: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions, period: 60, stat: "Sum" } },
        { id: "rate", label: "5XXError as % of Count", returnData: true, expression: "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)" },
      ]);
    });

    it.each([0, 1])("alarm %i: over 5%% in 2 of 3 one-minute periods, missing data not breaching, notifying the region's topic", (index) => {
      const alarm = alarmNamed(region, rollbackNames(region)[index]);
      const topic = harness.cloud.single(region, TYPES.topic);
      expect({
        evaluationPeriods: alarm.inputs.evaluationPeriods,
        datapointsToAlarm: alarm.inputs.datapointsToAlarm,
        threshold: alarm.inputs.threshold,
        comparisonOperator: alarm.inputs.comparisonOperator,
        treatMissingData: alarm.inputs.treatMissingData,
        alarmActions: alarm.inputs.alarmActions,
        okActions: alarm.inputs.okActions,
      }).toEqual({
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: 5,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topic.state.arn],
        okActions: [topic.state.arn],
      });
      // Created after the topic's policy, so the first state change can already publish.
      expect(alarm.dependencies).toContain(harness.cloud.single(region, TYPES.topicPolicy).urn);
    });

    it("lists exactly the rollback alarms in the deployment group, not the paging alarms", () => {
      expect(harness.cloud.single(region, TYPES.deploymentGroup).inputs.alarmConfiguration).toEqual({ enabled: true, alarms: [errorsName, fiveXxName] });
    });

    it("lets the topic and its key serve the rollback alarms too: both policies name all six alarm ARNs", () => {
      const paging = ["lambda-errors", "lambda-duration", "api-4xx", "api-5xx"].map((component) => names.alarm(component));
      const arns = [...paging, errorsName, fiveXxName].map((name) => `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${name}`);
      expect(harness.cloud.inRegion(region, TYPES.alarm).map((alarm) => alarm.state.arn).sort()).toEqual([...arns].sort());
      const topicPolicy = JSON.parse(harness.cloud.single(region, TYPES.topicPolicy).inputs.policy) as PolicyDocument;
      const keyPolicy = JSON.parse(harness.cloud.single(region, TYPES.kmsKey).inputs.policy) as PolicyDocument;
      expect(topicPolicy.Statement[0].Condition?.ArnLike["aws:SourceArn"]).toEqual(arns);
      expect(keyPolicy.Statement[1].Condition?.ArnLike["aws:SourceArn"]).toEqual(arns);
    });

    it("lets CodeDeploy's role read exactly the rollback alarms", () => {
      const role = harness.cloud.single(region, TYPES.role, { name: names.codeDeployRole });
      const policy = harness.cloud.inRegion(region, TYPES.rolePolicy).find((p) => p.inputs.role === role.id);
      const statements = (JSON.parse(policy?.inputs.policy) as PolicyDocument).Statement;
      expect(statements.find((s) => s.Action === "cloudwatch:DescribeAlarms")?.Resource).toEqual([errorsName, fiveXxName].map((name) => `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${name}`));
    });

    it("hands the release step the same alarms, to name the one that fired", () => {
      const release = harness.cloud.customResources(TYPES.dynamicResource).find((r) => r.inputs.region === region);
      expect(release?.inputs.alarmNames).toEqual([errorsName, fiveXxName]);
    });
  });

  it("exports each region's rollback alarms with its CodeDeploy names (npm run verify checks the group lists them)", () => {
    const stack = harness.cloud.resources.find((r) => r.type === "tap:index:TapStack");
    const groups = harness.cloud.componentOutputs.get(stack?.urn ?? "")?.deploymentGroups as Record<string, { alarmNames: string[] }>;
    expect(Object.fromEntries(Object.entries(groups).map(([region, group]) => [region, group.alarmNames]))).toEqual(Object.fromEntries(REGIONS.map((region) => [region, rollbackNames(region)])));
  });

  it("sends nothing AWS would reject: names, descriptions, query IDs, expressions, metrics and dimensions fit PutMetricAlarm's rules", () => {
    const alarms = resources.filter((r) => r.type === TYPES.alarm);
    expect(alarms).toHaveLength(12);
    expect(checkAwsConstraints(alarms).violations).toEqual([]);
  });
});

describe("rollout: all-at-once (the default)", () => {
  sharedSetup(async () => {
    await harness.build({ regions: REGIONS });
  }, 60_000);

  it("has no rollback alarm, and the topic policies name the four paging alarms only", () => {
    for (const region of REGIONS) {
      const names = harness.cloud.inRegion(region, TYPES.alarm).map((alarm) => alarm.inputs.name);
      expect(names).toHaveLength(4);
      expect(names.filter((name: string) => name.includes("rollback"))).toEqual([]);
      const topicPolicy = JSON.parse(harness.cloud.single(region, TYPES.topicPolicy).inputs.policy) as PolicyDocument;
      expect(topicPolicy.Statement[0].Condition?.ArnLike["aws:SourceArn"]).toHaveLength(4);
    }
  });
});
