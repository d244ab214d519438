import type { TapStackArgs } from "../../lib";
import { RecordedResource, Recording, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedResult, sharedSetup } from "../support/shared-setup";
import { TYPES } from "../../offline/resource-types";

/**
 * What the program tells Pulumi about the whole life of its resources, which
 * the mocks accept whatever it says but AWS does not: the order a destroy
 * runs in (the dependencies recorded for each resource, run backwards), what
 * a destroy keeps, what a changed lookup replaces, which accounts a provider
 * may touch, and which physical names two stacks in one account may share.
 */

let harness: StackHarness;
let lib: typeof import("../../lib");
let network: typeof import("../../lib/network");

beforeAll(async () => {
  harness = await setupHarness("dev");
  lib = await import("../../lib");
  network = await import("../../lib/network");
});

/** Builds a stack after `prepare` has set up the mock cloud (the harness's build resets it first). */
async function buildWith(args: TapStackArgs, prepare: () => void): Promise<Recording> {
  harness.cloud.reset();
  prepare();
  await withoutStackTraces(async () => {
    new lib.TapStack("tap", args);
    await waitForRegistrations();
  });
  return harness.cloud.snapshot();
}

/** The stack with the defaults, built once for every test that only reads it. */
const defaultStack = sharedResult(() => buildWith({}, () => undefined));

/** A resource of an ArtifactBucket component (the bucket and its settings). */
const inArtifactBucket = (resource: RecordedResource) => resource.parent?.includes(`$${TYPES.artifactBucket}::`) === true;

describe("the function's network-interface permissions outlive its subnets and security groups", () => {
  let recorded: Recording;
  sharedSetup(async () => {
    recorded = await defaultStack();
  });

  describe.each(["us-east-1", "us-west-2"])("in %s", (region) => {
    const fn = () => recorded.ofType(TYPES.function, region)[0];
    const interfacePolicy = () => {
      const role = recorded.ofType(TYPES.role, region).find((r) => r.state.arn === fn().inputs.role) as RecordedResource;
      const policies = recorded.ofType(TYPES.rolePolicy, region).filter((p) => p.inputs.role === role.id && p.inputs.policy.includes("ec2:CreateNetworkInterface"));
      expect(policies).toHaveLength(1);
      return policies[0];
    };

    it("the interface policy depends on the VPC and the role only: no subnet or security group, so it can be deleted after them", () => {
      const policy = interfacePolicy();
      const dependencyTypes = policy.dependencies.map((urn) => recorded.byUrn(urn).type).sort();
      expect(dependencyTypes).toEqual([TYPES.role, TYPES.vpc].sort());
      const vpc = recorded.ofType(TYPES.vpc, region)[0];
      expect(policy.dependencies).toContain(vpc.urn);
    });

    it("every subnet and security group of the region depends on the interface policy, so Pulumi deletes them before it", () => {
      const policy = interfacePolicy();
      const networkParts = [TYPES.subnet, TYPES.securityGroup, TYPES.defaultSecurityGroup].flatMap((type) => recorded.ofType(type, region));
      expect(networkParts.map((r) => r.type).sort()).toEqual([TYPES.defaultSecurityGroup, TYPES.securityGroup, TYPES.subnet, TYPES.subnet].sort());
      for (const part of networkParts) expect([part.name, part.dependencies.includes(policy.urn)]).toEqual([part.name, true]);
    });

    it("lets Lambda use the replacement group on destroy: it is in the VPC the policy's condition names", () => {
      const policy = JSON.parse(interfacePolicy().inputs.policy) as { Statement: Array<{ Condition?: { ArnEquals: Record<string, string> } }> };
      const conditions = policy.Statement.flatMap((statement) => (statement.Condition ? [statement.Condition.ArnEquals["ec2:Vpc"]] : []));
      const vpc = recorded.ofType(TYPES.vpc, region)[0];
      const defaultGroup = recorded.ofType(TYPES.defaultSecurityGroup, region)[0];
      expect(conditions).toEqual([vpc.state.arn]);
      expect(fn().inputs.replaceSecurityGroupsOnDestroy).toBe(true);
      expect(fn().inputs.replacementSecurityGroupIds).toEqual([defaultGroup.id]);
      expect(defaultGroup.inputs.vpcId).toBe(vpc.id);
      // The function's own group and subnets are in the same VPC.
      const subnets = recorded.ofType(TYPES.subnet, region).filter((s) => fn().inputs.vpcConfig.subnetIds.includes(s.id));
      expect(subnets.map((s) => s.inputs.vpcId)).toEqual([vpc.id, vpc.id]);
    });

    it("the function depends on both of its role's policies, so it is deleted before either", () => {
      const policies = recorded.ofType(TYPES.rolePolicy, region).filter((p) => fn().dependencies.includes(p.urn));
      expect(policies.map((p) => p.name).sort()).toEqual([`tap-${region}-identity-policy`, `tap-${region}-network-lambda-eni-policy`]);
    });
  });
});

