import { mockClient } from "aws-sdk-client-mock";
import { APIGatewayClient, GetIntegrationCommand, GetResourcesCommand } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient, DeploymentGroupInfo, GetDeploymentGroupCommand } from "@aws-sdk/client-codedeploy";
import { EC2Client } from "@aws-sdk/client-ec2";
import { GetAliasCommand, GetFunctionConfigurationCommand, GetPolicyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { RegionNames } from "../../lib/naming";
import { createAwsClients } from "../../verify/aws-clients";
import { checkRegion } from "../../verify/aws-checks";
import { AWS_REGION_CHECKS, CheckResult, ROLLOUT_CHECKS, VerifyInputError } from "../../verify/checks";
import { RegionTargets, awsTargets, parseStackOutputs, restApiIdOf } from "../../verify/outputs";
import { checkRollout, lambdaArnOfIntegration } from "../../verify/rollout-checks";

/**
 * `npm run verify` on a stack with `rollout` canary or linear: the alias
 * exists, the API invokes the alias (integration URIs and the invoke
 * permission), and the deployment group has its alarms and automatic
 * rollback. AWS is aws-sdk-client-mock; the compliant answers are shaped as
 * AWS's API references document them.
 */

const REGION = "eu-west-1";
const ACCOUNT = "123456789012";
const names = new RegionNames({ project: "iac-aws-nova", environment: "prod", stack: "prod" }, REGION);
const FUNCTION = names.lambdaFunction;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION}`;
const ALARMS = ["lambda-errors", "lambda-duration", "api-4xx", "api-5xx"].map((metric) => names.alarm(metric));
/** The rollback alarms (lib/alarm-specs.ts ROLLBACK_ALARM_SPECS), as deployment_groups names them. */
const ROLLBACK = ["rollback-errors", "rollback-5xx"].map((component) => names.alarm(component));
const REST_API = "a1b2c3d4e5";
const CONFIG = "CodeDeployDefault.LambdaCanary10Percent5Minutes";

const TARGETS: RegionTargets = {
  bucket: "bucket",
  vpcId: "vpc-1",
  functionName: FUNCTION,
  alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:alarms",
  alarmNames: ALARMS,
  rollout: { applicationName: names.codeDeployApplication, deploymentGroupName: names.codeDeployGroup, deploymentConfigName: CONFIG, aliasName: "live", alarmNames: ROLLBACK, restApiId: REST_API },
};

const lambda = mockClient(LambdaClient);
const apiGateway = mockClient(APIGatewayClient);
const codeDeploy = mockClient(CodeDeployClient);
const clients = createAwsClients(REGION);

const invocations = (functionArn: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

function compliantGroup(): DeploymentGroupInfo {
  return {
    applicationName: names.codeDeployApplication,
    deploymentGroupName: names.codeDeployGroup,
    computePlatform: "Lambda",
    deploymentConfigName: CONFIG,
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    alarmConfiguration: { enabled: true, alarms: [{ name: ROLLBACK[0] }, { name: ROLLBACK[1] }] },
  };
}

function aliasPolicy(principal = "apigateway.amazonaws.com"): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "AllowExecutionFromAPIGateway", Effect: "Allow", Principal: { Service: principal }, Action: "lambda:InvokeFunction", Resource: `${FUNCTION_ARN}:live` }],
  });
}

beforeEach(() => {
  lambda.reset();
  apiGateway.reset();
  codeDeploy.reset();
  lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7" });
  lambda.on(GetPolicyCommand, { FunctionName: FUNCTION, Qualifier: "live" }).resolves({ Policy: aliasPolicy() });
  apiGateway.on(GetResourcesCommand).resolves({
    items: [
      { id: "root", path: "/" },
      { id: "r-api", path: "/api", resourceMethods: { ANY: {} } },
      { id: "r-proxy", path: "/api/{proxy+}", resourceMethods: { ANY: {} } },
    ],
  });
  apiGateway.on(GetIntegrationCommand).resolves({ type: "AWS_PROXY", uri: invocations(`${FUNCTION_ARN}:live`) });
  codeDeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: compliantGroup() });
});

async function results(): Promise<Record<string, CheckResult>> {
  return Object.fromEntries((await checkRollout(REGION, TARGETS, clients)).map((result) => [result.check, result]));
}

describe("a region released through CodeDeploy", () => {
  it("passes the three rollout checks, in catalog order, reading what AWS reports", async () => {
    const found = await checkRollout(REGION, TARGETS, clients);
    expect(found.map(({ check, status }) => [check, status])).toEqual(ROLLOUT_CHECKS.map((check) => [check, "PASS"]));
    expect(found.map((result) => result.detail)).toEqual([
      `${FUNCTION}:live serves version 7`,
      `2 integration(s) and the invoke permission use ${FUNCTION}:live`,
      `${names.codeDeployApplication}/${names.codeDeployGroup}: ${CONFIG}, rolls back on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM, alarms ${ROLLBACK[0]}, ${ROLLBACK[1]}`,
    ]);
    expect(apiGateway.commandCalls(GetIntegrationCommand).map((call) => call.args[0].input)).toEqual([
      { restApiId: REST_API, resourceId: "r-api", httpMethod: "ANY" },
      { restApiId: REST_API, resourceId: "r-proxy", httpMethod: "ANY" },
    ]);
  });

  it("reports a release in progress from the alias's weights", async () => {
    lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "7", RoutingConfig: { AdditionalVersionWeights: { "8": 0.1 } } });
    expect((await results())["rollout-alias"]).toMatchObject({ status: "PASS", detail: `${FUNCTION}:live serves version 7; a release is shifting 10% to version 8` });
  });

  it("adds nothing for a region without a deployment group", async () => {
    expect(await checkRollout(REGION, { ...TARGETS, rollout: undefined }, clients)).toEqual([]);
  });
});

describe("a region that breaks a rollout promise", () => {
  it("fails rollout-alias when the alias does not exist", async () => {
    lambda.on(GetAliasCommand).rejects(Object.assign(new Error("Alias not found"), { name: "ResourceNotFoundException" }));
    expect((await results())["rollout-alias"]).toMatchObject({ status: "FAIL", detail: `GetAlias ${FUNCTION}:live: ResourceNotFoundException: Alias not found` });
  });

  it("fails rollout-api-alias when a route invokes the unqualified function, naming the route", async () => {
    apiGateway.on(GetIntegrationCommand, { resourceId: "r-proxy" }).resolves({ type: "AWS_PROXY", uri: invocations(FUNCTION_ARN) });
    expect((await results())["rollout-api-alias"]).toMatchObject({ status: "FAIL", detail: `ANY /api/{proxy+} invokes ${FUNCTION_ARN}, not the live alias` });
  });

  it("fails rollout-api-alias when API Gateway may not invoke the alias", async () => {
    lambda.on(GetPolicyCommand, { FunctionName: FUNCTION, Qualifier: "live" }).resolves({ Policy: aliasPolicy("events.amazonaws.com") });
    expect((await results())["rollout-api-alias"]).toMatchObject({ status: "FAIL", detail: "the live alias's policy does not let apigateway.amazonaws.com invoke it" });
  });

  it("fails rollout-api-alias when the API invokes no function at all", async () => {
    apiGateway.on(GetIntegrationCommand).resolves({ type: "MOCK" });
    expect((await results())["rollout-api-alias"]).toMatchObject({ status: "FAIL", detail: `no method of REST API ${REST_API} invokes a Lambda function` });
  });

  it.each<[string, Partial<DeploymentGroupInfo>, string]>([
    ["automatic rollback off", { autoRollbackConfiguration: { enabled: false, events: [] } }, "automatic rollback is off"],
    ["no rollback on alarms", { autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } }, "automatic rollback misses DEPLOYMENT_STOP_ON_ALARM"],
    ["the 5XX rate alarm missing", { alarmConfiguration: { enabled: true, alarms: [{ name: ROLLBACK[0] }] } }, `its alarms miss ${ROLLBACK[1]}`],
    ["the paging alarms instead of the rollback alarms", { alarmConfiguration: { enabled: true, alarms: [{ name: ALARMS[0] }, { name: ALARMS[3] }] } }, `its alarms miss ${ROLLBACK[0]}, ${ROLLBACK[1]}`],
    ["alarms off", { alarmConfiguration: { enabled: false, alarms: [{ name: ROLLBACK[0] }, { name: ROLLBACK[1] }] } }, "its alarm configuration is off"],
    ["another configuration", { deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }, `configuration is CodeDeployDefault.LambdaAllAtOnce, expected ${CONFIG}`],
    ["a server platform", { computePlatform: "Server" }, "compute platform is Server, expected Lambda"],
  ])("fails rollout-deployment-group with %s", async (_, change, problem) => {
    codeDeploy.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: { ...compliantGroup(), ...change } });
    expect((await results())["rollout-deployment-group"]).toMatchObject({ status: "FAIL", detail: `${names.codeDeployApplication}/${names.codeDeployGroup}: ${problem}` });
  });
});

describe("the region's AWS checks", () => {
  it("run the rollout checks after the other AWS checks", async () => {
    const notHere = new Error("not answered in this test");
    mockClient(S3Client).rejects(notHere);
    mockClient(EC2Client).rejects(notHere);
    mockClient(CloudWatchClient).rejects(notHere);
    lambda.on(GetFunctionConfigurationCommand).rejects(notHere);
    const report = await checkRegion(REGION, TARGETS, clients, {});
    expect(report.results.map((result) => result.check)).toEqual([...AWS_REGION_CHECKS, ...ROLLOUT_CHECKS]);
  });
});

describe("the deployment_groups output", () => {
  const base = { api_urls: { [REGION]: `https://${REST_API}.execute-api.${REGION}.amazonaws.com/prod/api` } };
  const group = { applicationName: "app", deploymentGroupName: "group", deploymentConfigName: CONFIG, aliasName: "live", alarmNames: ROLLBACK };

  it("is read with the REST API ID from the region's API URL", () => {
    const outputs = parseStackOutputs({
      ...base,
      s3_buckets: { [REGION]: "b" }, vpc_ids: { [REGION]: "v" }, lambda_function_names: { [REGION]: FUNCTION },
      alarm_topic_arns: { [REGION]: "t" }, alarm_names: { [REGION]: ALARMS }, dashboard_name: "d",
      deployment_groups: { [REGION]: group },
    }, "test");
    expect(awsTargets(outputs, [REGION], "test").regions[REGION].rollout).toEqual({ ...group, restApiId: REST_API });
  });

  it.each([
    ["an empty alias name", { ...group, aliasName: "" }],
    ["no rollback alarms", { ...group, alarmNames: [] }],
    ["an empty alarm name", { ...group, alarmNames: [""] }],
  ])("must give every region the four names and its rollback alarms: refuses %s", (_, entry) => {
    expect(() => parseStackOutputs({ ...base, deployment_groups: { [REGION]: entry } }, "test")).toThrow(new VerifyInputError(
      `Invalid outputs (test): "deployment_groups.${REGION}" is ${JSON.stringify(entry).slice(0, 57)}...; expected an object with the non-empty strings applicationName, deploymentGroupName, deploymentConfigName, aliasName and alarmNames, a non-empty array of alarm names.`,
    ));
  });

  it.each([
    [`https://${REST_API}.execute-api.${REGION}.amazonaws.com/prod/api`, REST_API],
    ["https://api.example.com/api", ""],
  ])("reads the REST API ID of %s as %j", (url, id) => {
    expect(restApiIdOf(url)).toBe(id);
  });

  it("reads the function ARN of a Lambda integration URI, qualified or not", () => {
    expect(lambdaArnOfIntegration(invocations(`${FUNCTION_ARN}:live`))).toBe(`${FUNCTION_ARN}:live`);
    expect(lambdaArnOfIntegration(invocations(FUNCTION_ARN))).toBe(FUNCTION_ARN);
    expect(lambdaArnOfIntegration("https://example.com/")).toBeUndefined();
  });
});
