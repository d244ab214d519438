import type { ResourceState } from "../../offline/plan/update/state";

/**
 * Hand-made resource states for the update plan's tests: one factory, so
 * every test builds states the same way and a new ResourceState field is
 * added in one place.
 */

/** The stack of every hand-made state: dev of project tap. */
export const STACK_URN = "urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev";

/** The URN of resource `name` of `type` in that stack (no parent). */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::tap::${type}::${name}`;
}

/** A provider reference as the state writes it: `<provider urn>::<provider id>`. */
export function providerReference(name: string, type = "pulumi:providers:aws"): string {
  return `${urnOf(type, name)}::${name}-id`;
}

/**
 * A custom resource's state: an ID from its name, outputs equal to its inputs,
 * no dependency, no provider and no resource option, unless `extra` says otherwise.
 */
export function resourceState(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceState> = {}): ResourceState {
  return {
    urn: urnOf(type, name),
    type,
    custom: true,
    id: `${name}-0123456789`,
    inputs,
    outputs: { ...inputs },
    dependencies: [],
    retainOnDelete: false,
    protect: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    aliases: [],
    ...extra,
  };
}
