import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, known, labelOf, ofType, refersTo } from "./support";

/**
 * Gradual rollouts: when the stack releases a function through CodeDeploy,
 * API Gateway may reach it only through an alias. An integration or invoke
 * permission on the unqualified function would serve `$LATEST`, the code
 * Pulumi has just uploaded, to every user at once: the canary, its alarms and
 * the region waves would all be bypassed.
 */

const APPLICATION_TYPE = "aws:codedeploy/application:Application";
const ALIAS_TYPE = "aws:lambda/alias:Alias";
const INTEGRATION_TYPE = "aws:apigateway/integration:Integration";
const PERMISSION_TYPE = "aws:lambda/permission:Permission";
const API_GATEWAY_PRINCIPAL = "apigateway.amazonaws.com";

/** The function ARN an integration URI invokes (`.../functions/{arn}/invocations`), or undefined for a URI that invokes no function. */
export function invokedFunctionArn(uri: string): string | undefined {
  return /:lambda:path\/[^/]+\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1];
}

/** True when the stack releases Lambda code through CodeDeploy (`rollout` canary or linear). */
function releasesThroughCodeDeploy(resources: readonly PolicyResource[]): boolean {
  return ofType(resources, APPLICATION_TYPE).some((application) => known(() => application.props.computePlatform) === "Lambda");
}

/** Whether an integration reaches the function through one of the stack's aliases; undefined when preview cannot tell. */
function integrationUsesAlias(integration: PolicyResource, aliases: readonly PolicyResource[]): boolean | undefined {
  const verdicts = aliases.map((alias) => refersTo(integration, "uri", alias, ["invokeArn"]));
  if (verdicts.includes(true)) return true;
  return verdicts.includes(undefined) ? undefined : false;
}

/** Whether a permission names one of the stack's aliases of its function as qualifier; undefined when preview cannot tell. */
function permissionUsesAlias(permission: PolicyResource, aliases: readonly PolicyResource[]): boolean | undefined {
  const qualifier = known(() => permission.props.qualifier);
  const fn = known(() => permission.props.function);
  if (qualifier === UNKNOWN || fn === UNKNOWN) return undefined;
  if (typeof qualifier !== "string" || qualifier === "") return false;
  const matches = aliases.map((alias) => {
    const name = known(() => alias.props.name);
    const functionName = known(() => alias.props.functionName);
    if (name === UNKNOWN || functionName === UNKNOWN) return undefined;
    return name === qualifier && (functionName === fn || (typeof fn === "string" && fn.endsWith(`:function:${String(functionName)}`)));
  });
  if (matches.includes(true)) return true;
  return matches.includes(undefined) ? undefined : false;
}

export const rolloutApiReachesAlias: StackValidationPolicy = {
  name: "rollout-api-reaches-alias",
  description: "[tap:rollout] When the stack releases Lambda code through CodeDeploy, API Gateway invokes only aliases: every Lambda integration's URI and every API Gateway invoke permission are qualified with an alias.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    if (!releasesThroughCodeDeploy(args.resources)) return;
    const aliases = ofType(args.resources, ALIAS_TYPE);
    for (const integration of ofType(args.resources, INTEGRATION_TYPE)) {
      const uri = known(() => integration.props.uri);
      if (uri === UNKNOWN || typeof uri !== "string") continue;
      const functionArn = invokedFunctionArn(uri);
      if (functionArn === undefined || integrationUsesAlias(integration, aliases) !== false) continue;
      reportViolation(
        `Integration ${labelOf(integration)} invokes ${functionArn}, not an alias, although the stack releases through CodeDeploy: ` +
          "new code would reach every user without a release. Set uri to the live alias's invokeArn.",
        integration.urn,
      );
    }
    for (const permission of ofType(args.resources, PERMISSION_TYPE)) {
      if (known(() => permission.props.principal) !== API_GATEWAY_PRINCIPAL) continue;
      if (permissionUsesAlias(permission, aliases) !== false) continue;
      reportViolation(
        `Permission ${labelOf(permission)} lets API Gateway invoke ${JSON.stringify(known(() => permission.props.function))} without one of its aliases as qualifier, ` +
          "although the stack releases through CodeDeploy. Set qualifier to the live alias's name.",
        permission.urn,
      );
    }
  },
};

export const rolloutPolicies = [rolloutApiReachesAlias];
