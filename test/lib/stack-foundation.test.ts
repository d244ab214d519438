import * as pulumi from "@pulumi/pulumi";
import type { TapStack, TapStackArgs } from "../../lib";
import { TapConfigError } from "../../lib/config";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";
import { RecordedCall, RecordedResource, Recording, exactlyOne, valueOf } from "../../offline/mock-cloud";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";
import { LOOKUPS, TYPES } from "../../offline/resource-types";

/**
 * The foundation of TapStack under the mock cloud: one provider per region,
 * and each region's network and storage. Each configuration is built once (in
 * sharedSetup, a beforeAll Stryker can tie to tests) and its recorded resources are kept, because the harness forgets
 * them on the next build. Other components (compute, monitoring) share the
 * stack: counts here are per type, for the types network and storage own.
 */

/** Types that only network creates (any other component adding one must update these tests on purpose). */
const NETWORK_ONLY_TYPES: readonly string[] = [
  TYPES.vpc, TYPES.subnet, TYPES.routeTable, TYPES.routeTableAssociation, TYPES.route, TYPES.defaultSecurityGroup, TYPES.securityGroup,
  TYPES.securityGroupRule, TYPES.egressRule, TYPES.ingressRule, TYPES.vpcEndpoint, TYPES.internetGateway, TYPES.eip, TYPES.natGateway, TYPES.flowLog,
];
const STORAGE_TYPES: readonly string[] = [TYPES.bucket, TYPES.bucketPublicAccessBlock, TYPES.bucketOwnershipControls, TYPES.bucketVersioning, TYPES.bucketEncryption, TYPES.bucketPolicy, TYPES.bucketLifecycle];

/** The network component's children, per type, by configuration. */
const NETWORK_COUNTS_DEFAULT = {
  [TYPES.vpc]: 1, [TYPES.defaultSecurityGroup]: 1, [TYPES.subnet]: 2, [TYPES.routeTable]: 1, [TYPES.routeTableAssociation]: 2,
  [TYPES.vpcEndpoint]: 1, [TYPES.securityGroup]: 1, [TYPES.egressRule]: 1,
  // Two role policies: the function role's interface permissions for this VPC, and the flow-logs role's.
  [TYPES.logGroup]: 1, [TYPES.role]: 1, [TYPES.rolePolicy]: 2, [TYPES.flowLog]: 1,
};
const NETWORK_COUNTS_NAT_NO_FLOW_LOGS = {
  [TYPES.vpc]: 1, [TYPES.defaultSecurityGroup]: 1, [TYPES.subnet]: 3, [TYPES.routeTable]: 2, [TYPES.routeTableAssociation]: 3,
  [TYPES.vpcEndpoint]: 1, [TYPES.securityGroup]: 1, [TYPES.egressRule]: 2, [TYPES.rolePolicy]: 1,
  [TYPES.internetGateway]: 1, [TYPES.eip]: 1, [TYPES.natGateway]: 1, [TYPES.route]: 1,
};
const STORAGE_COUNTS = Object.fromEntries(STORAGE_TYPES.map((type) => [type, 1]));

/** What one region of a built stack is, as URNs. */
interface RegionUrns {
  readonly region: string;
  readonly provider: string;
  readonly network: string;
  readonly storage: string;
  /** Every regional component (network, storage and whatever else TapStack adds), for ancestry checks. */
  readonly components: readonly string[];
}

/** One configuration, built once, with what the mock recorded for it. */
class BuiltStack {
  constructor(
    readonly stack: TapStack,
    readonly stackUrn: string,
    readonly regions: readonly RegionUrns[],
    /** What the mock cloud recorded for this build, kept when the next build resets it. */
    readonly recorded: Recording,
    readonly calls: readonly RecordedCall[],
  ) {}

  region(name: string): RegionUrns {
    const found = this.regions.find((r) => r.region === name);
    if (!found) throw new Error(`region ${name} was not built`);
    return found;
  }

  /** Custom resources (providers excluded) bound to a region's provider, optionally of one type. */
  inRegion(region: string, type?: string): RecordedResource[] {
    const provider = this.region(region).provider;
    return this.recorded.inRegion(region, type).filter((r) => r.provider === provider);
  }

