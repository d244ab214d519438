import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/**
 * Builds the configuration the Pulumi engine would hand the program, without
 * the Pulumi CLI: the project's declared defaults (Pulumi.yaml), then the
 * stack's values (Pulumi.<stack>.yaml), then `--config key=value` overrides.
 * The result has the shape of the engine's PULUMI_CONFIG: `"tap:key"` ->
 * text, with lists and objects as JSON text.
 */

/** A problem with the plan's own inputs: a missing stack file, a bad `--config`, a secret. Exit status 2. */
export class PlanConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanConfigError";
  }
}

export interface StackConfig {
  /** Project name from Pulumi.yaml: the namespace of bare keys. */
  readonly project: string;
  readonly stack: string;
  /** `namespace:key` -> value text, sorted by key, as the engine passes it in PULUMI_CONFIG. */
  readonly values: Readonly<Record<string, string>>;
  /** Where each value came from: "Pulumi.yaml default", "Pulumi.dev.yaml" or "--config". */
  readonly origins: Readonly<Record<string, string>>;
  /** Keys in the project's namespace that Pulumi.yaml does not declare: probably typos. */
  readonly warnings: readonly string[];
}

/** Pulumi's config text for a YAML value: strings as they are, everything else as JSON (what the engine sends). */
function configText(key: string, value: unknown, file: string): string {
  if (value === null || value === undefined) {
    throw new PlanConfigError(`${file}: config key "${key}" has no value. Give it a value or remove the line.`);
  }
  if (typeof value === "object" && !Array.isArray(value) && "secure" in value) {
    throw new PlanConfigError(
      `${file}: config key "${key}" is a secret, which the offline plan cannot decrypt (there is no Pulumi backend here). ` +
        `Override it for the plan with --config ${key}=<value>.`,
    );
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `foo` -> `tap:foo`; `tap:foo` and `aws:region` stay as they are. */
export function qualifyKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Parses one `--config` argument, `key=value` like `pulumi preview --config`.
 * The value is everything after the first `=`, and may be empty.
 */
export function parseConfigOverride(argument: string, project: string): [string, string] {
  const separator = argument.indexOf("=");
  const key = separator < 0 ? "" : argument.slice(0, separator).trim();
  if (separator < 0 || key === "" || key.endsWith(":")) {
    throw new PlanConfigError(
      `--config ${JSON.stringify(argument)}: expected key=value, such as --config enableNatGateway=true or --config 'regions=["us-east-1","eu-west-1"]'.`,
    );
  }
  return [qualifyKey(key, project), argument.slice(separator + 1)];
}

function readYamlFile(file: string): unknown {
  try {
    return parseYaml(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new PlanConfigError(`${path.basename(file)}: ${(error as Error).message}`);
  }
}

function asMap(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new PlanConfigError(`${what} must be a map of keys to values.`);
  return value as Record<string, unknown>;
}

/** Stack names with a Pulumi.<stack>.yaml in `projectDir`. */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * A declared project key's default, as Pulumi.yaml spells it: either
 * `key: {type, default}` or, for a plain value, `key: value`.
 */
function declaredDefault(declaration: unknown): { hasDefault: boolean; value?: unknown } {
  if (declaration !== null && typeof declaration === "object" && !Array.isArray(declaration)) {
    const record = declaration as Record<string, unknown>;
    if ("default" in record) return { hasDefault: true, value: record.default };
    if ("value" in record) return { hasDefault: true, value: record.value };
    return { hasDefault: false };
  }
  return { hasDefault: true, value: declaration };
}

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml from `projectDir` and applies
 * `overrides` (`key=value` strings). Throws PlanConfigError with a message
 * that names the file or argument at fault.
 */
export function loadStackConfig(projectDir: string, stack: string, overrides: readonly string[] = []): StackConfig {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) throw new PlanConfigError(`No Pulumi.yaml in ${projectDir}: run the plan from the project's directory.`);
  const projectYaml = asMap(readYamlFile(projectFile), "Pulumi.yaml");
  const project = projectYaml.name;
  if (typeof project !== "string" || project === "") throw new PlanConfigError("Pulumi.yaml has no project name (the `name:` key).");

  const stackFileName = `Pulumi.${stack}.yaml`;
  const stackFile = path.join(projectDir, stackFileName);
  if (!fs.existsSync(stackFile)) {
    const stacks = listStacks(projectDir);
    throw new PlanConfigError(
      `Stack "${stack}" has no config file: ${stackFileName} does not exist in ${projectDir}. ` +
        (stacks.length > 0 ? `Stacks with a config file: ${stacks.join(", ")}. ` : "") +
        `Choose one with --stack <name>, or create ${stackFileName} with a config: map.`,
    );
  }

  const values: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const declarations = asMap(projectYaml.config, "Pulumi.yaml config");
  const declaredKeys = new Set<string>();
  for (const [rawKey, declaration] of Object.entries(declarations)) {
    const key = qualifyKey(rawKey, project);
    declaredKeys.add(key);
    const { hasDefault, value } = declaredDefault(declaration);
    if (!hasDefault) continue;
    values[key] = configText(key, value, "Pulumi.yaml");
    origins[key] = "Pulumi.yaml default";
  }

  const stackYaml = asMap(readYamlFile(stackFile), stackFileName);
  for (const [rawKey, value] of Object.entries(asMap(stackYaml.config, `${stackFileName} config`))) {
    const key = qualifyKey(rawKey, project);
    values[key] = configText(key, value, stackFileName);
    origins[key] = stackFileName;
  }

  for (const override of overrides) {
    const [key, value] = parseConfigOverride(override, project);
    values[key] = value;
    origins[key] = "--config";
  }

  const warnings = Object.keys(values)
    .filter((key) => key.startsWith(`${project}:`) && declaredKeys.size > 0 && !declaredKeys.has(key))
    .map((key) => `Config key "${key}" (from ${origins[key]}) is not declared in Pulumi.yaml, so the program does not read it. Check the spelling.`);

  const sortedKeys = Object.keys(values).sort();
  return {
    project,
    stack,
    values: Object.fromEntries(sortedKeys.map((key) => [key, values[key]])),
    origins: Object.fromEntries(sortedKeys.map((key) => [key, origins[key]])),
    warnings,
  };
}
