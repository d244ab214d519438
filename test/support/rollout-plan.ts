import type { PlannedResource } from "../../policy/evaluate";

/**
 * A region released through CodeDeploy, as planned resources: the Lambda
 * application, the function's `live` alias, an integration and an invoke
 * permission that use the alias. The policy tests break one piece at a time.
 */

const urnOf = (type: string, name: string) => `urn:pulumi:dev::tap::${type}::${name}`;
const FUNCTION = "shop-api";
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`;
export const invocationsOf = (functionArn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

function planned(type: string, name: string, props: Record<string, unknown>): PlannedResource {
  return { urn: urnOf(type, name), type, name, id: `${name}-id`, props };
}

export const ROLLOUT_FUNCTION_ARN = FUNCTION_ARN;

export function rolloutPlan() {
  return {
    application: planned("aws:codedeploy/application:Application", "application", { name: "shop-api", computePlatform: "Lambda" }),
    alias: planned("aws:lambda/alias:Alias", "live", { name: "live", functionName: FUNCTION, functionVersion: "1", arn: `${FUNCTION_ARN}:live`, invokeArn: invocationsOf(`${FUNCTION_ARN}:live`) }),
    integration: planned("aws:apigateway/integration:Integration", "integration", { type: "AWS_PROXY", uri: invocationsOf(`${FUNCTION_ARN}:live`) }),
    permission: planned("aws:lambda/permission:Permission", "permission", {
      action: "lambda:InvokeFunction", function: FUNCTION, qualifier: "live", principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*",
    }),
  };
}

/** The messages rollout-api-reaches-alias gives for an unqualified integration and permission. */
export const UNQUALIFIED_INTEGRATION = `Integration "integration" (aws:apigateway/integration:Integration) invokes ${FUNCTION_ARN}, not an alias, although the stack releases through CodeDeploy: new code would reach every user without a release. Set uri to the live alias's invokeArn.`;
export const UNQUALIFIED_PERMISSION = `Permission "permission" (aws:lambda/permission:Permission) lets API Gateway invoke "${FUNCTION}" without one of its aliases as qualifier, although the stack releases through CodeDeploy. Set qualifier to the live alias's name.`;
