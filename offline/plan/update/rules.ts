import * as fs from "fs";
import * as path from "path";
import { RELEASE_REPLACING_INPUTS } from "../../../lib/rollout-spec";
import { deepEqual } from "./diff";
import { AWS_PROVIDER_TYPE, DYNAMIC_RESOURCE_TYPE, NameField, ParentKey, TYPE_MAPPINGS, TypeMapping } from "./cfn-map";
import { isGlobalServiceType } from "./global-services";
import { ReplacementRulesFile } from "./rules-file";

/**
 * What changing one input of one resource type does, and in which order a
 * replacement runs. Two sources:
 *   - AWS's CloudFormation metadata (`causesReplacement`, generated into
 *     replacement-rules.json) for every input the table in cfn-map.ts maps;
 *   - the provider's and the engine's own rules, which the metadata cannot
 *     know: inputs CloudFormation has no counterpart for (cfn-map.ts
 *     `provider` rows), provider and region changes, the bridge's
 *     delete-before-replace rule for explicit names, dynamic resources.
 */

/** Why a region-aware resource is replaced when its provider's region changes (the reason the plan gives). */
export const REGION_RULE =
  "@pulumi/aws 7 gives a region-aware resource its provider's region, and changing `region` forces replacement " +
  "(Pulumi AWS provider guide, Enhanced Region Support, \"How region works\")";

/** Where a field's rule comes from. */
export type RuleSource = "cloudformation" | "provider" | "dynamic" | "unmapped";

export interface FieldRule {
  readonly replaces: boolean;
  readonly source: RuleSource;
  /** Why, in a few words: `AWS::Lambda::Function FunctionName: replacement`, or the provider's reason. */
  readonly why: string;
}

/** The order of a replacement, and why. */
export interface ReplacementOrder {
  readonly order: "create-first" | "delete-first";
  readonly why: string;
}

/** What caused a replacement: the provider reference, or inputs whose change replaces the resource. */
export type ReplacementCause = { readonly kind: "provider"; readonly from: string | undefined; readonly to: string | undefined } | { readonly kind: "properties" };

export class ReplacementRules {
  private readonly taggable: ReadonlySet<string>;
  private readonly regionAware: ReadonlySet<string>;

  constructor(
    private readonly file: ReplacementRulesFile,
    private readonly mappings: Readonly<Record<string, TypeMapping>> = TYPE_MAPPINGS,
  ) {
    this.taggable = new Set(file.taggable);
    this.regionAware = new Set(file.regionAware);
  }

  /**
   * The rule for a change of top-level input `field` of `type`. The program's only dynamic resources are the
   * release steps, whose provider's diff replaces the step when one of RELEASE_REPLACING_INPUTS changes and
   * updates it otherwise (lib/release-provider.ts `diffRelease`).
   */
  fieldRule(type: string, field: string): FieldRule {
    if (type === DYNAMIC_RESOURCE_TYPE) {
      return (RELEASE_REPLACING_INPUTS as readonly string[]).includes(field)
        ? { replaces: true, source: "dynamic", why: `the release step's diff replaces it: a new ${field} is a release of something else (lib/release-provider.ts diffRelease)` }
        : { replaces: false, source: "dynamic", why: "the release step's diff updates it (lib/release-provider.ts diffRelease)" };
    }
    const mapping = this.mappings[type]?.fields[field];
    if (mapping === undefined) {
      return { replaces: false, source: "unmapped", why: `no rule for ${field} of ${type} (add it to offline/plan/update/cfn-map.ts); assumed in place` };
    }
    if (typeof mapping !== "string") return { replaces: mapping.replaces, source: "provider", why: `the provider: ${mapping.why}` };
    const generated = this.file.types[type]?.fields[field];
    if (!generated) {
      return { replaces: false, source: "unmapped", why: `${field} of ${type} is mapped but not in replacement-rules.json; run npm run update-rules:generate` };
    }
    const cfnType = this.file.types[type].cfnType;
    switch (generated.causesReplacement) {
      case "yes":
        return { replaces: true, source: "cloudformation", why: `${cfnType} ${generated.cfn}: update requires replacement` };
      case "maybe":
        return { replaces: true, source: "cloudformation", why: `${cfnType} ${generated.cfn}: update may require replacement (counted as replacing)` };
      default:
        return { replaces: false, source: "cloudformation", why: `${cfnType} ${generated.cfn}: updated in place` };
    }
  }

  nameField(type: string): NameField | undefined {
    return this.mappings[type]?.nameField;
  }

  /** The key of a resource AWS keys by its parent (cfn-map.ts ParentKey), or undefined. */
  parentKey(type: string): ParentKey | undefined {
    return this.mappings[type]?.parentKey;
  }

  /** True when the type takes `tags`, so the provider's default tags reach it (`tagsAll`). */
  isTaggable(type: string): boolean {
    return this.taggable.has(type);
  }

  /**
   * True when the type takes its provider's region (@pulumi/aws 7's per-resource `region`), so a provider in
   * another region replaces it. From the generated file for mapped types; an unmapped AWS type counts as regional
   * unless its service is global (global-services.ts).
   */
  isRegionAware(type: string): boolean {
    if (this.mappings[type] !== undefined) return this.regionAware.has(type);
    return type.startsWith("aws:") && !isGlobalServiceType(type);
  }

