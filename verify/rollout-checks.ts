import { GetIntegrationCommand, GetResourcesCommand } from "@aws-sdk/client-api-gateway";
import { GetDeploymentGroupCommand } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand, GetPolicyCommand } from "@aws-sdk/client-lambda";
import { AUTO_ROLLBACK_EVENTS } from "../lib/rollout-spec";
import { AwsClients, attempt } from "./aws-clients";
import { CheckResult, fail, pass, verdict } from "./checks";
import type { RegionTargets, RolloutTargets } from "./outputs";

/**
 * The rollout checks of one region (stacks with `rollout` canary or linear):
 * the alias exists; API Gateway reaches the function only through it (every
 * Lambda integration's URI names the alias, and the API's invoke permission
 * sits on the alias); and the deployment group releases with automatic
 * rollback on failure and on the region's rollback alarms (the error-rate
 * alarms `deployment_groups` names).
 */

const API_GATEWAY_PRINCIPAL = "apigateway.amazonaws.com";

async function checkAlias(region: string, functionName: string, rollout: RolloutTargets, clients: AwsClients): Promise<CheckResult> {
  const answer = await attempt(() => clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: rollout.aliasName })));
  if (!answer.ok) return fail("rollout-alias", region, `GetAlias ${functionName}:${rollout.aliasName}: ${answer.error}`);
  const weights = Object.entries(answer.value.RoutingConfig?.AdditionalVersionWeights ?? {});
  const shifting = weights.length > 0 ? `; a release is shifting ${weights.map(([version, weight]) => `${Math.round(weight * 100)}% to version ${version}`).join(", ")}` : "";
  return pass("rollout-alias", region, `${functionName}:${rollout.aliasName} serves version ${answer.value.FunctionVersion}${shifting}`);
}

/** `.../functions/{function ARN}/invocations` -> the function ARN, qualified or not; undefined for a non-Lambda URI. */
export function lambdaArnOfIntegration(uri: string): string | undefined {
  return /:lambda:path\/[^/]+\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1];
}

/** True for a policy statement that lets API Gateway invoke. */
function allowsApiGateway(statement: unknown): boolean {
  const { Effect, Principal, Action } = statement as { Effect?: string; Principal?: { Service?: unknown }; Action?: unknown };
  const actions = Array.isArray(Action) ? Action : [Action];
  return Effect === "Allow" && Principal?.Service === API_GATEWAY_PRINCIPAL && actions.includes("lambda:InvokeFunction");
}

async function checkApiReachesAlias(region: string, functionName: string, rollout: RolloutTargets, clients: AwsClients): Promise<CheckResult> {
  if (rollout.restApiId === "") return fail("rollout-api-alias", region, "api_urls does not name a REST API (https://{id}.execute-api.{region}.amazonaws.com/...)");
  const resources = await attempt(() => clients.apiGateway.send(new GetResourcesCommand({ restApiId: rollout.restApiId, limit: 500 })));
  if (!resources.ok) return fail("rollout-api-alias", region, `GetResources ${rollout.restApiId}: ${resources.error}`);
  const methods = (resources.value.items ?? []).flatMap((resource) =>
    Object.keys(resource.resourceMethods ?? {}).map((httpMethod) => ({ path: resource.path ?? "?", resourceId: resource.id ?? "", httpMethod })));
  const integrations = await Promise.all(methods.map(async (method) => ({
    ...method,
    answer: await attempt(() => clients.apiGateway.send(new GetIntegrationCommand({ restApiId: rollout.restApiId, resourceId: method.resourceId, httpMethod: method.httpMethod }))),
  })));
  const problems: string[] = [];
  let lambdaIntegrations = 0;
  for (const integration of integrations) {
    const where = `${integration.httpMethod} ${integration.path}`;
    if (!integration.answer.ok) {
      problems.push(`GetIntegration ${where}: ${integration.answer.error}`);
      continue;
    }
    const functionArn = lambdaArnOfIntegration(integration.answer.value.uri ?? "");
    if (functionArn === undefined) continue;
    lambdaIntegrations++;
    if (!functionArn.endsWith(`:function:${functionName}:${rollout.aliasName}`)) problems.push(`${where} invokes ${functionArn}, not the ${rollout.aliasName} alias`);
  }
  if (lambdaIntegrations === 0 && problems.length === 0) problems.push(`no method of REST API ${rollout.restApiId} invokes a Lambda function`);

  const policy = await attempt(() => clients.lambda.send(new GetPolicyCommand({ FunctionName: functionName, Qualifier: rollout.aliasName })));
  if (!policy.ok) {
    problems.push(`GetPolicy ${functionName}:${rollout.aliasName}: ${policy.error}`);
  } else {
    const statements = (JSON.parse(policy.value.Policy ?? "{}") as { Statement?: unknown[] }).Statement ?? [];
    if (!statements.some(allowsApiGateway)) problems.push(`the ${rollout.aliasName} alias's policy does not let ${API_GATEWAY_PRINCIPAL} invoke it`);
  }
  return verdict("rollout-api-alias", region, problems.length === 0,
    problems.length === 0 ? `${lambdaIntegrations} integration(s) and the invoke permission use ${functionName}:${rollout.aliasName}` : problems.join("; "));
}

