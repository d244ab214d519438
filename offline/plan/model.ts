import type { RecordedResource } from "../mock-cloud";
import type { AccountSource } from "../stack-config/account";

/**
 * The plan as data: every registered resource plus the root stack resource,
 * the parent/child tree, each resource's region, and counts. Pure: built from
 * what the mock cloud recorded, with no knowledge of which resources the
 * program creates.
 */

/** Type token of the root resource the engine registers for every stack. */
export const STACK_TYPE = "pulumi:pulumi:Stack";
/** Type token of explicit AWS providers. */
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";
/** Summary column for resources that belong to no single region. */
export const GLOBAL_COLUMN = "global";

export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** False for components and the stack. */
  readonly custom: boolean;
  /** Parent URN; top-level resources have the stack as parent, as under the engine. */
  readonly parent: string | undefined;
  /** Provider URN (custom resources on an explicit provider only). */
  readonly provider: string | undefined;
  /** Provider reference as the engine writes it: `<provider urn>::<provider id>`. */
  readonly providerReference: string | undefined;
  readonly dependencies: readonly string[];
  readonly inputs: Record<string, unknown>;
  /** Inputs plus the mock's placeholder outputs (for the stack: its outputs). */
  readonly state: Record<string, unknown>;
  /** Placeholder ID (custom resources). */
  readonly id: string | undefined;
  /**
   * The one region the resource belongs to: its provider's for custom
   * resources; for components, the region all their descendants share.
   * Undefined when it spans regions or uses the default provider.
   */
  readonly region: string | undefined;
  /** True for the root stack resource, which the mock runtime does not register: the plan adds it. */
  readonly synthesized: boolean;
  /** The `retainOnDelete` option: `pulumi destroy` forgets the resource but AWS keeps it. */
  readonly retainOnDelete: boolean;
  /** The `protect`, `deleteBeforeReplace` and `ignoreChanges` options (what an update obeys). */
  readonly protect: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  /** The `aliases` option, as the URNs the SDK computed: earlier identities of this resource (the update plan matches through them). */
  readonly aliases: readonly string[];
}

