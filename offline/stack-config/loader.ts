import * as fs from "fs";
import * as path from "path";
import { Document, ErrorCode, LineCounter, isMap, isScalar, parseDocument } from "yaml";
import { TapConfigError, TapStackArgs, resolveTapStackArgs, tapStackArgsFromConfig } from "../../lib/config";
import { configWarnings } from "../../lib/config-warnings";
import { stackNameProblem } from "./stack-name";

/**
 * Builds the configuration the Pulumi engine would hand the program, without
 * the Pulumi CLI: the project's declared defaults (Pulumi.yaml), then the
 * stack's values (Pulumi.<stack>.yaml), then `--config key=value` overrides.
 * The result has the shape of the engine's PULUMI_CONFIG: `"tap:key"` ->
 * text, with lists and objects as JSON text.
 *
 * The one loader of stack config: `npm run plan` and `npm run local` both
 * read through it, so a file means the same to both.
 *
 * A scalar that YAML reads as a number or boolean keeps its text as written:
 * the engine first unmarshals each value into a Go string, which takes the
 * scalar's source text (pulumi/pulumi sdk/go/common/resource/config/value.go,
 * unmarshalValue), so `apiCacheSizeGb: 6.10` reaches the program as "6.10",
 * not "6.1", and `99999999999999999999999` stays those digits, not "1e+23".
 * Lists and maps become JSON text, as the engine marshals them.
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
  /**
   * Doubtful settings (lib/config-warnings.ts), an ignored aws:region, and keys in the project's namespace that
   * Pulumi.yaml does not declare (probably typos), the last only when Pulumi.yaml declares keys of that namespace.
   */
  readonly warnings: readonly string[];
}

