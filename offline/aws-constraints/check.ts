import constraintsFile from "./rules.json";
import { ConstraintsFile, FieldRule, compilePattern } from "./rules";
import type { Props } from "../mock-cloud";

/**
 * AWS's request rules, checked offline: every name, description, tag and enum
 * value the program sends, against the length, pattern and enum rules of
 * AWS's API models (offline/aws-constraints/rules.json, generated from botocore by
 * `npm run constraints:generate`). A mock accepts `api.example.com (us-east-1)`
 * as an ACM tag value; ACM's TagValue pattern does not, and neither does AWS.
 *
 * Tags are checked as AWS receives them: the resource's own tags merged over
 * its provider's default tags.
 */

/** The parts of a recorded resource the check reads. */
export interface CheckedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Props;
  readonly custom: boolean;
  /** URN of the provider the resource is bound to. */
  readonly provider: string | undefined;
}

export type ConstraintKind = "pattern" | "maxLength" | "minLength" | "enum";

export interface ConstraintViolation {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The concrete field: `description`, `rules[1].visibilityConfig.metricName`, `tags.Name` (value) or `tags["Name"]` (key). */
  readonly field: string;
  readonly value: string;
  readonly rule: ConstraintKind;
  /** `acm RequestCertificate Tags[].Value, shape TagValue`, or for a documented rule the page that documents it. */
  readonly source: string;
  readonly message: string;
}

export interface ConstraintReport {
  readonly botocoreVersion: string;
  /** Values checked (a tag counts twice: key and value). */
  readonly fieldsChecked: number;
  readonly violations: readonly ConstraintViolation[];
  /** Fields whose model pattern JavaScript cannot compile: length and enum checked, pattern not. */
  readonly patternsNotChecked: readonly string[];
}

export const AWS_CONSTRAINTS = constraintsFile as ConstraintsFile;

interface FoundValue {
  readonly path: string;
  readonly value: unknown;
  /** Set for a tag that came from the provider's default tags: the provider's name. */
  readonly defaultTagOf?: string;
}