export interface PlanModel {
  readonly project: string;
  readonly stack: string;
  readonly stackUrn: string;
  /** The stack first, then every registered resource in registration order. */
  readonly resources: readonly PlanResource[];
  /** Regions of the explicit AWS providers, in the order they were registered. */
  readonly regions: readonly string[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The account ID in every placeholder ARN. */
  readonly placeholderAccountId: string;
  /** Where placeholderAccountId came from (stack-config/account.ts). */
  readonly accountSource: AccountSource;
}

export interface PlanInput {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The mock cloud's PLACEHOLDER_ACCOUNT_ID (passed in, so this module never loads the Pulumi SDK). */
  readonly placeholderAccountId: string;
  /** Where placeholderAccountId came from. @default "placeholder" */
  readonly accountSource?: AccountSource;
}

/** The URN the engine gives the root stack resource. */
export function stackUrnOf(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`;
}

export function buildPlanModel(input: PlanInput): PlanModel {
  const stackUrn = stackUrnOf(input.project, input.stack);
  const recorded = input.resources;
  const idByUrn = new Map(recorded.map((resource) => [resource.urn, resource.id]));

  const childrenOf = new Map<string, RecordedResource[]>();
  for (const resource of recorded) {
    const parent = resource.parent ?? stackUrn;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), resource]);
  }
  // A component's region is the one region every cloud resource beneath it uses.
  const regionsBeneath = new Map<string, ReadonlySet<string | undefined>>();
  const collectRegions = (resource: RecordedResource): ReadonlySet<string | undefined> => {
    const cached = regionsBeneath.get(resource.urn);
    if (cached) return cached;
    const regions = new Set<string | undefined>(resource.custom ? [resource.region] : []);
    for (const child of childrenOf.get(resource.urn) ?? []) collectRegions(child).forEach((region) => regions.add(region));
    regionsBeneath.set(resource.urn, regions);
    return regions;
  };

  const stackResource: PlanResource = {
    urn: stackUrn,
    type: STACK_TYPE,
    name: `${input.project}-${input.stack}`,
    custom: false,
    parent: undefined,
    provider: undefined,
    providerReference: undefined,
    dependencies: [],
    inputs: {},
    state: { ...input.outputs },
    id: undefined,
    region: undefined,
    synthesized: true,
    retainOnDelete: false,
    protect: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    aliases: [],
  };
  const planned: PlanResource[] = recorded.map((resource) => {
    const regions = collectRegions(resource);
    const providerId = resource.provider ? idByUrn.get(resource.provider) : undefined;
    return {
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      custom: resource.custom,
      parent: resource.parent ?? stackUrn,
      provider: resource.provider,
      providerReference: resource.provider ? `${resource.provider}::${providerId}` : undefined,
      dependencies: [...resource.dependencies],
      inputs: resource.inputs,
      // A component's outputs are what it passes to registerOutputs, which the mock does not record; its mock state is noise.
      state: resource.custom ? resource.state : {},
      id: resource.custom ? resource.id : undefined,
      region: regions.size === 1 ? [...regions][0] : undefined,
      synthesized: false,
      retainOnDelete: resource.options.retainOnDelete,
      protect: resource.options.protect,
      deleteBeforeReplace: resource.options.deleteBeforeReplace,
      ignoreChanges: [...resource.options.ignoreChanges],
      aliases: [...resource.options.aliases],
    };
  });

  const regions: string[] = [];
  for (const resource of recorded) {
    if (resource.type === AWS_PROVIDER_TYPE && resource.region && !regions.includes(resource.region)) regions.push(resource.region);
  }
  return {
    project: input.project,
    stack: input.stack,
    stackUrn,
    resources: [stackResource, ...planned],
    regions,
    outputs: input.outputs,
    placeholderAccountId: input.placeholderAccountId,
    accountSource: input.accountSource ?? "placeholder",
  };
}

/**
 * Creation wave of each resource: 0 for a resource that depends on nothing in
 * the plan, else one more than its deepest dependency. Siblings are listed by
 * wave, so a reader sees a VPC before its subnets.
 */
export function creationWaves(model: PlanModel): ReadonlyMap<string, number> {
  const byUrn = new Map(model.resources.map((resource) => [resource.urn, resource]));
  const waves = new Map<string, number>();
  const visiting = new Set<string>();
  const waveOf = (urn: string): number => {
    const known = waves.get(urn);
    if (known !== undefined) return known;
    // A cycle cannot come from the SDK (dependencies must exist first); guard anyway so the plan never hangs.
    if (visiting.has(urn)) return 0;
    visiting.add(urn);
    const dependencies = (byUrn.get(urn)?.dependencies ?? []).filter((dependency) => byUrn.has(dependency));
    const wave = dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map(waveOf));
    visiting.delete(urn);
    waves.set(urn, wave);
    return wave;
  };
  model.resources.forEach((resource) => waveOf(resource.urn));
  return waves;
}

/** Children of each resource, ordered by creation wave, then type, then name. */
export function childrenByParent(model: PlanModel): ReadonlyMap<string, readonly PlanResource[]> {
  const waves = creationWaves(model);
  const children = new Map<string, PlanResource[]>();
  for (const resource of model.resources) {
    if (resource.parent === undefined) continue;
    children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
  }
  for (const list of children.values()) {
    list.sort((a, b) => (waves.get(a.urn) ?? 0) - (waves.get(b.urn) ?? 0) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  }
  return children;
}

/** One row of the summary table: how many resources of a type each region gets. */
export interface TypeCount {
  readonly type: string;
  /** Column (a region, or GLOBAL_COLUMN) -> count. */
  readonly byColumn: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface ResourceCounts {
  /** The provider regions, then GLOBAL_COLUMN when any resource belongs to no single region. */
  readonly columns: readonly string[];
  /** One row per type, sorted by type. */
  readonly rows: readonly TypeCount[];
  /** Column -> count over all types. */
  readonly totalByColumn: Readonly<Record<string, number>>;
  readonly total: number;
}

/** Counts every planned resource (the stack, components and providers included) by type and region. */
export function countResources(model: PlanModel): ResourceCounts {
  const columnOf = (resource: PlanResource) => (resource.region !== undefined && model.regions.includes(resource.region) ? resource.region : GLOBAL_COLUMN);
  const usesGlobal = model.resources.some((resource) => columnOf(resource) === GLOBAL_COLUMN);
  const columns = [...model.regions, ...(usesGlobal ? [GLOBAL_COLUMN] : [])];
  const counts = new Map<string, Record<string, number>>();
  for (const resource of model.resources) {
    const row = counts.get(resource.type) ?? {};
    const column = columnOf(resource);
    row[column] = (row[column] ?? 0) + 1;
    counts.set(resource.type, row);
  }
  const rows = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, byColumn]) => ({ type, byColumn, total: Object.values(byColumn).reduce((sum, count) => sum + count, 0) }));
  const totalByColumn = Object.fromEntries(columns.map((column) => [column, rows.reduce((sum, row) => sum + (row.byColumn[column] ?? 0), 0)]));
  return { columns, rows, totalByColumn, total: model.resources.length };
}

/** What a count of resources is made of: `pulumi preview` lists all four kinds as resources. */
export interface ResourceKinds {
  /** Custom resources other than providers: what AWS creates. */
  readonly aws: number;
  readonly providers: number;
  /** Component resources (tap's own types). */
  readonly components: number;
  /** The root pulumi:pulumi:Stack resource. */
  readonly stack: number;
}

/**
 * Sorts resources into ResourceKinds. An evaluation's recording lacks the
 * root stack resource, which the engine registers itself: `withRootStack`
 * counts it all the same, so that every tool counts the same thing.
 */
export function resourceKinds(resources: readonly Pick<PlanResource, "type" | "custom">[], withRootStack = false): ResourceKinds {
  const stacks = resources.filter((resource) => resource.type === STACK_TYPE).length;
  const providers = resources.filter((resource) => resource.type.startsWith("pulumi:providers:")).length;
  const aws = resources.filter((resource) => resource.custom).length - providers;
  return { aws, providers, components: resources.length - stacks - providers - aws, stack: stacks + (withRootStack ? 1 : 0) };
}

/** "114 resources: 86 AWS resources, 2 providers, 25 components and the stack". */
export function describeResourceKinds(kinds: ResourceKinds): string {
  const total = kinds.aws + kinds.providers + kinds.components + kinds.stack;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `${plural(total, "resource")}: ${plural(kinds.aws, "AWS resource")}, ${plural(kinds.providers, "provider")}, ${plural(kinds.components, "component")}${kinds.stack === 1 ? " and the stack" : ""}`;
}

