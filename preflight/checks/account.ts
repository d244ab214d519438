import * as os from "os";
import * as path from "path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ResolvedTapStackConfig } from "../../lib/config";
import { AwsCallError, AwsClients, classify } from "../aws";
import { GLOBAL, Row, fail, ok } from "../rows";
import { GLOBAL_CALL_REGION, unknownRow } from "./context";

/**
 * Whose credentials these are, against `allowedAccountIds`: every provider of
 * the stack refuses any other account, so `pulumi up` with these would stop.
 * Credentials that are missing, expired or refused make every other check
 * meaningless, so they end the run (`fatal`) with one line.
 */

export interface CallerResult {
  /** The account row; absent when the run must stop (`fatal`). */
  readonly row?: Row;
  /** The caller's account, when STS answered. */
  readonly accountId?: string;
  /** Set when the credentials themselves are the problem: one line, and nothing else can be checked. */
  readonly fatal?: string;
}

/**
 * The shared config and credentials files the AWS SDK reads profiles from:
 * AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
 * ~/.aws/credentials, home being HOME, else USERPROFILE, else the OS's
 * (https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html;
 * @smithy/shared-ini-file-loader's getHomeDir).
 */
export function sharedAwsFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  return {
    config: env.AWS_CONFIG_FILE ?? path.join(home, ".aws", "config"),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, ".aws", "credentials"),
  };
}

/**
 * The one line for credentials that cannot be used at all, or undefined when
 * `failure` is about something else. `env` is what the SDK read: with
 * AWS_PROFILE set, the line names the profile and the files it was looked up in.
 */
export function credentialsProblem(failure: AwsCallError, env: NodeJS.ProcessEnv = process.env): string | undefined {
  switch (failure.kind) {
    case "no-credentials": {
      const profile = env.AWS_PROFILE;
      if (profile) {
        const files = sharedAwsFiles(env);
        return (
          `No AWS credentials found for the profile "${profile}" (AWS_PROFILE) in ${files.config} or ${files.credentials} ` +
          `(${failure.message}). Define it there (aws configure --profile ${profile}, or aws configure sso --profile ${profile}), ` +
          `or set AWS_PROFILE to a profile those files define, and run preflight again.`
        );
      }
      return (
        `No AWS credentials found (${failure.message}). Configure credentials as for the AWS CLI (AWS_PROFILE, ` +
        `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or aws sso login) and run preflight again.`
      );
    }
    case "expired":
      return `The AWS credentials have expired (${failure.code}: ${failure.message}). Refresh them (aws sso login, or new keys) and run preflight again.`;
    case "invalid-credentials":
      return `AWS does not accept these credentials (${failure.code}: ${failure.message}). Check AWS_PROFILE or the access key, then run preflight again.`;
    default:
      return undefined;
  }
}

/** The account row for a caller in `accountId` (ARN `arn`), given the stack's allowed accounts. */
export function accountRow(config: Pick<ResolvedTapStackConfig, "allowedAccountIds">, accountId: string, arn: string): Row {
  const allowed = config.allowedAccountIds;
  if (allowed.length === 0) return ok("account", GLOBAL, `Account ${accountId} (${arn}); allowedAccountIds is empty, so any account may deploy.`);
  if (allowed.includes(accountId)) return ok("account", GLOBAL, `Account ${accountId} (${arn}) is in allowedAccountIds.`);
  return fail(
    "account",
    GLOBAL,
    `These credentials are for account ${accountId} (${arn}), but allowedAccountIds allows only ${allowed.join(", ")}: every provider would refuse them.`,
    `Use credentials for ${allowed.length === 1 ? `account ${allowed[0]}` : `one of ${allowed.join(", ")}`} (for example AWS_PROFILE=<its profile>), ` +
      `or, if ${accountId} is the right account, allow it: pulumi config set --path 'allowedAccountIds[${allowed.length}]' ${accountId}`,
  );
}

export async function checkCaller(aws: AwsClients, config: ResolvedTapStackConfig): Promise<CallerResult> {
  try {
    const identity = await aws.sts(GLOBAL_CALL_REGION).send(new GetCallerIdentityCommand({}));
    const accountId = identity.Account ?? "";
    return { row: accountRow(config, accountId, identity.Arn ?? "unknown ARN"), accountId };
  } catch (error) {
    const problem = credentialsProblem(classify(error, undefined, GLOBAL_CALL_REGION));
    return problem ? { fatal: problem } : { row: unknownRow("account", GLOBAL, error) };
  }
}
