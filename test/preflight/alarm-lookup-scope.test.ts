import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudwatch";
import { resolveTapStackArgs } from "../../lib/config";
import { RegionNames } from "../../lib/naming";
import { createAwsClients } from "../../preflight/aws";
import { checkNames } from "../../preflight/checks/names";
import type { PlannedName } from "../../preflight/names";

/**
 * preflight's alarm lookup asks CloudWatch only about the alarms the plan
 * would create: each DescribeAlarms names them (`AlarmNames`), so it never
 * lists, or pages through, every alarm of the account, and one alarm of
 * another stack with a similar name cannot be mistaken for ours.
 */

const REGION = "us-east-1";
const names = new RegionNames({ project: "iac-aws-nova", environment: "dev", stack: "dev" }, REGION);
const ALARMS = ["lambda-errors", "lambda-duration", "api-5xx"].map((suffix) => names.alarm(suffix));
const PLANNED: PlannedName[] = ALARMS.map((name) => ({ check: "name:alarm", type: "aws:cloudwatch/metricAlarm:MetricAlarm", region: REGION, name }));

const cloudwatch = mockClient(CloudWatchClient);
afterAll(() => cloudwatch.restore());

it("sends DescribeAlarms with exactly the planned names, metric and composite alarms, and reads only the tags of the one found", async () => {
  cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
    MetricAlarms: (input.AlarmNames ?? []).includes(ALARMS[0]) ? [{ AlarmName: ALARMS[0], AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x" }] : [],
  }));
  cloudwatch.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: "Project", Value: "iac-aws-nova" }, { Key: "Stack", Value: "dev" }] });
  const context = { config: resolveTapStackArgs({ regions: [REGION] }, "dev"), aws: createAwsClients({ maxAttempts: 1, connectionTimeoutMs: 100, requestTimeoutMs: 100 }), accountId: "123456789012", names: PLANNED };

  const [row] = await checkNames(context, REGION);

  expect([row.check, row.status, row.detail]).toEqual(["name:alarm", "ok", "2 free, 1 already this stack's (Project and Stack tags)."]);
  const inputs = cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input);
  expect(inputs.flatMap((input) => input.AlarmNames ?? ["(no AlarmNames: every alarm of the account)"]).sort()).toEqual([...ALARMS].sort());
  expect(inputs.every((input) => input.AlarmNamePrefix === undefined && JSON.stringify(input.AlarmTypes) === '["MetricAlarm","CompositeAlarm"]')).toBe(true);
  expect(cloudwatch.commandCalls(ListTagsForResourceCommand).map((call) => call.args[0].input)).toEqual([{ ResourceARN: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x" }]);
});
