/**
 * The shape of the AWS input rules file (rules.json), shared by the check that reads it (check.ts) and the
 * generator that writes it (generate.ts), so the check does not load the generator.
 */

/** One checked field, as stored in offline/aws-constraints/rules.json. */
export interface FieldRule {
  readonly type: string;
  readonly property: string;
  readonly service: string;
  readonly apiVersion: string;
  readonly operation: string;
  readonly member: string;
  /** The model shape of the member (its rules come from here when source is "model"). */
  readonly shape: string;
  readonly source: "model" | "documentation";
  readonly minLength?: number;
  readonly maxLength?: number;
  /** As AWS publishes it; matched against the whole value. */
  readonly pattern?: string;
  /** Set when JavaScript cannot compile `pattern`: the check reports the field as not checked for its pattern. */
  readonly patternError?: string;
  readonly enum?: readonly string[];
  readonly enumNotChecked?: string;
  readonly when?: { readonly property: string; readonly is: boolean };
  /** For documented rules: AWS's words and the page. */
  readonly text?: string;
  readonly url?: string;
}

export interface ConstraintsFile {
  readonly note: string;
  readonly botocore: { readonly version: string; readonly dataDir: string };
  readonly services: Readonly<Record<string, string>>;
  readonly fields: readonly FieldRule[];
  readonly unsupportedPatterns: readonly { readonly shape: string; readonly pattern: string; readonly error: string }[];
}

/** How the check compiles a pattern: anchored like AWS's whole-value match, Unicode mode for \p{...}. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, "u");
}
