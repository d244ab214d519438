import type { RecordedResource } from "../../mock-cloud";

/**
 * Neighbour check: do several stacks (or one stack in several accounts) claim
 * the same physical name in a namespace AWS shares between them, or write the
 * same account-level setting? Pure: it compares what each stack's evaluation
 * recorded.
 *
 * Two stacks that claim one name do not get two resources: create-only APIs
 * (IAM CreateRole, Lambda CreateFunction, Logs CreateLogGroup, S3
 * CreateBucket) make the second deploy fail, and create-or-replace APIs
 * (PutMetricAlarm, PutDashboard) let it silently take over the first stack's
 * resource. AWS documents both behaviours on each API's page; docs/aws-facts.md,
 * "Names shared between stacks", links them.
 */

/** Where a name must be unique. */
export type NameScope = "partition" | "account" | "account-region" | "hosted-zone";

export interface PhysicalNameRule {
  readonly type: string;
  /** The inputs that together are the name AWS keys on; the first is the name itself. */
  readonly inputs: readonly string[];
  readonly scope: NameScope;
  /** Why the scope is what it is, for the reader of a collision. */
  readonly note: string;
}

/**
 * The physical names that must not be shared, by type. REST API names are not
 * here on purpose: API Gateway allows any number of APIs with one name (the
 * ID is the key). Nor are tags (`Name` tags are labels, not keys), ACM
 * certificates (requested per domain as often as you like) or health checks
 * (keyed by a generated ID).
 */
export const PHYSICAL_NAME_RULES: readonly PhysicalNameRule[] = [
  { type: "aws:s3/bucket:Bucket", inputs: ["bucket"], scope: "partition", note: "bucket names are unique across every account" },
  { type: "aws:s3/bucketV2:BucketV2", inputs: ["bucket"], scope: "partition", note: "bucket names are unique across every account" },
  { type: "aws:iam/role:Role", inputs: ["name"], scope: "account", note: "IAM is global: one name per account, in every region" },
  { type: "aws:iam/policy:Policy", inputs: ["name"], scope: "account", note: "IAM is global: one name per account, in every region" },
  { type: "aws:cloudwatch/dashboard:Dashboard", inputs: ["dashboardName"], scope: "account", note: "dashboards are global to the account" },
  { type: "aws:lambda/function:Function", inputs: ["name"], scope: "account-region", note: "one function name per account and region" },
  { type: "aws:cloudwatch/logGroup:LogGroup", inputs: ["name"], scope: "account-region", note: "one log group name per account and region" },
  { type: "aws:cloudwatch/metricAlarm:MetricAlarm", inputs: ["name"], scope: "account-region", note: "PutMetricAlarm overwrites an alarm of the same name" },
  { type: "aws:cloudwatch/compositeAlarm:CompositeAlarm", inputs: ["alarmName"], scope: "account-region", note: "PutCompositeAlarm overwrites an alarm of the same name" },
  { type: "aws:sns/topic:Topic", inputs: ["name"], scope: "account-region", note: "one topic name per account and region" },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    inputs: ["name"],
    scope: "account-region",
    note: "checked per account and region, which is stricter than EC2 (unique per VPC)",
  },
  { type: "aws:wafv2/webAcl:WebAcl", inputs: ["name", "scope"], scope: "account-region", note: "one web ACL name per account, region and scope" },
  { type: "aws:apigateway/domainName:DomainName", inputs: ["domainName"], scope: "account-region", note: "one custom domain name per account and region" },
  { type: "aws:kms/alias:Alias", inputs: ["name"], scope: "account-region", note: "one alias name per account and region" },
  {
    type: "aws:route53/record:Record",
    inputs: ["name", "type", "setIdentifier"],
    scope: "hosted-zone",
    note: "a record is keyed by name, type and set identifier within its zone",
  },
];

/** Settings of which an account (and region) has exactly one, whoever writes them. */
export interface AccountSettingRule {
  readonly type: string;
  readonly setting: string;
  /** The input holding the value written. */
  readonly valueInput: string;
  readonly scope: "account" | "account-region";
}

export const ACCOUNT_SETTING_RULES: readonly AccountSettingRule[] = [
  { type: "aws:apigateway/account:Account", setting: "API Gateway CloudWatch Logs role", valueInput: "cloudwatchRoleArn", scope: "account-region" },
];

/** What the comparison reads of a recorded resource. */
export type ComparedResource = Pick<RecordedResource, "urn" | "type" | "id" | "custom" | "inputs" | "region"> & {
  readonly options?: { readonly retainOnDelete: boolean };
};

export interface StackEvaluation {
  /** How the stack is named in the report: the stack, with `@account` when the account was chosen on the command line. */
  readonly label: string;
  readonly stack: string;
  readonly accountId: string;
  readonly resources: readonly ComparedResource[];
}

export interface NameClaim {
  readonly stack: string;
  readonly urn: string;
}

export interface SharedName {
  readonly type: string;
  /** The name as AWS shows it; for a record, `name type [set identifier]`. */
  readonly name: string;
  /** Human-readable scope: `all accounts`, `account 123456789012`, `account 123456789012 us-east-1`, `hosted zone Z...`. */
  readonly scope: string;
  readonly note: string;
  /** Every stack that claims it (two or more), in the order the stacks were given. */
  readonly claims: readonly NameClaim[];
}

