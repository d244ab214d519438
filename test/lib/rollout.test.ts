import { RecordedResource } from "../../offline/mock-cloud";
import { ALARM_SPECS } from "../../lib/alarm-specs";
import { RegionNames } from "../../lib/naming";
import type { PolicyDocument } from "../../lib/iam-policies";
import { DYNAMIC_RESOURCE_TYPE, ROLLOUT_STRATEGIES } from "../../lib/rollout-spec";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * `rollout: canary` and `linear` under the mock cloud: in every region a
 * published version, a `live` alias that the API's integrations and invoke
 * permission use, CodeDeploy's application, deployment group and service
 * role, and one release step per region, each waiting for the previous
 * region's. With the default, none of it exists and every other resource is
 * the same. Expected values are AWS's (CodeDeploy's configuration names and
 * rollback events) or another recorded resource's ID, name or ARN.
 */

const T = {
  function: "aws:lambda/function:Function",
  alias: "aws:lambda/alias:Alias",
  provisioned: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
  permission: "aws:lambda/permission:Permission",
  integration: "aws:apigateway/integration:Integration",
  application: "aws:codedeploy/application:Application",
  group: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1"];
const CONTEXT = { project: "iac-aws-nova", environment: "dev", stack: "dev" };

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness();
});

/** The resource of `type` in `region` whose logical name ends with `suffix`. */
function named(region: string, type: string, suffix: string): RecordedResource {
  const found = harness.cloud.inRegion(region, type).filter((r) => r.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`Expected one ${type} ending in ${suffix} in ${region}, found ${found.length}`);
  return found[0];
}

function alarmNamed(region: string, metric: keyof typeof ALARM_SPECS): RecordedResource {
  return named(region, T.alarm, `-${ALARM_SPECS[metric].nameComponent}`);
}

/** The region's rollback alarms (test/lib/rollback-alarms.test.ts specifies them). */
function rollbackAlarms(region: string): RecordedResource[] {
  return ["rollback-errors", "rollback-5xx"].map((component) => named(region, T.alarm, `-${component}`));
}

function codeDeployRole(region: string): RecordedResource {
  return named(region, T.role, "-rollout-role");
}

function releases(): RecordedResource[] {
  return harness.cloud.customResources(DYNAMIC_RESOURCE_TYPE);
}