async function checkDeploymentGroup(region: string, rollout: RolloutTargets, clients: AwsClients): Promise<CheckResult> {
  const label = `${rollout.applicationName}/${rollout.deploymentGroupName}`;
  const answer = await attempt(() => clients.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: rollout.applicationName, deploymentGroupName: rollout.deploymentGroupName })));
  if (!answer.ok) return fail("rollout-deployment-group", region, `GetDeploymentGroup ${label}: ${answer.error}`);
  const group = answer.value.deploymentGroupInfo;
  const problems: string[] = [];
  if (group?.computePlatform !== "Lambda") problems.push(`compute platform is ${group?.computePlatform ?? "none"}, expected Lambda`);
  if (group?.deploymentConfigName !== rollout.deploymentConfigName) problems.push(`configuration is ${group?.deploymentConfigName ?? "none"}, expected ${rollout.deploymentConfigName}`);
  const rollback = group?.autoRollbackConfiguration;
  const missingEvents = AUTO_ROLLBACK_EVENTS.filter((event) => !(rollback?.events ?? []).includes(event));
  if (rollback?.enabled !== true) problems.push("automatic rollback is off");
  else if (missingEvents.length > 0) problems.push(`automatic rollback misses ${missingEvents.join(", ")}`);
  const expectedAlarms = rollout.alarmNames;
  const alarms = group?.alarmConfiguration?.enabled === true ? (group.alarmConfiguration.alarms ?? []).map((alarm) => alarm.name) : [];
  const missingAlarms = expectedAlarms.filter((name) => !alarms.includes(name));
  if (group?.alarmConfiguration?.enabled !== true) problems.push("its alarm configuration is off");
  else if (missingAlarms.length > 0) problems.push(`its alarms miss ${missingAlarms.join(", ")}`);
  return verdict("rollout-deployment-group", region, problems.length === 0,
    problems.length === 0
      ? `${label}: ${rollout.deploymentConfigName}, rolls back on ${AUTO_ROLLBACK_EVENTS.join(" and ")}, alarms ${alarms.join(", ")}`
      : `${label}: ${problems.join("; ")}`);
}

/** The rollout checks of one region, in ROLLOUT_CHECKS order; none when the region is not released gradually. */
export async function checkRollout(region: string, targets: RegionTargets, clients: AwsClients): Promise<CheckResult[]> {
  const rollout = targets.rollout;
  if (rollout === undefined) return [];
  return Promise.all([
    checkAlias(region, targets.functionName, rollout, clients),
    checkApiReachesAlias(region, targets.functionName, rollout, clients),
    checkDeploymentGroup(region, rollout, clients),
  ]);
}
