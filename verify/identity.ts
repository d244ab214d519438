import { RegionNames } from "../lib/naming";
import type { StackOutputs } from "./outputs";

/**
 * Which environment and project the deployed API should report. A flag
 * (--environment, --project) wins. Without one, the values are read back from
 * the stack's own Lambda function names, which follow lib/naming.ts and are
 * never shortened ({project}-api-{region}-{env} fits in 64 characters for
 * every valid project, region and environment). When neither is available the
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
 * Splits a function name built by `RegionNames.lambdaFunction` into its
 * project and environment, or returns undefined when the name is not one
 * (the naming rules must rebuild exactly the same name).
 */
export function parseFunctionName(
  name: string,
  region: string,
): { project: string; environment: string } | undefined {
  const marker = `-api-${region}-`;
  const at = name.indexOf(marker);
  if (at <= 0) return undefined;
  const project = name.slice(0, at);
  const environment = name.slice(at + marker.length);
  if (environment.length === 0) return undefined;
  const rebuilt = new RegionNames({ project, environment, stack: "" }, region).lambdaFunction;
  return rebuilt === name ? { project, environment } : undefined;
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
