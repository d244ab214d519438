import type { StackConfig } from "./loader";

/**
 * The AWS account an offline evaluation of a stack answers `getCallerIdentity`
 * with. Bucket names hash the account (lib/naming.ts), so a stack that allows
 * only some accounts is planned in the first of them: the names the plan
 * shows are then the names that stack gets. The one rule of `npm run plan`,
 * its --destroy, --from, --json and --stacks.
 */

/**
 * The account every placeholder ARN names, when nothing chooses another. Here rather than in the mock cloud, which
 * re-exports it: the plan's command needs it before it knows whether it will load the Pulumi SDK at all.
 */
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";

/** An AWS account ID: 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Where the account came from, as the plan says it. */
export type AccountSource = "--stacks" | "tap:allowedAccountIds" | "placeholder";

export interface PlanAccount {
  readonly accountId: string;
  readonly source: AccountSource;
}

/** What each source reads as in the plan's output. */
export const ACCOUNT_SOURCE_TEXT: Readonly<Record<AccountSource, string>> = {
  "--stacks": "from --stacks",
  "tap:allowedAccountIds": "the first of tap:allowedAccountIds",
  placeholder: "placeholder",
};

/** `<project>:allowedAccountIds` as the list the program reads, or undefined when unset or not a list of strings. */
export function allowedAccountIds(config: StackConfig): string[] | undefined {
  const text = config.values[`${config.project}:allowedAccountIds`];
  if (text === undefined || text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") && parsed.length > 0 ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The first of the stack's allowed accounts when it names a valid one, else `placeholder`. */
export function defaultPlanAccount(config: StackConfig, placeholder: string): PlanAccount {
  const allowed = allowedAccountIds(config);
  if (allowed && ACCOUNT_ID.test(allowed[0])) return { accountId: allowed[0], source: "tap:allowedAccountIds" };
  return { accountId: placeholder, source: "placeholder" };
}

/** `account 111111111111 (the first of tap:allowedAccountIds)`: how the plan names the account it used. */
export function describeAccount(account: PlanAccount): string {
  return `account ${account.accountId} (${ACCOUNT_SOURCE_TEXT[account.source]})`;
}

/** `account 123456789012` for the placeholder, else `account 111111111111, the first of tap:allowedAccountIds`: for the plan's placeholder note. */
export function accountPhrase(account: PlanAccount): string {
  return account.source === "placeholder" ? `account ${account.accountId}` : `account ${account.accountId}, ${ACCOUNT_SOURCE_TEXT[account.source]}`;
}
