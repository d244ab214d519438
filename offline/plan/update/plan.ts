import { ChangeKind, PropertyDiff, applyIgnoreChanges, diffInputs, diffKind, isWithin, stringsIn, topLevelKey } from "./diff";
import { REGION_RULE, ReplacementCause, ReplacementRules } from "./rules";
import { isReleaseStep } from "../release-step";
import { ResourceState, STACK_TYPE, StackState, nameOfUrn, providerUrnOf } from "./state";
import { TYPES } from "../../resource-types";

/**
 * The update plan: the current program's stack planned as an update of the
 * deployed one, resource by resource, with the op `pulumi preview` gives each
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go):
 *   - matched by URN, or through one of its `aliases` (an earlier URN);
 *   - a provider reference is compared as the engine's providerChanged does:
 *     the same provider, or a new provider one of whose aliases is the old
 *     provider's URN, is no change; a reference added or removed replaces the
 *     resource (ReplaceKeys ["provider"]); any other new provider is asked
 *     DiffConfig, which in @pulumi/aws 7 never asks for a replacement (version 7
 *     dropped ForcesProviderReplace from `region` when it moved the region into
 *     each resource: cfn-map.ts, provider configuration), so the resource is
 *     diffed as usual;
 *   - that diff includes the provider's region: @pulumi/aws 7 gives a
 *     region-aware resource a `region` input that defaults to its provider's
 *     region, so when the provider's region changes (another provider, or the
 *     same one's `region`) the resource's `region` changes and it is replaced;
 *     a resource of a global service (IAM, Route 53: global-services.ts) has
 *     no `region`, so a provider change never replaces it;
 *   - otherwise its inputs are diffed (after `ignoreChanges`) and each changed
 *     input is looked up in the replacement rules (rules.ts); a provider whose
 *     default tags differ updates each taggable resource's `tagsAll`;
 *   - values a dependent takes from a replaced resource (its ID, ARN and other
 *     outputs AWS computes) are unknown until the replacement exists, so the
 *     dependent's inputs that hold them count as changed, as in a real preview;
 *     so do a function's version outputs when it publishes a new version.
 * Pure: no evaluation, no files.
 */

/** Preview's ops (display.StepOp), as `pulumi preview --json --show-sames --show-replacement-steps` writes them. */
export type StepOp = "same" | "create" | "update" | "replace" | "create-replacement" | "delete-replaced" | "delete";

export interface Replacement {
  readonly order: "create-first" | "delete-first";
  /** Why it runs in that order. */
  readonly orderWhy: string;
  /** Why it is replaced: the provider change, or each input that forces it with its rule. */
  readonly because: readonly string[];
  /** True when the order was inferred rather than read (a real preview without replacement steps). */
  readonly orderInferred?: boolean;
}

export interface UpdateStep {
  readonly op: StepOp;
  readonly urn: string;
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly old?: ResourceState;
  readonly new?: ResourceState;
  /** Preview's detailedDiff: null for creates, deletes, sames and provider-change replacements (as the engine writes them). */
  readonly detailedDiff: Readonly<Record<string, PropertyDiff>> | null;
  /** Top-level inputs that changed (preview's diffReasons). */
  readonly diffReasons: readonly string[];
  /** Top-level inputs (`region` for a provider in another region, `provider` for one added or removed) that force the replacement (preview's replaceReasons). */
  readonly replaceReasons: readonly string[];
  readonly replacement?: Replacement;
  /** `release`, `publishes a new Lambda version`, or an input without a rule. */
  readonly notes: readonly string[];
  /** False for create-replacement and delete-replaced, which preview shows only with --show-replacement-steps. */
  readonly logical: boolean;
  /** Input paths whose values come from a replaced resource, so are unknown until the update runs (offline plan only). */
  readonly unknownPaths?: readonly string[];
}

export interface UpdatePlan {
  /** In the order preview lists them: the stack, then each resource in registration order, then the deletes. */
  readonly steps: readonly UpdateStep[];
  /** Logical steps by op (preview's changeSummary). */
  readonly changeSummary: Readonly<Partial<Record<StepOp, number>>>;
  readonly oldOutputs: Readonly<Record<string, unknown>>;
  readonly newOutputs: Readonly<Record<string, unknown>>;
  /** Old resources, by URN (the deployed side), for the hazard rules. */
  readonly deployed: readonly ResourceState[];
}

