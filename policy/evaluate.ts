import {
  EnforcementLevel,
  Policies,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isUnknownValueError, unknownCheckingProxy } from "./support";

/**
 * Runs policy objects in-process, the way the Pulumi engine's analyzer does
 * (node_modules/@pulumi/policy/server.js), so the offline plan and the tests
 * check a planned stack with the very same policies `pulumi preview
 * --policy-pack policy` runs. No gRPC server, no Pulumi CLI.
 */

/** One resource of a planned (or mocked) stack. */
export interface PlannedResource {
  urn: string;
  /** Pulumi type token, such as `aws:s3/bucket:Bucket`. */
  type: string;
  /** Logical name. */
  name: string;
  /**
   * The resource's ID (the mock cloud's `RecordedResource.id`). Companion
   * resources hold IDs in their inputs (a public access block's `bucket`, a
   * flow log's `vpcId`), so the stack policies match them by it. It overrides
   * any `id` key in `props`.
   */
  id: string;
  /** Resolved properties: the inputs plus what the cloud computed (the mock cloud's `state`). */
  props: Record<string, unknown>;
  /** URN of the provider the resource is bound to. */
  provider?: string;
}

export interface PolicyViolation {
  /** Name of the policy, such as `s3-public-access-block-all-flags`. */
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  /** The resource in violation; absent when the stack as a whole is. */
  urn?: string;
  message: string;
}

/** Thrown by `notApplicable`, as the engine's own NotApplicableError is. */
class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "Policy does not apply");
}

/** Same test as the engine: the class's static Pulumi type token, else its isInstance. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token === "string" && token.length > 0) return token === type;
  const isInstance = (resourceClass as { isInstance?: (obj: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

const DEFAULT_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/** A provider reference as the engine describes it; the URN ends in `<type>::<name>`. */
function providerOf(urn: string | undefined): PolicyProviderResource | undefined {
  if (!urn) return undefined;
  const parts = urn.split("::");
  const qualifiedType = parts[parts.length - 2] ?? "";
  return {
    urn,
    name: parts[parts.length - 1] ?? "",
    type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1),
    props: {},
  };
}

/**
 * Enforcement levels set by a policy pack config file, keyed by policy name
 * ("all" for every policy): what `pulumi preview|up --policy-pack DIR
 * --policy-pack-config FILE` reads from FILE.
 */
export type EnforcementOverrides = ReadonlyMap<string, EnforcementLevel>;

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Reads the enforcement levels out of a `--policy-pack-config` file's parsed
 * JSON, with the Pulumi CLI's rules (pkg/resource/analyzer/config.go in
 * pulumi/pulumi; https://www.pulumi.com/docs/using-pulumi/crossguard/configuration/):
 * each key is a policy name, or "all" for every policy, and its value is
 * either an enforcement level or an object whose optional `enforcementLevel`
 * is one. Other properties configure a policy; tap's policies take none, so
 * they are ignored here. Throws, naming the key, what the CLI refuses.
 */
export function enforcementOverridesOf(config: unknown): EnforcementOverrides {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new Error(`A policy pack config must be a JSON object of policy names, such as {"vpc-has-flow-log": "advisory"}; got ${JSON.stringify(config)}.`);
  }
  const overrides = new Map<string, EnforcementLevel>();
  for (const [policy, value] of Object.entries(config)) {
    const level = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).enforcementLevel : value;
    if (level === undefined && typeof value === "object") continue;
    if (typeof level !== "string" || !(ENFORCEMENT_LEVELS as readonly string[]).includes(level)) {
      throw new Error(`Policy pack config "${policy}": ${JSON.stringify(level)} is not an enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}.`);
    }
    overrides.set(policy, level as EnforcementLevel);
  }
  return overrides;
}

function effectiveLevel(level: EnforcementLevel | undefined, packLevel: EnforcementLevel): PolicyViolation["enforcementLevel"] | undefined {
  const resolved = level ?? packLevel;
  if (resolved === "disabled") return undefined;
  // The engine reports a violation of a remediation policy as mandatory.
  return resolved === "advisory" ? "advisory" : "mandatory";
}

function isResourcePolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is ResourceValidationPolicy {
  return "validateResource" in policy && policy.validateResource !== undefined;
}

/**
 * Checks `resources` against `policies`: every resource policy against every
 * resource, then every stack policy against all of them. Violations come back
 * in policy order. As in the engine, a policy that reads a value that is not
 * known (none is, in a fully resolved plan) yields an advisory "can't run"
 * entry, and one that declares itself not applicable yields nothing.
 *
 * @param packLevel enforcement level for policies that set none.
 * @param overrides levels from a policy pack config file (enforcementOverridesOf):
 *   a policy's own entry wins over "all", which wins over the policy's level.
 */
export async function runPolicies(
  resources: readonly PlannedResource[],
  policies: Policies,
  packLevel: EnforcementLevel,
  overrides: EnforcementOverrides = new Map(),
): Promise<PolicyViolation[]> {
  const violations: PolicyViolation[] = [];
  const stackResources: PolicyResource[] = resources.map((resource) => {
    const props = unknownCheckingProxy({ ...resource.props, id: resource.id }) as Record<string, unknown>;
    return {
      type: resource.type,
      name: resource.name,
      urn: resource.urn,
      props,
      opts: DEFAULT_OPTIONS,
      provider: providerOf(resource.provider),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
    };
  });

  for (const policy of policies) {
    const level = effectiveLevel(overrides.get(policy.name) ?? overrides.get("all") ?? policy.enforcementLevel, packLevel);
    if (!level) continue;
    const run = async (urn: string | undefined, body: (report: ReportViolation) => Promise<void> | void): Promise<void> => {
      const report: ReportViolation = (message, violatingUrn) =>
        violations.push({ policy: policy.name, enforcementLevel: level, urn: urn ?? violatingUrn, message });
      try {
        await body(report);
      } catch (error) {
        if (error instanceof NotApplicable) return;
        if (isUnknownValueError(error)) {
          violations.push({ policy: policy.name, enforcementLevel: "advisory", urn, message: `can't run policy '${policy.name}' during preview: ${error.message}` });
          return;
        }
        throw new Error(`Policy '${policy.name}' failed${urn ? ` on ${urn}` : ""}: ${(error as Error).message}`, { cause: error });
      }
    };

    if (isResourcePolicy(policy)) {
      const validations: ResourceValidation[] = ([] as ResourceValidation[]).concat(policy.validateResource ?? []);
      for (const resource of stackResources) {
        for (const validation of validations) {
          // The engine skips a validation whose resource type does not match before calling it.
          const token = (validation as { __pulumiType?: string }).__pulumiType;
          if (token && token !== resource.type) continue;
          const args: ResourceValidationArgs = {
            type: resource.type,
            props: resource.props,
            urn: resource.urn,
            name: resource.name,
            opts: resource.opts,
            provider: resource.provider,
            stackTags: new Map(),
            isType: resource.isType,
            asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? resource.props : undefined)) as ResourceValidationArgs["asType"],
            getConfig: <T extends object>() => ({}) as T,
            notApplicable,
          };
          await run(resource.urn, (report) => validation(args, report));
        }
      }
    } else {
      const args: StackValidationArgs = {
        resources: stackResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable,
      };
      await run(undefined, (report) => policy.validateStack(args, report));
    }
  }
  return violations;
}
