import * as pulumi from "@pulumi/pulumi";
import { PLACEHOLDER_ACCOUNT_ID, RecordedResource, valueOf, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { DEFAULTS } from "../../lib/config";
import { RegionNames } from "../../lib/naming";
import type { PolicyDocument } from "../../lib/iam-policies";
import type { TapStack } from "../../lib";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";
import { LOOKUPS, TYPES } from "../../offline/resource-types";

/**
 * Compute and API under the mock cloud: the Lambda function, its role, the
 * REST API, its stage (and its optional cache) and the invoke permission, per
 * region, with their exact descriptions, plus the program's (index.ts)
 * outputs. Every relationship is checked against the other resource's
 * recorded ID or ARN in the same region, never against a copy of the expected
 * string.
 *
 * Three builds: TapStack with the defaults, TapStack with the stage cache on
 * (one region), then the real program (index.ts) with every compute/API
 * setting changed through Pulumi config. The describe blocks run in order and
 * each builds before its first test, so `harness.cloud` holds the records of
 * the block that is running.
 */

const API_GATEWAY_LOGS_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

type ServerlessApiModule = typeof import("../../lib/serverless-api");
type LambdaModule = typeof import("@pulumi/aws/lambda");

let harness: StackHarness;
let api: ServerlessApiModule;
let lambdaEnums: LambdaModule;

beforeAll(async () => {
  harness = await setupHarness();
  // Loaded after the mocks are installed, like everything that can register resources.
  api = await import("../../lib/serverless-api");
  lambdaEnums = await import("@pulumi/aws/lambda");
});

/** What a config should produce, derived from the config (and the library's DEFAULTS), not from the program. */
interface Expected {
  regions: string[];
  project: string;
  environment: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  reserved: number | undefined;
  provisioned: number;
  retentionDays: number;
  rateLimit: number;
  burstLimit: number;
  loggingLevel: string;
  manageAccount: boolean;
}

const DEFAULT_EXPECTED: Expected = {
  regions: [...DEFAULTS.regions],
  project: DEFAULTS.projectName,
  // The stack is "dev", and an unset environmentSuffix is the stack's name.
  environment: "dev",
  memoryMb: 128,
  timeoutSeconds: 30,
  architecture: "arm64",
  reserved: undefined,
  provisioned: 0,
  retentionDays: 30,
  rateLimit: 100,
  burstLimit: 50,
  loggingLevel: "ERROR",
  manageAccount: DEFAULTS.manageApiGatewayAccount,
};

/** Every compute/API setting away from its default, in 3 regions, as `pulumi config set` stores it (text). */
const CUSTOM_CONFIG: Record<string, string> = {
  "tap:regions": JSON.stringify(["eu-west-1", "us-east-2", "ap-southeast-2"]),
  "tap:projectName": "shop",
  "tap:environmentSuffix": "qa",
  "tap:lambdaMemoryMb": "512",
  "tap:lambdaTimeoutSeconds": "10",
  "tap:lambdaArchitecture": "x86_64",
  "tap:lambdaReservedConcurrency": "20",
  "tap:lambdaProvisionedConcurrency": "3",
  "tap:logRetentionDays": "14",
  "tap:apiThrottlingRateLimit": "250",
  "tap:apiThrottlingBurstLimit": "125",
  "tap:apiLoggingLevel": "INFO",
  "tap:manageApiGatewayAccount": "true",
};

const CUSTOM_EXPECTED: Expected = {
  regions: ["eu-west-1", "us-east-2", "ap-southeast-2"],
  project: "shop",
  environment: "qa",
  memoryMb: 512,
  timeoutSeconds: 10,
  architecture: "x86_64",
  reserved: 20,
  provisioned: 3,
  retentionDays: 14,
  rateLimit: 250,
  burstLimit: 125,
  loggingLevel: "INFO",
  manageAccount: true,
};

function namesFor(expected: Expected, region: string): RegionNames {
  return new RegionNames({ project: expected.project, environment: expected.environment, stack: "dev" }, region);
}

function parsePolicy(json: unknown): PolicyDocument {
  expect(typeof json).toBe("string");
  return JSON.parse(json as string) as PolicyDocument;
}

function trusts(role: RecordedResource, service: string): boolean {
  const statements = parsePolicy(role.inputs.assumeRolePolicy).Statement;
  return statements.some((s) => typeof s.Principal === "object" && s.Principal.Service === service);
}

/** Exact per-region counts of the ServerlessApi's children, by type. */
function expectedChildCounts(expected: Expected): Record<string, number> {
  const counts: Record<string, number> = {
    // Function logs, access logs, execution logs. (The execution role is FunctionIdentity's, created before the network.)
    [TYPES.logGroup]: 3,
    [TYPES.function]: 1,
    [TYPES.restApi]: 1,
    [TYPES.apiResource]: 2,
    [TYPES.method]: 2,
    [TYPES.integration]: 2,
    [TYPES.deployment]: 1,
    [TYPES.stage]: 1,
    [TYPES.methodSettings]: 1,
    [TYPES.permission]: 1,
  };
  if (expected.provisioned > 0) {
    counts[TYPES.alias] = 1;
    counts[TYPES.provisionedConcurrency] = 1;
  }
  if (expected.manageAccount) {
    counts[TYPES.role] = 1;
    counts[TYPES.rolePolicyAttachment] = 1;
    counts[TYPES.apiGatewayAccount] = 1;
  }
  return counts;
}

describe("LAMBDA_RUNTIME", () => {
  it("is nodejs24.x, the newest Node.js runtime in @pulumi/aws's Runtime enum", () => {
    expect(api.LAMBDA_RUNTIME).toBe(lambdaEnums.Runtime.NodeJS24dX);
    const nodeVersions = Object.values(lambdaEnums.Runtime)
      .map((runtime) => /^nodejs(\d+)\.x$/.exec(runtime))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]));
    expect(nodeVersions).toContain(22);
    expect(api.LAMBDA_RUNTIME).toBe(`nodejs${Math.max(...nodeVersions)}.x`);
  });
});

