import { stringsIn, topLevelKey } from "./diff";
import type { UpdateStep } from "./plan";
import type { ReplacementRules } from "./rules";
import { ResourceState, nameOfUrn } from "./state";

/**
 * What an update would lose or break in AWS, one line per resource: what AWS
 * will do, and the fix. Read from update steps, so the same rules run on the
 * offline update plan (`--from`) and on a real preview (`--check-preview`).
 * Each rule's AWS behaviour comes with its AWS source. Pure.
 */

export type HazardKind = "fixed-name-create-first" | "data-loss" | "lambda-network" | "client-url";

export interface Hazard {
  readonly kind: HazardKind;
  /** The resource's URN, or `output:<name>` for an exported value. */
  readonly urn: string;
  readonly type: string;
  /** Logical name, or the output's name. */
  readonly name: string;
  /** What AWS will do. */
  readonly what: string;
  readonly fix: string;
}

/** What the update plan compares, with the deployed stack's resources and outputs. */
export interface HazardInput {
  readonly steps: readonly UpdateStep[];
  /** Resources of the deployed stack that are known (all of them offline; those a preview lists otherwise). */
  readonly deployed: readonly ResourceState[];
  readonly oldOutputs: Readonly<Record<string, unknown>>;
  readonly newOutputs: Readonly<Record<string, unknown>>;
}

/**
 * Create APIs that overwrite or return a resource of the same name instead of failing (AWS-documented):
 * PutDashboard ("If a dashboard with this name already exists, this call modifies that dashboard, replacing its
 * current contents", CloudWatch API reference), PutMetricAlarm ("When this operation creates an alarm ... Any
 * existing alarm with the same name is overwritten"), CreateTopic ("This action is idempotent, so if the requester
 * already owns a topic with the specified name, that topic's ARN is returned without creating a new topic"),
 * PutRolePolicy (replaces the inline policy of that name).
 */
