/**
 * The order in which `pulumi destroy` deletes a stack, computed from the
 * graph the engine records. Pure: no Pulumi SDK, no knowledge of the program.
 *
 * The engine (pkg/resource/deploy, ScheduleDeletes) deletes in rounds: each
 * round takes every condemned resource that nothing still condemned depends
 * on, runs those deletes in parallel, and waits for all of them before the
 * next round. "Depends on" is the engine's DependingOn: a resource X must
 * outlive
 *  - every resource that lists X in its dependencies (explicit `dependsOn`
 *    and the dependencies that come from Output properties),
 *  - every child of X (a component goes after its children),
 *  - every resource bound to X when X is a provider.
 * (The engine also counts `deletedWith`, which tap does not use and the mock
 * does not record.)
 * So a resource's step is one more than the latest step of those that must go
 * before it, and 1 when there are none.
 */

/** The parts of a planned resource the destroy order reads. */
export interface DestroyNode {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Parent URN (undefined for the root stack). */
  readonly parent?: string;
  /** Provider URN, for a resource bound to an explicit provider. */
  readonly provider?: string;
  /** Explicit dependsOn plus the dependencies from Output properties. */
  readonly dependencies: readonly string[];
  /** `retainOnDelete`: the engine drops it from the state in its step, but AWS keeps it. */
  readonly retainOnDelete?: boolean;
}

/** One round of deletes: everything in it runs in parallel. */
export interface DestroyStep<T extends DestroyNode> {
  /** 1-based. */
  readonly number: number;
  /** Sorted by type, then name, then URN. */
  readonly resources: readonly T[];
}

/** The resources that must be deleted before each resource (URN -> URNs), inside the given set only. */
export function mustGoBefore(nodes: readonly DestroyNode[]): ReadonlyMap<string, readonly string[]> {
  const urns = new Set(nodes.map((node) => node.urn));
  const before = new Map<string, Set<string>>(nodes.map((node) => [node.urn, new Set<string>()]));
  const add = (outliving: string | undefined, dependent: string) => {
    if (outliving === undefined || outliving === dependent || !urns.has(outliving)) return;
    before.get(outliving)?.add(dependent);
  };
  for (const node of nodes) {
    node.dependencies.forEach((dependency) => add(dependency, node.urn));
    add(node.parent, node.urn);
    add(node.provider, node.urn);
  }
  return new Map([...before].map(([urn, dependents]) => [urn, [...dependents].sort()]));
}

/** URN -> 1-based destroy step. Throws on a cycle, which the engine would refuse too. */
export function destroyStepNumbers(nodes: readonly DestroyNode[]): ReadonlyMap<string, number> {
  const before = mustGoBefore(nodes);
  const steps = new Map<string, number>();
  const visiting: string[] = [];
  const stepOf = (urn: string): number => {
    const known = steps.get(urn);
    if (known !== undefined) return known;
    const cycleStart = visiting.indexOf(urn);
    if (cycleStart >= 0) {
      throw new Error(`The dependency graph has a cycle, so there is no destroy order: ${[...visiting.slice(cycleStart), urn].join(" -> ")}`);
    }
    visiting.push(urn);
    const dependents = before.get(urn) ?? [];
    const step = dependents.length === 0 ? 1 : 1 + Math.max(...dependents.map(stepOf));
    visiting.pop();
    steps.set(urn, step);
    return step;
  };
  nodes.forEach((node) => stepOf(node.urn));
  return steps;
}

/** The destroy order as steps, first to last. */
export function destroySteps<T extends DestroyNode>(nodes: readonly T[]): DestroyStep<T>[] {
  const numbers = destroyStepNumbers(nodes);
  const count = Math.max(0, ...numbers.values());
  const steps: T[][] = Array.from({ length: count }, () => []);
  for (const node of nodes) steps[(numbers.get(node.urn) ?? 1) - 1].push(node);
  return steps.map((resources, index) => ({
    number: index + 1,
    resources: resources.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn)),
  }));
}
