import type { ResolvedTapStackConfig } from "../../lib/config";
import { AwsCallError, AwsClients, classify } from "../aws";
import type { PlannedName } from "../names";
import { CheckId, Row, unknown } from "../rows";

/** What every check reads: the stack's resolved config, the account's clients, and what the plan would name. */
export interface CheckContext {
  readonly config: ResolvedTapStackConfig;
  readonly aws: AwsClients;
  /** The caller's account, when STS answered. */
  readonly accountId: string | undefined;
  /** The physical names the plan would create (preflight/names.ts). */
  readonly names: readonly PlannedName[];
}

/** Where account-wide calls go (STS, IAM, Route 53, EC2 DescribeRegions): a region every commercial account has enabled. */
export const GLOBAL_CALL_REGION = "us-east-1";

/** The tags tap's providers put on everything (lib/tap-stack.ts): what marks a resource as this stack's. */
export function ownTags(config: ResolvedTapStackConfig): { Project: string; Stack: string } {
  return { Project: config.projectName, Stack: config.stackName };
}

/** `key=value` pairs of the two ownership tags, for details: `Project=iac-aws-nova, Stack=dev`. */
export function describeOwnership(tags: Readonly<Record<string, string | undefined>>): string {
  const shown = ["Project", "Stack"].filter((key) => tags[key] !== undefined).map((key) => `${key}=${tags[key]}`);
  return shown.length > 0 ? shown.join(", ") : "no Project or Stack tag";
}

/** True when `tags` carry this stack's Project and Stack tags. */
export function isOwn(tags: Readonly<Record<string, string | undefined>>, config: ResolvedTapStackConfig): boolean {
  const own = ownTags(config);
  return tags.Project === own.Project && tags.Stack === own.Stack;
}

/**
 * The region a failed call was sent to, said so that it cannot be taken for
 * the row's: an account-wide call (DescribeRegions, GetCallerIdentity, IAM)
 * answers for every region but goes to GLOBAL_CALL_REGION only.
 */
function sentTo(failure: AwsCallError, rowRegion: string): string {
  return failure.region === rowRegion ? rowRegion : `${failure.region}, where account-wide calls go`;
}

/** What a failed call means for a row that could not be checked. */
export function unknownRow(check: CheckId, region: string, error: unknown): Row {
  const failure = classify(error, undefined, region);
  const command = failure.call ? `${failure.call.service} ${failure.call.command.replace(/Command$/, "")}` : "the call";
  switch (failure.kind) {
    case "denied":
      return unknown(check, region, `${failure.code}: these credentials may not call ${command}.`, failure.call?.iamAction ?? undefined);
    case "unreachable":
      return unknown(check, region, `No answer from ${failure.call?.service ?? "AWS"} in ${sentTo(failure, region)} (${failure.code}: ${failure.message}).`);
    case "throttled":
      return unknown(check, region, `${command} was still throttled (${failure.code}) after the SDK's retries with back-off; run again later.`);
    case "server":
      return unknown(check, region, `AWS answered ${command} with ${failure.code.startsWith("HTTP ") ? failure.code : `HTTP ${failure.httpStatus ?? "5xx"} (${failure.code})`} to every attempt.`);
    case "expired":
      return unknown(check, region, `The credentials expired during the run (${failure.code}); refresh them and run again.`);
    case "invalid-credentials":
    case "no-credentials":
      return unknown(check, region, `AWS did not accept the credentials for ${command} (${failure.code}: ${failure.message}).`);
    case "api":
      return unknown(check, region, `${command} failed: ${failure.code}: ${failure.message}`);
  }
}

/** True when `error` is AWS's answer that the thing asked for does not exist (`codes` are the API's names for that). */
export function isNotFound(error: unknown, ...codes: string[]): boolean {
  return error instanceof AwsCallError && error.kind === "api" && (codes.includes(error.code) || error.httpStatus === 404);
}