export interface AccountSettingWrite {
  readonly stack: string;
  readonly urn: string;
  readonly type: string;
  readonly setting: string;
  readonly scope: string;
  readonly value: unknown;
  /** retainOnDelete: destroying the stack leaves the setting as it is. */
  readonly retained: boolean;
}

export interface SettingConflict {
  readonly setting: string;
  readonly scope: string;
  readonly writes: readonly AccountSettingWrite[];
}

/** A name left out of the comparison, and why. */
export interface UncomparedName {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface NeighbourReport {
  readonly sharedNames: readonly SharedName[];
  /** Every account-level setting each stack writes, stack by stack. */
  readonly settings: readonly AccountSettingWrite[];
  readonly settingConflicts: readonly SettingConflict[];
  readonly uncompared: readonly UncomparedName[];
}

function scopeLabel(scope: NameScope | AccountSettingRule["scope"], accountId: string, resource: ComparedResource): string {
  switch (scope) {
    case "partition":
      return "all accounts";
    case "account":
      return `account ${accountId}`;
    case "account-region":
      return `account ${accountId} ${resource.region ?? "(no region)"}`;
    case "hosted-zone":
      return `hosted zone ${String(resource.inputs.zoneId)}`;
  }
}

function recordName(resource: ComparedResource, rule: PhysicalNameRule): string | undefined {
  const values = rule.inputs.map((input) => resource.inputs[input]);
  if (typeof values[0] !== "string" || values[0] === "") return undefined;
  // Route 53 treats names case-insensitively and with or without the final dot.
  const first = rule.scope === "hosted-zone" ? values[0].toLowerCase().replace(/\.$/, "") : values[0];
  return [first, ...values.slice(1).filter((value) => value !== undefined && value !== "").map(String)].join(" ");
}

/**
 * IDs AWS generates (REST API IDs, VPC IDs, ...) of a stack's own resources:
 * a name that embeds one is unique by construction. Buckets and roles use
 * their name as ID, so they do not count.
 */
function generatedIds(evaluation: StackEvaluation): string[] {
  const names = new Set(evaluation.resources.flatMap((resource) => PHYSICAL_NAME_RULES.filter((rule) => rule.type === resource.type).map((rule) => resource.inputs[rule.inputs[0]])));
  return evaluation.resources.filter((resource) => resource.custom && resource.id.length >= 8 && !names.has(resource.id)).map((resource) => resource.id);
}

/** Compares the stacks pairwise through every namespace they share. */
export function compareStacks(evaluations: readonly StackEvaluation[]): NeighbourReport {
  const claims = new Map<string, { type: string; name: string; scope: string; note: string; claims: NameClaim[] }>();
  const uncompared: UncomparedName[] = [];
  const settings: AccountSettingWrite[] = [];
  for (const evaluation of evaluations) {
    const ids = generatedIds(evaluation);
    for (const resource of evaluation.resources) {
      for (const rule of PHYSICAL_NAME_RULES.filter((candidate) => candidate.type === resource.type)) {
        const name = recordName(resource, rule);
        if (name === undefined) continue;
        const embedded = ids.find((id) => name.includes(id));
        if (embedded !== undefined) {
          uncompared.push({ stack: evaluation.label, type: resource.type, name, reason: `embeds the generated ID ${embedded} of a resource of the same stack` });
          continue;
        }
        const scope = scopeLabel(rule.scope, evaluation.accountId, resource);
        const key = JSON.stringify([rule.type, scope, name]);
        const entry = claims.get(key) ?? { type: rule.type, name, scope, note: rule.note, claims: [] };
        if (!entry.claims.some((claim) => claim.stack === evaluation.label)) entry.claims.push({ stack: evaluation.label, urn: resource.urn });
        claims.set(key, entry);
      }
      for (const rule of ACCOUNT_SETTING_RULES.filter((candidate) => candidate.type === resource.type)) {
        settings.push({
          stack: evaluation.label,
          urn: resource.urn,
          type: resource.type,
          setting: rule.setting,
          scope: scopeLabel(rule.scope, evaluation.accountId, resource),
          value: resource.inputs[rule.valueInput],
          retained: resource.options?.retainOnDelete === true,
        });
      }
    }
  }
  const sharedNames = [...claims.values()]
    .filter((entry) => entry.claims.length > 1)
    .sort((a, b) => a.type.localeCompare(b.type) || a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name));

  const bySetting = new Map<string, AccountSettingWrite[]>();
  for (const write of settings) {
    const key = JSON.stringify([write.setting, write.scope]);
    bySetting.set(key, [...(bySetting.get(key) ?? []), write]);
  }
  const settingConflicts = [...bySetting.values()]
    .filter((writes) => new Set(writes.map((write) => write.stack)).size > 1)
    .map((writes) => ({ setting: writes[0].setting, scope: writes[0].scope, writes }))
    .sort((a, b) => a.setting.localeCompare(b.setting) || a.scope.localeCompare(b.scope));
  return { sharedNames, settings, settingConflicts, uncompared };
}