describe("rollout: canary in three regions", () => {
  let urns: Set<string>;

  sharedSetup(async () => {
    await harness.build({ regions: REGIONS, rollout: "canary" });
    urns = new Set(harness.cloud.resources.map((r) => r.urn));
  }, 60_000);

  describe.each(REGIONS)("%s", (region) => {
    const names = new RegionNames(CONTEXT, region);

    it("publishes a version on every change of the function", () => {
      expect(harness.cloud.single(region, T.function).inputs.publish).toBe(true);
    });

    it("has one live alias on the function's published version, whose version and weights Pulumi leaves to CodeDeploy", () => {
      const fn = harness.cloud.single(region, T.function);
      const alias = harness.cloud.single(region, T.alias);
      expect([alias.inputs.name, alias.inputs.functionName, alias.inputs.functionVersion]).toEqual(["live", fn.state.name, fn.state.version]);
      expect(fn.state.version).toMatch(/^[1-9][0-9]*$/);
      expect([...alias.options.ignoreChanges].sort()).toEqual(["functionVersion", "routingConfig"]);
      expect(harness.cloud.inRegion(region, T.provisioned)).toHaveLength(0);
    });

    it("sends both API routes to the alias, and lets only this API's stage invoke the alias", () => {
      const alias = harness.cloud.single(region, T.alias);
      const integrations = harness.cloud.inRegion(region, T.integration);
      expect(integrations.map((i) => i.inputs.uri)).toEqual([alias.state.invokeArn, alias.state.invokeArn]);
      expect(String(alias.state.invokeArn)).toMatch(/:function:[^:/]+:live\/invocations$/);
      const permission = harness.cloud.single(region, T.permission);
      expect([permission.inputs.function, permission.inputs.qualifier]).toEqual([harness.cloud.single(region, T.function).state.name, "live"]);
    });

    it("has a CodeDeploy application for Lambda and a deployment group with the canary configuration and automatic rollback", () => {
      const application = harness.cloud.single(region, T.application);
      const group = harness.cloud.single(region, T.group);
      expect(application.inputs).toEqual({ name: names.codeDeployApplication, computePlatform: "Lambda" });
      expect(group.inputs.appName).toBe(application.state.name);
      expect(group.inputs.deploymentGroupName).toBe(names.codeDeployGroup);
      expect(group.inputs.deploymentConfigName).toBe("CodeDeployDefault.LambdaCanary10Percent5Minutes");
      expect(group.inputs.deploymentStyle).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
      expect(group.inputs.autoRollbackConfiguration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
    });

    it("stops a release on this region's rollback alarms, and on no other", () => {
      const group = harness.cloud.single(region, T.group);
      expect(group.inputs.alarmConfiguration).toEqual({
        enabled: true,
        alarms: rollbackAlarms(region).map((alarm) => alarm.state.name),
      });
      expect(group.inputs.alarmConfiguration.alarms.every((name: string) => name.includes(region))).toBe(true);
    });

    it("measures the alias in the Lambda alarms (FunctionName and Resource name:live), and the stage in the API alarms", () => {
      const fnName = harness.cloud.single(region, T.function).state.name;
      expect(alarmNamed(region, "lambdaErrors").inputs.dimensions).toEqual({ FunctionName: fnName, Resource: `${fnName}:live` });
      expect(alarmNamed(region, "lambdaDuration").inputs.dimensions).toEqual({ FunctionName: fnName, Resource: `${fnName}:live` });
      expect(Object.keys(alarmNamed(region, "api5xx").inputs.dimensions).sort()).toEqual(["ApiName", "Stage"]);
    });

    it("gives CodeDeploy a role of its own in this region, trusted only for this deployment group", () => {
      const role = codeDeployRole(region);
      const group = harness.cloud.single(region, T.group);
      expect(role.inputs.name).toBe(names.codeDeployRole);
      expect(role.inputs.name).toContain(region);
      expect(group.inputs.serviceRoleArn).toBe(role.state.arn);
      const trust = JSON.parse(role.inputs.assumeRolePolicy) as PolicyDocument;
      expect(trust.Statement).toEqual([{
        Effect: "Allow",
        Principal: { Service: "codedeploy.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": `arn:aws:codedeploy:${region}:123456789012:deploymentgroup:${names.codeDeployApplication}/${names.codeDeployGroup}` },
        },
      }]);
    });

    it("lets the role shift only this function's live alias and read only this region's rollback alarms", () => {
      const policy = harness.cloud.inRegion(region, T.rolePolicy).find((p) => p.inputs.role === codeDeployRole(region).id);
      const fnArn = harness.cloud.single(region, T.function).state.arn;
      const document = JSON.parse(policy?.inputs.policy) as PolicyDocument;
      expect(document.Statement.map((s) => [s.Action, s.Resource])).toEqual([
        [["lambda:GetAlias", "lambda:UpdateAlias"], [fnArn, `${fnArn}:live`]],
        ["lambda:GetProvisionedConcurrencyConfig", [fnArn, `${fnArn}:*`]],
        ["cloudwatch:DescribeAlarms", rollbackAlarms(region).map((alarm) => alarm.state.arn)],
      ]);
    });

    it("creates the deployment group after the role's policy, so a destroy keeps the role until the group is gone", () => {
      const group = harness.cloud.single(region, T.group);
      const policy = harness.cloud.inRegion(region, T.rolePolicy).find((p) => p.inputs.role === codeDeployRole(region).id);
      expect(group.dependencies).toEqual(expect.arrayContaining([codeDeployRole(region).urn, policy?.urn]));
    });
  });

  it("has one release step per region, in region order, each named *-release", () => {
    expect(releases().map((r) => [r.name, r.inputs.region])).toEqual(REGIONS.map((region) => [`tap-${region}-release`, region]));
    expect(releases().every((r) => r.region === undefined && r.provider === undefined)).toBe(true);
  });

  it("releases each region's published version through that region's group and alias, within the canary's timeout", () => {
    for (const [index, region] of REGIONS.entries()) {
      const release = releases()[index];
      const group = harness.cloud.single(region, T.group);
      expect(release.inputs).toMatchObject({
        allowedAccountIds: [],
        applicationName: harness.cloud.single(region, T.application).state.name,
        deploymentGroupName: group.state.deploymentGroupName,
        deploymentConfigName: ROLLOUT_STRATEGIES.canary.deploymentConfigName,
        functionName: harness.cloud.single(region, T.function).state.name,
        aliasName: "live",
        targetVersion: harness.cloud.single(region, T.function).state.version,
        alarmNames: group.inputs.alarmConfiguration.alarms,
        timeoutMinutes: 15,
        pollSeconds: 15,
      });
    }
    // Each region's function publishes a version of its own (the mock numbers them apart), and each release takes its own region's.
    expect(new Set(releases().map((release) => release.inputs.targetVersion)).size).toBe(REGIONS.length);
  });

  it("starts the home region's release first and each next region's only after the previous one (dependsOn)", () => {
    const [first, second, third] = releases();
    const releaseUrns = new Set(releases().map((r) => r.urn));
    expect(first.dependencies.filter((urn) => releaseUrns.has(urn))).toEqual([]);
    expect(second.dependencies.filter((urn) => releaseUrns.has(urn))).toEqual([first.urn]);
    expect(third.dependencies.filter((urn) => releaseUrns.has(urn))).toEqual([second.urn]);
  });

  it("has each release wait for its own region's alias and deployment group", () => {
    for (const [index, region] of REGIONS.entries()) {
      const dependencies = releases()[index].dependencies;
      expect(dependencies).toEqual(expect.arrayContaining([harness.cloud.single(region, T.alias).urn, harness.cloud.single(region, T.group).urn]));
      const otherGroups = REGIONS.filter((other) => other !== region).map((other) => harness.cloud.single(other, T.group).urn);
      expect(dependencies.filter((urn) => otherGroups.includes(urn))).toEqual([]);
    }
  });

  it("exports each region's CodeDeploy names", () => {
    const stack = harness.cloud.resources.find((r) => r.type === "tap:index:TapStack");
    const outputs = harness.cloud.componentOutputs.get(stack?.urn ?? "");
    expect(outputs?.deploymentGroups).toEqual(Object.fromEntries(REGIONS.map((region) => {
      const names = new RegionNames(CONTEXT, region);
      return [region, {
        applicationName: names.codeDeployApplication,
        deploymentGroupName: names.codeDeployGroup,
        deploymentConfigName: ROLLOUT_STRATEGIES.canary.deploymentConfigName,
        aliasName: "live",
        alarmNames: [names.alarm("rollback-errors"), names.alarm("rollback-5xx")],
      }];
    })));
  });

  it("registers each region's CodeDeploy names and role, and the wave's order and target versions, as component outputs", () => {
    for (const region of REGIONS) {
      const component = harness.cloud.resources.find((r) => r.type === "tap:rollout:RegionalRollout" && r.name === `tap-${region}-rollout`);
      expect(harness.cloud.componentOutputs.get(component?.urn ?? "")).toEqual({
        applicationName: harness.cloud.single(region, T.application).state.name,
        deploymentGroupName: harness.cloud.single(region, T.group).state.deploymentGroupName,
        roleArn: codeDeployRole(region).state.arn,
      });
    }
    const wave = harness.cloud.resources.find((r) => r.type === "tap:rollout:ReleaseWave");
    expect(harness.cloud.componentOutputs.get(wave?.urn ?? "")).toEqual({
      order: REGIONS,
      targetVersions: Object.fromEntries(REGIONS.map((region) => [region, harness.cloud.single(region, T.function).state.version])),
    });
  });

  describe("against the default (all-at-once) in the same regions", () => {
    let defaultUrns: Set<string>;
    let defaultResources: RecordedResource[];

    sharedSetup(async () => {
      await harness.build({ regions: REGIONS });
      defaultResources = [...harness.cloud.resources];
      defaultUrns = new Set(defaultResources.map((r) => r.urn));
    }, 60_000);

    it("the default has no version, alias, CodeDeploy or release step, and its Lambda alarms measure the whole function", () => {
      const types = new Set(defaultResources.map((r) => r.type));
      for (const type of [T.alias, T.application, T.group, DYNAMIC_RESOURCE_TYPE, "tap:rollout:RegionalRollout", "tap:rollout:ReleaseWave"]) expect([type, types.has(type)]).toEqual([type, false]);
      for (const fn of defaultResources.filter((r) => r.type === T.function)) expect(fn.inputs.publish).toBe(false);
      const lambdaAlarms = defaultResources.filter((r) => r.type === T.alarm && r.inputs.namespace === "AWS/Lambda");
      expect(lambdaAlarms).toHaveLength(6);
      for (const alarm of lambdaAlarms) expect(Object.keys(alarm.inputs.dimensions)).toEqual(["FunctionName"]);
    });

    it("canary keeps every resource of the default and adds only the rollout's", () => {
      expect([...defaultUrns].filter((urn) => !urns.has(urn))).toEqual([]);
      const added = [...urns].filter((urn) => !defaultUrns.has(urn)).map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
      const expected = [
        "tap-release-wave",
        ...REGIONS.flatMap((region) => [
          `tap-${region}-api-function-live`,
          `tap-${region}-monitoring-rollback-errors`,
          `tap-${region}-monitoring-rollback-5xx`,
          `tap-${region}-release`,
          `tap-${region}-rollout`,
          `tap-${region}-rollout-application`,
          `tap-${region}-rollout-deployment-group`,
          `tap-${region}-rollout-role`,
          `tap-${region}-rollout-role-policy`,
        ]),
      ].sort();
      expect(added).toEqual(expected);
    });
  });
});

