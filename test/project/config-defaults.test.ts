import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEY_TYPES, DEFAULTS, UNSET_SENTINELS, defaultEnvironmentSuffix } from "../../lib/config";
import { REPO_ROOT } from "../support/paths";

/**
 * Defaults are decided once, in `DEFAULTS` (lib/config.ts). Three other places
 * write them down for readers: the `@default` of each `TapStackArgs` field,
 * the `default:` of each key in Pulumi.yaml's config block, and the default
 * column of the README's configuration table. Each is checked here against
 * DEFAULTS, key by key, and a failure names the key and the place.
 *
 * A key with no library default (optional, or computed) has an "unset" value
 * in UNSET_SENTINELS instead, because Pulumi treats a declared key without a
 * default as required: Pulumi.yaml and the README show that value, and the
 * JSDoc says `undefined`, or, for a computed default, what it is computed from.
 */

const JSDOC = "lib/config.ts (the @default of TapStackArgs)";
const PULUMI_YAML = "Pulumi.yaml (config block)";
const README = "README.md (configuration table)";

type ConfigKey = keyof typeof CONFIG_KEY_TYPES;
const configKeys = (Object.keys(CONFIG_KEY_TYPES) as ConfigKey[]).filter((key) => key !== "stackName");

/** The `@default` text of each TapStackArgs field, read from the interface's JSDoc. */
function jsdocDefaults(source: string): Map<string, string | undefined> {
  const body = /export interface TapStackArgs \{([\s\S]*?)\n\}/.exec(source)?.[1];
  if (body === undefined) throw new Error("lib/config.ts has no `export interface TapStackArgs { ... }`");
  const defaults = new Map<string, string | undefined>();
  for (const [, comment, field] of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??:/g)) {
    const text = comment.split("\n").map((line) => line.replace(/^\s*\*\s?/, "")).join(" ");
    defaults.set(field, /@default\s+(.*?)\s*(?=@\w|$)/.exec(text)?.[1]);
  }
  return defaults;
}

interface ReadmeRow {
  readonly defaultCell: string;
  readonly description: string;
}

/** The README configuration table's rows: `| \`key\` | type | default | what it does |`. */
function readmeRows(markdown: string): Map<string, ReadmeRow> {
  const rows = new Map<string, ReadmeRow>();
  for (const [, key, defaultCell, description] of markdown.matchAll(/^\| `(\w+)` \| (?:string|list|boolean|integer|object) \| ([^|]+) \| (.*) \|$/gm)) {
    rows.set(key, { defaultCell: defaultCell.trim(), description });
  }
  return rows;
}

/** `a` -> `b` (or →) pairs in a text: the examples a computed default gives. */
function examplePairs(text: string): [string, string][] {
  return [...text.matchAll(/`([^`]+)` (?:->|→) `([^`]+)`/g)].map(([, from, to]) => [from, to]);
}