  /** The nearest regional component above a resource, or undefined. */
  regionalAncestor(resource: RecordedResource): RegionUrns | undefined {
    for (let urn = resource.parent; urn !== undefined; urn = this.recorded.byUrn(urn).parent) {
      const region = this.regions.find((r) => r.components.includes(urn as string));
      if (region) return region;
    }
    return undefined;
  }

  /**
   * Custom resources not bound to the provider they should use: their
   * region's, or for a resource outside the regional components, one of the
   * stack's own providers (never the default provider). Which global resource
   * uses the account-wide provider: test/lib/global-provider.test.ts.
   */
  misbound(): string[] {
    const providers = new Set(this.recorded.providers().map((r) => r.urn));
    return this.recorded.customResources().flatMap((resource) => {
      const home = this.regionalAncestor(resource);
      const ok = home ? resource.provider === home.provider : providers.has(resource.provider ?? "");
      return ok ? [] : [`${resource.type} ${resource.name} -> ${resource.provider}`];
    });
  }

  /** The custom resources inside a region's components, with the region in their names replaced by {region}. */
  regionalShape(region: string): string[] {
    return this.recorded.customResources()
      .filter((r) => this.regionalAncestor(r)?.region === region)
      .map((r) => `${r.type} ${r.name.split(region).join("{region}")}`)
      .sort();
  }

  byId(id: string): RecordedResource {
    return exactlyOne(this.recorded.customResources().filter((r) => r.id === id), `resource with id ${id}`);
  }
}

/** Components that hang off a region's entry in TapStack.regions. */
function componentsOf(regional: object): pulumi.ComponentResource[] {
  return Object.values(regional).filter((value): value is pulumi.ComponentResource => value instanceof pulumi.ComponentResource);
}

let harness: StackHarness;

async function build(args: TapStackArgs, name: string): Promise<BuiltStack> {
  const stack = await harness.build(args, name);
  const recorded = harness.cloud.snapshot();
  const calls = [...harness.cloud.calls];
  const regions = await Promise.all(stack.regions.map(async (r) => ({
    region: r.region,
    provider: await valueOf(r.provider.urn),
    network: await valueOf(r.network.urn),
    storage: await valueOf(r.storage.urn),
    components: await Promise.all(componentsOf(r).map((component) => valueOf(component.urn))),
  })));
  return new BuiltStack(stack, await valueOf(stack.urn), regions, recorded, calls);
}

beforeAll(async () => {
  harness = await setupHarness("dev");
});

