import type { Resource, Unwrap } from "@pulumi/pulumi";
import * as policySdk from "@pulumi/policy";
import { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";

/**
 * Pieces every tap policy shares: reading values that `pulumi preview` does
 * not know yet, and finding which resource another one refers to. Pure; the
 * tests call them directly.
 */

/**
 * The SDK's unknown-value proxy and its error. Both are exported at run time,
 * and the engine's analyzer uses them, but the typings mark them internal.
 * A test checks they are still there.
 */
const sdkInternals = policySdk as unknown as {
  UnknownValueError?: abstract new (...args: never[]) => Error;
  unknownCheckingProxy?: <T extends object>(value: T) => T;
};

/** True for the error the engine's proxy throws when a policy reads an unknown value. */
export function isUnknownValueError(error: unknown): error is Error {
  const errorClass = sdkInternals.UnknownValueError;
  return errorClass !== undefined && error instanceof errorClass;
}

/** Wraps resolved properties the way the engine does, so reading an unknown value throws. */
export function unknownCheckingProxy<T extends object>(value: T): T {
  if (!sdkInternals.unknownCheckingProxy) throw new Error("@pulumi/policy no longer exports unknownCheckingProxy");
  return sdkInternals.unknownCheckingProxy(value);
}

/** A value the engine cannot know before the resource exists (during `pulumi preview`). */
export const UNKNOWN = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/**
 * Runs `read` and returns UNKNOWN instead of throwing when it touches a value
 * the engine marked unknown. The engine hands policies its values wrapped in a
 * proxy that throws UnknownValueError on such a read.
 */
export function known<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return UNKNOWN;
    throw error;
  }
}

/**
 * validateResourceOfType, plus: a check that reads a value preview cannot know
 * yet is "not applicable" for that preview instead of an error. During
 * `pulumi up` a resource's inputs are resolved before it is checked, so the
 * same check then runs in full and can still block the resource.
 */
export function validateKnownResourceOfType<TResource extends Resource, TArgs>(
  resourceClass: ResourceClass<TResource, TArgs>,
  validate: (props: Unwrapped<TArgs>, args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidation {
  return validateResourceOfType(resourceClass, (props, args, reportViolation) => {
    try {
      validate(props, args, reportViolation);
    } catch (error) {
      if (isUnknownValueError(error)) {
        args.notApplicable(`${error.message}; checked again during the update`);
      }
      throw error;
    }
  });
}

/** A resource class (such as s3.BucketVersioning), typed exactly as the SDK's validateResourceOfType takes it. */
export type ResourceClass<TResource extends Resource, TArgs> = Parameters<typeof validateResourceOfType<TResource, TArgs>>[0];

/** The args of a resource class as a policy sees them: Inputs and Outputs resolved to plain values. */
export type Unwrapped<TArgs> = Unwrap<NonNullable<TArgs>>;

/** Strings in a value that may be one string, a list, or absent. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

/**
 * Whether `source`'s `property` refers to `target`:
 * - true when the engine reports that the property was computed from
 *   `target` (property dependencies: they work in preview, when IDs are still
 *   unknown), or when its value equals one of `targetKeys` of `target` (IDs,
 *   names or ARNs; this is how the offline plan, which has no property
 *   dependencies, matches);
 * - false when it certainly refers to something else;
 * - undefined when it cannot be told yet (unknown values, no dependency data).
 */
export function refersTo(
  source: PolicyResource,
  property: string,
  target: PolicyResource,
  targetKeys: readonly string[],
  read: (props: Record<string, unknown>) => unknown = (props) => props[property],
): boolean | undefined {
  const dependencies = source.propertyDependencies[property] ?? [];
  if (dependencies.some((dependency) => dependency.urn === target.urn)) return true;
  const values = known(() => stringsOf(read(source.props)));
  const keys = targetKeys.map((key) => known(() => target.props[key]));
  if (values !== UNKNOWN && keys.some((key) => typeof key === "string" && values.includes(key))) return true;
  // The engine listed what the property came from, and it was not the target.
  if (dependencies.length > 0) return false;
  if (values === UNKNOWN || keys.some((key) => key === UNKNOWN)) return undefined;
  return false;
}

/** What `refersTo` found across several candidate referrers of one target. */
export interface Referrers {
  /** Candidates that certainly refer to the target. */
  readonly found: PolicyResource[];
  /** True when some candidate might refer to it but preview cannot tell yet. */
  readonly undecided: boolean;
}

export function referrersOf(
  target: PolicyResource,
  candidates: readonly PolicyResource[],
  property: string,
  targetKeys: readonly string[],
  read?: (props: Record<string, unknown>) => unknown,
): Referrers {
  const verdicts = candidates.map((candidate) => ({ candidate, verdict: refersTo(candidate, property, target, targetKeys, read) }));
  return {
    found: verdicts.filter((v) => v.verdict === true).map((v) => v.candidate),
    undecided: verdicts.some((v) => v.verdict === undefined),
  };
}

/** Resources of one type, by Pulumi type token. */
export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((resource) => resource.type === type);
}

/** "name" (type), for messages. */
export function labelOf(resource: PolicyResource): string {
  return `"${resource.name}" (${resource.type})`;
}