/** Values a dependent may hold that will change: exact for short ones (a version "1"), contained for IDs and ARNs. */
interface ChangingValues {
  readonly values: readonly string[];
  readonly why: string;
}

/** Shorter values are matched whole only, so "1" or "dev" never match inside unrelated text. */
const CONTAINMENT_MIN_LENGTH = 8;
const MIN_VALUE_LENGTH = 1;

function holds(candidate: string, value: string): boolean {
  return candidate === value || (value.length >= CONTAINMENT_MIN_LENGTH && candidate.includes(value));
}

/** The values AWS computes for a resource (its ID and outputs that are not inputs), which a replacement changes. */
function computedValues(resource: ResourceState): string[] {
  const values = resource.id ? [resource.id] : [];
  for (const [key, value] of Object.entries(resource.outputs)) {
    if (key in resource.inputs) continue;
    for (const found of stringsIn(value)) if (found.value.length >= MIN_VALUE_LENGTH) values.push(found.value);
  }
  return values;
}

/** The outputs a function with `publish` changes on every update: its new version number and the ARNs that carry it. */
const PUBLISHED_VERSION_OUTPUTS = ["version", "qualifiedArn", "qualifiedInvokeArn"];

function sameStep(previous: ResourceState, next: ResourceState): UpdateStep {
  return { op: "same", urn: next.urn, type: next.type, name: nameOfUrn(next.urn), old: previous, new: next, detailedDiff: null, diffReasons: [], replaceReasons: [], notes: [], logical: true };
}

interface Compared {
  readonly steps: UpdateStep[];
  /** delete-replaced of a create-first replacement: it runs after every create and update. */
  readonly lateDelete?: UpdateStep;
  readonly changing?: ChangingValues;
}

export class UpdatePlanner {
  private readonly changingByUrn = new Map<string, ChangingValues>();
  private readonly oldProviders = new Map<string, ResourceState>();
  private readonly newProviders = new Map<string, ResourceState>();
  /** Old URN -> new URN of every resource matched through an alias (the engine's `aliased` map). */
  private readonly aliased = new Map<string, string>();

  constructor(
    private readonly deployed: StackState,
    private readonly desired: StackState,
    private readonly rules: ReplacementRules,
  ) {
    for (const resource of deployed.resources) if (rules.isProvider(resource.type)) this.oldProviders.set(resource.urn, resource);
    for (const resource of desired.resources) if (rules.isProvider(resource.type)) this.newProviders.set(resource.urn, resource);
  }

  plan(): UpdatePlan {
    const oldByUrn = new Map(this.deployed.resources.map((resource) => [resource.urn, resource]));
    const matched = new Set<string>();
    const steps: UpdateStep[] = [];
    const lateDeletes: UpdateStep[] = [];
    if (this.desired.stackUrn) {
      steps.push({ op: "same", urn: this.desired.stackUrn, type: STACK_TYPE, name: nameOfUrn(this.desired.stackUrn), detailedDiff: null, diffReasons: [], replaceReasons: [], notes: [], logical: true });
    }
    for (const next of this.desired.resources) {
      const previous = oldByUrn.get(next.urn) ?? next.aliases.map((alias) => oldByUrn.get(alias)).find((found) => found !== undefined && !matched.has(found.urn));
      if (!previous) {
        steps.push({ op: "create", urn: next.urn, type: next.type, name: nameOfUrn(next.urn), new: next, detailedDiff: null, diffReasons: [], replaceReasons: [], notes: [], logical: true });
        continue;
      }
      matched.add(previous.urn);
      if (previous.urn !== next.urn) this.aliased.set(previous.urn, next.urn);
      const compared = this.compare(previous, next);
      steps.push(...compared.steps);
      if (compared.lateDelete) lateDeletes.push(compared.lateDelete);
      if (compared.changing) this.changingByUrn.set(next.urn, compared.changing);
    }
    const deletes = this.deployed.resources
      .filter((resource) => !matched.has(resource.urn))
      .map((old): UpdateStep => ({ op: "delete", urn: old.urn, type: old.type, name: nameOfUrn(old.urn), old, detailedDiff: null, diffReasons: [], replaceReasons: [], notes: [], logical: true }));
    // Deletes run after every create and update, dependents before what they depend on: reverse registration order.
    const order = new Map(this.deployed.resources.map((resource, index) => [resource.urn, index]));
    const late = [...lateDeletes, ...deletes].sort((a, b) => (order.get(b.urn) ?? 0) - (order.get(a.urn) ?? 0));
    const all = [...steps, ...late];
    const changeSummary: Partial<Record<StepOp, number>> = {};
    for (const step of all) if (step.logical) changeSummary[step.op] = (changeSummary[step.op] ?? 0) + 1;
    return { steps: all, changeSummary, oldOutputs: this.deployed.outputs, newOutputs: this.desired.outputs, deployed: this.deployed.resources };
  }

