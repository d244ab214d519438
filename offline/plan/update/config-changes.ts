import { loadStackConfig } from "../../stack-config/loader";
import type { ProgramEvaluator } from "./evaluations";
import { stackStateOfEvaluation } from "./desired";
import { Hazard, findHazards } from "./hazards";
import { UpdatePlan, UpdateStep, planUpdate } from "./plan";
import type { ReplacementRules } from "./rules";
import { ResourceState, STACK_TYPE, StackState } from "./state";
import { TYPES } from "../../resource-types";

/**
 * What changing each config key (and editing the handler) does to a live
 * stack, found by running the update plan: the table of docs/updates.md.
 * Each change is planned against the example dev stack (Pulumi.dev.yaml),
 * or against it with the option the key belongs to turned on.
 */

export interface ConfigChange {
  /** The config key (Pulumi.yaml), or `handler` for an edit to lambda/handler.ts. */
  readonly key: string;
  /** The change, as a reader would say it. */
  readonly change: string;
  /** --config overrides of the deployed side (beyond Pulumi.dev.yaml). */
  readonly base: readonly string[];
  /** --config overrides of the changed side (on top of `base`). */
  readonly overrides: readonly string[];
}

const DOMAIN = ["domainName=api.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ"];
const CACHE = ["enableApiCache=true"];

/** One change per key, with the value it is changed to; every key of Pulumi.yaml has at least one. */
export const CONFIG_CHANGES: readonly ConfigChange[] = [
  { key: "projectName", change: "iac-aws-nova -> acme-api", base: [], overrides: ["projectName=acme-api"] },
  { key: "environmentSuffix", change: "dev -> staging", base: [], overrides: ["environmentSuffix=staging"] },
  { key: "regions", change: "add a region (+ eu-west-1)", base: [], overrides: ['regions=["us-east-1","us-west-2","eu-west-1"]'] },
  { key: "regions", change: "drop the second region (- us-west-2)", base: [], overrides: ['regions=["us-east-1"]'] },
  { key: "regions", change: "reorder (us-west-2 first)", base: [], overrides: ['regions=["us-west-2","us-east-1"]'] },
  { key: "allowedAccountIds", change: "[] -> [111111111111]", base: [], overrides: ['allowedAccountIds=["111111111111"]'] },
  { key: "enableNatGateway", change: "false -> true", base: [], overrides: ["enableNatGateway=true"] },
  { key: "enableFlowLogs", change: "true -> false", base: [], overrides: ["enableFlowLogs=false"] },
  { key: "logRetentionDays", change: "30 -> 90", base: [], overrides: ["logRetentionDays=90"] },
  { key: "lambdaMemoryMb", change: "128 -> 256", base: [], overrides: ["lambdaMemoryMb=256"] },
  { key: "lambdaTimeoutSeconds", change: "30 -> 60", base: [], overrides: ["lambdaTimeoutSeconds=60"] },
  { key: "lambdaArchitecture", change: "arm64 -> x86_64", base: [], overrides: ["lambdaArchitecture=x86_64"] },
  { key: "lambdaReservedConcurrency", change: "unset -> 10", base: [], overrides: ["lambdaReservedConcurrency=10"] },
  { key: "lambdaProvisionedConcurrency", change: "0 -> 2", base: [], overrides: ["lambdaProvisionedConcurrency=2"] },
  { key: "apiThrottlingRateLimit", change: "100 -> 200", base: [], overrides: ["apiThrottlingRateLimit=200"] },
  { key: "apiThrottlingBurstLimit", change: "50 -> 100", base: [], overrides: ["apiThrottlingBurstLimit=100"] },
  { key: "apiLoggingLevel", change: "ERROR -> INFO", base: [], overrides: ["apiLoggingLevel=INFO"] },
  { key: "manageApiGatewayAccount", change: "true -> false (Pulumi.dev.yaml sets true)", base: [], overrides: ["manageApiGatewayAccount=false"] },
  { key: "alarmEmail", change: "unset -> ops@example.com", base: [], overrides: ["alarmEmail=ops@example.com"] },
  { key: "domainName", change: "unset -> api.example.com (with hostedZoneId)", base: [], overrides: DOMAIN },
  { key: "hostedZoneId", change: "another zone (domainName set)", base: DOMAIN, overrides: ["hostedZoneId=Z9876543210ZYXWVUTSRQ"] },
  { key: "routingPolicy", change: "latency -> failover (domainName set)", base: DOMAIN, overrides: ["routingPolicy=failover"] },
  { key: "healthCheckIntervalSeconds", change: "30 -> 10 (domainName set)", base: DOMAIN, overrides: ["healthCheckIntervalSeconds=10"] },
  { key: "healthCheckFailureThreshold", change: "3 -> 5 (domainName set)", base: DOMAIN, overrides: ["healthCheckFailureThreshold=5"] },
  { key: "enableWaf", change: "false -> true", base: [], overrides: ["enableWaf=true"] },
  { key: "enableApiCache", change: "false -> true", base: [], overrides: CACHE },
  { key: "apiCacheSizeGb", change: "0.5 -> 1.6 (enableApiCache on)", base: CACHE, overrides: ["apiCacheSizeGb=1.6"] },
  { key: "rollout", change: "all-at-once -> canary", base: [], overrides: ["rollout=canary"] },
  { key: "rollout", change: "canary -> linear", base: ["rollout=canary"], overrides: ["rollout=linear"] },
];

/** The row for an edit to the handler: the deployed functions' code differs from the current build. */
export const HANDLER_EDIT: ConfigChange = { key: "handler", change: "edit lambda/handler.ts", base: [], overrides: [] };

