import { StackHarness, setupHarness } from "../support/stack-harness";

/**
 * Inputs of ServerlessApi that no other test pinned, found by mutation testing
 * (BENCHMARKS.md, "Mutation testing"): the descriptions of the function, the
 * REST API, its deployment and stage and the account-level logging role, the
 * function's log format, and the stage cache. Lambda accepts only "Text" or
 * "JSON" as a log format, so an empty one would fail at deploy time.
 */

const EAST = "us-east-1";
const WEST = "us-west-2";
const T = {
  function: "aws:lambda/function:Function",
  restApi: "aws:apigateway/restApi:RestApi",
  deployment: "aws:apigateway/deployment:Deployment",
  stage: "aws:apigateway/stage:Stage",
  methodSettings: "aws:apigateway/methodSettings:MethodSettings",
  role: "aws:iam/role:Role",
} as const;

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness();
});

it("the function, the REST API, the deployment and the stage carry their exact descriptions, and the function logs as Text", async () => {
  await harness.build({ regions: ["us-east-1"] });
  const inputsOf = (type: string) => harness.cloud.single("us-east-1", type).inputs;
  expect({
    functionDescription: inputsOf(T.function).description,
    logFormat: inputsOf(T.function).loggingConfig.logFormat,
    restApiDescription: inputsOf(T.restApi).description,
    deploymentDescription: inputsOf(T.deployment).description,
    stageDescription: inputsOf(T.stage).description,
  }).toEqual({
    functionDescription: "iac-aws-nova API handler (dev, us-east-1)",
    logFormat: "Text",
    restApiDescription: "iac-aws-nova API (dev, us-east-1)",
    deploymentDescription: "iac-aws-nova dev",
    stageDescription: "iac-aws-nova dev",
  });
}, 60_000);

it("the account-level logging role, when the stack owns the setting, says what it is and that it is kept", async () => {
  await harness.build({ regions: ["eu-west-1"], manageApiGatewayAccount: true });
  const roles = harness.cloud.inRegion("eu-west-1", T.role).filter((role) => role.name.endsWith("-apigw-logs-role"));
  expect(roles.map((role) => role.inputs.description)).toEqual(["API Gateway logging in eu-west-1 (account setting; kept on destroy)"]);
}, 60_000);

describe("stage cache (ServerlessApi, through TapStack; one region per build, as each build costs seconds)", () => {
  it("off by default: no cache cluster and no caching in the method settings; no global layer either", async () => {
    const stack = await harness.build({ regions: [WEST] });
    expect(stack.globalUrl).toBeUndefined();
    expect(harness.cloud.customResources().filter((r) => /^aws:(acm|route53|wafv2)\/|apigateway\/(domainName|basePathMapping)/.test(r.type))).toEqual([]);
    const stage = harness.cloud.single(WEST, T.stage);
    const settings = harness.cloud.single(WEST, T.methodSettings).inputs.settings;
    expect([stage.inputs.cacheClusterEnabled, stage.inputs.cacheClusterSize]).toEqual([false, undefined]);
    expect([settings.cachingEnabled, settings.cacheDataEncrypted, settings.cacheTtlInSeconds]).toEqual([undefined, undefined, undefined]);
  });

  it("on: a cache cluster of apiCacheSizeGb; stage-wide, caching off and encryption on (which methods are cached: api-cache.test.ts)", async () => {
    await harness.build({ regions: [EAST], enableApiCache: true, apiCacheSizeGb: "1.6" });
    const stage = harness.cloud.single(EAST, T.stage);
    const stageWide = harness.cloud.inRegion(EAST, T.methodSettings).filter((m) => m.inputs.methodPath === "*/*");
    expect([stage.inputs.cacheClusterEnabled, stage.inputs.cacheClusterSize]).toEqual([true, "1.6"]);
    expect(stageWide).toHaveLength(1);
    expect(stageWide[0].inputs.settings).toMatchObject({ cachingEnabled: false, cacheDataEncrypted: true });
  });
});