describe("default configuration (us-east-1, us-west-2)", () => {
  let built: BuiltStack;
  sharedSetup(async () => {
    built = await build({}, "tap");
  });

  describe("providers", () => {
    it("one aws.Provider per region, named {name}-{region}-provider, and the account-wide one in us-east-1, parented to the TapStack", () => {
      const providers = built.recorded.providers();
      expect(providers.map((p) => [p.name, p.inputs.region, p.parent])).toEqual([
        ["tap-us-east-1-provider", "us-east-1", built.stackUrn],
        ["tap-us-west-2-provider", "us-west-2", built.stackUrn],
        ["tap-global-provider", "us-east-1", built.stackUrn],
      ]);
      expect(built.regions.map((r) => r.provider)).toEqual(providers.slice(0, 2).map((p) => p.urn));
    });

    it("default tags Project, Environment, Stack and ManagedBy, with exact values", () => {
      for (const provider of built.recorded.providers()) {
        expect(JSON.parse(provider.inputs.defaultTags)).toEqual({
          tags: { Project: "iac-aws-nova", Environment: "dev", Stack: "dev", ManagedBy: "pulumi" },
        });
      }
    });

    it("binds every custom resource to the provider of the region whose component holds it", () => {
      expect(built.misbound()).toEqual([]);
      expect(built.recorded.customResources().length).toBeGreaterThan(0);
    });

    it("gives every region the same set of resources", () => {
      const [first, ...others] = built.regions.map((r) => built.regionalShape(r.region));
      expect(first).toEqual(expect.arrayContaining([`${TYPES.vpc} tap-{region}-network-vpc`, `${TYPES.bucket} tap-{region}-storage-bucket`]));
      for (const shape of others) expect(shape).toEqual(first);
    });

    it("looks up each region's availability zones once, through that region's provider, standard zones only", () => {
      const lookups = built.calls.filter((call) => call.token === LOOKUPS.availabilityZones);
      expect(lookups.map((call) => call.provider)).toEqual(built.regions.map((r) => r.provider));
      for (const call of lookups) {
        expect(call.inputs).toEqual({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] });
      }
      const providers = new Set(built.regions.map((r) => r.provider));
      expect(built.calls.filter((call) => !providers.has(call.provider ?? "")).map((call) => call.token)).toEqual([]);
    });
  });

  describe.each([
    ["us-east-1", ["us-east-1a", "us-east-1b"]],
    ["us-west-2", ["us-west-2a", "us-west-2b"]],
  ])("network in %s", (region, expectedZones) => {
    let urns: RegionUrns;
    let vpc: RecordedResource;
    let subnets: RecordedResource[];
    let routeTable: RecordedResource;
    let endpoint: RecordedResource;
    let lambdaSg: RecordedResource;
    sharedSetup(() => {
      urns = built.region(region);
      vpc = built.recorded.onlyChildOf(urns.network, TYPES.vpc);
      subnets = built.recorded.childrenOf(urns.network, TYPES.subnet);
      routeTable = built.recorded.onlyChildOf(urns.network, TYPES.routeTable);
      endpoint = built.recorded.onlyChildOf(urns.network, TYPES.vpcEndpoint);
      lambdaSg = built.recorded.onlyChildOf(urns.network, TYPES.securityGroup);
    });

    it("has exactly the expected resources per type", () => {
      expect(built.recorded.countByType(built.recorded.childrenOf(urns.network))).toEqual(NETWORK_COUNTS_DEFAULT);
      const regionCounts = built.recorded.countByType(built.inRegion(region).filter((r) => NETWORK_ONLY_TYPES.includes(r.type)));
      expect(regionCounts).toEqual(Object.fromEntries(Object.entries(NETWORK_COUNTS_DEFAULT).filter(([type]) => NETWORK_ONLY_TYPES.includes(type))));
    });

    it("creates no NAT gateway, Elastic IP, internet gateway or route by default", () => {
      for (const type of [TYPES.natGateway, TYPES.eip, TYPES.internetGateway, TYPES.route]) expect([type, built.inRegion(region, type).length]).toEqual([type, 0]);
    });

    it("VPC 10.0.0.0/16 with DNS support and hostnames", () => {
      expect(vpc.inputs).toEqual({
        cidrBlock: "10.0.0.0/16",
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: `iac-aws-nova-vpc-${region}-dev-2f69835b` },
      });
    });

    it("two private subnets in two distinct zones from the region's lookup, no public IPs", async () => {
      expect(subnets.map((s) => [s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch, s.inputs.vpcId]).sort()).toEqual([
        ["10.0.1.0/24", expectedZones[0], false, vpc.id],
        ["10.0.2.0/24", expectedZones[1], false, vpc.id],
      ]);
      expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(2);
      const network = built.stack.regions.find((r) => r.region === region)!.network;
      expect(await valueOf(network.availabilityZones)).toEqual(expectedZones);
    });

    it("a private route table associated with both subnets and nothing else", () => {
      expect(routeTable.inputs.vpcId).toBe(vpc.id);
      expect(routeTable.inputs.routes).toBeUndefined();
      const associations = built.recorded.childrenOf(urns.network, TYPES.routeTableAssociation);
      expect(associations.map((a) => a.inputs.routeTableId)).toEqual([routeTable.id, routeTable.id]);
      expect(associations.map((a) => a.inputs.subnetId).sort()).toEqual(subnets.map((s) => s.id).sort());
    });

    it("manages the VPC's default security group with no rules at all", () => {
      const defaultSg = built.recorded.onlyChildOf(urns.network, TYPES.defaultSecurityGroup);
      expect(defaultSg.inputs.vpcId).toBe(vpc.id);
      expect(defaultSg.inputs.ingress).toBeUndefined();
      expect(defaultSg.inputs.egress).toBeUndefined();
      const rulesOnIt = built.inRegion(region).filter((r) => r.inputs.securityGroupId === defaultSg.id);
      expect(rulesOnIt).toEqual([]);
    });

    it("Lambda security group: described, no ingress, egress only HTTPS to this region's S3 prefix list", () => {
      expect(lambdaSg.inputs).toEqual({
        name: `iac-aws-nova-lambda-sg-${region}-dev-2f69835b`,
        description: `Lambda function iac-aws-nova-api-${region}-dev-2f69835b: no inbound; outbound HTTPS only`,
        vpcId: vpc.id,
        tags: { Name: `iac-aws-nova-lambda-sg-${region}-dev-2f69835b` },
      });
      const rulesOnIt = built.inRegion(region).filter((r) => r.inputs.securityGroupId === lambdaSg.id);
      expect(rulesOnIt.map((r) => r.type)).toEqual([TYPES.egressRule]);
      expect(rulesOnIt[0].inputs).toEqual({
        securityGroupId: lambdaSg.id,
        description: "HTTPS to Amazon S3 through the gateway endpoint",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        prefixListId: endpoint.state.prefixListId,
      });
      expect(endpoint.state.prefixListId).toMatch(/^pl-[0-9a-f]{8}$/);
    });

    it("the egress rule's prefix list is this region's endpoint's, not another region's", () => {
      const rule = built.recorded.onlyChildOf(urns.network, TYPES.egressRule);
      const others = built.regions.filter((r) => r.region !== region).map((r) => built.recorded.onlyChildOf(r.network, TYPES.vpcEndpoint).state.prefixListId);
      expect(others.length).toBeGreaterThan(0);
      expect(others).not.toContain(rule.inputs.prefixListId);
    });

    it("S3 gateway endpoint for com.amazonaws.{region}.s3 on the private route table", () => {
      expect(endpoint.inputs).toEqual({
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [routeTable.id],
        tags: { Name: `iac-aws-nova-s3-endpoint-${region}-dev-2f69835b` },
      });
    });

    it("flow logs: all traffic to a log group kept 30 days, through a role only the flow-logs service can assume", () => {
      const logGroup = built.recorded.onlyChildOf(urns.network, TYPES.logGroup);
      const role = built.recorded.onlyChildOf(urns.network, TYPES.role);
      const flowLog = built.recorded.onlyChildOf(urns.network, TYPES.flowLog);
      expect(logGroup.inputs).toEqual({ name: `/aws/vpc-flow-logs/iac-aws-nova-vpc-${region}-dev-2f69835b`, retentionInDays: 30 });
      expect(role.inputs.name).toBe(`iac-aws-nova-flow-logs-${region}-dev-2f69835b`);
      expect(role.inputs.description).toBe(`VPC flow logs of iac-aws-nova-vpc-${region}-dev-2f69835b to CloudWatch Logs`);
      expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:${region}:123456789012:vpc-flow-log/*` },
          },
        }],
      });
      expect(flowLog.inputs).toEqual({
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.state.arn,
        iamRoleArn: role.state.arn,
        maxAggregationInterval: 600,
        tags: { Name: `iac-aws-nova-flow-log-${region}-dev-2f69835b` },
      });
      expect(logGroup.state.arn).toBe(`arn:aws:logs:${region}:123456789012:log-group:/aws/vpc-flow-logs/iac-aws-nova-vpc-${region}-dev-2f69835b`);
    });

    it("the flow-logs role's policy writes only to this region's flow-log group", () => {
      const logGroup = built.recorded.onlyChildOf(urns.network, TYPES.logGroup);
      const role = built.recorded.onlyChildOf(urns.network, TYPES.role);
      const policies = built.recorded.childrenOf(urns.network, TYPES.rolePolicy).filter((p) => p.inputs.role === role.id);
      expect(policies).toHaveLength(1);
      const policy = policies[0];
      expect(JSON.parse(policy.inputs.policy)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteFlowLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup.state.arn, `${logGroup.state.arn}:*`],
          },
          // DescribeLogGroups has no resource-level permissions.
          { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        ],
      });
    });
  });

  describe.each(["us-east-1", "us-west-2"])("storage in %s", (region) => {
    let urns: RegionUrns;
    let bucket: RecordedResource;
    sharedSetup(() => {
      urns = built.region(region);
      bucket = built.recorded.onlyChildOf(urns.storage, TYPES.bucket);
    });
    const companion = (type: string) => built.recorded.onlyChildOf(urns.storage, type);

    it("has exactly one of each storage resource, here and region-wide", () => {
      expect(built.recorded.countByType(built.recorded.childrenOf(urns.storage))).toEqual(STORAGE_COUNTS);
      expect(built.recorded.countByType(built.inRegion(region).filter((r) => STORAGE_TYPES.includes(r.type)))).toEqual(STORAGE_COUNTS);
    });

    it("bucket named {project}-artifacts-{region}-{env}-{hash of account, project and stack}, not force-destroyed", () => {
      expect(bucket.inputs).toEqual({ bucket: `iac-aws-nova-artifacts-${region}-dev-87023d81`, forceDestroy: false });
    });

    it("every companion resource configures this region's bucket", () => {
      const otherBuckets = built.regions.filter((r) => r.region !== region).map((r) => built.recorded.onlyChildOf(r.storage, TYPES.bucket).id);
      for (const type of STORAGE_TYPES.filter((t) => t !== TYPES.bucket)) {
        expect([type, companion(type).inputs.bucket]).toEqual([type, bucket.id]);
        expect(built.byId(companion(type).inputs.bucket).urn).toBe(bucket.urn);
      }
      expect(otherBuckets).not.toContain(bucket.id);
    });

    it("versioning Enabled", () => {
      expect(companion(TYPES.bucketVersioning).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    });

    it("SSE-S3 (AES256) with a bucket key", () => {
      expect(companion(TYPES.bucketEncryption).inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
    });

    it("all four public access block flags, and ACLs disabled (BucketOwnerEnforced)", () => {
      const { bucket: _bucket, ...flags } = companion(TYPES.bucketPublicAccessBlock).inputs;
      expect(flags).toEqual({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect(companion(TYPES.bucketOwnershipControls).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    });

    it("TLS-only bucket policy on this bucket's ARN and its objects, applied after the public access block", () => {
      const policy = companion(TYPES.bucketPolicy);
      expect(bucket.state.arn).toBe(`arn:aws:s3:::iac-aws-nova-artifacts-${region}-dev-87023d81`);
      expect(JSON.parse(policy.inputs.policy)).toEqual({
        Version: "2012-10-17",
        Statement: [{
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket.state.arn, `${bucket.state.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }],
      });
      expect(policy.dependencies).toContain(companion(TYPES.bucketPublicAccessBlock).urn);
    });

    it("lifecycle expires noncurrent versions after 90 days and aborts uploads after 7, once versioning is on", () => {
      const lifecycle = companion(TYPES.bucketLifecycle);
      expect(lifecycle.inputs.rules).toEqual([
        { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } },
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      ]);
      expect(lifecycle.dependencies).toContain(companion(TYPES.bucketVersioning).urn);
    });
  });

  it("exposes the VPC IDs and bucket names by region", async () => {
    const vpcId = (region: string) => built.recorded.onlyChildOf(built.region(region).network, TYPES.vpc).id;
    expect(await valueOf(built.stack.vpcIds)).toEqual({ "us-east-1": vpcId("us-east-1"), "us-west-2": vpcId("us-west-2") });
    expect(await valueOf(built.stack.bucketNames)).toEqual({
      "us-east-1": "iac-aws-nova-artifacts-us-east-1-dev-87023d81",
      "us-west-2": "iac-aws-nova-artifacts-us-west-2-dev-87023d81",
    });
  });
});

describe("enableNatGateway=true, enableFlowLogs=false (us-east-1, us-west-1)", () => {
  let built: BuiltStack;
  sharedSetup(async () => {
    built = await build({ enableNatGateway: true, enableFlowLogs: false, regions: ["us-east-1", "us-west-1"] }, "nat");
  });

  it("us-west-1's subnets use the zones its lookup returns: us-west-1a and us-west-1c", () => {
    const subnets = built.recorded.childrenOf(built.region("us-west-1").network, TYPES.subnet);
    expect(subnets.filter((s) => s.inputs.tags.Tier === "private").map((s) => s.inputs.availabilityZone).sort()).toEqual(["us-west-1a", "us-west-1c"]);
  });

  describe.each([
    ["us-east-1", "us-east-1a"],
    ["us-west-1", "us-west-1a"],
  ])("in %s", (region, firstZone) => {
    let urns: RegionUrns;
    sharedSetup(() => {
      urns = built.region(region);
    });

    it("has exactly the expected network resources per type, and no flow logs", () => {
      expect(built.recorded.countByType(built.recorded.childrenOf(urns.network))).toEqual(NETWORK_COUNTS_NAT_NO_FLOW_LOGS);
      const regionCounts = built.recorded.countByType(built.inRegion(region).filter((r) => NETWORK_ONLY_TYPES.includes(r.type)));
      expect(regionCounts).toEqual(Object.fromEntries(Object.entries(NETWORK_COUNTS_NAT_NO_FLOW_LOGS).filter(([type]) => NETWORK_ONLY_TYPES.includes(type))));
      expect(built.inRegion(region, TYPES.flowLog)).toEqual([]);
    });

    it("one NAT gateway with its Elastic IP in a public subnet whose route table goes to the internet gateway", () => {
      const vpc = built.recorded.onlyChildOf(urns.network, TYPES.vpc);
      const igw = built.recorded.onlyChildOf(urns.network, TYPES.internetGateway);
      const eip = built.recorded.onlyChildOf(urns.network, TYPES.eip);
      const nat = built.recorded.onlyChildOf(urns.network, TYPES.natGateway);
      const publicSubnet = built.recorded.childrenOf(urns.network, TYPES.subnet).filter((s) => s.inputs.tags.Tier === "public");
      expect(publicSubnet.map((s) => [s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch, s.inputs.vpcId]))
        .toEqual([["10.0.101.0/24", firstZone, false, vpc.id]]);
      expect(igw.inputs.vpcId).toBe(vpc.id);
      expect(eip.inputs.domain).toBe("vpc");
      expect([nat.inputs.allocationId, nat.inputs.subnetId]).toEqual([eip.id, publicSubnet[0].id]);
      expect(nat.dependencies).toContain(igw.urn);
      expect(eip.dependencies).toContain(igw.urn);

      const publicRouteTable = built.recorded.childrenOf(urns.network, TYPES.routeTable).filter((rt) => rt.inputs.routes !== undefined);
      expect(publicRouteTable.map((rt) => rt.inputs.routes)).toEqual([[{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }]]);
      const publicAssociations = built.recorded.childrenOf(urns.network, TYPES.routeTableAssociation).filter((a) => a.inputs.subnetId === publicSubnet[0].id);
      expect(publicAssociations.map((a) => a.inputs.routeTableId)).toEqual([publicRouteTable[0].id]);
    });

    it("the private route table sends 0.0.0.0/0 to the NAT gateway", () => {
      const nat = built.recorded.onlyChildOf(urns.network, TYPES.natGateway);
      const privateSubnetIds = built.recorded.childrenOf(urns.network, TYPES.subnet).filter((s) => s.inputs.tags.Tier === "private").map((s) => s.id);
      const privateRouteTableIds = new Set(built.recorded.childrenOf(urns.network, TYPES.routeTableAssociation)
        .filter((a) => privateSubnetIds.includes(a.inputs.subnetId)).map((a) => a.inputs.routeTableId));
      expect(privateRouteTableIds.size).toBe(1);
      const [privateRouteTableId] = [...privateRouteTableIds];
      expect(built.recorded.onlyChildOf(urns.network, TYPES.route).inputs).toEqual({ routeTableId: privateRouteTableId, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      expect(built.recorded.onlyChildOf(urns.network, TYPES.vpcEndpoint).inputs.routeTableIds).toEqual([privateRouteTableId]);
    });

    it("adds one HTTPS egress rule to the internet; the group's description is unchanged by NAT", () => {
      const sg = built.recorded.onlyChildOf(urns.network, TYPES.securityGroup);
      const endpoint = built.recorded.onlyChildOf(urns.network, TYPES.vpcEndpoint);
      const rules = built.inRegion(region).filter((r) => r.inputs.securityGroupId === sg.id);
      expect(rules.map((r) => [r.type, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.prefixListId ?? r.inputs.cidrIpv4]).sort()).toEqual([
        [TYPES.egressRule, "tcp", 443, 443, "0.0.0.0/0"],
        [TYPES.egressRule, "tcp", 443, 443, endpoint.state.prefixListId],
      ].sort());
      expect(rules.map((r) => r.inputs.description).sort()).toEqual(["HTTPS to Amazon S3 through the gateway endpoint", "HTTPS to the internet through the NAT gateway"]);
      expect(sg.inputs.description).toBe(`Lambda function iac-aws-nova-api-${region}-dev-2f69835b: no inbound; outbound HTTPS only`);
    });
  });
});

describe("custom names, stack and retention (shop/prod, stack My_Stack.Prod, eu-west-1 + ap-northeast-1)", () => {
  let built: BuiltStack;
  sharedSetup(async () => {
    built = await build({
      projectName: "shop",
      environmentSuffix: "prod",
      stackName: "My_Stack.Prod",
      regions: ["eu-west-1", "ap-northeast-1"],
      logRetentionDays: 365,
    }, "custom");
  });

  it("names the providers from the component name alone (no project, no environment), and tags with the exact stack name", () => {
    const providers = built.recorded.providers();
    const tags = { tags: { Project: "shop", Environment: "prod", Stack: "My_Stack.Prod", ManagedBy: "pulumi" } };
    expect(providers.map((p) => [p.name, p.inputs.region, JSON.parse(p.inputs.defaultTags)])).toEqual([
      ["custom-eu-west-1-provider", "eu-west-1", tags],
      ["custom-ap-northeast-1-provider", "ap-northeast-1", tags],
      ["custom-global-provider", "us-east-1", tags],
    ]);
  });

  it("ends the bucket names in a hash of the account, project and stack (shortHash(\"123456789012/shop/My_Stack.Prod\"))", () => {
    expect(built.regions.map((r) => built.recorded.onlyChildOf(r.storage, TYPES.bucket).inputs.bucket)).toEqual([
      "shop-artifacts-eu-west-1-prod-8db4d145",
      "shop-artifacts-ap-northeast-1-prod-8db4d145",
    ]);
  });

  it("keeps flow logs for logRetentionDays", () => {
    expect(built.regions.map((r) => built.recorded.onlyChildOf(r.network, TYPES.logGroup).inputs.retentionInDays)).toEqual([365, 365]);
  });

  it("ap-northeast-1's subnets use its zones a and c (it has no b)", () => {
    expect(built.recorded.childrenOf(built.region("ap-northeast-1").network, TYPES.subnet).map((s) => s.inputs.availabilityZone).sort()).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
  });

  it("every custom resource is bound to its region's provider, and both regions hold the same resources", () => {
    expect(built.misbound()).toEqual([]);
    expect(built.regionalShape("ap-northeast-1")).toEqual(built.regionalShape("eu-west-1"));
  });
});

describe("a bad configuration registers nothing", () => {
  it.each<[string, TapStackArgs, string]>([
    ["an unknown region", { regions: ["us-east-1", "us-east-9"] },
      `Invalid config "regions[1]": "us-east-9". Not an AWS commercial region tap supports. Allowed: ${COMMERCIAL_REGION_NAMES.join(", ")}.`],
    ["a bad project name", { projectName: "My_Project" }, 'Invalid config "projectName": "My_Project". Use 2 to 24 lower-case letters, digits and single hyphens, starting with a letter, with no hyphen at either end, such as "iac-aws-nova".'],
    ["provisioned above reserved concurrency", { lambdaReservedConcurrency: 1, lambdaProvisionedConcurrency: 2 },
      'Invalid config "lambdaProvisionedConcurrency": number 2. It cannot exceed lambdaReservedConcurrency (1). Lower it or raise the reservation.'],
    ["the last key checked", { apiCacheSizeGb: "2" }, 'Invalid config "apiCacheSizeGb": "2". Allowed values: "0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237".'],
  ])("%s: TapStack throws and the mock cloud saw no resource and no lookup", async (_label, args, message) => {
    const error = await harness.build(args, "bad").then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TapConfigError);
    expect((error as TapConfigError).message).toBe(message);
    expect(harness.cloud.resources).toEqual([]);
    expect(harness.cloud.calls).toEqual([]);
  });
});