/** A JSON-encoded object (the mock records a provider's nested inputs as JSON text) decoded; anything else as is. */
function decoded(value: unknown): unknown {
  if (typeof value === "string" && value.startsWith("{")) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every value at `propertyPath` (the table's path grammar) under `root`, with its concrete path. */
export function valuesAt(root: unknown, propertyPath: string): FoundValue[] {
  const found: FoundValue[] = [];
  collectValues(root, propertyPath.split("."), 0, "", found);
  return found;
}

/**
 * Appends to `found` every value at `steps[index...]` under `value`, whose concrete path so far is `path`.
 * One walk without intermediate lists: the check runs it for every rule of every resource.
 */
function collectValues(value: unknown, steps: readonly string[], index: number, path: string, found: FoundValue[]): void {
  if (value === undefined || value === null) return;
  if (index === steps.length) {
    found.push({ path, value });
    return;
  }
  const current = decoded(value);
  const step = steps[index];
  if (step === "[]") {
    if (!Array.isArray(current)) collectValues(current, steps, index + 1, path, found);
    else for (let item = 0; item < current.length; item++) collectValues(current[item], steps, index + 1, `${path}[${item}]`, found);
  } else if (step === "{key}" || step === "{value}") {
    if (!isObject(current)) return;
    for (const key of Object.keys(current)) {
      if (step === "{key}") collectValues(key, steps, index + 1, `${path}[${JSON.stringify(key)}]`, found);
      else collectValues(current[key], steps, index + 1, `${path}.${key}`, found);
    }
  } else if (isObject(current)) {
    collectValues(current[step], steps, index + 1, path ? `${path}.${step}` : step, found);
  }
}

/** The provider's `defaultTags.tags`, as the AWS provider merges them into each taggable resource. */
function defaultTagsOf(provider: CheckedResource | undefined): Record<string, unknown> {
  const defaultTags = decoded(provider?.inputs.defaultTags);
  const tags = isObject(defaultTags) ? decoded(defaultTags.tags) : undefined;
  return isObject(tags) ? tags : {};
}

/** A resource's tags as AWS receives them: the provider's default tags, overridden by the resource's own (the provider's precedence). */
interface TagsAsSent {
  /** `{ tags: merged }`, the root the rules' `tags.…` paths start from. */
  readonly root: { readonly tags: Record<string, unknown> };
  /** Keys the resource sets itself; every other key came from the provider's default tags. */
  readonly ownKeys: ReadonlySet<string>;
  readonly provider: CheckedResource | undefined;
}

function tagsAsSent(resource: CheckedResource, provider: CheckedResource | undefined, defaults: Record<string, unknown>): TagsAsSent {
  const own = decoded(resource.inputs.tags);
  return { root: { tags: { ...defaults, ...(isObject(own) ? own : {}) } }, ownKeys: new Set(isObject(own) ? Object.keys(own) : []), provider };
}

/** The tag keys or values a `tags.…` rule reads, each marked with the provider when it is one of its default tags. */
function tagValues(tags: TagsAsSent, prepared: PreparedRule): FoundValue[] {
  const { ownKeys, provider } = tags;
  const byKey = prepared.rule.property.endsWith("{key}");
  const found: FoundValue[] = [];
  collectValues(tags.root, prepared.steps, 0, "", found);
  return found.map(({ path, value }) => {
    const key = byKey ? String(value) : path.slice("tags.".length);
    return ownKeys.has(key) || !provider ? { path, value } : { path, value, defaultTagOf: provider.name };
  });
}

/** AWS counts characters: a character outside the Basic Multilingual Plane is one, not two UTF-16 units. */
const length = (value: string) => (/[\uD800-\uDFFF]/.test(value) ? [...value].length : value.length);

/** Where a rule comes from: `acm RequestCertificate Tags[].Value, shape TagValue`, or the page of a documented rule. */
function sourceOf(rule: FieldRule): string {
  const member = `${rule.service} ${rule.operation} ${rule.member.replace(/\.\[\]/g, "[]")}`;
  return rule.source === "model" ? `${member}, shape ${rule.shape}` : `${member}, not in the model; documented at ${rule.url}`;
}

function describeProblem(rule: FieldRule, value: string, pattern: RegExp | undefined): { kind: ConstraintKind; text: string } | undefined {
  const characters = length(value);
  if (rule.minLength !== undefined && characters < rule.minLength) {
    return { kind: "minLength", text: `is ${characters} characters long, under the minimum length of ${rule.minLength}` };
  }
  if (rule.maxLength !== undefined && characters > rule.maxLength) {
    return { kind: "maxLength", text: `is ${characters} characters long, over the maximum length of ${rule.maxLength}` };
  }
  if (pattern && !pattern.test(value)) return { kind: "pattern", text: `does not match the pattern ${rule.pattern}` };
  if (rule.enum && !rule.enumNotChecked && !rule.enum.includes(value)) return { kind: "enum", text: `is not one of ${rule.enum.join(", ")}` };
  return undefined;
}

/** A rule ready to apply: its path split into steps and its pattern compiled, once per rules document. */
interface PreparedRule {
  readonly rule: FieldRule;
  readonly steps: readonly string[];
  /** Undefined when the rule has no pattern, or one JavaScript cannot compile (`patternError`). */
  readonly pattern: RegExp | undefined;
  /** A `tags.…` rule, checked against the tags as sent (the provider's default tags merged in). */
  readonly onTags: boolean;
}

/** Prepared rules grouped by Pulumi type, built once per rules document. */
const indexes = new WeakMap<ConstraintsFile, Map<string, PreparedRule[]>>();
function rulesByType(constraints: ConstraintsFile): Map<string, PreparedRule[]> {
  let byType = indexes.get(constraints);
  if (!byType) {
    byType = new Map();
    for (const rule of constraints.fields) {
      const prepared: PreparedRule = { rule, steps: rule.property.split("."), pattern: patternOf(rule), onTags: rule.property.startsWith("tags.") };
      byType.set(rule.type, [...(byType.get(rule.type) ?? []), prepared]);
    }
    indexes.set(constraints, byType);
  }
  return byType;
}

/** Compiled patterns, shared by every check in the process (about 30 distinct patterns). */
const compiledPatterns = new Map<string, RegExp>();
function patternOf(rule: FieldRule): RegExp | undefined {
  if (rule.pattern === undefined || rule.patternError) return undefined;
  let compiled = compiledPatterns.get(rule.pattern);
  if (!compiled) {
    compiled = compilePattern(rule.pattern);
    compiledPatterns.set(rule.pattern, compiled);
  }
  return compiled;
}

/**
 * Checks every recorded custom resource against the rules. Resources of a
 * type the table does not map are not checked (TYPES_WITHOUT_RULES says why
 * for each type tap creates).
 */
export function checkAwsConstraints(resources: readonly CheckedResource[], constraints: ConstraintsFile = AWS_CONSTRAINTS): ConstraintReport {
  const byType = rulesByType(constraints);
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  // Every resource of a region shares its provider's default tags: decode them once per provider.
  const defaultTagsByProvider = new Map<string | undefined, Record<string, unknown>>();
  const defaultTagsFor = (provider: CheckedResource | undefined) => {
    let tags = defaultTagsByProvider.get(provider?.urn);
    if (!tags) {
      tags = defaultTagsOf(provider);
      defaultTagsByProvider.set(provider?.urn, tags);
    }
    return tags;
  };

  let fieldsChecked = 0;
  const violations: ConstraintViolation[] = [];
  const patternsNotChecked = new Set<string>();
  for (const resource of resources) {
    if (!resource.custom) continue;
    // Merged once per resource, for its tag-key and tag-value rules alike.
    let tags: TagsAsSent | undefined;
    for (const prepared of byType.get(resource.type) ?? []) {
      const { rule } = prepared;
      if (rule.when && (resource.inputs[rule.when.property] === true) !== rule.when.is) continue;
      let values: FoundValue[];
      if (prepared.onTags) {
        if (!tags) {
          const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
          tags = tagsAsSent(resource, provider, defaultTagsFor(provider));
        }
        values = tagValues(tags, prepared);
      } else {
        values = [];
        collectValues(resource.inputs, prepared.steps, 0, "", values);
      }
      for (const { path, value, defaultTagOf } of values) {
        if (typeof value !== "string") continue;
        fieldsChecked++;
        if (rule.patternError) patternsNotChecked.add(`${rule.type} ${rule.property}`);
        const problem = describeProblem(rule, value, prepared.pattern);
        if (!problem) continue;
        const field = defaultTagOf ? `${path} (default tag of provider ${defaultTagOf})` : path;
        const source = sourceOf(rule);
        violations.push({
          urn: resource.urn,
          type: resource.type,
          name: resource.name,
          field,
          value,
          rule: problem.kind,
          source,
          message: `${resource.type} "${resource.name}": ${field} = ${JSON.stringify(value)} ${problem.text} (${source})`,
        });
      }
    }
  }
  return { botocoreVersion: constraints.botocore.version, fieldsChecked, violations, patternsNotChecked: [...patternsNotChecked] };
}

/** The plan's lines: one summary line, then each violation. */
export function renderConstraintReport(report: ConstraintReport, style: { red(text: string): string; yellow(text: string): string }): string[] {
  const count = report.violations.length;
  const summary = `AWS input constraints: ${report.fieldsChecked} fields checked, ${count} violation${count === 1 ? "" : "s"} (rules from botocore ${report.botocoreVersion}'s API models)`;
  const lines = [count > 0 ? style.red(summary) : summary];
  for (const violation of report.violations) lines.push(`  ${violation.message}`);
  for (const field of report.patternsNotChecked) lines.push(`  ${style.yellow("warning:")} ${field}: the model's pattern does not compile in JavaScript, so it was not checked`);
  return lines;
}
