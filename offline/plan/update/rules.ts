import * as fs from "fs";
import * as path from "path";
import { AWS_PROVIDER_TYPE, DYNAMIC_RESOURCE_TYPE, NameField, TYPE_MAPPINGS, TypeMapping } from "./cfn-map";
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

/** Logical names of safe rollouts' dynamic release resources end with this. */
export const RELEASE_NAME_SUFFIX = "-release";

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

  /** The rule for a change of top-level input `field` of `type`. */
  fieldRule(type: string, field: string): FieldRule {
    if (type === DYNAMIC_RESOURCE_TYPE) return { replaces: false, source: "dynamic", why: "a dynamic provider without a diff method updates its resource when inputs change" };
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

  /** True for a dynamic resource named `...-release` (safe rollouts): its changes are releases. */
  isRelease(type: string, name: string): boolean {
    return type === DYNAMIC_RESOURCE_TYPE && name.endsWith(RELEASE_NAME_SUFFIX);
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
   *   - a name field Pulumi autonames but the program set: the bridge asks for delete first
   *     (pulumi-terraform-bridge `nameRequiresDeleteBeforeReplace`);
   *   - otherwise (a required name such as `dashboardName`, or no name): create first.
   */
  replacementOrder(type: string, inputs: Readonly<Record<string, unknown>>, deleteBeforeReplace: boolean, cause: ReplacementCause): ReplacementOrder {
    if (deleteBeforeReplace) return { order: "delete-first", why: "deleteBeforeReplace is set on it" };
    if (cause.kind === "provider") return { order: "create-first", why: "the engine replaces a resource whose provider reference is added or removed, creating the new one first" };
    const name = this.nameField(type);
    if (name?.autonamed && inputs[name.field] !== undefined) {
      return { order: "delete-first", why: `the program sets ${name.field}, which Pulumi would autoname, so the provider deletes first (the bridge's nameRequiresDeleteBeforeReplace)` };
    }
    if (name && !name.autonamed) return { order: "create-first", why: `${name.field} is a required name Pulumi does not autoname, and deleteBeforeReplace is not set` };
    return { order: "create-first", why: "Pulumi creates the replacement first unless deleteBeforeReplace is set" };
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