const jsdoc = jsdocDefaults(fs.readFileSync(path.join(REPO_ROOT, "lib", "config.ts"), "utf8"));
const pulumiConfig = (parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> }).config;
const readme = readmeRows(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Computed defaults: what their JSDoc and README row must say, checked against the function that computes them. */
const COMPUTED: Partial<Record<ConfigKey, { readonly says: string; readonly compute: (input: string) => string }>> = {
  environmentSuffix: { says: "the stack name", compute: defaultEnvironmentSuffix },
};

/** Every disagreement of `key`'s default between DEFAULTS and the three places, one message each. */
function problemsOf(key: ConfigKey): string[] {
  const problems: string[] = [];
  const hasDefault = key in DEFAULTS;
  const library = DEFAULTS[key as keyof typeof DEFAULTS] as unknown;
  const sentinel = UNSET_SENTINELS[key as keyof typeof UNSET_SENTINELS] as unknown;
  const computed = COMPUTED[key];

  const checkExamples = (place: string, text: string) => {
    if (!computed) return;
    const pairs = examplePairs(text);
    if (pairs.length === 0) problems.push(`${place}: "${key}" gives no \`input\` -> \`default\` example of its computed default`);
    for (const [from, to] of pairs) {
      const actual = computed.compute(from);
      if (actual !== to) problems.push(`${place}: "${key}" says \`${from}\` -> \`${to}\`, but the library computes \`${actual}\``);
    }
  };

  if (hasDefault === (key in UNSET_SENTINELS)) {
    problems.push(`lib/config.ts: "${key}" must be in exactly one of DEFAULTS and UNSET_SENTINELS (it is in ${hasDefault ? "both" : "neither"})`);
    return problems;
  }

  // 1. The JSDoc @default.
  const documented = jsdoc.get(key);
  if (documented === undefined) {
    problems.push(`${JSDOC}: "${key}" has no @default (DEFAULTS says ${hasDefault ? JSON.stringify(library) : "none"})`);
  } else if (hasDefault) {
    const parsed = parseJson(documented);
    if (!parsed || !sameValue(parsed.value, library)) problems.push(`${JSDOC}: "${key}" says @default ${documented}, but DEFAULTS says ${JSON.stringify(library)}`);
  } else if (computed) {
    if (!documented.startsWith(computed.says)) problems.push(`${JSDOC}: "${key}" says @default ${documented}, but its default is ${computed.says}`);
    checkExamples(JSDOC, documented);
  } else if (!/^undefined(?: \(.*\))?$/.test(documented)) {
    problems.push(`${JSDOC}: "${key}" says @default ${documented}, but it has no default (expected @default undefined, perhaps with a note in parentheses)`);
  }

  // 2. Pulumi.yaml's default.
  const declared = pulumiConfig[key];
  const expectedYaml = hasDefault ? library : sentinel;
  if (declared === undefined || !("default" in declared)) {
    problems.push(`${PULUMI_YAML}: "${key}" has no default (expected ${JSON.stringify(expectedYaml)})`);
  } else if (!sameValue(declared.default, expectedYaml)) {
    problems.push(`${PULUMI_YAML}: "${key}" has default ${JSON.stringify(declared.default)}, expected ${JSON.stringify(expectedYaml)} (${hasDefault ? "DEFAULTS" : "UNSET_SENTINELS"})`);
  }

  // 3. The README table: the default cell's first code span is the value as you would type it (strings bare, the rest JSON).
  const row = readme.get(key);
  const code = row && /`([^`]*)`/.exec(row.defaultCell)?.[1];
  if (row === undefined) {
    problems.push(`${README}: "${key}" has no row`);
  } else if (code === undefined) {
    problems.push(`${README}: "${key}" has no \`value\` in its default cell ("${row.defaultCell}")`);
  } else if (hasDefault) {
    const matches = typeof library === "string" ? code === library : sameValue(parseJson(code)?.value, library);
    if (!matches) problems.push(`${README}: "${key}" says default \`${code}\`, but DEFAULTS says ${JSON.stringify(library)}`);
  } else {
    if (!sameValue(parseJson(code)?.value, sentinel)) problems.push(`${README}: "${key}" says default \`${code}\`, but its unset value is ${JSON.stringify(sentinel)}`);
    if (computed && !row.defaultCell.includes(computed.says)) problems.push(`${README}: "${key}"'s default cell does not say "${computed.says}"`);
    if (computed) checkExamples(README, row.description);
  }
  return problems;
}

describe("each config key's default agrees with DEFAULTS in every place it is written", () => {
  test.each(configKeys)("%s", (key) => {
    expect(problemsOf(key)).toEqual([]);
  });

  test("DEFAULTS and UNSET_SENTINELS name only config keys", () => {
    const known = new Set<string>(configKeys);
    expect([...Object.keys(DEFAULTS), ...Object.keys(UNSET_SENTINELS)].filter((key) => !known.has(key))).toEqual([]);
  });

  test("stackName, the one field that is not a config key, documents its default too", () => {
    expect(jsdoc.get("stackName")).toMatch(/pulumi\.getStack\(\)/);
  });
});

describe("the reader of these places", () => {
  test("finds every TapStackArgs field's JSDoc and every README row", () => {
    expect([...jsdoc.keys()].sort()).toEqual(Object.keys(CONFIG_KEY_TYPES).sort());
    expect([...readme.keys()].sort()).toEqual([...configKeys].sort());
  });

  test("reads a one-line and a multi-line @default", () => {
    const source = [
      "export interface TapStackArgs {",
      "  /** Memory. @default 128 */",
      "  lambdaMemoryMb?: number;",
      "  /**",
      "   * Regions.",
      "   * @default [\"us-east-1\", \"us-west-2\"]",
      "   * @example [\"eu-west-1\"]",
      "   */",
      "  regions?: string[];",
      "  /** No default here. */",
      "  alarmEmail?: string;",
      "}",
    ].join("\n");
    expect([...jsdocDefaults(source)]).toEqual([
      ["lambdaMemoryMb", "128"],
      ["regions", "[\"us-east-1\", \"us-west-2\"]"],
      ["alarmEmail", undefined],
    ]);
  });

  test("finds the examples of a computed default", () => {
    expect(examplePairs("(`prod` → `prod`, `My_Stack.Prod` -> `my-stack-prod`)")).toEqual([
      ["prod", "prod"],
      ["My_Stack.Prod", "my-stack-prod"],
    ]);
  });
});