describe("the flow log waits for its role's policy", () => {
  it("depends on the policy that lets its role write to the log group, in every region", async () => {
    const recorded = await defaultStack();
    for (const region of ["us-east-1", "us-west-2"]) {
      const flowLog = recorded.ofType(TYPES.flowLog, region)[0];
      const role = recorded.ofType(TYPES.role, region).find((r) => r.state.arn === flowLog.inputs.iamRoleArn) as RecordedResource;
      const policy = recorded.ofType(TYPES.rolePolicy, region).find((p) => p.inputs.role === role.id) as RecordedResource;
      expect(flowLog.dependencies).toContain(policy.urn);
      // And it writes to a log group that therefore outlives it.
      const logGroup = recorded.ofType(TYPES.logGroup, region).find((g) => g.state.arn === flowLog.inputs.logDestination) as RecordedResource;
      expect(flowLog.dependencies).toContain(logGroup.urn);
    }
  });
});

describe("subnets keep their zones when the zone lookup changes", () => {
  /**
   * Pulumi replaces a resource when an input that forces replacement changes
   * (a subnet's availabilityZone does), unless the path is in its ignoreChanges.
   * These are the inputs that would change between the two runs.
   */
  function replacingChanges(before: RecordedResource, after: RecordedResource): string[] {
    return ["availabilityZone", "cidrBlock", "vpcId"].filter((key) => before.inputs[key] !== after.inputs[key] && !after.options.ignoreChanges.includes(key));
  }

  it("us-east-1a becomes unavailable: the lookup's answer moves, yet no subnet would be replaced", async () => {
    const args: TapStackArgs = { regions: ["us-east-1"], enableNatGateway: true };
    const before = await buildWith(args, () => undefined);
    const after = await buildWith(args, () => harness.cloud.setAvailabilityZones("us-east-1", ["us-east-1b", "us-east-1c", "us-east-1d"]));
    const subnetsBefore = before.ofType(TYPES.subnet, "us-east-1");
    const zones = (subnets: readonly RecordedResource[]) => Object.fromEntries(subnets.map((s) => [s.name, s.inputs.availabilityZone]));
    expect(zones(subnetsBefore)).toEqual({ "tap-us-east-1-network-private-1": "us-east-1a", "tap-us-east-1-network-private-2": "us-east-1b", "tap-us-east-1-network-public-1": "us-east-1a" });
    const pairs = subnetsBefore.map((s) => [s, after.byUrn(s.urn)] as const);
    // The program now asks for other zones ...
    expect(zones(pairs.map(([, a]) => a))).toEqual({ "tap-us-east-1-network-private-1": "us-east-1b", "tap-us-east-1-network-private-2": "us-east-1c", "tap-us-east-1-network-public-1": "us-east-1b" });
    // ... and Pulumi ignores exactly that: nothing that forces a replacement changes.
    for (const [b, a] of pairs) {
      expect(a.options.ignoreChanges).toEqual(["availabilityZone"]);
      expect([a.name, replacingChanges(b, a)]).toEqual([a.name, []]);
    }
  });

  it("a lookup that answers fewer than two zones is refused, naming the region and the count; two or more are enough", () => {
    // The program calls this inside the zone lookup's Output; test/lib/network-zones.test.ts runs the plan on such a region.
    expect(() => network.privateSubnetZones("us-east-1", ["us-east-1c"])).toThrow(
      new Error("Region us-east-1 has 1 available zone(s); tap needs 2 for its private subnets."),
    );
    expect(() => network.privateSubnetZones("eu-west-1", [])).toThrow(new Error("Region eu-west-1 has 0 available zone(s); tap needs 2 for its private subnets."));
    expect(network.privateSubnetZones("us-east-1", ["us-east-1c", "us-east-1f"])).toEqual(["us-east-1c", "us-east-1f"]);
    expect(network.privateSubnetZones("us-east-1", ["us-east-1b", "us-east-1c", "us-east-1d"])).toEqual(["us-east-1b", "us-east-1c"]);
  });

  it("without ignoreChanges the same move would replace every subnet (the check above can fail)", async () => {
    const before = await buildWith({ regions: ["us-east-1"] }, () => undefined);
    const after = await buildWith({ regions: ["us-east-1"] }, () => harness.cloud.setAvailabilityZones("us-east-1", ["us-east-1b", "us-east-1c"]));
    const stripped = (r: RecordedResource): RecordedResource => ({ ...r, options: { ...r.options, ignoreChanges: [] } });
    const replaced = before.ofType(TYPES.subnet, "us-east-1").filter((s) => replacingChanges(s, stripped(after.byUrn(s.urn))).length > 0);
    expect(replaced).toHaveLength(2);
  });
});

