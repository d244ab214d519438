/**
 * The shape of the generated replacement rules (replacement-rules.json),
 * shared by the rules that read it (rules.ts) and the generator that writes it
 * (generate.ts), so the plan never loads the generator or the 2.6 MB
 * CloudFormation specification.
 */

/** CloudFormation's answer to "does changing this property replace the resource?" ("maybe": only in some cases). */
export type CausesReplacement = "yes" | "no" | "maybe";

export interface GeneratedField {
  /** The CloudFormation property path the field maps to. */
  readonly cfn: string;
  /** The strongest `causesReplacement` along the path (a nested property inside one that replaces, replaces). */
  readonly causesReplacement: CausesReplacement;
}

export interface GeneratedType {
  readonly cfnType: string;
  readonly fields: Readonly<Record<string, GeneratedField>>;
}

export interface ReplacementRulesFile {
  readonly note: string;
  readonly sources: { readonly "@aws-cdk/aws-service-spec": string; readonly "@pulumi/aws": string };
  /** Types whose provider Args take `tags`: a change of the provider's default tags updates them (`tagsAll`). */
  readonly taggable: readonly string[];
  /**
   * AWS types whose provider Args declare `region` (@pulumi/aws 7's per-resource region, which defaults to the
   * provider's): a change of their provider's region replaces them. Global services' types are not among them.
   */
  readonly regionAware: readonly string[];
  readonly types: Readonly<Record<string, GeneratedType>>;
}