/** Pulumi's config text for a YAML value: strings as they are, everything else as JSON (what the engine sends). */
function configText(key: string, value: unknown, file: string): string {
  if (value === null || value === undefined) {
    throw new PlanConfigError(`${file}: config key "${key}" has no value. Give it a value or remove the line.`);
  }
  if (typeof value === "object" && !Array.isArray(value) && "secure" in value) {
    throw new PlanConfigError(
      `${file}: config key "${key}" is a secret, which the offline plan and local server cannot decrypt (there is no Pulumi backend here). ` +
        `Override it for the plan with --config ${key}=<value>, or give the stack file a plain value.`,
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

/**
 * What each YAML error is, in words of our own: the yaml library's messages
 * quote the source (a tag, a token, an escape), and a stack file may be a
 * symlink to something that is not config at all, such as ~/.aws/credentials.
 */
const YAML_PROBLEMS: Readonly<Record<ErrorCode, string>> = {
  ALIAS_PROPS: "an alias with an anchor or tag of its own",
  BAD_ALIAS: "an alias that is not valid",
  BAD_COLLECTION_TYPE: "a tag that does not fit its collection",
  BAD_DIRECTIVE: "a directive that is not supported",
  BAD_DQ_ESCAPE: "an escape sequence that is not valid in a double-quoted string",
  BAD_INDENT: "bad indentation, or a flow collection ([...] or {...}) left open",
  BAD_PROP_ORDER: "an anchor or tag in the wrong place",
  BAD_SCALAR_START: "a plain value that starts with a reserved character",
  BLOCK_AS_IMPLICIT_KEY: "a nested mapping on a key's line",
  BLOCK_IN_FLOW: "a block collection inside a flow collection",
  DUPLICATE_KEY: "a key that appears twice in one map",
  IMPOSSIBLE: "a structure YAML cannot represent",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
  MISSING_CHAR: "a missing closing quote or bracket, comma or colon",
  MULTILINE_IMPLICIT_KEY: "a key that spans more than one line",
  MULTIPLE_ANCHORS: "a node with two anchors",
  MULTIPLE_DOCS: "more than one YAML document",
  MULTIPLE_TAGS: "a node with two tags",
  NON_STRING_KEY: "a key that is not text",
  RESOURCE_EXHAUSTION: "too many aliases",
  TAB_AS_INDENT: "a tab used for indentation",
  TAG_RESOLVE_FAILED: "a tag that is not supported",
  UNEXPECTED_TOKEN: "something unexpected",
};

/**
 * Reads a YAML file into plain values and its document (for scalars' source
 * text). Every problem names the file, and for a syntax error the line and
 * column, but never quotes the file's content.
 */
function readYamlFile(file: string): { document: Document; value: unknown } {
  const name = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new PlanConfigError(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  if (!stat.isFile()) {
    throw new PlanConfigError(`${name}: ${stat.isDirectory() ? "a directory" : "not a regular file"}, not a YAML file (in ${path.dirname(file)}); remove or rename it.`);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new PlanConfigError(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new PlanConfigError(`${name}: not valid YAML: ${YAML_PROBLEMS[first.code]} at line ${line}, column ${col}.`);
  }
  try {
    return { document, value: document.toJS() };
  } catch {
    // Only aliases fail here: one without its anchor, or too many of them.
    throw new PlanConfigError(`${name}: not valid YAML: an alias (*name) without its anchor (&name), or too many aliases.`);
  }
}

/**
 * The stack file's `config:` values as the engine reads them: a scalar's
 * source text (see the module comment), anything else through configText.
 */
function stackFileValues({ document, value }: { document: Document; value: unknown }, file: string, project: string): [string, string][] {
  const top = asMap(value, file);
  const config = asMap(top.config, `${file} config`);
  const node = document.get("config", true);
  const scalarSource = new Map<string, string>();
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && isScalar(pair.value) && pair.value.source !== undefined) scalarSource.set(String(pair.key.value), pair.value.source);
    }
  }
  return Object.entries(config).map(([rawKey, value]) => {
    const key = qualifyKey(rawKey, project);
    const source = scalarSource.get(rawKey);
    const text = typeof value === "number" || typeof value === "boolean" ? source ?? String(value) : undefined;
    return [key, text ?? configText(key, value, file)];
  });
}

function asMap(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new PlanConfigError(`${what} must be a map of keys to values.`);
  return value as Record<string, unknown>;
}

/**
 * Stacks the tools can read in `projectDir`: a Pulumi.<stack>.yaml that is a
 * file (or a link to one), named with a stack name they accept.
 */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((file) => ({ file, stack: /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] }))
    .filter((entry): entry is { file: string; stack: string } => entry.stack !== undefined && stackNameProblem(entry.stack) === undefined && isFile(path.join(projectDir, entry.file)))
    .map((entry) => entry.stack)
    .sort();
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
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

/** True when Pulumi.yaml's `pulumi:disable-default-providers` lists aws (or "*"). */
function disablesDefaultAwsProvider(declarations: Record<string, unknown>): boolean {
  const { value } = declaredDefault(declarations["pulumi:disable-default-providers"]);
  return Array.isArray(value) && value.some((provider) => provider === "aws" || provider === "*");
}

/** The TapStackArgs the program builds from `values`: what index.ts reads through pulumi.Config. */
export function stackArgsFromValues(project: string, values: Readonly<Record<string, string>>): TapStackArgs {
  return tapStackArgsFromConfig((key) => values[`${project}:${key}`]);
}

/**
 * Warnings about valid but doubtful settings (lib/config-warnings.ts). A bad
 * value gives none here: the program reports it, as an error, when it runs.
 */
function settingWarnings(project: string, stack: string, values: Readonly<Record<string, string>>): string[] {
  try {
    return configWarnings(resolveTapStackArgs(stackArgsFromValues(project, values), stack));
  } catch (error) {
    if (error instanceof TapConfigError) return [];
    throw error;
  }
}

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml from `projectDir` and applies
 * `overrides` (`key=value` strings). Throws PlanConfigError with a message
 * that names the file or argument at fault; `flag` is the option the stack
 * came from, for the hint.
 */
export function loadStackConfig(projectDir: string, stack: string, overrides: readonly string[] = [], flag: "--stack" | "--stacks" = "--stack"): StackConfig {
  const badName = stackNameProblem(stack);
  if (badName) throw new PlanConfigError(badName);
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) throw new PlanConfigError(`No Pulumi.yaml in ${projectDir}: run this from the project's directory.`);
  const projectYaml = asMap(readYamlFile(projectFile).value, "Pulumi.yaml");
  const project = projectYaml.name;
  if (typeof project !== "string" || project === "") throw new PlanConfigError("Pulumi.yaml has no project name (the `name:` key).");

  const stackFileName = `Pulumi.${stack}.yaml`;
  const stackFile = path.join(projectDir, stackFileName);
  if (!fs.existsSync(stackFile)) {
    const stacks = listStacks(projectDir);
    throw new PlanConfigError(
      `Stack "${stack}" has no config file: ${stackFileName} does not exist in ${projectDir}. ` +
        (stacks.length > 0 ? `Stacks with a config file: ${stacks.join(", ")}. ` : "") +
        `${flag === "--stack" ? "Choose one with --stack <name>" : "List only stacks with a config file in --stacks"}, or create ${stackFileName} with a config: map.`,
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

  for (const [key, text] of stackFileValues(readYamlFile(stackFile), stackFileName, project)) {
    values[key] = text;
    origins[key] = stackFileName;
  }

  for (const override of overrides) {
    const [key, value] = parseConfigOverride(override, project);
    values[key] = value;
    origins[key] = "--config";
  }

  // Only a project that declares its own keys says which it reads: one that declares none (or only keys of other
  // namespaces, such as pulumi:disable-default-providers) reads whatever its program asks pulumi.Config for.
  const declaresOwnKeys = [...declaredKeys].some((key) => key.startsWith(`${project}:`));
  const warnings = Object.keys(values)
    .filter((key) => key.startsWith(`${project}:`) && declaresOwnKeys && !declaredKeys.has(key))
    .map((key) => `Config key "${key}" (from ${origins[key]}) is not declared in Pulumi.yaml, so the program does not read it. Check the spelling.`);
  if ("aws:region" in values && disablesDefaultAwsProvider(declarations)) {
    warnings.push(
      `Config key "aws:region" (from ${origins["aws:region"]}) is ignored: the default AWS provider is disabled ` +
        `(pulumi:disable-default-providers in Pulumi.yaml), and every resource uses its region's own provider. ` +
        `Set the regions with "${project}:regions".`,
    );
  }
  warnings.push(...settingWarnings(project, stack, values));

  const sortedKeys = Object.keys(values).sort();
  return {
    project,
    stack,
    values: Object.fromEntries(sortedKeys.map((key) => [key, values[key]])),
    origins: Object.fromEntries(sortedKeys.map((key) => [key, origins[key]])),
    warnings,
  };
}
