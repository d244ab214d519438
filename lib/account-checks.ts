/**
 * What the program says when the account cannot take the stack yet: pure
 * text, shared by the program's own check (lib/logging-role-gate.ts) and
 * `npm run preflight`.
 */

/** The config key that lets a stack write the setting itself, and the command that sets it. */
export const MANAGE_ACCOUNT_FIX = "pulumi config set manageApiGatewayAccount true";

/**
 * The one-line error for regions whose account has no API Gateway CloudWatch
 * role, or undefined when every region has one.
 */
export function missingLoggingRoleProblem(accountId: string, regionsWithoutRole: readonly string[]): string | undefined {
  if (regionsWithoutRole.length === 0) return undefined;
  const where = regionsWithoutRole.length === 1 ? `region ${regionsWithoutRole[0]}` : `regions ${regionsWithoutRole.join(", ")}`;
  return (
    `API Gateway has no CloudWatch Logs role in account ${accountId}, ${where}, so it would refuse this stack's stages ` +
    `(every stage writes access logs). Nothing was created. If no other stack or tool owns that setting, let this stack ` +
    `set it: ${MANAGE_ACCOUNT_FIX}; otherwise set the role once per region as docs/preflight.md shows.`
  );
}

/** The IAM action and resource the program's read of API Gateway's account settings needs, per region. */
export const API_GATEWAY_ACCOUNT_READ = {
  action: "apigateway:GET",
  resource: (region: string) => `arn:aws:apigateway:${region}::/account`,
} as const;

/** A region whose API Gateway account settings could not be read, and AWS's (or the provider's) message. */
export interface AccountReadFailure {
  readonly region: string;
  readonly message: string;
}

/** What Pulumi's SDK puts before a failed read's own message: `failed to read resource #ID 'name' [type]: `. */
export const READ_FAILURE_PREFIX = /^failed to read resource #[^ ]* '[^']*' \[[^\]]*\]: /;

/** AWS's message on one line, without the SDK's read prefix. */
function awsMessage(message: string): string {
  return message.replace(READ_FAILURE_PREFIX, "").replace(/\s+/g, " ").trim();
}

/**
 * What each failure means: a denied read names the IAM action and resource it needs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html: API Gateway authorizes
 * management calls as `apigateway:HTTP_VERB` on the resource's ARN; the account settings are `/account`); a
 * region that refuses the credentials themselves is usually one that is not enabled for the account (regions
 * launched after March 2019 are off until enabled, and STS credentials are then invalid there:
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */
function readFailureDetail({ region, message }: AccountReadFailure): string {
  const said = awsMessage(message);
  if (/AccessDenied|not authorized to perform/i.test(said)) {
    return `${region}: the deploying credentials may not call ${API_GATEWAY_ACCOUNT_READ.action} on ${API_GATEWAY_ACCOUNT_READ.resource(region)} ` +
      `(AWS: ${said}); grant it to them (docs/preflight.md lists what the deploying role needs)`;
  }
  if (/UnrecognizedClientException|InvalidClientTokenId|security token included in the request is invalid|OptInRequired/i.test(said)) {
    return `${region}: the region refuses these credentials (AWS: ${said}), as a region that is not enabled for the account does; ` +
      "enable it in the account's Regions settings, or remove it from regions";
  }
  return `${region}: ${said}`;
}

/**
 * The one-line error for regions whose API Gateway account settings the
 * program could not read, or undefined when every read succeeded.
 */
export function accountReadProblem(failures: readonly AccountReadFailure[]): string | undefined {
  if (failures.length === 0) return undefined;
  return `Could not read API Gateway's account settings (whether a CloudWatch Logs role is set), so the program cannot tell ` +
    `whether the account can take this stack. Nothing was created. ${failures.map(readFailureDetail).join("; ")}.`;
}