/** The deployed stack as it was before a handler edit: each function's archive has another hash. */
export function withEditedHandler(deployed: StackState): StackState {
  const edited = (resource: ResourceState): ResourceState => {
    if (resource.type !== TYPES.function) return resource;
    const code = resource.inputs.code as Record<string, unknown> | undefined;
    return { ...resource, inputs: { ...resource.inputs, code: { ...code, hash: "0".repeat(64), assets: {} } } };
  };
  return { ...deployed, resources: deployed.resources.map(edited) };
}

export interface ConfigChangeResult {
  readonly change: ConfigChange;
  readonly plan: UpdatePlan;
  readonly hazards: readonly Hazard[];
}

/** Plans every change, evaluating each distinct configuration once. */
export async function planConfigChanges(
  evaluator: ProgramEvaluator,
  projectDir: string,
  stack: string,
  rules: ReplacementRules,
  changes: readonly ConfigChange[] = [...CONFIG_CHANGES, HANDLER_EDIT],
): Promise<ConfigChangeResult[]> {
  const states = new Map<string, StackState>();
  const stateOf = async (overrides: readonly string[]): Promise<StackState> => {
    const key = JSON.stringify(overrides);
    const known = states.get(key);
    if (known) return known;
    const config = loadStackConfig(projectDir, stack, overrides);
    const state = stackStateOfEvaluation(config.project, config.stack, await evaluator.evaluate(config.values));
    states.set(key, state);
    return state;
  };
  const results: ConfigChangeResult[] = [];
  for (const change of changes) {
    const before = await stateOf(change.base);
    const deployed = change === HANDLER_EDIT ? withEditedHandler(before) : before;
    const desired = await stateOf([...change.base, ...change.overrides]);
    const plan = planUpdate(deployed, desired, rules);
    results.push({ change, plan, hazards: findHazards({ steps: plan.steps, deployed: plan.deployed, oldOutputs: plan.oldOutputs, newOutputs: plan.newOutputs }, rules) });
  }
  return results;
}

function shortType(type: string): string {
  const match = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return match ? `${match[1]}:${match[2]}` : type.replace(/^pulumi:providers:/, "provider:");
}

/** `2 lambda:Function`, or, past four types, `99 resources of 31 types`. */
function typeCounts(steps: readonly UpdateStep[]): string {
  const counts = new Map<string, number>();
  for (const step of steps) if (step.type !== STACK_TYPE && !step.type.startsWith("tap:")) counts.set(shortType(step.type), (counts.get(shortType(step.type)) ?? 0) + 1);
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (counts.size > 4) return `${total} resources of ${counts.size} types`;
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `${count} ${type}`).join(", ");
}

/** What the change does, in words: in place, creates, replaces (and in which order), deletes. */
export function effectOf(plan: UpdatePlan): string {
  const of = (op: string) => plan.steps.filter((step) => step.op === op && !step.type.startsWith("tap:") && step.type !== STACK_TYPE);
  const parts: string[] = [];
  const updates = of("update");
  if (updates.length > 0) {
    const fields = [...new Set(updates.flatMap((step) => step.diffReasons))].sort();
    parts.push(`in place: ${typeCounts(updates)} (${fields.join(", ")})`);
  }
  const replaces = of("replace");
  if (replaces.length > 0) {
    const orders = [...new Set(replaces.map((step) => step.replacement?.order ?? "create-first"))].sort().join(" and ");
    parts.push(`replaces ${typeCounts(replaces)} (${orders})`);
  }
  const creates = of("create");
  if (creates.length > 0) parts.push(`creates ${typeCounts(creates)}`);
  const deletes = of("delete").filter((step) => !step.old?.retainOnDelete);
  if (deletes.length > 0) parts.push(`deletes ${typeCounts(deletes)}`);
  const retained = of("delete").filter((step) => step.old?.retainOnDelete === true);
  if (retained.length > 0) parts.push(`forgets ${typeCounts(retained)} (retainOnDelete: AWS keeps them)`);
  return parts.length > 0 ? parts.join("; ") : "nothing";
}

const HAZARD_WORDS: Readonly<Record<Hazard["kind"], string>> = {
  "fixed-name-create-first": "create-first under a fixed name",
  "parent-key-create-first": "create-first under its parent's key",
  "data-loss": "data lost",
  "lambda-network": "Lambda network replaced",
  "client-url": "client URL changes",
  "rollout-switch": "rollout switched with a code change",
};

/** The hazards, grouped by kind, with the resources (or outputs) each names. */
export function hazardSummary(hazards: readonly Hazard[]): string {
  if (hazards.length === 0) return "none";
  const byKind = new Map<Hazard["kind"], Hazard[]>();
  for (const hazard of hazards) byKind.set(hazard.kind, [...(byKind.get(hazard.kind) ?? []), hazard]);
  return [...byKind.entries()]
    .map(([kind, list]) => {
      const counts = new Map<string, number>();
      for (const hazard of list) {
        const label = hazard.type === "output" ? hazard.name.replace(/\[.*\]$/, "") : shortType(hazard.type);
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      return `**${HAZARD_WORDS[kind]}**: ${[...counts.entries()].map(([label, count]) => `${count} ${label}`).join(", ")}`;
    })
    .join("; ");
}

/** The markdown table: one row per change. */
export function renderConfigTable(results: readonly ConfigChangeResult[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const lines = ["| key | change | what the update does | hazards (exit 6) |", "| --- | --- | --- | --- |"];
  for (const { change, plan, hazards } of results) {
    lines.push(`| \`${change.key}\` | ${escape(change.change)} | ${escape(effectOf(plan))} | ${escape(hazardSummary(hazards))} |`);
  }
  return `${lines.join("\n")}\n`;
}
