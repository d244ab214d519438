import { GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { ResolvedTapStackConfig, namingContextOf } from "../../lib/config";
import { MANAGE_ACCOUNT_FIX } from "../../lib/account-checks";
import { RegionNames } from "../../lib/naming";
import { Row, fail, ok } from "../rows";
import { CheckContext, unknownRow } from "./context";

/**
 * API Gateway's CloudWatch role in each region: every tap stage writes access
 * logs, and API Gateway refuses such a stage until the account has the role
 * set in that region
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
 * Either it is set already, or this stack sets it (`manageApiGatewayAccount`).
 * A stack that sets it must not replace a role that another stack or tool
 * set: the setting has one value per account and region, and no owner.
 */

/** The role name in an IAM role ARN (after the last `/`, so paths are skipped). */
function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** The row for `region`, given the role ARN GetAccount answered (undefined or "": none set). */
export function loggingRoleRow(config: ResolvedTapStackConfig, region: string, roleArn: string | undefined): Row {
  const set = roleArn !== undefined && roleArn !== "";
  if (!config.manageApiGatewayAccount) {
    if (set) return ok("apigateway-logging-role", region, `Set to ${roleArn} (by another stack or tool); this stack leaves it alone.`);
    return fail(
      "apigateway-logging-role",
      region,
      "No CloudWatch role is set, so API Gateway would refuse this stack's stage (it writes access logs), and the program stops at preview.",
      `If no other stack or tool should own the setting, let this stack set it: ${MANAGE_ACCOUNT_FIX}`,
    );
  }
  if (!set) return ok("apigateway-logging-role", region, "None set yet: this stack sets it (manageApiGatewayAccount).");
  // The roles tap creates for the setting are named by RegionNames.apiGatewayCloudWatchRolePrefix: a project's own.
  const prefix = new RegionNames(namingContextOf(config), region).apiGatewayCloudWatchRolePrefix;
  if (roleName(roleArn).startsWith(prefix)) {
    return ok("apigateway-logging-role", region, `Set to ${roleArn}, a role of this project's (${prefix}*): this stack keeps it up to date.`);
  }
  return fail(
    "apigateway-logging-role",
    region,
    `Set to ${roleArn}, which another stack or tool owns; with manageApiGatewayAccount this stack would replace it.`,
    "Leave the setting to its owner: pulumi config set manageApiGatewayAccount false",
  );
}

export async function checkLoggingRole(context: CheckContext, region: string): Promise<Row> {
  try {
    const account = await context.aws.apigateway(region).send(new GetAccountCommand({}));
    return loggingRoleRow(context.config, region, account.cloudwatchRoleArn);
  } catch (error) {
    return unknownRow("apigateway-logging-role", region, error);
  }
}