describe("rollout: linear with provisioned concurrency", () => {
  sharedSetup(async () => {
    await harness.build({ regions: ["eu-west-1"], rollout: "linear", lambdaProvisionedConcurrency: 2 });
  }, 60_000);

  it("uses the linear configuration and its longer timeout, with time for allocating the provisioned instances", () => {
    expect(harness.cloud.single("eu-west-1", T.group).inputs.deploymentConfigName).toBe("CodeDeployDefault.LambdaLinear10PercentEvery1Minute");
    // 10 minutes of shifts, 10 of margin, 5 for provisioned concurrency (releaseTimeoutMinutes).
    expect(releases().map((r) => r.inputs.timeoutMinutes)).toEqual([25]);
  });

  it("keeps one live alias: the provisioned instances sit on the alias CodeDeploy shifts", () => {
    const alias = harness.cloud.single("eu-west-1", T.alias);
    const provisioned = harness.cloud.single("eu-west-1", T.provisioned);
    expect([provisioned.inputs.qualifier, provisioned.inputs.provisionedConcurrentExecutions]).toEqual([alias.state.name, 2]);
    expect([...alias.options.ignoreChanges].sort()).toEqual(["functionVersion", "routingConfig"]);
    expect(harness.cloud.inRegion("eu-west-1", T.integration).map((i) => i.inputs.uri)).toEqual([alias.state.invokeArn, alias.state.invokeArn]);
  });
});

describe("provisioned concurrency without a gradual rollout (today's behaviour)", () => {
  sharedSetup(async () => {
    await harness.build({ regions: ["eu-west-1"], lambdaProvisionedConcurrency: 2 });
  }, 60_000);

  it("Pulumi still moves the alias to each new version: no ignoreChanges, no CodeDeploy, no release", () => {
    expect(harness.cloud.single("eu-west-1", T.alias).options.ignoreChanges).toEqual([]);
    expect(harness.cloud.inRegion("eu-west-1", T.group)).toHaveLength(0);
    expect(releases()).toHaveLength(0);
  });
});

