import { ALARM_METRICS, ALARM_SPECS } from "../../lib/alarm-specs";
import type { RecordedResource } from "../../offline/mock-cloud";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * The outputs each component registers (`registerOutputs`): what `pulumi stack` and the console show for a
 * component, and what a stack reference or a parent reads. Each is checked against the resource it names, in the
 * same region: the mock cloud records a component's outputs as the engine receives them.
 */
const T = {
  stack: "tap:index:TapStack",
  identity: "tap:compute:FunctionIdentity",
  network: "tap:network:RegionalNetwork",
  storage: "tap:storage:ArtifactBucket",
  api: "tap:compute:ServerlessApi",
  alarms: "tap:monitoring:RegionalAlarms",
  dashboard: "tap:monitoring:GlobalDashboard",
  routing: "tap:global:GlobalRouting",
  waf: "tap:edge:RegionalWaf",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  bucket: "aws:s3/bucket:Bucket",
  function: "aws:lambda/function:Function",
  restApi: "aws:apigateway/restApi:RestApi",
  stage: "aws:apigateway/stage:Stage",
  role: "aws:iam/role:Role",
  topic: "aws:sns/topic:Topic",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboardResource: "aws:cloudwatch/dashboard:Dashboard",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  webAcl: "aws:wafv2/webAcl:WebAcl",
} as const;

const REGIONS = ["us-east-1", "us-west-2"] as const;
const DOMAIN = "api.example.com";

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness("dev");
});

/** The only component of `type` whose name starts with `tap-{region}-`, or the only one at all when region is undefined. */
function component(type: string, region?: string): RecordedResource {
  const found = harness.cloud.resources.filter((r) => r.type === type && (region === undefined || r.name.startsWith(`tap-${region}-`)));
  if (found.length !== 1) throw new Error(`expected one ${type}${region ? ` in ${region}` : ""}, found ${found.length}`);
  return found[0];
}

/** The children of `parent` of `type`, in registration order. */
function children(parent: RecordedResource, type: string): RecordedResource[] {
  return harness.cloud.resources.filter((r) => r.parent === parent.urn && r.type === type);
}

function onlyChild(parent: RecordedResource, type: string): RecordedResource {
  const found = children(parent, type);
  if (found.length !== 1) throw new Error(`expected one ${type} under ${parent.name}, found ${found.length}`);
  return found[0];
}

function outputsOf(resource: RecordedResource): unknown {
  return harness.cloud.componentOutputs.get(resource.urn);
}

/** What each regional component must register, derived from its children. */
function expectedRegional(region: string) {
  const network = component(T.network, region);
  const storage = component(T.storage, region);
  const api = component(T.api, region);
  const identity = component(T.identity, region);
  const alarms = component(T.alarms, region);
  const fn = onlyChild(api, T.function);
  const restApi = onlyChild(api, T.restApi);
  const stage = onlyChild(api, T.stage);
  const alarmResources = ALARM_METRICS.map((metric) => {
    const [alarm] = children(alarms, T.alarm).filter((r) => r.name === `${alarms.name}-${ALARM_SPECS[metric].nameComponent}`);
    return alarm;
  });
  const subnets = children(network, T.subnet);
  return {
    network: {
      vpcId: onlyChild(network, T.vpc).id,
      privateSubnetIds: [`${network.name}-private-1`, `${network.name}-private-2`].map((name) => subnets.find((s) => s.name === name)?.id),
      lambdaSecurityGroupId: onlyChild(network, T.securityGroup).id,
    },
    storage: { bucketName: onlyChild(storage, T.bucket).state.bucket, bucketArn: onlyChild(storage, T.bucket).state.arn },
    api: {
      apiUrl: `https://${restApi.id}.execute-api.${region}.amazonaws.com/${stage.inputs.stageName}/api`,
      functionArn: fn.state.arn,
      functionName: fn.state.name,
      restApiId: restApi.id,
    },
    identity: { roleArn: onlyChild(identity, T.role).state.arn },
    alarms: {
      topicArn: onlyChild(alarms, T.topic).state.arn,
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
    expect(outputsOf(component(T.network, region))).toEqual(expected.network);
    expect(outputsOf(component(T.storage, region))).toEqual(expected.storage);
    expect(outputsOf(component(T.api, region))).toEqual(expected.api);
    expect(outputsOf(component(T.identity, region))).toEqual(expected.identity);
    expect(outputsOf(component(T.alarms, region))).toEqual(expected.alarms);
    const waf = component(T.waf, region);
    expect(outputsOf(waf)).toEqual({ webAclArn: onlyChild(waf, T.webAcl).state.arn, stageArn: expected.stageArn });
    // No value is missing or empty.
    for (const value of Object.values(expected.network)) expect(value).toBeTruthy();
    expect(expected.network.privateSubnetIds.every((id) => typeof id === "string")).toBe(true);
  });

  it("the dashboard registers its name and its console URL in the home region", () => {
    const dashboard = component(T.dashboard);
    const name = onlyChild(dashboard, T.dashboardResource).state.dashboardName;
    expect(outputsOf(dashboard)).toEqual({
      dashboardName: name,
      dashboardUrl: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${name}`,
    });
  });

  it("the global routing registers the global URL, its health-alarm topic and each region's health check", () => {
    const routing = component(T.routing);
    const checks = children(routing, T.healthCheck);
    expect(checks.map((check) => check.name)).toEqual(REGIONS.map((region) => `tap-global-${region}-health-check`));
    expect(outputsOf(routing)).toEqual({
      globalUrl: `https://${DOMAIN}/api`,
      alarmTopicArn: onlyChild(routing, T.topic).state.arn,
      healthCheckIds: Object.fromEntries(REGIONS.map((region, index) => [region, checks[index].id])),
    });
  });

  it("the TapStack registers every region's values, keyed by region, the dashboard and the global URL", () => {
    const byRegion = <T>(pick: (expected: ReturnType<typeof expectedRegional>) => T) =>
      Object.fromEntries(REGIONS.map((region) => [region, pick(expectedRegional(region))]));
    const dashboard = outputsOf(component(T.dashboard)) as Record<string, string>;
    expect(outputsOf(component(T.stack))).toEqual({
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
    const outputs = outputsOf(component(T.stack)) as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual(
      ["alarmNames", "alarmTopicArns", "apiUrls", "bucketNames", "dashboardName", "dashboardUrl", "lambdaArns", "lambdaFunctionNames", "vpcIds"],
    );
    expect(outputs.vpcIds).toEqual({ "eu-west-1": expectedRegional("eu-west-1").network.vpcId });
    expect(harness.cloud.resources.filter((r) => r.type === T.routing || r.type === T.waf)).toEqual([]);
  });
});
