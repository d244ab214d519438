import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as apigateway from "@pulumi/aws/apigateway";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import type * as inputs from "@pulumi/aws/types/input";
import { ApiLoggingLevel, LambdaArchitecture } from "./config";
import { RegionNames } from "./naming";
import { RegionalNetwork } from "./network";
import { FunctionIdentity } from "./function-identity";
import { assumeRolePolicy } from "./iam-policies";
import { LAMBDA_HANDLER, handlerArchive, handlerEnvironment } from "./lambda-artifact";
import { CACHED_METHOD_SETTINGS, STAGE_WIDE_CACHE_SETTINGS, cacheKeys, methodSettingsPath } from "./api-cache";
import { LIVE_ALIAS } from "./rollout-spec";

/**
 * The newest Node.js runtime in @pulumi/aws 7.48's enum. nodejs24.x is
 * supported until 2028-04-30 (nodejs22.x until 2027-04-30); it requires an
 * async handler, which ours is.
 */
export const LAMBDA_RUNTIME = "nodejs24.x";

/** Path under the stage where the function is served; the API URL ends with it. */
export const API_BASE_PATH = "api";

/** The health route below the stage: the Route 53 health checks call it (lambda/handler.ts's HEALTH_PATH). */
export const API_HEALTH_PATH = `${API_BASE_PATH}/health`;

/**
 * The API's routes. They drive both the resources/methods/integrations and
 * the deployment trigger, so any change to a route re-deploys the stage.
 */
