import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
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
 * `service-2.json.gz` (botocore from pip since 1.32).
 */

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
  const candidates = fs
    .readdirSync(serviceDir)
    .sort()
    .reverse()
    .flatMap((version) => ["service-2.json", "service-2.json.gz"].map((name) => ({ apiVersion: version, file: path.join(serviceDir, version, name) })));
  const found = candidates.find((candidate) => fs.existsSync(candidate.file));
  if (!found) throw new Error(`No service-2.json(.gz) under ${serviceDir}`);
  return found;
}

function readModel(file: string): ServiceModel {
  const raw = fs.readFileSync(file);
  return JSON.parse((file.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8")) as ServiceModel;
}

/** botocore/__init__.py next to the data folder says `__version__ = '1.29.27'`. */
export function botocoreVersion(dataDir: string): string {
  const init = path.join(dataDir, "..", "__init__.py");
  const match = fs.existsSync(init) ? /__version__\s*=\s*['"]([^'"]+)['"]/.exec(fs.readFileSync(init, "utf8")) : null;
  if (!match) throw new Error(`Cannot read botocore's version from ${init}`);
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
  const models = new Map<string, { apiVersion: string; model: ServiceModel }>();
  const load = (service: string) => {
    let loaded = models.get(service);
    if (!loaded) {
      const { apiVersion, file } = latestModel(dataDir, service);
      loaded = { apiVersion, model: readModel(file) };
      models.set(service, loaded);
    }
    return loaded;
  };

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
    botocore: { version: botocoreVersion(dataDir), dataDir },
    services: Object.fromEntries([...models.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([service, { apiVersion }]) => [service, apiVersion])),
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
  const files = execFileSync("dpkg", ["-L", "python3-botocore"], { encoding: "utf8" }).split("\n");
  const dataDir = files.find((file) => file.endsWith("/botocore/data"));
  if (!dataDir) throw new Error("dpkg -L python3-botocore lists no botocore/data folder; pass the data folder as an argument.");
  return dataDir;
}

function main(argv: readonly string[]): number {
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : path.join(__dirname, "rules.json");
  const positional = argv.filter((_, index) => index !== outIndex && index !== outIndex + 1);
  const dataDir = positional[0] ? path.resolve(positional[0]) : findDebianDataDir();
  const document = generateConstraints(dataDir);
  fs.writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`Wrote ${document.fields.length} field rules from botocore ${document.botocore.version} (${dataDir}) to ${out}\n`);
  for (const { shape, pattern, error } of document.unsupportedPatterns) {
    process.stderr.write(`warning: ${shape} pattern ${pattern} does not compile in JavaScript (${error}); the plan reports its fields as unchecked\n`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