  private compare(previous: ResourceState, next: ResourceState): Compared {
    const { rules } = this;
    const name = nameOfUrn(next.urn);
    const base = { urn: next.urn, type: next.type, name, old: previous, new: next };
    const oldProvider = providerUrnOf(previous.provider);
    const newProvider = providerUrnOf(next.provider);
    const unknown = this.unknownInputs(next);
    const custom = next.custom && !rules.isProvider(next.type);
    // step_generator.go providerChanged: a custom resource that gains or loses its provider reference is replaced.
    if (custom && (oldProvider === undefined) !== (newProvider === undefined)) {
      const cause: ReplacementCause = { kind: "provider", from: oldProvider, to: newProvider };
      const order = rules.replacementOrder(next.type, next.inputs, next.deleteBeforeReplace, cause, previous.inputs);
      const because = [`its provider changes from ${oldProvider ? nameOfUrn(oldProvider) : "none"} to ${newProvider ? nameOfUrn(newProvider) : "none"}`];
      return this.replacementSteps({ ...base, unknownPaths: [...unknown.keys()] }, null, [], ["provider"], { order: order.order, orderWhy: order.why, because }, []);
    }
    const regionMove = custom ? this.regionMove(previous, next) : undefined;

    const changes = new Map<string, ChangeKind>(diffInputs(previous.inputs, applyIgnoreChanges(previous.inputs, next.inputs, next.ignoreChanges)));
    const unknownBecause = new Set<string>();
    for (const [path, why] of unknown) {
      if (changes.has(path)) continue;
      changes.set(path, "update");
      unknownBecause.add(`${path}: ${why}`);
    }
    if (regionMove) changes.set("region", "update");
    const tagsChanged = this.defaultTagsChange(previous, next);
    if (tagsChanged && rules.isTaggable(next.type)) changes.set("tagsAll", "update");
    if (changes.size === 0) return { steps: [sameStep(previous, next)] };

    const notes: string[] = [...unknownBecause].map((text) => `unknown until applied: ${text}`);
    const providerNote = this.providerNote(previous, next);
    if (providerNote) notes.push(providerNote);
    if (isReleaseStep({ type: next.type, name })) notes.unshift("release: a new Lambda version is rolled out");
    const detailedDiff: Record<string, PropertyDiff> = {};
    const replaceReasons = new Set<string>();
    const because: string[] = [];
    for (const [path, change] of changes) {
      if (path === "tagsAll") {
        detailedDiff[path] = { kind: "update", inputDiff: false };
        continue;
      }
      if (path === "region" && regionMove) {
        // The provider fills `region` in from its configuration (Check), so a real preview shows it as an input.
        detailedDiff[path] = { kind: "update-replace", inputDiff: true };
        replaceReasons.add("region");
        because.push(`region: its provider's region changes from ${regionMove.from} to ${regionMove.to}; ${REGION_RULE}`);
        continue;
      }
      const key = topLevelKey(path);
      const rule = custom ? rules.fieldRule(next.type, key) : undefined;
      detailedDiff[path] = { kind: diffKind(change, rule?.replaces === true), inputDiff: true };
      if (rule?.replaces) {
        if (!replaceReasons.has(key)) because.push(`${key}: ${rule.why}`);
        replaceReasons.add(key);
      }
      if (rule?.source === "unmapped" && !notes.includes(rule.why)) notes.push(rule.why);
    }
    const diffReasons = [...new Set([...changes.keys()].map(topLevelKey))];
    if (replaceReasons.size > 0) {
      const order = rules.replacementOrder(next.type, next.inputs, next.deleteBeforeReplace, { kind: "properties" }, previous.inputs);
      return this.replacementSteps({ ...base, unknownPaths: [...unknown.keys()] }, detailedDiff, diffReasons, [...replaceReasons], { order: order.order, orderWhy: order.why, because }, notes);
    }
    let changing: ChangingValues | undefined;
    if (next.type === TYPES.function && next.inputs.publish === true) {
      notes.push("publishes a new Lambda version");
      const values = PUBLISHED_VERSION_OUTPUTS.flatMap((key) => (typeof previous.outputs[key] === "string" ? [previous.outputs[key] as string] : []));
      changing = { values, why: `${name} publishes a new version` };
    }
    return { steps: [{ ...base, op: "update", detailedDiff, diffReasons, replaceReasons: [], notes, logical: true, unknownPaths: [...unknown.keys()] }], ...(changing ? { changing } : {}) };
  }

