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