export const API_ROUTES = [
  { path: API_BASE_PATH, httpMethod: "ANY", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST" },
  { path: `${API_BASE_PATH}/{proxy+}`, httpMethod: "ANY", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST" },
] as const;

/**
 * The routes the stage cache adds (`enableApiCache`), after API_ROUTES so the
 * existing methods keep their logical names. A GET method beside each ANY:
 * API Gateway serves a request with the method defined for its verb before
 * ANY, so only GET answers are cached, keyed by the path (lib/api-cache.ts).
 * `/api/health` gets a resource of its own with ANY only, never cached: the
 * Route 53 health checks must see the function's answer of the moment, not
 * one up to API_CACHE_TTL_SECONDS old.
 */
export const CACHED_API_ROUTES = [
  { path: API_BASE_PATH, httpMethod: "GET", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST", cached: true },
  { path: `${API_BASE_PATH}/{proxy+}`, httpMethod: "GET", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST", cached: true },
  { path: API_HEALTH_PATH, httpMethod: "ANY", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST" },
] as const;

export type ApiRoute = {
  /** Resource path below the stage, segments separated by `/`. */
  path: string;
  httpMethod: string;
  authorization: string;
  integrationType: string;
  /** Lambda proxy integrations are always called with POST, whatever the client's method. */
  integrationHttpMethod: string;
  /** The stage cache serves this method's answers (only with `enableApiCache`). */
  cached?: boolean;
};

/** The routes of a stage with or without the cache. */
export function apiRoutes(withCache: boolean): readonly ApiRoute[] {
  return withCache ? [...API_ROUTES, ...CACHED_API_ROUTES] : API_ROUTES;
}

/** Hash of the route table (with each cached route's cache keys): a new value makes Pulumi replace the deployment. */
export function deploymentTrigger(routes: readonly ApiRoute[]): string {
  const described = routes.map((route) => (route.cached ? { ...route, cacheKeyParameters: cacheKeys(route.path).cacheKeyParameters } : route));
  return createHash("sha256").update(JSON.stringify(described)).digest("hex");
}

/** Fields of every API Gateway access-log line (JSON). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integration.error",
  xrayTraceId: "$context.xrayTraceId",
});

/** Managed policy API Gateway needs to write execution logs (account-level role). */
const API_GATEWAY_LOGS_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

export interface ServerlessApiArgs {
  names: RegionNames;
  /** This region's network: the function runs in its private subnets. */
  network: RegionalNetwork;
  /** The function's execution role (the network has granted it the interface permissions). */
  identity: FunctionIdentity;
  projectName: string;
  environment: string;
  lambdaMemoryMb: number;
  lambdaTimeoutSeconds: number;
  lambdaArchitecture: LambdaArchitecture;
  /** Unset: no reservation. */
  lambdaReservedConcurrency: number | undefined;
  /** 0: off. Otherwise a `live` alias with this many pre-warmed instances serves the API. */
  lambdaProvisionedConcurrency: number;
  /**
   * A gradual rollout (`rollout` canary or linear): the function publishes a
   * version on every change and the API invokes the `live` alias, whose
   * version CodeDeploy moves (the release step), never Pulumi.
   * @default false
   */
  gradualRollout?: boolean;
  logRetentionDays: number;
  apiThrottlingRateLimit: number;
  apiThrottlingBurstLimit: number;
  apiLoggingLevel: ApiLoggingLevel;
  /** Manage the account-level API Gateway CloudWatch role in this region. */
  manageApiGatewayAccount: boolean;
  /** Stage cache (opt-in): GET answers cached by path, `/api/health` never (lib/api-cache.ts). */
  apiCache?: { sizeGb: string };
}

/**
 * One region's application: the Lambda function in the region's VPC with its
 * role and log group, and the REST API (REGIONAL endpoint) in front of it.
 */
export class ServerlessApi extends pulumi.ComponentResource {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: cloudwatch.LogGroup;
  public readonly restApi: apigateway.RestApi;
  public readonly stage: apigateway.Stage;
  public readonly deployment: apigateway.Deployment;
  public readonly permission: lambda.Permission;
  /** The `live` alias the API invokes, when there is one (provisioned concurrency or a gradual rollout). */
  public readonly liveAlias?: lambda.Alias;
  public readonly accessLogGroup: cloudwatch.LogGroup;
  /** `API-Gateway-Execution-Logs_{restApiId}/{stage}`: the stage's execution logs, with the configured retention. */
  public readonly executionLogGroup: cloudwatch.LogGroup;
  /** `https://{id}.execute-api.{region}.amazonaws.com/{env}/api` */
  public readonly apiUrl: pulumi.Output<string>;
  /** The stage's name (the environment). */
  public readonly stageName: string;

  constructor(name: string, args: ServerlessApiArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:compute:ServerlessApi", name, {}, opts);
    const region = args.names.region;
    this.stageName = args.environment;
    this.role = args.identity.role;

    // Created before the function, so Lambda never creates an unmanaged group without retention.
    this.logGroup = new cloudwatch.LogGroup(`${name}-function-logs`, {
      name: args.names.lambdaLogGroup,
      retentionInDays: args.logRetentionDays,
    }, { parent: this });

    this.function = this.createFunction(name, args);
    const target = this.createInvokeTarget(name, args);
    this.liveAlias = target.alias;
    this.restApi = new apigateway.RestApi(`${name}-rest-api`, {
      name: args.names.restApi,
      description: `${args.projectName} API (${args.environment}, ${region})`,
      endpointConfiguration: { types: "REGIONAL" },
    }, { parent: this });
    this.deployment = this.createRoutes(name, args, target.invokeArn);
    [this.accessLogGroup, this.executionLogGroup, this.stage] = this.createStage(name, args);

    // Only this API's own stage may invoke the function.
    this.permission = new lambda.Permission(`${name}-invoke-permission`, {
      statementId: "AllowExecutionFromAPIGateway",
      action: "lambda:InvokeFunction",
      function: this.function.name,
      qualifier: target.qualifier,
      principal: "apigateway.amazonaws.com",
      sourceArn: pulumi.interpolate`${this.restApi.executionArn}/${this.stage.stageName}/*/*`,
    }, { parent: this });

    this.apiUrl = pulumi.interpolate`https://${this.restApi.id}.execute-api.${region}.amazonaws.com/${this.stage.stageName}/${API_BASE_PATH}`;

    this.registerOutputs({
      apiUrl: this.apiUrl,
      functionArn: this.function.arn,
      functionName: this.function.name,
      restApiId: this.restApi.id,
    });
  }

  /** The function, in the VPC's private subnets, created after both of its role's grants. */
  private createFunction(name: string, args: ServerlessApiArgs): lambda.Function {
    const { names, network } = args;
    const region = names.region;
    return new lambda.Function(`${name}-function`, {
      name: names.lambdaFunction,
      description: `${args.projectName} API handler (${args.environment}, ${region})`,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [args.lambdaArchitecture],
      handler: LAMBDA_HANDLER,
      code: handlerArchive(),
      memorySize: args.lambdaMemoryMb,
      timeout: args.lambdaTimeoutSeconds,
      reservedConcurrentExecutions: args.lambdaReservedConcurrency,
      // Provisioned concurrency and gradual rollouts need a published version behind an alias.
      publish: args.lambdaProvisionedConcurrency > 0 || args.gradualRollout === true,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      vpcConfig: {
        subnetIds: network.privateSubnets.map((subnet) => subnet.id),
        securityGroupIds: [network.lambdaSecurityGroup.id],
      },
      // On destroy, move the function's interfaces to the (rule-less) default group first, so deleting the
      // Lambda security group does not wait up to tens of minutes for Lambda to release them. Lambda creates the
      // new interfaces as the role: the network's interface policy allows any group of this VPC for that.
      replaceSecurityGroupsOnDestroy: true,
      replacementSecurityGroupIds: [network.defaultSecurityGroup.id],
      environment: {
        variables: handlerEnvironment({ region, environmentSuffix: args.environment, projectName: args.projectName }),
      },
      // Both grants first, so Lambda can create the interfaces; on destroy, the function goes before either.
    }, { parent: this, dependsOn: [this.logGroup, args.identity.policy, network.interfacePolicy] });
  }

  /**
   * What API Gateway invokes: the function itself, or its `live` alias when
   * instances are provisioned or the rollout is gradual. Under a gradual
   * rollout the alias is created on the first version, and from then on its
   * version and traffic weights belong to CodeDeploy: Pulumi ignores them, so
   * an update never moves the alias behind CodeDeploy's back.
   */
  private createInvokeTarget(name: string, args: ServerlessApiArgs): { invokeArn: pulumi.Output<string>; qualifier?: pulumi.Output<string>; alias?: lambda.Alias } {
    const gradual = args.gradualRollout === true;
    if (args.lambdaProvisionedConcurrency <= 0 && !gradual) return { invokeArn: this.function.invokeArn };
    const child = { parent: this };
    // Exactly these three inputs, nothing more (test/lib/live-alias-inputs.test.ts). ignoreChanges puts the OLD
    // functionVersion back into the inputs (Pulumi's processIgnoreChanges): the version the alias was created on.
    // While nothing else can change, no update is ever sent; any other updatable input would make its next change
    // call UpdateAlias with that stale version and move the traffic back behind CodeDeploy's back.
    const alias = new lambda.Alias(`${name}-function-live`, {
      name: LIVE_ALIAS,
      functionName: this.function.name,
      functionVersion: this.function.version,
    }, gradual ? { ...child, ignoreChanges: ["functionVersion", "routingConfig"] } : child);
    if (args.lambdaProvisionedConcurrency <= 0) return { invokeArn: alias.invokeArn, qualifier: alias.name, alias };
    // AWS keys it by the function and alias, not by a name: created first, a replacement would overwrite the live
    // setting, and deleting the old one would then remove it. Delete first (offline/plan/update/cfn-map.ts ParentKey).
    new lambda.ProvisionedConcurrencyConfig(`${name}-function-provisioned`, {
      functionName: this.function.name,
      qualifier: alias.name,
      provisionedConcurrentExecutions: args.lambdaProvisionedConcurrency,
    }, { ...child, deleteBeforeReplace: true });
    return { invokeArn: alias.invokeArn, qualifier: alias.name, alias };
  }

  /** The API's resources, methods and integrations from API_ROUTES, and the deployment that captures them. */
  private createRoutes(name: string, args: ServerlessApiArgs, invokeArn: pulumi.Output<string>): apigateway.Deployment {
    const child = { parent: this };
    // One API Gateway resource per path prefix, each under its parent (api, then api/{proxy+}).
    const resourcesByPath = new Map<string, apigateway.Resource>();
    const resourceFor = (path: string): apigateway.Resource => {
      const existing = resourcesByPath.get(path);
      if (existing) return existing;
      const slash = path.lastIndexOf("/");
      const resource = new apigateway.Resource(`${name}-resource-${path.replace(/[{}+]/g, "").replace(/\//g, "-")}`, {
        restApi: this.restApi.id,
        parentId: slash < 0 ? this.restApi.rootResourceId : resourceFor(path.slice(0, slash)).id,
        pathPart: path.slice(slash + 1),
      }, child);
      resourcesByPath.set(path, resource);
      return resource;
    };

    const routes = apiRoutes(args.apiCache !== undefined);
    const routeResources = routes.map((route, index) => {
      const resource = resourceFor(route.path);
      // A cached method declares what keys its answers besides its resource path (its path parameters), and its
      // integration keys on them.
      const keys = route.cached && cacheKeys(route.path).cacheKeyParameters.length > 0 ? cacheKeys(route.path) : undefined;
      // AWS keys a method by its resource and HTTP method: created first, a replacement's PutMethod would fail on the
      // live one. Delete first (offline/plan/update/cfn-map.ts ParentKey). The provider already deletes an
      // integration first (pulumi-aws declares DeleteBeforeReplace for it).
      const method = new apigateway.Method(`${name}-method-${index}`, {
        restApi: this.restApi.id,
        resourceId: resource.id,
        httpMethod: route.httpMethod,
        authorization: route.authorization,
        ...(keys ? { requestParameters: { ...keys.requestParameters } } : {}),
      }, { ...child, deleteBeforeReplace: true });
      const integration = new apigateway.Integration(`${name}-integration-${index}`, {
        restApi: this.restApi.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        type: route.integrationType,
        integrationHttpMethod: route.integrationHttpMethod,
        uri: invokeArn,
        ...(keys ? { cacheKeyParameters: [...keys.cacheKeyParameters] } : {}),
      }, child);
      return [method, integration];
    }).flat();

    return new apigateway.Deployment(`${name}-deployment`, {
      restApi: this.restApi.id,
      description: `${args.projectName} ${args.environment}`,
      triggers: { routes: deploymentTrigger(routes), invokeArn },
    }, { parent: this, dependsOn: routeResources });
  }

  /** The stage with its access and execution log groups, the account's logging role if owned, and method settings. */
  private createStage(name: string, args: ServerlessApiArgs): [cloudwatch.LogGroup, cloudwatch.LogGroup, apigateway.Stage] {
    const child = { parent: this };
    const accessLogGroup = new cloudwatch.LogGroup(`${name}-access-logs`, {
      name: args.names.apiAccessLogGroup,
      retentionInDays: args.logRetentionDays,
    }, child);

    // API Gateway creates this group itself on the first execution log, keeping logs forever
    // (CloudWatch.16): create it first, with retention, under the name API Gateway uses.
    const executionLogGroup = new cloudwatch.LogGroup(`${name}-execution-logs`, {
      name: pulumi.interpolate`API-Gateway-Execution-Logs_${this.restApi.id}/${args.environment}`,
      retentionInDays: args.logRetentionDays,
    }, child);

    const accountLogging = args.manageApiGatewayAccount ? this.createAccountLogging(name, args.names) : undefined;

    // The stage writes to both log groups, so it depends on them and is deleted before them.
    const stage = new apigateway.Stage(`${name}-stage`, {
      restApi: this.restApi.id,
      deployment: this.deployment.id,
      stageName: args.environment,
      description: `${args.projectName} ${args.environment}`,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      cacheClusterEnabled: args.apiCache !== undefined,
      cacheClusterSize: args.apiCache?.sizeGb,
    }, { parent: this, dependsOn: [executionLogGroup, ...(accountLogging ? [accountLogging] : [])] });

    const settings: inputs.apigateway.MethodSettingsSettings = {
      metricsEnabled: true,
      loggingLevel: args.apiLoggingLevel,
      // Full request/response logging can leak data; keep it off.
      dataTraceEnabled: false,
      throttlingRateLimit: args.apiThrottlingRateLimit,
      throttlingBurstLimit: args.apiThrottlingBurstLimit,
    };
    // AWS keys method settings by stage and method path: created first, a replacement would overwrite the live
    // settings, and deleting the old one would then remove them. Delete first (offline/plan/update/cfn-map.ts ParentKey).
    new apigateway.MethodSettings(`${name}-method-settings`, {
      restApi: this.restApi.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: { ...settings, ...(args.apiCache ? STAGE_WIDE_CACHE_SETTINGS : {}) },
    }, { ...child, deleteBeforeReplace: true });
    if (args.apiCache) this.createCachedMethodSettings(name, stage, settings);
    return [accessLogGroup, executionLogGroup, stage];
  }

  /**
   * Caching on for the cached routes' methods only. Each override repeats the
   * stage-wide settings, so a cached method logs, measures and throttles as
   * every other method does.
   */
  private createCachedMethodSettings(name: string, stage: apigateway.Stage, settings: inputs.apigateway.MethodSettingsSettings): void {
    apiRoutes(true).forEach((route, index) => {
      if (!route.cached) return;
      new apigateway.MethodSettings(`${name}-method-settings-${index}`, {
        restApi: this.restApi.id,
        stageName: stage.stageName,
        methodPath: methodSettingsPath(route),
        settings: { ...settings, ...CACHED_METHOD_SETTINGS },
      }, { parent: this, deleteBeforeReplace: true }); // keyed by stage and method path, as the stage-wide settings
    });
  }

  /**
   * The account-level role API Gateway uses for logs in this region: one
   * setting per account and region, shared by every stack there (see
   * `manageApiGatewayAccount`). Deleting `apigateway.Account` resets the
   * setting (@pulumi/aws 7), which would stop every other stack's API logs and
   * fail their next stage update, so the setting and its role are retained on
   * destroy (as SST does), and the role's name is unique per creation.
   */
  private createAccountLogging(name: string, names: RegionNames): apigateway.Account {
    const retained = { parent: this, retainOnDelete: true };
    const role = new iam.Role(`${name}-apigw-logs-role`, {
      namePrefix: names.apiGatewayCloudWatchRolePrefix,
      description: `API Gateway logging in ${names.region} (account setting; kept on destroy)`,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy("apigateway.amazonaws.com")),
    }, retained);
    const attachment = new iam.RolePolicyAttachment(`${name}-apigw-logs-policy`, {
      role: role.name,
      policyArn: API_GATEWAY_LOGS_POLICY_ARN,
    }, retained);
    return new apigateway.Account(`${name}-apigw-account`, {
      cloudwatchRoleArn: role.arn,
    }, { ...retained, dependsOn: [attachment] });
  }
}