  /** Input paths that hold a value a dependency is about to change (a replaced resource's ID or ARN, a new version). */
  private unknownInputs(next: ResourceState): Map<string, string> {
    const unknown = new Map<string, string>();
    for (const dependency of next.dependencies) {
      const changing = this.changingByUrn.get(dependency);
      if (!changing) continue;
      for (const found of stringsIn(next.inputs)) {
        if (next.ignoreChanges.some((ignored) => isWithin(found.path, ignored))) continue;
        if (!unknown.has(found.path) && changing.values.some((value) => holds(found.value, value))) unknown.set(found.path, changing.why);
      }
    }
    return unknown;
  }

  /**
   * The regions of the resource's old and new provider, when they differ and the resource is region-aware and sets
   * no `region` of its own: the provider's region is then the resource's, and it changes.
   */
  private regionMove(previous: ResourceState, next: ResourceState): { from: string; to: string } | undefined {
    if (!this.rules.isRegionAware(next.type) || previous.inputs.region !== undefined || next.inputs.region !== undefined) return undefined;
    const from = this.oldProviders.get(providerUrnOf(previous.provider) ?? "")?.inputs.region;
    const to = this.newProviders.get(providerUrnOf(next.provider) ?? "")?.inputs.region;
    return typeof from === "string" && typeof to === "string" && from !== to ? { from, to } : undefined;
  }

  /**
   * The default tags of the resource's old provider differ from its new provider's (the same provider with new
   * tags, or another provider): every taggable resource's `tagsAll` is updated. A provider matched through an
   * alias is the same provider (the engine's providerChanged).
   */
  private defaultTagsChange(previous: ResourceState, next: ResourceState): boolean {
    const oldUrn = providerUrnOf(previous.provider);
    const newUrn = providerUrnOf(next.provider);
    if (!oldUrn || !newUrn) return false;
    const before = this.oldProviders.get(oldUrn);
    const after = this.newProviders.get(newUrn);
    return before !== undefined && after !== undefined && JSON.stringify(before.inputs.defaultTags ?? null) !== JSON.stringify(after.inputs.defaultTags ?? null);
  }

  /** How the engine sees a resource's provider reference change (step_generator.go providerChanged), for the notes. */
  private providerNote(previous: ResourceState, next: ResourceState): string | undefined {
    const oldUrn = providerUrnOf(previous.provider);
    const newUrn = providerUrnOf(next.provider);
    if (!oldUrn || !newUrn || oldUrn === newUrn || this.aliased.get(oldUrn) === newUrn) return undefined;
    return `its provider changes from ${nameOfUrn(oldUrn)} to ${nameOfUrn(newUrn)}; @pulumi/aws's DiffConfig asks for no replacement, so only its inputs decide`;
  }

  private replacementSteps(
    base: { urn: string; type: string; name: string; old: ResourceState; new: ResourceState; unknownPaths: readonly string[] },
    detailedDiff: Record<string, PropertyDiff> | null,
    diffReasons: readonly string[],
    replaceReasons: readonly string[],
    replacement: Replacement,
    notes: readonly string[],
  ): Compared {
    const shared = { ...base, detailedDiff, diffReasons, replaceReasons, replacement, notes };
    const replace: UpdateStep = { ...shared, op: "replace", logical: true };
    const create: UpdateStep = { ...shared, op: "create-replacement", logical: false };
    const remove: UpdateStep = { ...shared, op: "delete-replaced", logical: false };
    const changing: ChangingValues = { values: computedValues(base.old), why: `${base.name} is replaced` };
    if (replacement.order === "delete-first") return { steps: [remove, replace, create], changing };
    return { steps: [create, replace], lateDelete: remove, changing };
  }
}

/** Plans `desired` as an update of `deployed`. */
export function planUpdate(deployed: StackState, desired: StackState, rules: ReplacementRules): UpdatePlan {
  return new UpdatePlanner(deployed, desired, rules).plan();
}

/** The replaced resources' logical steps, in plan order. */
export function replacementsOf(plan: UpdatePlan): UpdateStep[] {
  return plan.steps.filter((step) => step.op === "replace");
}