describe("allowedAccountIds", () => {
  it("is passed to every provider, the account-wide us-east-1 provider included", async () => {
    const recorded = await buildWith({
      regions: ["eu-west-1", "eu-central-1"],
      allowedAccountIds: ["111111111111"],
      domainName: "api.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      routingPolicy: "failover",
    }, () => undefined);
    const providers = recorded.providers();
    expect(providers.map((p) => p.inputs.region).sort()).toEqual(["eu-central-1", "eu-west-1", "us-east-1"]);
    for (const provider of providers) expect([provider.inputs.region, JSON.parse(provider.inputs.allowedAccountIds)]).toEqual([provider.inputs.region, ["111111111111"]]);
  });

  it("is not set at all by default (any account)", async () => {
    const recorded = await defaultStack();
    const providers = recorded.providers();
    // One per region and the account-wide one (lib/providers.ts).
    expect(providers).toHaveLength(3);
    for (const provider of providers) expect(provider.inputs).not.toHaveProperty("allowedAccountIds");
  });
});

describe("the account-level API Gateway setting", () => {
  it("is not written by a stack with the defaults, so a new stack never takes it over", async () => {
    const recorded = await defaultStack();
    expect(recorded.ofType(TYPES.apiGatewayAccount)).toEqual([]);
    // The artifacts buckets are kept too (test/lib/data-retention.test.ts); nothing else is.
    expect(recorded.resources.filter((r) => r.options.retainOnDelete && !inArtifactBucket(r))).toEqual([]);
  });

  it("when owned, is kept on destroy with the role it points to and that role's policy, in every region", async () => {
    const recorded = await buildWith({ manageApiGatewayAccount: true }, () => undefined);
    const kept = recorded.resources.filter((r) => r.options.retainOnDelete && !inArtifactBucket(r));
    expect(kept.map((r) => `${r.region} ${r.type}`).sort()).toEqual([
      "us-east-1 aws:apigateway/account:Account",
      "us-east-1 aws:iam/role:Role",
      "us-east-1 aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "us-west-2 aws:apigateway/account:Account",
      "us-west-2 aws:iam/role:Role",
      "us-west-2 aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ]);
    for (const account of kept.filter((r) => r.type === TYPES.apiGatewayAccount)) {
      const role = kept.find((r) => r.type === TYPES.role && r.region === account.region) as RecordedResource;
      expect(account.inputs.cloudwatchRoleArn).toBe(role.state.arn);
    }
  });
});

describe("a stack that sets no environmentSuffix, next to dev", () => {
  /** The names AWS keys these resources by, which two stacks in one account must not share. */
  function physicalNames(resources: readonly RecordedResource[]): string[] {
    const keyed: Record<string, string> = {
      [TYPES.role]: "name",
      [TYPES.function]: "name",
      [TYPES.logGroup]: "name",
      [TYPES.alarm]: "name",
      [TYPES.dashboard]: "dashboardName",
      [TYPES.topic]: "name",
      [TYPES.securityGroup]: "name",
      [TYPES.bucket]: "bucket",
    };
    return resources.filter((r) => keyed[r.type] && typeof r.inputs[keyed[r.type]] === "string").map((r) => `${r.type} ${r.inputs[keyed[r.type]]}`);
  }

  it("gets its own stage name and shares no physical name with dev", async () => {
    const dev = await buildWith({ stackName: "dev", environmentSuffix: "dev" }, () => undefined);
    const prod = await buildWith({ stackName: "prod" }, () => undefined);
    const devNames = physicalNames(dev.resources);
    const prodNames = physicalNames(prod.resources);
    expect(devNames).toHaveLength(prodNames.length);
    // Per region: 2 roles, a function, 4 log groups, 4 alarms, a topic, a security group, a bucket; and the dashboard.
    expect(devNames).toHaveLength(2 * 14 + 1);
    expect(prodNames.filter((name) => devNames.includes(name))).toEqual([]);
    const stageNames = prod.ofType(TYPES.stage).map((r) => r.inputs.stageName);
    expect(stageNames).toEqual(["prod", "prod"]);
  });
});