  isProvider(type: string): boolean {
    return type.startsWith("pulumi:providers:");
  }

  /**
   * The order of a replacement:
   *   - `deleteBeforeReplace` set on the resource: delete first;
   *   - a provider reference added or removed (a custom resource that had no provider, or loses it): the engine
   *     decides without asking the provider (step_generator.go providerChanged returns ReplaceKeys ["provider"] and
   *     no DeleteBeforeReplace), so create first;
   *   - a release step: its provider's diff answers `deleteBeforeReplace: false`, so create first;
   *   - a type whose provider declares DeleteBeforeReplace (cfn-map.ts `providerDeletesFirst`): delete first;
   *   - a name field Pulumi autonames but the program set: delete first, by the bridge's
   *     `nameRequiresDeleteBeforeReplace` (see `explicitNameOrder`);
   *   - otherwise (a required name such as `dashboardName`, or no name): create first.
   * `oldInputs` are the deployed resource's inputs (needed for unique-name fields).
   */
  replacementOrder(
    type: string,
    inputs: Readonly<Record<string, unknown>>,
    deleteBeforeReplace: boolean,
    cause: ReplacementCause,
    oldInputs: Readonly<Record<string, unknown>> = {},
  ): ReplacementOrder {
    if (deleteBeforeReplace) return { order: "delete-first", why: "deleteBeforeReplace is set on it" };
    if (cause.kind === "provider") return { order: "create-first", why: "the engine replaces a resource whose provider reference is added or removed, creating the new one first" };
    if (type === DYNAMIC_RESOURCE_TYPE) return { order: "create-first", why: "the release step's diff does not ask to delete first (lib/release-provider.ts diffRelease)" };
    const mapping = this.mappings[type];
    if (mapping?.providerDeletesFirst) {
      return { order: "delete-first", why: `the provider declares DeleteBeforeReplace for it (${mapping.providerDeletesFirst})` };
    }
    const byName = this.explicitNameOrder(mapping, inputs, oldInputs);
    if (byName) return byName;
    const name = mapping?.nameField;
    if (name && !name.autonamed) return { order: "create-first", why: `${name.field} is a required name Pulumi does not autoname, and deleteBeforeReplace is not set` };
    return { order: "create-first", why: "Pulumi creates the replacement first unless deleteBeforeReplace is set" };
  }

  /**
   * pulumi-terraform-bridge's `nameRequiresDeleteBeforeReplace` (pkg/tfbridge/schema.go), for the type's
   * autonamed name field:
   *   - a name field counts as set by the program when it is missing from the inputs' `__defaults` (the bridge's
   *     list of what it filled in; a real preview's inputs hold the autonamed value too). Inputs without
   *     `__defaults` are the program's own (the offline plan's): there a name is set when it is present;
   *   - a type whose provider declares unique-name fields (`ResourceInfo.UniqueNameFields`) is replaced create
   *     first when any of them changes (the new name cannot collide) or was autonamed, and delete first only when
   *     all are set by the program and unchanged;
   *   - any other type is replaced delete first when the program set the name.
   * Undefined when the rule does not apply (no autonamed name field, or the name was autonamed).
   */
  private explicitNameOrder(
    mapping: TypeMapping | undefined,
    inputs: Readonly<Record<string, unknown>>,
    oldInputs: Readonly<Record<string, unknown>>,
  ): ReplacementOrder | undefined {
    const name = mapping?.nameField;
    if (!name?.autonamed) return undefined;
    const defaults = inputs.__defaults;
    const autonamed = (field: string) => (Array.isArray(defaults) ? defaults.includes(field) : inputs[field] === undefined);
    const unique = mapping?.uniqueNameFields;
    if (unique) {
      const changed = unique.fields.find((field) => !deepEqual(oldInputs[field], inputs[field]));
      if (changed) {
        return { order: "create-first", why: `${changed} changes, and the provider declares it a unique-name field, so the bridge creates the replacement first (nameRequiresDeleteBeforeReplace, UniqueNameFields)` };
      }
      if (unique.fields.some(autonamed)) return undefined;
      return { order: "delete-first", why: `the program sets ${unique.fields.join(" and ")}, unchanged, so the bridge deletes first (nameRequiresDeleteBeforeReplace, UniqueNameFields)` };
    }
    if (inputs[name.field] === undefined || autonamed(name.field)) return undefined;
    return { order: "delete-first", why: `the program sets ${name.field}, which Pulumi would autoname, so the provider deletes first (the bridge's nameRequiresDeleteBeforeReplace)` };
  }

  /** Every type with a row (tests check the program's types against it). */
  mappedTypes(): readonly string[] {
    return Object.keys(this.mappings);
  }
}

/** The committed rules file next to this module. */
export const REPLACEMENT_RULES_PATH = path.join(__dirname, "replacement-rules.json");

let loaded: ReplacementRules | undefined;

/** The rules from the committed file, read once per process. */
export function loadReplacementRules(): ReplacementRules {
  loaded ??= new ReplacementRules(JSON.parse(fs.readFileSync(REPLACEMENT_RULES_PATH, "utf8")) as ReplacementRulesFile);
  return loaded;
}

export { AWS_PROVIDER_TYPE, DYNAMIC_RESOURCE_TYPE };
