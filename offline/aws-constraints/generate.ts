import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { Command } from "commander";
import { parseCommand } from "../../common/commander-parse";
import { DOCUMENTED_RULES, FieldMapping, TYPE_MAPPINGS, TypeMapping } from "./map";
import { ConstraintsFile, FieldRule, compilePattern } from "./rules";

/**
 * `npm run constraints:generate -- [botocore data dir] [--out file]`:
 * regenerates offline/aws-constraints/rules.json from botocore's API models.
 *
 * For every field of TYPE_MAPPINGS (offline/aws-constraints/map.ts) it finds
 * the member in the operation's input shape and copies that shape's rules
 * (min/max length, pattern, enum), or the documented rule the table names
 * where the model has none. It records the botocore version, and reports any
 * pattern JavaScript cannot compile instead of dropping it.
 *
 * Without an argument the data folder is found with `dpkg -L python3-botocore`
 * (Debian's package). Models may be plain `service-2.json` (Debian) or
 * `service-2.json.gz` (botocore from pip since 1.32). Each model is read once;
 * a missing, empty, oversized or malformed one stops the run with one error
 * that names the file (exit status 2), and nothing is written.
 */

/**
 * The most a model may take once decompressed (or on disk, uncompressed).
 * The largest model of Debian's botocore 1.29.27, ec2's, is 2.8 MB (2,771,665
 * bytes), and newer releases add a few MB a year; 64 MiB leaves room for many
 * years of growth, while a gzip bomb stops here instead of filling memory.
 */
export const MAX_MODEL_BYTES = 64 * 2 ** 20;

/** The data folder or one of its models cannot be used: the message names the file and the problem. Exit status 2. */
export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelInputError";
  }
}

/** The bits of a botocore shape the generator reads. */
interface Shape {
  readonly type: string;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
}

