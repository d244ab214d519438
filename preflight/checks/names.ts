import { GetDashboardCommand, DescribeAlarmsCommand, ListTagsForResourceCommand as ListAlarmTagsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogGroupTagsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { GetBucketTaggingCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListTagsForResourceCommand as ListTopicTagsCommand } from "@aws-sdk/client-sns";
import { AwsCallError } from "../aws";
import type { PlannedName } from "../names";
import { CheckId, GLOBAL, Row, fail, ok, unknown } from "../rows";
import { CheckContext, GLOBAL_CALL_REGION, describeOwnership, isNotFound, isOwn, unknownRow } from "./context";

/**
 * Every physical name the plan would create (preflight/names.ts) is free, or
 * is already this stack's: tagged with its Project and Stack (from an earlier
 * `pulumi up`). A name held by anything else would fail the create, or worse,
 * be taken over: CloudWatch PutMetricAlarm and PutDashboard replace an
 * existing alarm or dashboard, and SNS CreateTopic returns the existing topic
 * (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
 * One row per kind of resource and region.
 */

/** What one name's lookup found. */
export type NameState =
  | { readonly state: "free" }
  | { readonly state: "own" }
  /** Held by something this stack did not create; `holder` says what is known of it. */
  | { readonly state: "taken"; readonly holder: string }
  | { readonly state: "unknown"; readonly error: unknown };

const FREE: NameState = { state: "free" };
const OWN: NameState = { state: "own" };

type Tags = Record<string, string | undefined>;

/** `[{Key, Value}]` (every API but Lambda's and Logs') -> a record. */
function tagRecord(tags: readonly { Key?: string; Value?: string }[] | undefined): Tags {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? "", tag.Value]));
}

/** "own" when `tags` are this stack's, else "taken" by whatever they say. */
function byTags(context: CheckContext, tags: Tags): NameState {
  if (isOwn(tags, context.config)) return OWN;
  return { state: "taken", holder: `exists in this account with ${describeOwnership(tags)}` };
}

async function bucketState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  const s3 = context.aws.s3(planned.region);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: planned.name }));
  } catch (error) {
    if (isNotFound(error, "NotFound", "NoSuchBucket")) return FREE;
    // HeadBucket answers 403 for a bucket that exists and belongs to another account, 301 for one in another region.
    if (error instanceof AwsCallError && error.httpStatus === 403) return { state: "taken", holder: "exists and belongs to another account (HeadBucket: 403)" };
    if (error instanceof AwsCallError && error.httpStatus === 301) return { state: "taken", holder: "exists in another region (HeadBucket: 301)" };
    return { state: "unknown", error };
  }
  try {
    return byTags(context, tagRecord((await s3.send(new GetBucketTaggingCommand({ Bucket: planned.name }))).TagSet));
  } catch (error) {
    if (isNotFound(error, "NoSuchTagSet")) return byTags(context, {});
    return { state: "unknown", error };
  }
}

async function functionState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  try {
    const found = await context.aws.lambda(planned.region).send(new GetFunctionCommand({ FunctionName: planned.name }));
    return byTags(context, found.Tags ?? {});
  } catch (error) {
    return isNotFound(error, "ResourceNotFoundException") ? FREE : { state: "unknown", error };
  }
}

async function roleState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  try {
    // IAM is global: its names are the account's, whatever the region in them.
    const found = await context.aws.iam(GLOBAL_CALL_REGION).send(new GetRoleCommand({ RoleName: planned.name }));
    return byTags(context, tagRecord(found.Role?.Tags));
  } catch (error) {
    return isNotFound(error, "NoSuchEntity") ? FREE : { state: "unknown", error };
  }
}

async function logGroupState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  const logs = context.aws.logs(planned.region);
  try {
    const answer = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: planned.name }));
    const group = answer.logGroups?.find((candidate) => candidate.logGroupName === planned.name);
    if (!group) return FREE;
    // `arn` ends in ":*"; ListTagsForResource wants the group's own ARN.
    const resourceArn = group.logGroupArn ?? group.arn?.replace(/:\*$/, "") ?? "";
    return byTags(context, (await logs.send(new ListLogGroupTagsCommand({ resourceArn }))).tags ?? {});
  } catch (error) {
    return { state: "unknown", error };
  }
}

async function alarmState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  const cloudwatch = context.aws.cloudwatch(planned.region);
  try {
    const answer = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [planned.name], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }));
    const alarm = [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])].find((candidate) => candidate.AlarmName === planned.name);
    if (!alarm) return FREE;
    return byTags(context, tagRecord((await cloudwatch.send(new ListAlarmTagsCommand({ ResourceARN: alarm.AlarmArn }))).Tags));
  } catch (error) {
    return { state: "unknown", error };
  }
}

