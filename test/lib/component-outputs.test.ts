import { ALARM_METRICS, ALARM_SPECS } from "../../lib/alarm-specs";
import type { RecordedResource } from "../../offline/mock-cloud";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";
import { TYPES } from "../../offline/resource-types";

/**
 * The outputs each component registers (`registerOutputs`): what `pulumi stack` and the console show for a
 * component, and what a stack reference or a parent reads. Each is checked against the resource it names, in the
 * same region: the mock cloud records a component's outputs as the engine receives them.
 */

const REGIONS = ["us-east-1", "us-west-2"] as const;
const DOMAIN = "api.example.com";

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness("dev");
});

const cloud = () => harness.cloud;

function outputsOf(resource: RecordedResource): unknown {
  return cloud().componentOutputs.get(resource.urn);
}

/** What each regional component must register, derived from its children. */
function expectedRegional(region: string) {
  const network = cloud().componentOf(TYPES.regionalNetwork, region);
  const storage = cloud().componentOf(TYPES.artifactBucket, region);
  const api = cloud().componentOf(TYPES.serverlessApi, region);
  const identity = cloud().componentOf(TYPES.functionIdentity, region);
  const alarms = cloud().componentOf(TYPES.regionalAlarms, region);
  const fn = cloud().onlyChildOf(api.urn, TYPES.function);
  const restApi = cloud().onlyChildOf(api.urn, TYPES.restApi);
  const stage = cloud().onlyChildOf(api.urn, TYPES.stage);
  const alarmResources = ALARM_METRICS.map((metric) => {
    const [alarm] = cloud().childrenOf(alarms.urn, TYPES.alarm).filter((r) => r.name === `${alarms.name}-${ALARM_SPECS[metric].nameComponent}`);
    return alarm;
  });
  const subnets = cloud().childrenOf(network.urn, TYPES.subnet);
  return {
    network: {
      vpcId: cloud().onlyChildOf(network.urn, TYPES.vpc).id,
      privateSubnetIds: [`${network.name}-private-1`, `${network.name}-private-2`].map((name) => subnets.find((s) => s.name === name)?.id),
      lambdaSecurityGroupId: cloud().onlyChildOf(network.urn, TYPES.securityGroup).id,
    },
    storage: { bucketName: cloud().onlyChildOf(storage.urn, TYPES.bucket).state.bucket, bucketArn: cloud().onlyChildOf(storage.urn, TYPES.bucket).state.arn },
    api: {
      apiUrl: `https://${restApi.id}.execute-api.${region}.amazonaws.com/${stage.inputs.stageName}/api`,
      functionArn: fn.state.arn,
      functionName: fn.state.name,
      restApiId: restApi.id,
    },
    identity: { roleArn: cloud().onlyChildOf(identity.urn, TYPES.role).state.arn },
    alarms: {
      topicArn: cloud().onlyChildOf(alarms.urn, TYPES.topic).state.arn,
      alarmArns: alarmResources.map((alarm) => alarm.state.arn),
      alarmNames: alarmResources.map((alarm) => alarm.state.name),
    },
    stageArn: `arn:aws:apigateway:${region}::/restapis/${restApi.id}/stages/${stage.inputs.stageName}`,
  };
}

describe("with the global layer and WAF on (us-east-1, us-west-2)", () => {
  sharedSetup(async () => {
    await harness.build({ domainName: DOMAIN, hostedZoneId: "Z0123456789ABCDEFGHIJ", enableWaf: true });
  });

  it.each(REGIONS)("the regional components in %s register their resources' IDs, names and ARNs", (region) => {
    const expected = expectedRegional(region);
    expect(outputsOf(cloud().componentOf(TYPES.regionalNetwork, region))).toEqual(expected.network);
    expect(outputsOf(cloud().componentOf(TYPES.artifactBucket, region))).toEqual(expected.storage);
    expect(outputsOf(cloud().componentOf(TYPES.serverlessApi, region))).toEqual(expected.api);
    expect(outputsOf(cloud().componentOf(TYPES.functionIdentity, region))).toEqual(expected.identity);
    expect(outputsOf(cloud().componentOf(TYPES.regionalAlarms, region))).toEqual(expected.alarms);
    const waf = cloud().componentOf(TYPES.regionalWaf, region);
    expect(outputsOf(waf)).toEqual({ webAclArn: cloud().onlyChildOf(waf.urn, TYPES.webAcl).state.arn, stageArn: expected.stageArn });
    // No value is missing or empty.
    for (const value of Object.values(expected.network)) expect(value).toBeTruthy();
    expect(expected.network.privateSubnetIds.every((id) => typeof id === "string")).toBe(true);
  });

  it("the dashboard registers its name and its console URL in the home region", () => {
    const dashboard = cloud().componentOf(TYPES.globalDashboard);
    const name = cloud().onlyChildOf(dashboard.urn, TYPES.dashboard).state.dashboardName;
    expect(outputsOf(dashboard)).toEqual({
      dashboardName: name,
      dashboardUrl: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${name}`,
    });
  });

  it("the global routing registers the global URL, its health-alarm topic and each region's health check", () => {
    const routing = cloud().componentOf(TYPES.globalRouting);
    const checks = cloud().childrenOf(routing.urn, TYPES.healthCheck);
    expect(checks.map((check) => check.name)).toEqual(REGIONS.map((region) => `tap-global-${region}-health-check`));
    expect(outputsOf(routing)).toEqual({
      globalUrl: `https://${DOMAIN}/api`,
      alarmTopicArn: cloud().onlyChildOf(routing.urn, TYPES.topic).state.arn,
      healthCheckIds: Object.fromEntries(REGIONS.map((region, index) => [region, checks[index].id])),
    });
  });

  it("the TapStack registers every region's values, keyed by region, the dashboard and the global URL", () => {
    const byRegion = <T>(pick: (expected: ReturnType<typeof expectedRegional>) => T) =>
      Object.fromEntries(REGIONS.map((region) => [region, pick(expectedRegional(region))]));
    const dashboard = outputsOf(cloud().componentOf(TYPES.globalDashboard)) as Record<string, string>;
    expect(outputsOf(cloud().componentOf(TYPES.tapStack))).toEqual({
      vpcIds: byRegion((e) => e.network.vpcId),
      bucketNames: byRegion((e) => e.storage.bucketName),
      apiUrls: byRegion((e) => e.api.apiUrl),
      lambdaArns: byRegion((e) => e.api.functionArn),
      lambdaFunctionNames: byRegion((e) => e.api.functionName),
      alarmTopicArns: byRegion((e) => e.alarms.topicArn),
      alarmNames: byRegion((e) => e.alarms.alarmNames),
      dashboardName: dashboard.dashboardName,
      dashboardUrl: dashboard.dashboardUrl,
      globalUrl: `https://${DOMAIN}/api`,
    });
  });
});

describe("with the global layer off", () => {
  sharedSetup(async () => {
    await harness.build({ regions: ["eu-west-1"] });
  });

  it("the TapStack registers no global URL, and nothing global is created", () => {
    const outputs = outputsOf(cloud().componentOf(TYPES.tapStack)) as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual(
      ["alarmNames", "alarmTopicArns", "apiUrls", "bucketNames", "dashboardName", "dashboardUrl", "lambdaArns", "lambdaFunctionNames", "vpcIds"],
    );
    expect(outputs.vpcIds).toEqual({ "eu-west-1": expectedRegional("eu-west-1").network.vpcId });
    expect([...cloud().ofType(TYPES.globalRouting), ...cloud().ofType(TYPES.regionalWaf)]).toEqual([]);
  });
});