interface ServiceModel {
  readonly operations: Readonly<Record<string, { readonly input?: { readonly shape: string } }>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** The latest API version folder of a service that holds a service model. */
function latestModel(dataDir: string, service: string): { apiVersion: string; file: string } {
  const serviceDir = path.join(dataDir, service);
  if (!isDirectory(serviceDir)) throw new ModelInputError(`${serviceDir}: no such folder, so no model of service "${service}"; is ${dataDir} botocore's data folder?`);
  const candidates = fs
    .readdirSync(serviceDir)
    .sort()
    .reverse()
    .flatMap((version) => ["service-2.json", "service-2.json.gz"].map((name) => ({ apiVersion: version, file: path.join(serviceDir, version, name) })));
  const found = candidates.find((candidate) => fs.existsSync(candidate.file));
  if (!found) throw new ModelInputError(`${serviceDir}: no service-2.json or service-2.json.gz in any API version folder`);
  return found;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The bytes of a model: gunzipped for `.gz`, never more than `maxBytes`. */
function modelBytes(file: string, maxBytes: number): Buffer {
  const limit = `${(maxBytes / 2 ** 20).toFixed(maxBytes < 2 ** 20 ? 3 : 0)} MiB`;
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new ModelInputError(`${file}: not a file`);
  if (!file.endsWith(".gz")) {
    if (stat.size > maxBytes) throw new ModelInputError(`${file}: ${stat.size} bytes, over the ${limit} a botocore model may take; refusing to read it`);
    return fs.readFileSync(file);
  }
  try {
    return zlib.gunzipSync(fs.readFileSync(file), { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw new ModelInputError(`${file}: decompresses to more than the ${limit} a botocore model may take; refusing it`);
    throw new ModelInputError(`${file}: not a valid gzip file (${code ?? (error as Error).message})`);
  }
}

/** Reads and checks one service model. Throws ModelInputError naming the file. */
export function readModel(file: string, maxBytes: number = MAX_MODEL_BYTES): ServiceModel {
  const bytes = modelBytes(file, maxBytes);
  if (bytes.length === 0) throw new ModelInputError(`${file}: empty file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    // JSON.parse's own message quotes the text; the file may not be what it claims to be, so none of it is echoed.
    throw new ModelInputError(`${file}: not valid JSON`);
  }
  if (!isRecord(parsed) || !isRecord(parsed.operations) || !isRecord(parsed.shapes)) {
    throw new ModelInputError(`${file}: not a botocore service model (it needs an "operations" map and a "shapes" map)`);
  }
  return parsed as unknown as ServiceModel;
}

/** botocore/__init__.py next to the data folder says `__version__ = '1.29.27'`. */
export function botocoreVersion(dataDir: string): string {
  const init = path.join(dataDir, "..", "__init__.py");
  const match = fs.existsSync(init) ? /__version__\s*=\s*['"]([^'"]+)['"]/.exec(fs.readFileSync(init, "utf8")) : null;
  if (!match) throw new ModelInputError(`${init}: cannot read botocore's version (__version__ = '...'); pass botocore's data folder, the one beside __init__.py`);
  return match[1];
}

/** Walks a member path (`Tags.[].Key`, `tags.{value}`) from a shape to the string shape at its end. */
function resolveMember(model: ServiceModel, rootShape: string, memberPath: string, where: string): { name: string; shape: Shape } {
  let name = rootShape;
  for (const step of memberPath.split(".")) {
    const shape = model.shapes[name];
    let next: string | undefined;
    if (step === "[]") next = shape.type === "list" ? shape.member?.shape : undefined;
    else if (step === "{key}") next = shape.type === "map" ? shape.key?.shape : undefined;
    else if (step === "{value}") next = shape.type === "map" ? shape.value?.shape : undefined;
    else next = shape.type === "structure" ? shape.members?.[step]?.shape : undefined;
    if (!next) throw new Error(`${where}: no step "${step}" in shape ${name} (${shape.type})`);
    name = next;
  }
  const shape = model.shapes[name];
  if (shape.type !== "string") throw new Error(`${where}: ${memberPath} ends at shape ${name} of type ${shape.type}, not a string`);
  return { name, shape };
}

function patternProblem(pattern: string): string | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Builds the constraints document from a botocore data folder. Throws on a table entry the model does not back. */
export function generateConstraints(dataDir: string, mappings: readonly TypeMapping[] = TYPE_MAPPINGS): ConstraintsFile {
  if (!isDirectory(dataDir)) throw new ModelInputError(`${dataDir}: no such folder; pass botocore's data folder (.../botocore/data)`);
  const version = botocoreVersion(dataDir);
  // Every model the table needs, each read once, before any field: a bad model is one error, not one per field.
  const services = [...new Set(mappings.flatMap((mapping) => mapping.fields.map((field) => field.service ?? mapping.service)))].sort();
  const models = new Map<string, { apiVersion: string; model: ServiceModel }>();
  for (const service of services) {
    const { apiVersion, file } = latestModel(dataDir, service);
    models.set(service, { apiVersion, model: readModel(file) });
  }
  const load = (service: string) => models.get(service) as { apiVersion: string; model: ServiceModel };

  const fields: FieldRule[] = [];
  const unsupported = new Map<string, { shape: string; pattern: string; error: string }>();
  const problems: string[] = [];
  for (const mapping of mappings) {
    for (const field of mapping.fields) {
      try {
        fields.push(ruleFor(mapping, field, load, unsupported));
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (problems.length > 0) throw new Error(`The mapping table does not match the model:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);

  return {
    note: "Generated by `npm run constraints:generate` (offline/aws-constraints/generate.ts) from botocore's API models and the table in offline/aws-constraints/map.ts. Do not edit by hand.",
    botocore: { version, dataDir },
    services: Object.fromEntries([...models.entries()].map(([service, { apiVersion }]) => [service, apiVersion])),
    fields,
    unsupportedPatterns: [...unsupported.values()],
  };
}

function ruleFor(
  mapping: TypeMapping,
  field: FieldMapping,
  load: (service: string) => { apiVersion: string; model: ServiceModel },
  unsupported: Map<string, { shape: string; pattern: string; error: string }>,
): FieldRule {
  const service = field.service ?? mapping.service;
  const operation = field.operation ?? mapping.operation;
  const where = `${mapping.type} ${field.property} -> ${service} ${operation} ${field.member}`;
  const { apiVersion, model } = load(service);
  const input = model.operations[operation]?.input?.shape;
  if (!input) throw new Error(`${where}: no operation ${operation} with an input in ${service} ${apiVersion}`);
  const { name, shape } = resolveMember(model, input, field.member, where);
  const base = {
    type: mapping.type,
    property: field.property,
    service,
    apiVersion,
    operation,
    member: field.member,
    shape: name,
    ...(field.when ? { when: field.when } : {}),
  };
  const modelHasRule = shape.min !== undefined || shape.max !== undefined || shape.pattern !== undefined || shape.enum !== undefined;

  if (field.documented) {
    const documented = DOCUMENTED_RULES[field.documented];
    if (!documented) throw new Error(`${where}: no documented rule "${field.documented}"`);
    if (modelHasRule) throw new Error(`${where}: the model has a rule for shape ${name} now; drop the documented rule "${field.documented}"`);
    const error = documented.pattern === undefined ? undefined : patternProblem(documented.pattern);
    if (error) throw new Error(`${where}: documented pattern does not compile: ${error}`);
    return {
      ...base,
      source: "documentation",
      ...(documented.minLength !== undefined ? { minLength: documented.minLength } : {}),
      ...(documented.maxLength !== undefined ? { maxLength: documented.maxLength } : {}),
      ...(documented.pattern !== undefined ? { pattern: documented.pattern } : {}),
      text: documented.text,
      url: documented.url,
    };
  }
  if (!modelHasRule) throw new Error(`${where}: shape ${name} has no length, pattern or enum in the model; map a documented rule or drop the field`);
  const error = shape.pattern === undefined ? undefined : patternProblem(shape.pattern);
  if (error && shape.pattern !== undefined) unsupported.set(name, { shape: `${service} ${name}`, pattern: shape.pattern, error });
  return {
    ...base,
    source: "model",
    ...(shape.min !== undefined ? { minLength: shape.min } : {}),
    ...(shape.max !== undefined ? { maxLength: shape.max } : {}),
    ...(shape.pattern !== undefined ? { pattern: shape.pattern } : {}),
    ...(error ? { patternError: error } : {}),
    ...(shape.enum !== undefined ? { enum: shape.enum } : {}),
    ...(field.enumNotChecked ? { enumNotChecked: field.enumNotChecked } : {}),
  };
}

/** Debian's python3-botocore data folder, from the package's file list. */
function findDebianDataDir(): string {
  let files: string[];
  try {
    files = execFileSync("dpkg", ["-L", "python3-botocore"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n");
  } catch {
    throw new ModelInputError("no data folder given, and `dpkg -L python3-botocore` found none (no dpkg, or the package is not installed); pass botocore's data folder: npm run constraints:generate -- <dir>");
  }
  const dataDir = files.find((file) => file.endsWith("/botocore/data"));
  if (!dataDir) throw new ModelInputError("dpkg -L python3-botocore lists no botocore/data folder; pass the data folder as an argument.");
  return dataDir;
}

/** Where the generator writes and reports; tests substitute their own. */
export interface GenerateEnvironment {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Where the rules go without --out. @default offline/aws-constraints/rules.json */
  readonly defaultOut: string;
  /** The data folder when none is given. @default Debian's, from dpkg */
  readonly findDataDir: () => string;
  /** The table to generate from. @default TYPE_MAPPINGS */
  readonly mappings?: readonly TypeMapping[];
}

/**
 * The whole command. Resolves to the exit status: 0 written, 1 the table and
 * the models disagree, 2 bad input (a usage error, the data folder or a
 * model); nothing is written unless it is 0. Never calls process.exit.
 */
export function main(argv: readonly string[], environment: GenerateEnvironment): number {
  const command = new Command("npm run constraints:generate --")
    .description("Regenerate offline/aws-constraints/rules.json from botocore's API models.")
    .argument("[data-dir]", "botocore's data folder (.../botocore/data); default: Debian's python3-botocore, found with dpkg")
    .option("--out <file>", "where to write the rules", environment.defaultOut);
  const parsed = parseCommand(command, argv, environment);
  if (parsed !== undefined) return parsed;
  const out = path.resolve(command.opts<{ out: string }>().out);
  try {
    const given = command.args[0];
    const dataDir = given === undefined ? environment.findDataDir() : path.resolve(given);
    const document = generateConstraints(dataDir, environment.mappings);
    fs.writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
    environment.stdout.write(`Wrote ${document.fields.length} field rules from botocore ${document.botocore.version} (${dataDir}) to ${out}\n`);
    for (const { shape, pattern, error } of document.unsupportedPatterns) {
      environment.stderr.write(`warning: ${shape} pattern ${pattern} does not compile in JavaScript (${error}); the plan reports its fields as unchecked\n`);
    }
    return 0;
  } catch (error) {
    environment.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof ModelInputError ? 2 : 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    defaultOut: path.join(__dirname, "rules.json"),
    findDataDir: findDebianDataDir,
  });
}