export const UPSERT_CREATE_APIS: Readonly<Record<string, { readonly api: string; readonly url: string }>> = {
  "aws:cloudwatch/dashboard:Dashboard": { api: "PutDashboard", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html" },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { api: "PutMetricAlarm", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html" },
  "aws:sns/topic:Topic": { api: "CreateTopic", url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html" },
  "aws:iam/rolePolicy:RolePolicy": { api: "PutRolePolicy", url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" },
};

/** Exported values clients call or configure: a replacement that changes them breaks the clients. */
export const CLIENT_OUTPUTS = ["api_urls", "global_url"] as const;

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const FUNCTION = "aws:lambda/function:Function";

function shortType(type: string): string {
  const match = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return match ? `aws:${match[1]}:${match[2]}` : type;
}

/** Why a data-holding resource loses its data when it is deleted; undefined for a resource that holds none. */
function dataLoss(resource: ResourceState, deployed: readonly ResourceState[]): string | undefined {
  switch (resource.type) {
    case "aws:s3/bucket:Bucket":
      return resource.inputs.forceDestroy === true
        ? "the provider empties the bucket first: every object and every version is deleted"
        : "S3 deletes only an empty bucket: while objects or versions remain DeleteBucket fails with BucketNotEmpty, and the update stops half done";
    case "aws:cloudwatch/logGroup:LogGroup":
      return "DeleteLogGroup deletes every log event in the group";
    case "aws:kms/key:Key": {
      const days = typeof resource.inputs.deletionWindowInDays === "number" ? resource.inputs.deletionWindowInDays : 30;
      return `ScheduleKeyDeletion puts the key into pending deletion for ${days} days; after that, whatever it encrypted can no longer be decrypted`;
    }
    case "aws:sns/topic:Topic": {
      const arn = typeof resource.outputs.arn === "string" ? resource.outputs.arn : undefined;
      const emails = deployed.filter(
        (other) => other.type === "aws:sns/topicSubscription:TopicSubscription" && arn !== undefined && other.inputs.topic === arn && String(other.inputs.protocol).startsWith("email"),
      );
      return emails.length > 0
        ? `DeleteTopic deletes its subscriptions: ${emails.length} confirmed email subscription(s) stop, and their owners must confirm again`
        : undefined;
    }
    default:
      return undefined;
  }
}

function readName(resource: ResourceState | undefined, field: string): string | undefined {
  const value = resource?.inputs[field];
  return typeof value === "string" ? value : undefined;
}

function fixedNameHazard(step: UpdateStep, rules: ReplacementRules): Hazard | undefined {
  if (step.replacement?.order !== "create-first") return undefined;
  const nameField = rules.nameField(step.type);
  if (!nameField || nameField.unique === false) return undefined;
  const oldName = readName(step.old, nameField.field);
  const newName = readName(step.new, nameField.field);
  if (oldName === undefined || oldName !== newName) return undefined;
  // A name (or the scope it is unique in, such as a stage's REST API) taken from a replaced resource is new: no collision.
  const identityUnknown = (step.unknownPaths ?? []).some((unknownPath) => {
    const key = topLevelKey(unknownPath);
    return key === nameField.field || rules.fieldRule(step.type, key).replaces;
  });
  if (identityUnknown) return undefined;
  const upsert = UPSERT_CREATE_APIS[step.type];
  const byProvider = step.replaceReasons.includes("provider") || step.replaceReasons.includes("region");
  const fix = byProvider
    ? "keep it on a provider of the same region whatever the order of the regions (an account-wide resource on an account-wide provider), or set deleteBeforeReplace: true on it"
    : `set deleteBeforeReplace: true on it, or give it a new ${nameField.field} in the same change`;
  const what = upsert
    ? `replaced create-first under the same name "${oldName}": ${upsert.api} overwrites the live resource instead of creating a second one, then deleting the replaced resource removes it, and the stack's state says it still exists (${upsert.url})`
    : `replaced create-first under the same name "${oldName}": AWS refuses a second resource of that name, and the update fails`;
  return { kind: "fixed-name-create-first", urn: step.urn, type: step.type, name: step.name, what, fix };
}

function lambdaNetworkHazard(step: UpdateStep, deployed: readonly ResourceState[]): Hazard | undefined {
  if (step.op !== "replace" || (step.type !== SECURITY_GROUP && step.type !== SUBNET) || !step.old?.id) return undefined;
  const id = step.old.id;
  const users = deployed.filter((resource) => resource.type === FUNCTION && stringsIn(resource.inputs.vpcConfig).some((found) => found.value === id));
  if (users.length === 0) return undefined;
  const noun = step.type === SUBNET ? "subnet" : "security group";
  const sameCidr = step.type === SUBNET && step.replacement?.order === "create-first" && step.old.inputs.cidrBlock === step.new?.inputs.cidrBlock;
  return {
    kind: "lambda-network",
    urn: step.urn,
    type: step.type,
    name: step.name,
    what:
      `the old ${noun} ${id} holds the network interfaces of ${users.map((user) => nameOfUrn(user.urn)).join(", ")}; EC2 deletes it only after Lambda releases them, ` +
      "which can take up to about 40 minutes, and the update waits (Lambda developer guide, VPC networking)" +
      (sameCidr ? `; created first with the same CIDR ${String(step.old.inputs.cidrBlock)}, the new subnet fails with InvalidSubnet.Conflict` : ""),
    fix: `move the function to the new ${noun} in one update and delete the old one in a later one, or keep the ${noun}'s name, description and CIDR unchanged`,
  };
}

/** The value AWS regenerates when a resource is replaced: its ID (an API's ID is in its invoke URL). Names and ARNs built from names stay. */
function regeneratedValues(resource: ResourceState): string[] {
  return resource.id && resource.id.length >= 8 ? [resource.id] : [];
}

function clientOutputHazards(input: HazardInput): Hazard[] {
  const gone = input.steps.filter((step) => (step.op === "replace" || step.op === "delete") && step.old !== undefined);
  const hazards: Hazard[] = [];
  for (const output of CLIENT_OUTPUTS) {
    const before = input.oldOutputs[output];
    if (before === undefined) continue;
    const after = input.newOutputs[output];
    const entries = before !== null && typeof before === "object" && !Array.isArray(before) ? Object.entries(before as Record<string, unknown>) : [["", before] as const];
    const afterOf = (key: string) => (key === "" ? after : after !== null && typeof after === "object" ? (after as Record<string, unknown>)[key] : undefined);
    for (const [key, oldValue] of entries) {
      if (typeof oldValue !== "string") continue;
      const label = key === "" ? output : `${output}[${key}]`;
      const newValue = afterOf(key);
      const cause = gone.find((step) => regeneratedValues(step.old as ResourceState).some((value) => oldValue.includes(value)));
      let what: string | undefined;
      if (newValue === undefined) what = `${oldValue} goes away`;
      else if (newValue !== oldValue) what = `changes from ${oldValue} to ${String(newValue)}`;
      else if (cause) what = `changes: ${oldValue} embeds the ID of ${cause.name}, which is ${cause.op === "replace" ? "replaced" : "deleted"}, and AWS gives the new one another ID`;
      if (!what) continue;
      hazards.push({
        kind: "client-url",
        urn: `output:${label}`,
        type: "output",
        name: label,
        what: `${what}; clients calling the old address stop working`,
        fix: "serve clients through domainName (global_url), and keep the REST API, its stage name and the domain unchanged",
      });
    }
  }
  return hazards;
}

/** Every hazard of an update, resource hazards in step order, then the exported values clients use. */
export function findHazards(input: HazardInput, rules: ReplacementRules): Hazard[] {
  const hazards: Hazard[] = [];
  for (const step of input.steps) {
    if (!step.logical) continue;
    const fixed = step.op === "replace" ? fixedNameHazard(step, rules) : undefined;
    if (fixed) hazards.push(fixed);
    if ((step.op === "replace" || step.op === "delete") && step.old && !step.old.retainOnDelete) {
      const loss = dataLoss(step.old, input.deployed);
      if (loss) {
        hazards.push({
          kind: "data-loss",
          urn: step.urn,
          type: step.type,
          name: step.name,
          what: `${step.op === "replace" ? "replaced" : "deleted"}: ${loss}`,
          fix: "keep its name, provider and region unchanged; if it must go, set retainOnDelete: true in an update first and move what it holds (docs/updates.md)",
        });
      }
    }
    const network = lambdaNetworkHazard(step, input.deployed);
    if (network) hazards.push(network);
  }
  return [...hazards, ...clientOutputHazards(input)];
}

/** One line per hazard: the resource, what AWS will do, and the fix. */
export function hazardLine(hazard: Hazard): string {
  const subject = hazard.type === "output" ? `output ${hazard.name}` : `${shortType(hazard.type)} ${hazard.name}`;
  return `${subject}: ${hazard.what}. Fix: ${hazard.fix}.`;
}