async function topicState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  // A topic is addressed by its ARN, which needs the account.
  if (context.accountId === undefined) return { state: "unknown", error: new Error("the caller's account is unknown, so the topic's ARN is too") };
  const sns = context.aws.sns(planned.region);
  const topicArn = `arn:aws:sns:${planned.region}:${context.accountId}:${planned.name}`;
  try {
    await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
  } catch (error) {
    return isNotFound(error, "NotFound", "NotFoundException") ? FREE : { state: "unknown", error };
  }
  try {
    return byTags(context, tagRecord((await sns.send(new ListTopicTagsCommand({ ResourceArn: topicArn }))).Tags));
  } catch (error) {
    return { state: "unknown", error };
  }
}

/**
 * Dashboards carry no tags (CloudWatch tags alarms and Contributor Insights
 * rules only), so a dashboard is this stack's when its widgets show this
 * stack's functions, whose names hold the stack's hash.
 */
async function dashboardState(context: CheckContext, planned: PlannedName): Promise<NameState> {
  try {
    const found = await context.aws.cloudwatch(planned.region).send(new GetDashboardCommand({ DashboardName: planned.name }));
    const functions = context.names.filter((name) => name.check === "name:function").map((name) => name.name);
    const body = found.DashboardBody ?? "";
    if (functions.length > 0 && functions.every((name) => body.includes(name))) return OWN;
    return { state: "taken", holder: "exists, and its widgets do not show this stack's functions (dashboards carry no tags)" };
  } catch (error) {
    return isNotFound(error, "ResourceNotFound", "DashboardNotFoundError") ? FREE : { state: "unknown", error };
  }
}

const LOOKUPS: Readonly<Record<string, (context: CheckContext, planned: PlannedName) => Promise<NameState>>> = {
  "name:bucket": bucketState,
  "name:function": functionState,
  "name:role": roleState,
  "name:log-group": logGroupState,
  "name:alarm": alarmState,
  "name:topic": topicState,
  "name:dashboard": dashboardState,
};

/** The command that deletes a leftover, by check. */
const DELETE_COMMANDS: Readonly<Record<string, (name: string, region: string, accountId: string) => string>> = {
  "name:bucket": (name, region) => `aws s3 rb s3://${name} --region ${region}`,
  "name:function": (name, region) => `aws lambda delete-function --function-name ${name} --region ${region}`,
  "name:role": (name) => `aws iam delete-role --role-name ${name}`,
  "name:log-group": (name, region) => `aws logs delete-log-group --log-group-name ${name} --region ${region}`,
  "name:alarm": (name, region) => `aws cloudwatch delete-alarms --alarm-names ${name} --region ${region}`,
  "name:topic": (name, region, accountId) => `aws sns delete-topic --topic-arn arn:aws:sns:${region}:${accountId}:${name} --region ${region}`,
  "name:dashboard": (name, region) => `aws cloudwatch delete-dashboards --dashboard-names ${name} --region ${region}`,
};

/** One row for the names of one check in one region (`rowRegion` is GLOBAL for the dashboard). */
export function namesRow(check: CheckId, rowRegion: string, results: readonly { planned: PlannedName; state: NameState }[], accountId = ""): Row {
  const taken = results.flatMap((result) => (result.state.state === "taken" ? [{ planned: result.planned, holder: result.state.holder }] : []));
  if (taken.length > 0) {
    const first = taken[0];
    const otherAccount = first.holder.includes("another account");
    return fail(
      check,
      rowRegion,
      taken.map(({ planned, holder }) => `${planned.name} ${holder}`).join("; ") + ".",
      otherAccount
        ? "The name is another account's: give the stack other names with another project name, e.g. pulumi config set projectName <another name>"
        : "These names end in this stack's hash, so only an earlier stack of this project and stack name asked for them. If nothing needs " +
          `${taken.length === 1 ? "it" : "them"}, delete ${taken.length === 1 ? "it" : "each"}, e.g. ${DELETE_COMMANDS[check](first.planned.name, first.planned.region, accountId)}; ` +
          "otherwise deploy under another stack name.",
    );
  }
  const failed = results.find((result) => result.state.state === "unknown");
  if (failed && failed.state.state === "unknown") {
    const error = failed.state.error;
    const row = error instanceof AwsCallError || !(error instanceof Error) ? unknownRow(check, rowRegion, error) : unknown(check, rowRegion, `Not checked: ${error.message}.`);
    return { ...row, detail: `${failed.planned.name}: ${row.detail}` };
  }
  const own = results.filter((result) => result.state.state === "own").length;
  const free = results.length - own;
  const list = results.length <= 2 ? ` (${results.map((result) => result.planned.name).join(", ")})` : "";
  return ok(check, rowRegion, `${free} free${own > 0 ? `, ${own} already this stack's (Project and Stack tags)` : ""}${list}.`);
}

/** The rows for every planned name in `region`, one per kind of resource. */
export async function checkNames(context: CheckContext, region: string): Promise<Row[]> {
  const inRegion = context.names.filter((name) => name.region === region);
  const checks = [...new Set(inRegion.map((name) => name.check))];
  return Promise.all(checks.map(async (check) => {
    const planned = inRegion.filter((name) => name.check === check);
    const results = await Promise.all(planned.map(async (name) => ({ planned: name, state: await LOOKUPS[check](context, name) })));
    return namesRow(check, check === "name:dashboard" ? GLOBAL : region, results, context.accountId);
  }));
}
