/**
 * Reading IAM and bucket policy documents as the policies receive them: a JSON
 * string (what the provider stores), or an object (what a program may pass
 * before the provider serialises it). Pure.
 */

/** One statement, as written: Action and Resource may be a string or a list. */
export type Statement = Record<string, unknown>;

export type ParsedDocument =
  | { readonly ok: true; readonly statements: Statement[] }
  | { readonly ok: false; readonly problem: string };

export function parsePolicyDocument(policy: unknown): ParsedDocument {
  let document: unknown = policy;
  if (typeof policy === "string") {
    if (policy.trim() === "") return { ok: false, problem: "the policy document is empty" };
    try {
      document = JSON.parse(policy);
    } catch (error) {
      return { ok: false, problem: `the policy document is not valid JSON (${(error as Error).message})` };
    }
  }
  if (typeof document !== "object" || document === null) {
    return { ok: false, problem: "there is no policy document" };
  }
  const statement = (document as Record<string, unknown>).Statement;
  const statements = (Array.isArray(statement) ? statement : [statement]).filter(
    (item): item is Statement => typeof item === "object" && item !== null,
  );
  if (statements.length === 0) return { ok: false, problem: "the policy document has no Statement" };
  return { ok: true, statements };
}

/** The strings of a statement field that may be a string or a list (Action, Resource, NotAction). */
export function listOf(statement: Statement, field: string): string[] {
  return [statement[field]].flat().filter((value): value is string => typeof value === "string");
}
