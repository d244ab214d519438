import * as pulumi from "@pulumi/pulumi";
import type { TapStackArgs } from "../../lib";
import type { GlobalLayer, GlobalLayerRegion } from "../../lib/global-layer";
import {
  ALIAS_RECORD_TYPES,
  ALIAS_TTL_SECONDS,
  HEALTH_CHECK_ALARM,
  failoverTimeSeconds,
  globalApiUrl,
  healthCheckAlarmNames,
  healthCheckTarget,
  recordRouting,
  routingRegionsProblem,
} from "../../lib/global-routing-spec";
import { RecordedResource, exactlyOne, valueOf, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";
import { TYPES } from "../../offline/resource-types";

/**
 * The opt-in layer: GlobalRouting (custom domain, health checks, alias
 * records, health-check alarms), RegionalWaf, and the stage cache.
 *
 * The layer is built with `createGlobalLayer`, the function TapStack calls,
 * over light fixtures: per region a real aws Provider, REST API and stage
 * (building a whole TapStack per scenario would cost seconds each). The stage
 * cache belongs to ServerlessApi, so it is checked on a real TapStack.
 */

const DOMAIN = "api.example.com";
const ZONE = "Z0123456789ABCDEFGHIJ";
const EAST = "us-east-1";
const WEST = "us-west-2";
const ON = { domainName: DOMAIN, hostedZoneId: ZONE } as const;
const FIXTURE_PARENT = "test:index:Fixtures";
const LAYER_PARENT = "test:index:Layer";

let harness: StackHarness;
let layerModule: typeof import("../../lib/global-layer");
let configModule: typeof import("../../lib/config");
let namingModule: typeof import("../../lib/naming");
let apigateway: typeof import("@pulumi/aws/apigateway");
let ProviderClass: typeof import("@pulumi/aws/provider").Provider;

beforeAll(async () => {
  harness = await setupHarness("dev");
  layerModule = await import("../../lib/global-layer");
  configModule = await import("../../lib/config");
  namingModule = await import("../../lib/naming");
  apigateway = await import("@pulumi/aws/apigateway");
  ProviderClass = (await import("@pulumi/aws/provider")).Provider;
});

/** Everything one build recorded, with the layer's own resources apart. */
interface Built {
  layer: GlobalLayer;
  regions: GlobalLayerRegion[];
  /** The layer's custom resources and providers. */
  layerResources: RecordedResource[];
  /** URN of the fixture provider of `region`. */
  providerOf(region: string): string;
  /** URN of the fixture account-wide provider (us-east-1), what TapStack passes as `globalProvider`. */
  globalProvider: string;
  /** The layer's custom resources of `type`. */
  ofType(type: string): RecordedResource[];
  /** The layer's one resource of `type` whose logical name contains `-{region}-` (and ends with `suffix`). */
  forRegion(type: string, region: string, suffix?: string): RecordedResource;
  /** The fixture's one resource of `type` in `region`. */
  fixture(type: string, region: string): RecordedResource;
}

/**
 * Per region of `args.regions` a Provider, REST API and `dev` stage (what
 * TapStack's regions offer the layer), then the layer from the resolved
 * `args` under a test parent. Waits until everything is registered.
 */
async function build(args: TapStackArgs, alarmTopicArn?: string): Promise<Built> {
  return withoutStackTraces(() => buildWithTraces(args, alarmTopicArn));
}

async function buildWithTraces(args: TapStackArgs, alarmTopicArn?: string): Promise<Built> {
  harness.cloud.reset();
  const config = configModule.resolveTapStackArgs(args, "dev");
  const context = { project: config.projectName, environment: config.environmentSuffix, stack: config.stackName };
  const fixtures = new pulumi.ComponentResource(FIXTURE_PARENT, "fixtures");
  const regions: GlobalLayerRegion[] = config.regions.map((region) => {
    const provider = new ProviderClass(`fixture-${region}-provider`, { region }, { parent: fixtures });
    const inRegion = { parent: fixtures, provider };
    const restApi = new apigateway.RestApi(`fixture-${region}-rest-api`, { name: `api-${region}` }, inRegion);
    const stage = new apigateway.Stage(`fixture-${region}-stage`, { restApi: restApi.id, deployment: "fixture-deployment", stageName: "dev" }, inRegion);
    return { region, provider, names: new namingModule.RegionNames(context, region), api: { restApi, stage } };
  });
  const globalProvider = new ProviderClass("fixture-global-provider", { region: EAST }, { parent: fixtures });
  const parent = new pulumi.ComponentResource(LAYER_PARENT, "layer-under-test");
  const layer = layerModule.createGlobalLayer("tap", config, regions, { parent, globalProvider, alarmTopicArn });
  await waitForRegistrations();
  const recorded = harness.cloud.snapshot();
  const layerResources = recorded.descendantsOf(recorded.componentOf(LAYER_PARENT).urn).filter((r) => r.custom);
  const fixtureResources = recorded.descendantsOf(recorded.componentOf(FIXTURE_PARENT).urn);
  return {
    layer,
    regions,
    layerResources,
    providerOf: (region) => exactlyOne(fixtureResources.filter((r) => r.type === TYPES.provider && r.name === `fixture-${region}-provider`), `provider of ${region}`).urn,
    globalProvider: exactlyOne(fixtureResources.filter((r) => r.name === "fixture-global-provider"), "global provider").urn,
    ofType: (type) => layerResources.filter((r) => r.type === type),
    forRegion: (type, region, suffix = "") =>
      exactlyOne(layerResources.filter((r) => r.type === type && r.name.includes(`-${region}-`) && r.name.endsWith(suffix)), `${type} for ${region}${suffix}`),
    fixture: (type, region) => exactlyOne(fixtureResources.filter((r) => r.type === type && r.region === region), `fixture ${type} in ${region}`),
  };
}

/** What `promise` rejected with; fails the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

describe("pure rules (lib/global-routing-spec.ts)", () => {
  it.each([
    ["latency", [EAST], undefined],
    ["latency", [EAST, WEST, "eu-west-1"], undefined],
    ["failover", [EAST, WEST], undefined],
    ["failover", [EAST], 'failover needs at least two regions (a primary and a secondary); regions is ["us-east-1"]. Add a region or use "latency".'],
    ["failover", [EAST, WEST, "eu-west-1"], 'failover needs exactly two regions (the first is the primary, the second the secondary); regions is ["us-east-1","us-west-2","eu-west-1"]. List two regions or use "latency", which takes any number.'],
  ] as const)("routingRegionsProblem(%s, %j)", (policy, regions, expected) => {
    expect(routingRegionsProblem(policy, regions)).toBe(expected);
  });

  it("latency records route by their own region; failover makes the first PRIMARY and the second SECONDARY", () => {
    expect(recordRouting("latency", "eu-west-1", 5)).toEqual({ latencyRoutingPolicies: [{ region: "eu-west-1" }] });
    expect(recordRouting("failover", EAST, 0)).toEqual({ failoverRoutingPolicies: [{ type: "PRIMARY" }] });
    expect(recordRouting("failover", WEST, 1)).toEqual({ failoverRoutingPolicies: [{ type: "SECONDARY" }] });
    expect(() => recordRouting("failover", "eu-west-1", 2)).toThrow(
      "failover routing has no role for region eu-west-1 at position 2: only the first two regions get records.",
    );
  });

  it("a health check calls the region's own execute-api hostname and the handler's health route", () => {
    expect(healthCheckTarget("a1b2c3d4e5", "eu-central-1", "prod", "api")).toEqual({
      fqdn: "a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com",
      resourcePath: "/prod/api/health",
    });
  });

  it("failover time is interval x threshold + TTL: 150 s with the defaults, 70 s at the fastest settings", () => {
    expect(ALIAS_TTL_SECONDS).toBe(60);
    expect(failoverTimeSeconds(30, 3)).toBe(150);
    expect(failoverTimeSeconds(10, 1)).toBe(70);
    expect(failoverTimeSeconds(30, 10)).toBe(360);
    expect(failoverTimeSeconds(30, 3, 300)).toBe(390);
  });

  it("global URL ends with the API's base path", () => {
    expect(globalApiUrl(DOMAIN, "api")).toBe("https://api.example.com/api");
  });

  it("alarm names follow globalNames and stay within CloudWatch's 255 characters for the longest project and region", () => {
    expect(healthCheckAlarmNames({ project: "iac-aws-nova", environment: "dev", stack: "dev" }, [EAST, WEST])).toEqual([
      "iac-aws-nova-health-alarm-us-east-1-dev-2f69835b",
      "iac-aws-nova-health-alarm-us-west-2-dev-2f69835b",
    ]);
    const long = healthCheckAlarmNames({ project: "a".repeat(24), environment: "b".repeat(16), stack: "s" }, ["ap-southeast-7"]);
    expect(long[0].length).toBeLessThanOrEqual(255);
  });
});

describe("bad input is rejected before any resource is registered, naming the key", () => {
  it.each<[string, TapStackArgs, string]>([
    ["a domain without a hosted zone", { domainName: DOMAIN },
      'Invalid config "hostedZoneId": not set. domainName "api.example.com" needs the ID of the Route 53 hosted zone that holds it.'],
    ["a hosted zone without a domain", { hostedZoneId: ZONE },
      'Invalid config "domainName": not set. hostedZoneId is set, so domainName must be set too, such as "api.example.com".'],
    ["a domain with a scheme", { ...ON, domainName: "https://api.example.com" },
      'Invalid config "domainName": "https://api.example.com". Expected a lower-case DNS name such as "api.example.com" (no scheme, no trailing dot).'],
    ["a domain with a trailing dot", { ...ON, domainName: "api.example.com." },
      'Invalid config "domainName": "api.example.com.". Expected a lower-case DNS name such as "api.example.com" (no scheme, no trailing dot).'],
    ["an upper-case domain", { ...ON, domainName: "API.example.com" },
      'Invalid config "domainName": "API.example.com". Expected a lower-case DNS name such as "api.example.com" (no scheme, no trailing dot).'],
    ["a single-label domain", { ...ON, domainName: "localhost" },
      'Invalid config "domainName": "localhost". Expected a lower-case DNS name such as "api.example.com" (no scheme, no trailing dot).'],
    ["a malformed hosted zone ID", { ...ON, hostedZoneId: "zone-1" },
      'Invalid config "hostedZoneId": "zone-1". Expected a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ".'],
    ["an unknown routing policy", { ...ON, routingPolicy: "geolocation" as "latency" },
      'Invalid config "routingPolicy": "geolocation". Allowed values: "latency", "failover".'],
    ["failover with one region", { ...ON, routingPolicy: "failover", regions: [EAST] },
      'Invalid config "routingPolicy": "failover". failover needs at least two regions (a primary and a secondary); regions is ["us-east-1"]. Add a region or use "latency".'],
    ["failover with three regions", { ...ON, routingPolicy: "failover", regions: [EAST, WEST, "eu-west-1"] },
      'Invalid config "routingPolicy": "failover". failover needs exactly two regions (the first is the primary, the second the secondary); regions is ["us-east-1","us-west-2","eu-west-1"]. List two regions or use "latency", which takes any number.'],
    ["an interval Route 53 does not offer", { ...ON, healthCheckIntervalSeconds: 20 },
      'Invalid config "healthCheckIntervalSeconds": number 20. Allowed values: 10, 30.'],
    ["a threshold of 0", { ...ON, healthCheckFailureThreshold: 0 },
      'Invalid config "healthCheckFailureThreshold": number 0. It is out of range: expected a whole number from 1 to 10.'],
    ["a threshold of 11", { ...ON, healthCheckFailureThreshold: 11 },
      'Invalid config "healthCheckFailureThreshold": number 11. It is out of range: expected a whole number from 1 to 10.'],
    ["a fractional threshold", { ...ON, healthCheckFailureThreshold: 2.5 },
      'Invalid config "healthCheckFailureThreshold": number 2.5. Expected a whole number from 1 to 10.'],
    ["a routing-policy typo while the layer is still off", { routingPolicy: "geo" as "latency" },
      'Invalid config "routingPolicy": "geo". Allowed values: "latency", "failover".'],
  ])("%s", async (_case, args, message) => {
    const error = await rejectionOf(harness.build(args));
    expect(error).toBeInstanceOf(configModule.TapConfigError);
    expect((error as Error).message).toBe(message);
    await waitForRegistrations();
    expect(harness.cloud.resources).toEqual([]);
  });

  it("GlobalRouting itself refuses an empty region list, before registering anything", async () => {
    const { GlobalRouting } = await import("../../lib/global-routing");
    harness.cloud.reset();
    const config = configModule.resolveTapStackArgs({ ...ON }, "dev").globalRouting;
    if (config === undefined) throw new Error("the layer should be on");
    const globalProvider = new ProviderClass("unused-global-provider", { region: EAST });
    await waitForRegistrations();
    harness.cloud.reset();
    expect(() => new GlobalRouting("empty", { config, regions: [], naming: { project: "p", environment: "dev", stack: "dev" }, globalProvider })).toThrow(
      new configModule.TapConfigError("regions", [], "The global layer needs at least one region."),
    );
    await waitForRegistrations();
    expect(harness.cloud.resources).toEqual([]);
  });
});

describe("layer on, latency (default regions us-east-1 and us-west-2)", () => {
  let b: Built;
  sharedSetup(async () => {
    b = await build({ ...ON });
  });

  it("creates exactly these resources: per region a certificate, validation, domain, mapping, health check, alarm, A and AAAA records; one validation record; one encrypted topic", () => {
    expect(harness.cloud.countByType(b.layerResources)).toEqual({
      [TYPES.certificate]: 2,
      [TYPES.certificateValidation]: 2,
      [TYPES.domainName]: 2,
      [TYPES.basePathMapping]: 2,
      [TYPES.healthCheck]: 2,
      [TYPES.alarm]: 2,
      [TYPES.record]: 5,
      [TYPES.kmsKey]: 1,
      [TYPES.topic]: 1,
      [TYPES.topicPolicy]: 1,
    });
  });

  it("binds each region's certificate, validation, domain and mapping to that region's TapStack provider", () => {
    for (const region of [EAST, WEST]) {
      for (const type of [TYPES.certificate, TYPES.certificateValidation, TYPES.domainName, TYPES.basePathMapping]) {
        const resource = b.forRegion(type, region);
        expect([resource.name, resource.provider, resource.region]).toEqual([resource.name, b.providerOf(region), region]);
      }
    }
  });

  it("creates every Route 53 resource through the account-wide provider, never a regional one", () => {
    const route53 = b.layerResources.filter((r) => r.type.startsWith("aws:route53/"));
    expect(route53).toHaveLength(7);
    for (const r of route53) expect([r.name, r.provider]).toEqual([r.name, b.globalProvider]);
  });

  it("requests a DNS-validated certificate for the domain in each region", () => {
    for (const region of [EAST, WEST]) {
      const { inputs } = b.forRegion(TYPES.certificate, region);
      expect([inputs.domainName, inputs.validationMethod]).toEqual([DOMAIN, "DNS"]);
      // ACM's published tag-value pattern (botocore acm TagValue): no parentheses, so not "api.example.com (us-east-1)".
      expect(inputs.tags).toEqual({ Name: `${DOMAIN} ${region}` });
      expect(inputs.tags.Name).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
    }
  });

  it("writes the validation CNAME once, from the home certificate's validation option, overwriting an existing one", () => {
    const homeOption = b.forRegion(TYPES.certificate, EAST).state.domainValidationOptions[0];
    const validation = b.layerResources.filter((r) => r.type === TYPES.record && r.name === "tap-global-certificate-validation");
    expect(validation).toHaveLength(1);
    expect(validation[0].inputs).toEqual({
      zoneId: ZONE,
      name: homeOption.resourceRecordName,
      type: "CNAME",
      records: [homeOption.resourceRecordValue],
      ttl: 60,
      allowOverwrite: true,
    });
  });

  it("validates every region's certificate against that one record", () => {
    const record = b.layerResources.find((r) => r.name === "tap-global-certificate-validation");
    for (const region of [EAST, WEST]) {
      const validation = b.forRegion(TYPES.certificateValidation, region);
      expect(validation.inputs.certificateArn).toBe(b.forRegion(TYPES.certificate, region).state.arn);
      expect(validation.dependencies).toContain(record?.urn);
      const recordDependencies = validation.dependencies.filter((urn) => urn.includes(TYPES.record));
      expect(recordDependencies).toEqual([record?.urn]);
      expect(validation.inputs.validationRecordFqdns).toEqual([record?.state.fqdn]);
      expect(record?.state.fqdn).toBe(b.forRegion(TYPES.certificate, EAST).state.domainValidationOptions[0].resourceRecordName.replace(/\.$/, ""));
    }
  });

  it("a REGIONAL dualstack custom domain on TLS 1.2, using the region's validated certificate", () => {
    for (const region of [EAST, WEST]) {
      const domain = b.forRegion(TYPES.domainName, region);
      expect(domain.inputs).toEqual({
        domainName: DOMAIN,
        regionalCertificateArn: b.forRegion(TYPES.certificate, region).state.arn,
        endpointConfiguration: { types: "REGIONAL", ipAddressType: "dualstack" },
        securityPolicy: "TLS_1_2",
      });
      expect(domain.dependencies).toContain(b.forRegion(TYPES.certificateValidation, region).urn);
    }
  });

  it("maps the domain's root (no base path) to this region's REST API and stage", () => {
    for (const region of [EAST, WEST]) {
      const mapping = b.forRegion(TYPES.basePathMapping, region);
      expect(mapping.inputs).toEqual({ domainName: DOMAIN, restApi: b.fixture(TYPES.restApi, region).id, stageName: "dev" });
      expect(mapping.inputs.basePath).toBeUndefined();
      expect(mapping.dependencies).toEqual(expect.arrayContaining([b.forRegion(TYPES.domainName, region).urn, b.fixture(TYPES.stage, region).urn]));
    }
  });

  it("health checks call each region's own execute-api endpoint at /dev/api/health, never the global name", () => {
    for (const region of [EAST, WEST]) {
      const check = b.forRegion(TYPES.healthCheck, region);
      const restApiId = b.fixture(TYPES.restApi, region).id;
      expect(check.inputs).toEqual({
        type: "HTTPS",
        fqdn: `${restApiId}.execute-api.${region}.amazonaws.com`,
        port: 443,
        resourcePath: "/dev/api/health",
        enableSni: true,
        requestInterval: 30,
        failureThreshold: 3,
        measureLatency: false,
        tags: { Name: `iac-aws-nova-health-${region}-dev-2f69835b` },
      });
      expect(check.inputs.fqdn).not.toContain(DOMAIN);
    }
    const fqdns = [EAST, WEST].map((region) => b.forRegion(TYPES.healthCheck, region).inputs.fqdn);
    expect(new Set(fqdns).size).toBe(2);
  });

  it.each(ALIAS_RECORD_TYPES.map((type) => [type]))("one latency %s alias per region: its own domain target and health check, identified by the region", (type) => {
    for (const region of [EAST, WEST]) {
      const record = b.forRegion(TYPES.record, region, `-record-${type.toLowerCase()}`);
      const domain = b.forRegion(TYPES.domainName, region);
      expect(record.inputs).toEqual({
        zoneId: ZONE,
        name: DOMAIN,
        type,
        setIdentifier: region,
        aliases: [{ name: domain.state.regionalDomainName, zoneId: domain.state.regionalZoneId, evaluateTargetHealth: true }],
        healthCheckId: b.forRegion(TYPES.healthCheck, region).id,
        latencyRoutingPolicies: [{ region }],
      });
      expect(record.dependencies).toContain(b.forRegion(TYPES.basePathMapping, region).urn);
    }
  });

  it("one alarm per health check in us-east-1 (AWS/Route53 HealthCheckStatus < 1), notifying the us-east-1 topic", () => {
    const topic = b.ofType(TYPES.topic)[0];
    expect([topic.region, topic.provider, topic.inputs.name]).toEqual([EAST, b.globalProvider, "iac-aws-nova-health-alarms-dev-2f69835b"]);
    expect(topic.inputs.kmsMasterKeyId).toBe(b.ofType(TYPES.kmsKey)[0].state.arn);
    expect(b.ofType(TYPES.kmsKey)[0].inputs.description).toBe("Encrypts the alarm notifications of topic iac-aws-nova-health-alarms-dev-2f69835b");
    for (const region of [EAST, WEST]) {
      const alarm = b.forRegion(TYPES.alarm, region);
      expect([alarm.region, alarm.provider]).toEqual([EAST, b.globalProvider]);
      expect(alarm.inputs).toEqual({
        name: `iac-aws-nova-health-alarm-${region}-dev-2f69835b`,
        alarmDescription: `The Route 53 health check of ${region}'s API is failing: ${DOMAIN} no longer routes to ${region}.`,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: b.forRegion(TYPES.healthCheck, region).id },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: HEALTH_CHECK_ALARM.treatMissingData,
        alarmActions: [topic.state.arn],
        okActions: [topic.state.arn],
      });
      expect(alarm.dependencies).toContain(b.ofType(TYPES.topicPolicy)[0].urn);
    }
  });

  it("the key lets CloudWatch decrypt only for the two health-check alarms; the account administers it", () => {
    const policy = JSON.parse(b.ofType(TYPES.kmsKey)[0].inputs.policy);
    expect(policy.Statement.map((statement: { Sid: string }) => statement.Sid)).toEqual(["AllowAccountAdministration", "AllowCloudWatchAlarmsToUseKey"]);
    expect(policy.Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(policy.Statement[1].Condition.ArnLike["aws:SourceArn"]).toEqual([
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iac-aws-nova-health-alarm-us-east-1-dev-2f69835b",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iac-aws-nova-health-alarm-us-west-2-dev-2f69835b",
    ]);
  });

  it("the topic policy lets CloudWatch publish only for the two health-check alarms", () => {
    const policy = JSON.parse(b.ofType(TYPES.topicPolicy)[0].inputs.policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Condition.ArnLike["aws:SourceArn"]).toEqual([
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iac-aws-nova-health-alarm-us-east-1-dev-2f69835b",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iac-aws-nova-health-alarm-us-west-2-dev-2f69835b",
    ]);
  });

  it("creates no provider of its own, no WAF, and exposes the global URL and health-check IDs", async () => {
    expect(b.layerResources.filter((r) => r.type === TYPES.provider)).toEqual([]);
    expect(b.layer.wafs).toEqual([]);
    expect(b.layer.globalUrl).toBe("https://api.example.com/api");
    expect(await valueOf(b.layer.routing!.healthCheckIds)).toEqual({
      [EAST]: b.forRegion(TYPES.healthCheck, EAST).id,
      [WEST]: b.forRegion(TYPES.healthCheck, WEST).id,
    });
  });
});

describe("layer on, failover between two regions without us-east-1", () => {
  const PRIMARY = "eu-west-1";
  const SECONDARY = "ap-southeast-2";
  let b: Built;
  sharedSetup(async () => {
    b = await build({ ...ON, regions: [PRIMARY, SECONDARY], routingPolicy: "failover", healthCheckIntervalSeconds: 10, healthCheckFailureThreshold: 1, alarmEmail: "ops@example.com" });
  });

  it.each(ALIAS_RECORD_TYPES.map((type) => [type]))("%s: the first region is PRIMARY, the second SECONDARY, each with its own health check", (type) => {
    const suffix = `-record-${type.toLowerCase()}`;
    for (const [region, role] of [[PRIMARY, "PRIMARY"], [SECONDARY, "SECONDARY"]] as const) {
      const record = b.forRegion(TYPES.record, region, suffix);
      expect(record.inputs.setIdentifier).toBe(region);
      expect(record.inputs.failoverRoutingPolicies).toEqual([{ type: role }]);
      expect(record.inputs.latencyRoutingPolicies).toBeUndefined();
      expect(record.inputs.healthCheckId).toBe(b.forRegion(TYPES.healthCheck, region).id);
      expect(record.inputs.aliases[0].name).toBe(b.forRegion(TYPES.domainName, region).state.regionalDomainName);
      expect(record.provider).toBe(b.globalProvider);
    }
  });

  it("health checks use the configured interval and threshold", () => {
    for (const region of [PRIMARY, SECONDARY]) {
      const { inputs } = b.forRegion(TYPES.healthCheck, region);
      expect([inputs.requestInterval, inputs.failureThreshold, inputs.fqdn]).toEqual([10, 1, `${b.fixture(TYPES.restApi, region).id}.execute-api.${region}.amazonaws.com`]);
    }
  });

  it("creates no provider of its own: the alarms, their topic and every Route 53 resource go through the account-wide provider, in us-east-1", () => {
    expect(b.layerResources.filter((r) => r.type === TYPES.provider)).toEqual([]);
    const throughIt = b.layerResources.filter((r) => r.provider === b.globalProvider);
    expect(throughIt.map((r) => r.type).sort()).toEqual([TYPES.alarm, TYPES.alarm, TYPES.kmsKey, TYPES.topic, TYPES.topicPolicy, TYPES.topicSubscription, TYPES.healthCheck, TYPES.healthCheck, TYPES.record, TYPES.record, TYPES.record, TYPES.record, TYPES.record].sort());
    for (const r of throughIt) expect([r.name, r.region]).toEqual([r.name, EAST]);
  });

  it("subscribes alarmEmail to the topic it creates", () => {
    const subscription = b.ofType(TYPES.topicSubscription);
    expect(subscription).toHaveLength(1);
    expect(subscription[0].inputs).toEqual({ topic: b.ofType(TYPES.topic)[0].state.arn, protocol: "email", endpoint: "ops@example.com" });
  });

  it("certificates and domains stay in their own regions", () => {
    for (const region of [PRIMARY, SECONDARY]) {
      expect(b.forRegion(TYPES.certificate, region).provider).toBe(b.providerOf(region));
      expect(b.forRegion(TYPES.domainName, region).provider).toBe(b.providerOf(region));
    }
  });
});

describe("layer on, with us-east-1's existing alarm topic", () => {
  const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:iac-aws-nova-alarms-us-east-1-dev-2f69835b";
  let b: Built;
  sharedSetup(async () => {
    b = await build({ ...ON }, TOPIC_ARN);
  });

  it("creates no topic or key and points both alarms at the given topic", () => {
    expect([b.ofType(TYPES.topic), b.ofType(TYPES.kmsKey), b.ofType(TYPES.topicPolicy)]).toEqual([[], [], []]);
    for (const region of [EAST, WEST]) {
      const alarm = b.forRegion(TYPES.alarm, region);
      expect([alarm.inputs.alarmActions, alarm.inputs.okActions]).toEqual([[TOPIC_ARN], [TOPIC_ARN]]);
    }
  });
});

describe("failover with three regions", () => {
  it("GlobalRouting rejects it before registering anything, naming routingPolicy", async () => {
    const regions = [EAST, WEST, "eu-west-1"];
    const fixtures = await build({ regions });
    const before = harness.cloud.resources.length;
    const config = configModule.resolveTapStackArgs({ ...ON, regions }, "dev");
    const failover = { ...config, globalRouting: { ...config.globalRouting!, routingPolicy: "failover" as const } };
    const parent = new pulumi.ComponentResource(LAYER_PARENT, "three-region-failover");
    let error: unknown;
    try {
      layerModule.createGlobalLayer("three", failover, fixtures.regions, { parent, globalProvider: fixtures.regions[0].provider });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(configModule.TapConfigError);
    expect((error as Error).message).toBe(
      'Invalid config "routingPolicy": "failover". failover needs exactly two regions (the first is the primary, the second the secondary); regions is ["us-east-1","us-west-2","eu-west-1"]. List two regions or use "latency", which takes any number.',
    );
    await waitForRegistrations();
    // Only the test's own parent was added.
    expect(harness.cloud.resources.slice(before).map((r) => r.type)).toEqual([LAYER_PARENT]);
  });
});

describe("layer off", () => {
  it("with the defaults, the layer creates no resource at all", async () => {
    const b = await build({});
    expect(b.layerResources).toEqual([]);
    expect(b.layer).toEqual({ routing: undefined, wafs: [], globalUrl: undefined });
  });

  it("WAF alone creates no Route 53, ACM or custom-domain resource", async () => {
    const b = await build({ enableWaf: true });
    expect(Object.keys(harness.cloud.countByType(b.layerResources)).sort()).toEqual([TYPES.webAcl, TYPES.webAclAssociation].sort());
    expect(b.layer.routing).toBeUndefined();
  });
});

describe("WAF", () => {
  let b: Built;
  sharedSetup(async () => {
    b = await build({ enableWaf: true, regions: [EAST, "eu-central-1"] });
  });

  it.each([[EAST], ["eu-central-1"]])("%s: one regional web ACL with the rate limit first, then the two AWS managed groups", (region) => {
    const acl = b.forRegion(TYPES.webAcl, region);
    expect([acl.provider, acl.region]).toEqual([b.providerOf(region), region]);
    const name = `iac-aws-nova-waf-${region}-dev-2f69835b`;
    const visible = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    expect(acl.inputs).toEqual({
      name,
      description: `Rate limit and AWS managed rules in front of iac-aws-nova-api-${region}-dev-2f69835b in ${region}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [
        { name: "rate-limit", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 } }, visibilityConfig: visible("rate-limit") },
        { name: "AWSManagedRulesKnownBadInputsRuleSet", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } }, visibilityConfig: visible("known-bad-inputs") },
        { name: "AWSManagedRulesCommonRuleSet", priority: 2, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } }, visibilityConfig: visible("common-rule-set") },
      ],
      visibilityConfig: visible(name),
      tags: { Name: name },
    });
  });

  it.each([[EAST], ["eu-central-1"]])("%s: associated with this region's stage ARN, through this region's provider", (region) => {
    const association = b.forRegion(TYPES.webAclAssociation, region);
    const restApiId = b.fixture(TYPES.restApi, region).id;
    expect([association.provider, association.region]).toEqual([b.providerOf(region), region]);
    expect(association.inputs).toEqual({
      resourceArn: `arn:aws:apigateway:${region}::/restapis/${restApiId}/stages/dev`,
      webAclArn: b.forRegion(TYPES.webAcl, region).state.arn,
    });
    expect(association.dependencies).toContain(b.fixture(TYPES.stage, region).urn);
  });

  it("rejects a rate limit WAF does not accept, naming the argument; accepts both ends of the range", async () => {
    const { RegionalWaf } = await import("../../lib/edge-protection");
    const region = b.regions[0];
    const waf = (name: string, rateLimitPer5Minutes: number) =>
      new RegionalWaf(name, { names: region.names, restApiId: "x", stageName: "dev", rateLimitPer5Minutes }, { provider: region.provider });
    for (const bad of [5, 9, 2_000_000_001, 10.5]) {
      expect(() => waf(`bad-waf-${bad}`, bad)).toThrow(
        new configModule.TapConfigError("rateLimitPer5Minutes", bad, "Expected a whole number from 10 to 2000000000."),
      );
    }
    expect(waf("min-waf", 10)).toBeInstanceOf(RegionalWaf);
    expect(waf("max-waf", 2_000_000_000)).toBeInstanceOf(RegionalWaf);
    await waitForRegistrations();
  });

  it("builds the stage ARN WAF associates with for a known region, and refuses an unknown one", async () => {
    const { apiStageArn } = await import("../../lib/edge-protection");
    expect(apiStageArn("eu-central-1", "a1b2c3", "prod")).toBe("arn:aws:apigateway:eu-central-1::/restapis/a1b2c3/stages/prod");
    expect(() => apiStageArn("xx-nowhere-1", "a1b2c3", "prod")).toThrow(
      new configModule.TapConfigError("region", "xx-nowhere-1", "Expected a region listed in lib/regions.ts."),
    );
  });
});

describe("TapStack wiring", () => {
  it("builds the layer once per region through the region's provider and exposes globalUrl", async () => {
    const stack = await harness.build({ ...ON, enableWaf: true, regions: [EAST] });
    const { cloud } = harness;
    expect(stack.globalUrl).toBe("https://api.example.com/api");
    const counts = [TYPES.certificate, TYPES.certificateValidation, TYPES.domainName, TYPES.basePathMapping, TYPES.healthCheck, TYPES.webAcl, TYPES.webAclAssociation, TYPES.record]
      .map((type) => cloud.inRegion(EAST, type).length);
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 3]);
    expect(cloud.single(EAST, TYPES.webAclAssociation).inputs.resourceArn).toBe(`arn:aws:apigateway:us-east-1::/restapis/${cloud.single(EAST, TYPES.restApi).id}/stages/dev`);
    expect(cloud.single(EAST, TYPES.basePathMapping).inputs.restApi).toBe(cloud.single(EAST, TYPES.restApi).id);
  });
});