describe("deploymentTrigger", () => {
  const fields = ["path", "httpMethod", "authorization", "integrationType"] as const;

  it("is a SHA-256 hex digest and the same for the same routes", () => {
    const trigger = api.deploymentTrigger(api.API_ROUTES);
    expect(trigger).toMatch(/^[0-9a-f]{64}$/);
    expect(api.deploymentTrigger(api.API_ROUTES.map((route) => ({ ...route })))).toBe(trigger);
  });

  it("changes when any field of any route changes", () => {
    const original = api.deploymentTrigger(api.API_ROUTES);
    expect(api.API_ROUTES.length).toBeGreaterThanOrEqual(2);
    api.API_ROUTES.forEach((_, index) => {
      for (const field of fields) {
        const changed = api.API_ROUTES.map((route, i) => (i === index ? { ...route, [field]: `${route[field]}-changed` } : route));
        expect(api.deploymentTrigger(changed)).not.toBe(original);
      }
    });
  });

  it("changes when a route is added, removed or the routes are reordered", () => {
    const original = api.deploymentTrigger(api.API_ROUTES);
    const extra = { path: "api/extra", httpMethod: "GET", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST" };
    expect(api.deploymentTrigger([...api.API_ROUTES, extra])).not.toBe(original);
    expect(api.deploymentTrigger(api.API_ROUTES.slice(1))).not.toBe(original);
    expect(api.deploymentTrigger([...api.API_ROUTES].reverse())).not.toBe(original);
  });
});

/** Registers the per-region checks of one built configuration (built by the caller's sharedSetup or beforeAll). */
function describeServerlessApis(expected: Expected): void {
  const regions = expected.regions;
  const cloud = () => harness.cloud;

  it("has exactly one ServerlessApi per region, with exact counts of each child type, all bound to that region's provider", () => {
    expect(cloud().ofType(TYPES.serverlessApi)).toHaveLength(regions.length);
    for (const region of regions) {
      const children = cloud().childrenOf(cloud().componentOf(TYPES.serverlessApi, region).urn);
      const counts = cloud().countByType(children);
      expect(counts).toEqual(expectedChildCounts(expected));
      for (const child of children) expect(child.region).toBe(region);
      // Nothing of these types exists outside the region's ServerlessApi.
      for (const type of [TYPES.function, TYPES.alias, TYPES.provisionedConcurrency, TYPES.permission, TYPES.restApi, TYPES.apiResource, TYPES.method, TYPES.integration, TYPES.deployment, TYPES.stage, TYPES.methodSettings, TYPES.apiGatewayAccount]) {
        expect(cloud().inRegion(region, type)).toHaveLength(counts[type] ?? 0);
      }
    }
  });

  describe.each(regions)("in %s", (region) => {
    const names = namesFor(expected, region);

    describe("function", () => {
      it("runs LAMBDA_RUNTIME with the configured memory, timeout and architecture, and active tracing", () => {
        const fn = cloud().single(region, TYPES.function).inputs;
        expect(fn.name).toBe(names.lambdaFunction);
        expect(fn.runtime).toBe(lambdaEnums.Runtime.NodeJS24dX);
        expect(fn.memorySize).toBe(expected.memoryMb);
        expect(fn.timeout).toBe(expected.timeoutSeconds);
        expect(fn.architectures).toEqual([expected.architecture]);
        expect(fn.tracingConfig).toEqual({ mode: "Active" });
      });

      it("runs in both of this region's private subnets (distinct zones) and its Lambda security group", () => {
        const fn = cloud().single(region, TYPES.function).inputs;
        const subnets = cloud().inRegion(region, TYPES.subnet).filter((s) => s.inputs.tags?.Tier === "private");
        expect(subnets).toHaveLength(2);
        expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(2);
        expect(fn.vpcConfig.subnetIds).toEqual(subnets.map((s) => s.id));
        expect(fn.vpcConfig.securityGroupIds).toEqual([cloud().single(region, TYPES.securityGroup).id]);
      });

      it("gets exactly REGION, ENVIRONMENT and PROJECT_NAME", () => {
        expect(cloud().single(region, TYPES.function).inputs.environment).toEqual({
          variables: { REGION: region, ENVIRONMENT: expected.environment, PROJECT_NAME: expected.project },
        });
      });

      it("logs to /aws/lambda/<function name>, created first with the configured retention", () => {
        const fn = cloud().single(region, TYPES.function);
        const logGroup = cloud().single(region, TYPES.logGroup, { name: `/aws/lambda/${fn.inputs.name}` });
        expect(logGroup.inputs.retentionInDays).toBe(expected.retentionDays);
        expect(fn.dependencies).toContain(logGroup.urn);
        expect(fn.inputs.loggingConfig.logGroup).toBe(logGroup.inputs.name);
      });

      it("moves its interfaces to this region's default security group on destroy", () => {
        const fn = cloud().single(region, TYPES.function).inputs;
        expect(fn.replaceSecurityGroupsOnDestroy).toBe(true);
        expect(fn.replacementSecurityGroupIds).toEqual([cloud().single(region, TYPES.defaultSecurityGroup).id]);
      });

      it(expected.reserved === undefined ? "reserves no concurrency" : `reserves ${expected.reserved} concurrent executions`, () => {
        const fn = cloud().single(region, TYPES.function).inputs;
        if (expected.reserved === undefined) expect(fn).not.toHaveProperty("reservedConcurrentExecutions");
        else expect(fn.reservedConcurrentExecutions).toBe(expected.reserved);
      });

      if (expected.provisioned === 0) {
        it("has no alias and no provisioned concurrency; the API invokes the function itself", () => {
          const fn = cloud().single(region, TYPES.function);
          expect(fn.inputs.publish).toBe(false);
          expect(cloud().inRegion(region, TYPES.alias)).toHaveLength(0);
          expect(cloud().inRegion(region, TYPES.provisionedConcurrency)).toHaveLength(0);
          const integrations = cloud().inRegion(region, TYPES.integration);
          expect(integrations).toHaveLength(2);
          for (const integration of integrations) expect(integration.inputs.uri).toBe(fn.state.invokeArn);
          expect(cloud().single(region, TYPES.permission).inputs).not.toHaveProperty("qualifier");
        });
      } else {
        it(`serves the API through a published \`live\` alias with ${expected.provisioned} provisioned instances`, () => {
          const fn = cloud().single(region, TYPES.function);
          expect(fn.inputs.publish).toBe(true);
          const alias = cloud().single(region, TYPES.alias);
          expect(alias.inputs).toEqual({ name: "live", functionName: fn.state.name, functionVersion: fn.state.version });
          // Provisioned concurrency is refused on $LATEST: the alias must name a published version.
          expect(alias.inputs.functionVersion).not.toBe("$LATEST");
          expect(cloud().single(region, TYPES.provisionedConcurrency).inputs).toEqual({
            functionName: fn.state.name,
            qualifier: alias.state.name,
            provisionedConcurrentExecutions: expected.provisioned,
          });
          const integrations = cloud().inRegion(region, TYPES.integration);
          expect(integrations).toHaveLength(2);
          expect(alias.state.invokeArn).toMatch(new RegExp(`^arn:aws:apigateway:${region}:lambda:path/.+:live/invocations$`));
          for (const integration of integrations) {
            expect(integration.inputs.uri).toBe(alias.state.invokeArn);
            expect(integration.inputs.uri).not.toBe(fn.state.invokeArn);
          }
          expect(cloud().single(region, TYPES.permission).inputs.qualifier).toBe(alias.state.name);
        });
      }
    });

    describe("execution role", () => {
      const lambdaRole = () => {
        const fn = cloud().single(region, TYPES.function);
        const roles = cloud().inRegion(region, TYPES.role).filter((role) => role.state.arn === fn.inputs.role);
        expect(roles).toHaveLength(1);
        return roles[0];
      };

      it("is the region's only role Lambda can assume, named with the region", () => {
        const role = lambdaRole();
        expect(cloud().inRegion(region, TYPES.role).filter((r) => trusts(r, "lambda.amazonaws.com"))).toEqual([role]);
        expect(role.inputs.name).toBe(names.lambdaRole);
        expect(role.inputs.name).toContain(region);
        expect(role.inputs.description).toBe(`Execution role of ${names.lambdaFunction} in ${region}`);
      });

      it("trusts only lambda.amazonaws.com, for sts:AssumeRole only", () => {
        expect(parsePolicy(lambdaRole().inputs.assumeRolePolicy)).toEqual({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
      });

      it("has exactly two inline policies: its own log group and X-Ray, and interfaces confined to this region's VPC", () => {
        const role = lambdaRole();
        const policies = cloud().inRegion(region, TYPES.rolePolicy).filter((p) => p.inputs.role === role.id);
        expect(policies).toHaveLength(2);
        const fn = cloud().single(region, TYPES.function);
        const logGroup = cloud().single(region, TYPES.logGroup, { name: fn.inputs.loggingConfig.logGroup });
        const vpc = cloud().single(region, TYPES.vpc);
        const inRegion = `arn:aws:ec2:${region}:${PLACEHOLDER_ACCOUNT_ID}`;
        const [own, interfaces] = [
          policies.find((p) => p.name.endsWith("-identity-policy")),
          policies.find((p) => p.name.endsWith("-network-lambda-eni-policy")),
        ] as RecordedResource[];

        // The ARN is built from the name Lambda fixes; it must be the log group's own ARN.
        expect(parsePolicy(own.inputs.policy)).toEqual({
          Version: "2012-10-17",
          Statement: [
            { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.state.arn}:*` },
            { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
          ],
        });
        expect(parsePolicy(interfaces.inputs.policy)).toEqual({
          Version: "2012-10-17",
          Statement: [
            { Sid: "CreateFunctionNetworkInterfaces", Effect: "Allow", Action: "ec2:CreateNetworkInterface", Resource: `${inRegion}:network-interface/*` },
            {
              Sid: "UseThisVpcsSubnetsAndGroups",
              Effect: "Allow",
              Action: "ec2:CreateNetworkInterface",
              Resource: [`${inRegion}:subnet/*`, `${inRegion}:security-group/*`],
              Condition: { ArnEquals: { "ec2:Vpc": vpc.state.arn } },
            },
            {
              Sid: "ManageFunctionNetworkInterfaces",
              Effect: "Allow",
              Action: ["ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
              Resource: `${inRegion}:network-interface/*`,
            },
            { Sid: "DeleteFunctionNetworkInterfaces", Effect: "Allow", Action: "ec2:DeleteNetworkInterface", Resource: `${inRegion}:*/*` },
            { Sid: "DescribeNetwork", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
          ],
        });
        // The function is only created once the role can write its logs and create its interfaces (and is deleted first).
        expect(fn.dependencies).toEqual(expect.arrayContaining([own.urn, interfaces.urn]));
      });

      it("resolves the account and partition through this region's provider", () => {
        for (const token of [LOOKUPS.callerIdentity, LOOKUPS.partition]) {
          expect(cloud().calls.filter((call) => call.token === token && call.region === region).length).toBeGreaterThanOrEqual(1);
        }
        expect(cloud().calls.every((call) => call.region !== undefined)).toBe(true);
      });
    });

    describe("REST API", () => {
      it("is REGIONAL, with /api under the root and /{proxy+} under /api", () => {
        const restApi = cloud().single(region, TYPES.restApi);
        expect(restApi.inputs.name).toBe(names.restApi);
        expect(restApi.inputs.endpointConfiguration).toEqual({ types: "REGIONAL" });
        const apiResource = cloud().single(region, TYPES.apiResource, { pathPart: "api" });
        const proxyResource = cloud().single(region, TYPES.apiResource, { pathPart: "{proxy+}" });
        expect(apiResource.inputs).toEqual({ restApi: restApi.id, parentId: restApi.state.rootResourceId, pathPart: "api" });
        expect(proxyResource.inputs).toEqual({ restApi: restApi.id, parentId: apiResource.id, pathPart: "{proxy+}" });
      });

      it("has ANY (no authorization) on both resources, each with an AWS_PROXY integration POSTing to this region's function", () => {
        const restApi = cloud().single(region, TYPES.restApi);
        const resourceIds = cloud().inRegion(region, TYPES.apiResource).map((r) => r.id);
        const methods = cloud().inRegion(region, TYPES.method);
        expect(methods.map((m) => m.inputs.resourceId).sort()).toEqual([...resourceIds].sort());
        for (const method of methods) {
          expect(method.inputs).toEqual({ restApi: restApi.id, resourceId: method.inputs.resourceId, httpMethod: "ANY", authorization: "NONE" });
          const integration = cloud().single(region, TYPES.integration, { resourceId: method.inputs.resourceId });
          expect(integration.inputs).toMatchObject({ restApi: restApi.id, httpMethod: "ANY", type: "AWS_PROXY", integrationHttpMethod: "POST" });
          expect(integration.dependencies).toContain(method.urn);
          // Its URI is this region's function (or alias) invoke ARN: see the function tests for which one.
          expect(integration.inputs.uri).toMatch(new RegExp(`^arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${PLACEHOLDER_ACCOUNT_ID}:function:${names.lambdaFunction}(:live)?/invocations$`));
        }
      });

      it("is deployed with the route-table trigger, after every method and integration", () => {
        const deployment = cloud().single(region, TYPES.deployment);
        expect(deployment.inputs.restApi).toBe(cloud().single(region, TYPES.restApi).id);
        expect(deployment.inputs.triggers.routes).toBe(api.deploymentTrigger(api.API_ROUTES));
        const routeResources = [...cloud().inRegion(region, TYPES.method), ...cloud().inRegion(region, TYPES.integration)];
        expect(routeResources).toHaveLength(4);
        for (const resource of routeResources) expect(deployment.dependencies).toContain(resource.urn);
      });

      it("has a trigger that describes the recorded methods and integrations, not just the route constant", () => {
        const restApi = cloud().single(region, TYPES.restApi);
        const resources = cloud().inRegion(region, TYPES.apiResource);
        const pathOf = (id: string): string => {
          const resource = resources.find((r) => r.id === id);
          if (!resource) throw new Error(`No API resource ${id} in ${region}`);
          return resource.inputs.parentId === restApi.state.rootResourceId ? resource.inputs.pathPart : `${pathOf(resource.inputs.parentId)}/${resource.inputs.pathPart}`;
        };
        const deployed = cloud().inRegion(region, TYPES.method)
          .map((method) => ({
            path: pathOf(method.inputs.resourceId),
            httpMethod: method.inputs.httpMethod,
            authorization: method.inputs.authorization,
            integrationType: cloud().single(region, TYPES.integration, { resourceId: method.inputs.resourceId }).inputs.type,
            integrationHttpMethod: cloud().single(region, TYPES.integration, { resourceId: method.inputs.resourceId }).inputs.integrationHttpMethod,
          }))
          // API_ROUTES lists parents before children, which is also path order.
          .sort((a, b) => a.path.localeCompare(b.path));
        expect(deployed.map((route) => route.path)).toEqual(["api", "api/{proxy+}"]);
        expect(cloud().single(region, TYPES.deployment).inputs.triggers.routes).toBe(api.deploymentTrigger(deployed));
      });

      it("has a stage named after the environment, with X-Ray and JSON access logs to this region's access log group", () => {
        const stage = cloud().single(region, TYPES.stage);
        const accessLogs = cloud().single(region, TYPES.logGroup, { name: names.apiAccessLogGroup });
        expect(accessLogs.inputs.retentionInDays).toBe(expected.retentionDays);
        expect(stage.inputs).toMatchObject({
          restApi: cloud().single(region, TYPES.restApi).id,
          deployment: cloud().single(region, TYPES.deployment).id,
          stageName: expected.environment,
          xrayTracingEnabled: true,
        });
        expect(stage.inputs.accessLogSettings.destinationArn).toBe(accessLogs.state.arn);
        const format = JSON.parse(stage.inputs.accessLogSettings.format);
        expect(format).toMatchObject({
          requestId: "$context.requestId",
          ip: "$context.identity.sourceIp",
          httpMethod: "$context.httpMethod",
          resourcePath: "$context.resourcePath",
          status: "$context.status",
          responseLatency: "$context.responseLatency",
          integrationError: "$context.integration.error",
          xrayTraceId: "$context.xrayTraceId",
        });
        for (const value of Object.values(format)) expect(value).toMatch(/^\$context\.[A-Za-z.]+$/);
      });

      it("pre-creates the stage's execution log group, with retention, under the name API Gateway writes to", () => {
        const restApi = cloud().single(region, TYPES.restApi);
        const stage = cloud().single(region, TYPES.stage);
        const executionLogs = cloud().single(region, TYPES.logGroup, { name: `API-Gateway-Execution-Logs_${restApi.id}/${stage.state.stageName}` });
        expect(executionLogs.inputs.retentionInDays).toBe(expected.retentionDays);
        expect(stage.dependencies).toContain(executionLogs.urn);
      });

      it("has stage-wide method settings: metrics, the logging level and the throttling limits", () => {
        const stage = cloud().single(region, TYPES.stage);
        const settings = cloud().single(region, TYPES.methodSettings);
        expect(settings.inputs).toEqual({
          restApi: cloud().single(region, TYPES.restApi).id,
          stageName: stage.state.stageName,
          methodPath: "*/*",
          settings: {
            metricsEnabled: true,
            loggingLevel: expected.loggingLevel,
            dataTraceEnabled: false,
            throttlingRateLimit: expected.rateLimit,
            throttlingBurstLimit: expected.burstLimit,
          },
        });
        expect(settings.dependencies).toContain(stage.urn);
      });

      if (expected.manageAccount) {
        it("manages the account's API Gateway CloudWatch role, and the stage waits for it", () => {
          const account = cloud().single(region, TYPES.apiGatewayAccount);
          const roles = cloud().inRegion(region, TYPES.role).filter((r) => trusts(r, "apigateway.amazonaws.com"));
          expect(roles).toHaveLength(1);
          const [role] = roles;
          // A unique name per creation: the role is kept on destroy, so a fixed name would collide on the next up.
          expect(role.inputs.name).toBeUndefined();
          expect(role.inputs.namePrefix).toBe(names.apiGatewayCloudWatchRolePrefix);
          expect(parsePolicy(role.inputs.assumeRolePolicy)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
          });
          expect(cloud().single(region, TYPES.rolePolicyAttachment).inputs).toEqual({ role: role.state.name, policyArn: API_GATEWAY_LOGS_POLICY_ARN });
          expect(account.inputs.cloudwatchRoleArn).toBe(role.state.arn);
          expect(account.dependencies).toContain(cloud().single(region, TYPES.rolePolicyAttachment).urn);
          expect(cloud().single(region, TYPES.stage).dependencies).toContain(account.urn);
        });

        it("keeps the account setting, its role and the role's policy on destroy, so other stacks' API logs keep working", () => {
          const kept = [cloud().single(region, TYPES.apiGatewayAccount), cloud().single(region, TYPES.rolePolicyAttachment), ...cloud().inRegion(region, TYPES.role).filter((r) => trusts(r, "apigateway.amazonaws.com"))];
          expect(kept.map((r) => [r.type, r.options.retainOnDelete])).toEqual([[TYPES.apiGatewayAccount, true], [TYPES.rolePolicyAttachment, true], [TYPES.role, true]]);
          // Nothing else in the region is retained but the artifacts bucket and its settings (test/lib/data-retention.test.ts).
          const retained = cloud().inRegion(region).filter((r) => r.options.retainOnDelete && !r.parent?.includes(`$${TYPES.artifactBucket}::`));
          expect(retained.map((r) => r.urn).sort()).toEqual(kept.map((r) => r.urn).sort());
        });
      } else {
        it("leaves the account's API Gateway settings alone", () => {
          expect(cloud().inRegion(region, TYPES.apiGatewayAccount)).toHaveLength(0);
          expect(cloud().inRegion(region, TYPES.rolePolicyAttachment)).toHaveLength(0);
          expect(cloud().inRegion(region, TYPES.role).filter((r) => trusts(r, "apigateway.amazonaws.com"))).toHaveLength(0);
        });
      }
    });

    describe("invoke permission", () => {
      it("lets only this region's API stage invoke this region's function", () => {
        const permission = cloud().single(region, TYPES.permission).inputs;
        const restApi = cloud().single(region, TYPES.restApi);
        const stage = cloud().single(region, TYPES.stage);
        expect(permission).toEqual({
          statementId: "AllowExecutionFromAPIGateway",
          action: "lambda:InvokeFunction",
          principal: "apigateway.amazonaws.com",
          function: cloud().single(region, TYPES.function).state.name,
          sourceArn: `${restApi.state.executionArn}/${stage.state.stageName}/*/*`,
          ...(expected.provisioned > 0 ? { qualifier: "live" } : {}),
        });
        expect(restApi.state.executionArn).toMatch(new RegExp(`^arn:aws:execute-api:${region}:`));
        expect(permission.sourceArn).not.toContain("//");
      });
    });
  });

  it("gives each region its own role, API and permission source", () => {
    const roleNames = regions.map((region) => cloud().inRegion(region, TYPES.role).filter((r) => trusts(r, "lambda.amazonaws.com"))[0].inputs.name);
    const sourceArns = regions.map((region) => cloud().single(region, TYPES.permission).inputs.sourceArn);
    const uris = regions.map((region) => cloud().inRegion(region, TYPES.integration)[0].inputs.uri);
    for (const values of [roleNames, sourceArns, uris]) expect(new Set(values).size).toBe(regions.length);
    // One role Lambda can assume per region, and no other anywhere.
    expect(cloud().customResources(TYPES.role).filter((r) => trusts(r, "lambda.amazonaws.com"))).toHaveLength(regions.length);
  });
}

describe("ServerlessApi with the defaults (2 regions)", () => {
  let stack: TapStack;
  sharedSetup(async () => {
    stack = await harness.build();
  });

  describeServerlessApis(DEFAULT_EXPECTED);

  it("the function, the REST API, the deployment and the stage carry their exact descriptions, and the function logs as Text", () => {
    // Lambda accepts only "Text" or "JSON" as a log format: an empty one would fail at deploy time.
    const inputsOf = (type: string) => harness.cloud.single("us-east-1", type).inputs;
    expect({
      functionDescription: inputsOf(TYPES.function).description,
      logFormat: inputsOf(TYPES.function).loggingConfig.logFormat,
      restApiDescription: inputsOf(TYPES.restApi).description,
      deploymentDescription: inputsOf(TYPES.deployment).description,
      stageDescription: inputsOf(TYPES.stage).description,
    }).toEqual({
      functionDescription: "iac-aws-nova API handler (dev, us-east-1)",
      logFormat: "Text",
      restApiDescription: "iac-aws-nova API (dev, us-east-1)",
      deploymentDescription: "iac-aws-nova dev",
      stageDescription: "iac-aws-nova dev",
    });
  });

  it("has no stage cache: no cache cluster and no caching in the method settings; no global layer either", () => {
    expect(stack.globalUrl).toBeUndefined();
    expect(harness.cloud.customResources().filter((r) => /^aws:(acm|route53|wafv2)\/|apigateway\/(domainName|basePathMapping)/.test(r.type))).toEqual([]);
    for (const region of DEFAULT_EXPECTED.regions) {
      const stage = harness.cloud.single(region, TYPES.stage);
      const settings = harness.cloud.single(region, TYPES.methodSettings).inputs.settings;
      expect([region, stage.inputs.cacheClusterEnabled, stage.inputs.cacheClusterSize]).toEqual([region, false, undefined]);
      expect([region, settings.cachingEnabled, settings.cacheDataEncrypted, settings.cacheTtlInSeconds]).toEqual([region, undefined, undefined, undefined]);
    }
  });
});

describe("ServerlessApi with the stage cache on (us-east-1)", () => {
  sharedSetup(async () => {
    await harness.build({ regions: ["us-east-1"], enableApiCache: true, apiCacheSizeGb: "1.6" });
  });

  it("has a cache cluster of apiCacheSizeGb; stage-wide, caching off and encryption on (which methods are cached: api-cache.test.ts)", () => {
    const stage = harness.cloud.single("us-east-1", TYPES.stage);
    const stageWide = harness.cloud.single("us-east-1", TYPES.methodSettings, { methodPath: "*/*" });
    expect([stage.inputs.cacheClusterEnabled, stage.inputs.cacheClusterSize]).toEqual([true, "1.6"]);
    expect(stageWide.inputs.settings).toMatchObject({ cachingEnabled: false, cacheDataEncrypted: true });
  });
});

describe("the program (index.ts) with every compute/API setting changed through Pulumi config (3 regions)", () => {
  type Program = typeof import("../../index");
  let program: Program;

  // A beforeAll, not sharedSetup: index.ts registers its resources once per module registry, so Stryker's coverage
  // run could not build it again for each test. The library code it runs is static for Stryker (every test runs).
  beforeAll(async () => {
    harness.cloud.reset();
    // index.ts reads these through pulumi.Config, as `pulumi up` would. It can be imported once per file.
    pulumi.runtime.setAllConfig(CUSTOM_CONFIG);
    program = await withoutStackTraces(async () => {
      const imported = await import("../../index");
      await waitForRegistrations();
      return imported;
    });
  });

  describeServerlessApis(CUSTOM_EXPECTED);

  it("describes the account-level logging role it manages: what it is, and that it is kept on destroy", () => {
    const roles = harness.cloud.inRegion("eu-west-1", TYPES.role).filter((role) => role.name.endsWith("-apigw-logs-role"));
    expect(roles.map((role) => role.inputs.description)).toEqual(["API Gateway logging in eu-west-1 (account setting; kept on destroy)"]);
  });

  describe("outputs", () => {
    const regions = CUSTOM_EXPECTED.regions;

    it("keys api_urls, lambda_arns, s3_buckets, vpc_ids and lambda_function_names by exactly the configured regions", async () => {
      for (const output of [program.api_urls, program.lambda_arns, program.s3_buckets, program.vpc_ids, program.lambda_function_names]) {
        expect(Object.keys(await valueOf(output)).sort()).toEqual([...regions].sort());
      }
    });

    it("maps each region to its own resources; the URL is https://{restApiId}.execute-api.{region}.amazonaws.com/{env}/api", async () => {
      const [urls, arns, buckets, vpcs, functionNames] = await Promise.all(
        [program.api_urls, program.lambda_arns, program.s3_buckets, program.vpc_ids, program.lambda_function_names].map((o) => valueOf(o)),
      );
      for (const region of regions) {
        const restApiId = harness.cloud.single(region, TYPES.restApi).id;
        expect(restApiId).toMatch(/^[a-z0-9]{10}$/);
        expect(urls[region]).toBe(`https://${restApiId}.execute-api.${region}.amazonaws.com/${CUSTOM_EXPECTED.environment}/api`);
        const fn = harness.cloud.single(region, TYPES.function);
        expect(arns[region]).toBe(fn.state.arn);
        expect(functionNames[region]).toBe(fn.state.name);
        expect(buckets[region]).toBe(harness.cloud.single(region, TYPES.bucket).state.bucket);
        expect(vpcs[region]).toBe(harness.cloud.single(region, TYPES.vpc).id);
      }
    });
  });
});
