import { NAME_LIMITS } from "../lib/naming";
import type { StackOutputs } from "./outputs";

/**
 * Which environment and project the deployed API should report. A flag
 * (--environment, --project) wins. Without one, the values are read back from
 * the stack's own Lambda function names, which follow lib/naming.ts
 * ({project}-api-{region}-{env}-{stackHash}). When neither is available the
 * HTTP checks require the same value in every region instead.
 */

export interface ExpectedValue {
  readonly value: string;
  /** Where the value came from, for check details: `--environment` or `lambda_function_names`. */
  readonly source: string;
}

export interface ExpectedIdentity {
  readonly environment?: ExpectedValue;
  readonly project?: ExpectedValue;
}

export interface IdentityFlags {
  readonly environment?: string;
  readonly project?: string;
}

/**
 * Splits a function name built by `RegionNames.lambdaFunction`
 * (`{project}-api-{region}-{env}-{stackHash}`) into its project and
 * environment, or returns undefined when the name is not one. A name of the
 * full 64 characters may have been shortened (its tail replaced by a hash), so
 * nothing is read from it.
 */
export function parseFunctionName(
  name: string,
  region: string,
): { project: string; environment: string } | undefined {
  if (name.length >= NAME_LIMITS.lambdaFunction) return undefined;
  const marker = `-api-${region}-`;
  const at = name.indexOf(marker);
  if (at <= 0) return undefined;
  const project = name.slice(0, at);
  const tail = /^([a-z0-9]+(?:-[a-z0-9]+)*)-[0-9a-f]{8}$/.exec(name.slice(at + marker.length));
  if (!tail || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(project)) return undefined;
  return { project, environment: tail[1] };
}

/** The project and environment every region's function name agrees on, if they all parse and agree. */
function inferFromFunctionNames(
  outputs: StackOutputs,
  regions: readonly string[],
): { project: string; environment: string } | undefined {
  const names = outputs.lambda_function_names;
  if (names === undefined || regions.length === 0) return undefined;
  const parsed = regions.map((region) => (names[region] ? parseFunctionName(names[region], region) : undefined));
  const first = parsed[0];
  if (first === undefined) return undefined;
  const agree = parsed.every(
    (each) => each !== undefined && each.project === first.project && each.environment === first.environment,
  );
  return agree ? first : undefined;
}

export function resolveExpectedIdentity(
  flags: IdentityFlags,
  outputs: StackOutputs,
  regions: readonly string[],
): ExpectedIdentity {
  const inferred = inferFromFunctionNames(outputs, regions);
  const pick = (flag: string | undefined, flagName: string, fromNames: string | undefined) => {
    if (flag !== undefined) return { value: flag, source: flagName };
    if (fromNames !== undefined) return { value: fromNames, source: "lambda_function_names" };
    return undefined;
  };
  return {
    environment: pick(flags.environment, "--environment", inferred?.environment),
    project: pick(flags.project, "--project", inferred?.project),
  };
}
