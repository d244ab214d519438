import { deepEqual, stringsIn, topLevelKey } from "./diff";
import { isReleaseStep } from "../release-step";
import type { UpdateStep } from "./plan";
import type { ReplacementRules } from "./rules";
import { ResourceState, nameOfUrn } from "./state";
import { TYPES } from "../../resource-types";

/**
 * What an update would lose or break in AWS, one line per resource: what AWS
 * will do, and the fix. Read from update steps, so the same rules run on the
 * offline update plan (`--from`) and on a real preview (`--check-preview`).
 * Each rule's AWS behaviour comes with its AWS source. Pure.
 */

export type HazardKind = "fixed-name-create-first" | "parent-key-create-first" | "data-loss" | "lambda-network" | "client-url" | "rollout-switch";

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
  [TYPES.dashboard]: { api: "PutDashboard", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html" },
  [TYPES.alarm]: { api: "PutMetricAlarm", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html" },
  [TYPES.topic]: { api: "CreateTopic", url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html" },
  [TYPES.rolePolicy]: { api: "PutRolePolicy", url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" },
};

/** Exported values clients call or configure: a replacement that changes them breaks the clients. */
export const CLIENT_OUTPUTS = ["api_urls", "global_url"] as const;

const SECURITY_GROUP = TYPES.securityGroup;
const SUBNET = TYPES.subnet;
const FUNCTION = TYPES.function;

function shortType(type: string): string {
  const match = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return match ? `aws:${match[1]}:${match[2]}` : type;
}

/** Why a data-holding resource loses its data when it is deleted; undefined for a resource that holds none. */
function dataLoss(resource: ResourceState, deployed: readonly ResourceState[]): string | undefined {
  switch (resource.type) {
    case TYPES.bucket:
      return resource.inputs.forceDestroy === true
        ? "the provider empties the bucket first: every object and every version is deleted"
        : "S3 deletes only an empty bucket: while objects or versions remain DeleteBucket fails with BucketNotEmpty, and the update stops half done";
    case TYPES.logGroup:
      return "DeleteLogGroup deletes every log event in the group";
    case TYPES.kmsKey: {
      const days = typeof resource.inputs.deletionWindowInDays === "number" ? resource.inputs.deletionWindowInDays : 30;
      return `ScheduleKeyDeletion puts the key into pending deletion for ${days} days; after that, whatever it encrypted can no longer be decrypted`;
    }
    case TYPES.topic: {
      const arn = typeof resource.outputs.arn === "string" ? resource.outputs.arn : undefined;
      const emails = deployed.filter(
        (other) => other.type === TYPES.topicSubscription && arn !== undefined && other.inputs.topic === arn && String(other.inputs.protocol).startsWith("email"),
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

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * A create-first replacement of a resource AWS keys by its parent (cfn-map.ts ParentKey) under an unchanged,
 * known key: the create lands on the live resource (or fails), and the delete of the replaced one then removes
 * what is there under the key, while the stack's state says the replacement exists. Not a hazard when the
 * old one is `retainOnDelete` and the create overwrites: Pulumi then never deletes it in AWS.
 */
function parentKeyHazard(step: UpdateStep, rules: ReplacementRules): Hazard | undefined {
  if (step.replacement?.order !== "create-first") return undefined;
  const key = rules.parentKey(step.type);
  if (!key || !step.old || !step.new) return undefined;
  // A retained resource's delete never reaches AWS (the engine skips it), so an overwriting create is all that happens.
  if (step.old.retainOnDelete && key.onCreate === "overwrites") return undefined;
  const unknown = new Set((step.unknownPaths ?? []).map(topLevelKey));
  const same = key.fields.every((field) => !unknown.has(field) && step.old?.inputs[field] !== undefined && deepEqual(step.old.inputs[field], step.new?.inputs[field]));
  if (!same) return undefined;
  const where = `the same ${listed(key.fields)}`;
  const what = key.onCreate === "fails"
    ? `replaced create-first under ${where}: ${key.create} fails while the live ${key.noun} exists, and the update stops (${key.source})`
    : `replaced create-first under ${where}: ${key.create} writes over the live ${key.noun}, then deleting the replaced one (${key.delete}) removes it, ` +
      `and the stack's state says it still exists (${key.source})`;
  return { kind: "parent-key-create-first", urn: step.urn, type: step.type, name: step.name, what, fix: "set deleteBeforeReplace: true on it, so the engine deletes the old one before it creates the new one" };
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

/** The function a release step shifts (its `functionName` input). */
function releasedFunction(release: ResourceState | undefined): string | undefined {
  const name = release?.inputs.functionName;
  return typeof name === "string" ? name : undefined;
}

/** True when the update changes the function's code (`code`: the archive's hash in a plan, the asset in a preview). */
function changesCode(step: UpdateStep): boolean {
  return (step.op === "update" || step.op === "replace") && step.diffReasons.includes("code");
}

/**
 * `rollout` switched on or off in an update that also changes the function's
 * code, or switched off while the live alias does not serve the newest
 * version (after a rollback): either way new code reaches all the traffic of
 * every region at once, with no canary and no alarm to stop it
 * (docs/rollouts.md, "Turning rollout on or off").
 * - On: `publish` goes from false to true, so Lambda publishes the changed code
 *   as the function's first version; the alias is created on that version and
 *   the release finds it already served, so CodeDeploy never runs. (With
 *   provisioned concurrency the function published already and the alias
 *   exists: the release shifts it, no hazard.)
 * - Off: the release is deleted and the API invokes the unqualified function
 *   ($LATEST), or Pulumi moves the remaining alias to the newest version.
 */
function rolloutSwitchHazards(input: HazardInput): Hazard[] {
  const releases = input.steps.filter((step) => step.logical && isReleaseStep(step) && (step.op === "create" || step.op === "delete"));
  const fixOnOff = "turn rollout on or off in an update with no function change: deploy the code change in an update of its own, before or after (docs/rollouts.md)";
  const hazards: Hazard[] = [];
  // In the functions' order (the regions'), whatever order the releases' creates and deletes run in.
  for (const fn of input.steps) {
    if (!fn.logical || fn.type !== FUNCTION || !fn.old || !fn.new) continue;
    const names = [fn.old.inputs.name, fn.new.inputs.name];
    const release = releases.find((step) => names.includes(releasedFunction(step.op === "create" ? step.new : step.old)));
    if (!release) continue;
    const hazard = (what: string, fix: string): Hazard => ({ kind: "rollout-switch", urn: fn.urn, type: fn.type, name: fn.name, what, fix });
    if (release.op === "create") {
      if (!changesCode(fn) || fn.old.inputs.publish === true || fn.new.inputs.publish !== true) continue;
      hazards.push(hazard(
        "rollout turns on in the same update as a code change: Lambda publishes the new code as the function's first version, the live alias is created on it and " +
          `${release.name} finds nothing to shift, so the new code serves all the traffic at once, with no canary and no rollback`,
        fixOnOff));
    } else if (changesCode(fn)) {
      hazards.push(hazard(
        `rollout turns off in the same update as a code change: ${release.name} is deleted and the API serves the new code at once ` +
          "(the function's $LATEST, or the live alias Pulumi moves to the new version), with no canary and no rollback",
        fixOnOff));
    } else {
      const live = release.old?.outputs.liveVersion;
      const newest = fn.old.outputs.version;
      if (typeof live !== "string" || live === "" || typeof newest !== "string" || live === newest) continue;
      hazards.push(hazard(
        `rollout turns off while the live alias serves version ${live} and the function's newest version is ${newest} (a release rolled back or never ran): ` +
          `the API then serves version ${newest}'s code at once (the function's $LATEST, or the alias Pulumi moves to it)`,
        "keep rollout on and release a fixed version (pulumi up) until the alias serves the newest version, then turn rollout off in an update with no function change"));
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
    const keyed = step.op === "replace" ? parentKeyHazard(step, rules) : undefined;
    if (keyed) hazards.push(keyed);
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
  return [...hazards, ...rolloutSwitchHazards(input), ...clientOutputHazards(input)];
}

/** One line per hazard: the resource, what AWS will do, and the fix. */
export function hazardLine(hazard: Hazard): string {
  const subject = hazard.type === "output" ? `output ${hazard.name}` : `${shortType(hazard.type)} ${hazard.name}`;
  return `${subject}: ${hazard.what}. Fix: ${hazard.fix}.`;
}
