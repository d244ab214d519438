import type { RecordedResource } from "../offline/mock-cloud";
import { TYPES } from "../offline/resource-types";
import type { CheckId } from "./rows";

/**
 * The physical names a `pulumi up` of the stack would ask AWS for, learned by
 * running the program under the mock cloud (offline/plan/runner.ts) with the
 * caller's account, so the bucket names are the real ones. Only names fixed
 * before anything exists are checked: a name computed from another
 * resource's output (the execution log group's holds the new REST API's ID)
 * cannot be taken by anything older, and a `namePrefix` gets a unique suffix.
 */

export interface PlannedName {
  readonly check: CheckId;
  /** The resource's Pulumi type. */
  readonly type: string;
  /** The region of the provider it is created through. */
  readonly region: string;
  readonly name: string;
}

/** Resource type -> the input that is its AWS name, and the check that looks at it. */
export const NAMED_TYPES: Readonly<Record<string, { readonly input: string; readonly check: CheckId }>> = {
  [TYPES.bucket]: { input: "bucket", check: "name:bucket" },
  [TYPES.function]: { input: "name", check: "name:function" },
  [TYPES.role]: { input: "name", check: "name:role" },
  [TYPES.logGroup]: { input: "name", check: "name:log-group" },
  [TYPES.alarm]: { input: "name", check: "name:alarm" },
  [TYPES.topic]: { input: "name", check: "name:topic" },
  [TYPES.dashboard]: { input: "dashboardName", check: "name:dashboard" },
};

/** The checkable names among `resources`, in registration order. */
export function plannedNames(resources: readonly RecordedResource[]): PlannedName[] {
  return resources.flatMap((resource) => {
    const named = NAMED_TYPES[resource.type];
    if (!named || !resource.custom || resource.region === undefined) return [];
    const name: unknown = resource.inputs[named.input];
    const computed = (resource.propertyDependencies?.[named.input] ?? []).length > 0;
    if (typeof name !== "string" || name === "" || computed) return [];
    return [{ check: named.check, type: resource.type, region: resource.region, name }];
  });
}
