import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import * as iam from "@pulumi/aws/iam";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { RegionNames } from "./naming";
import { assumeRolePolicy, flowLogsPolicy, lambdaNetworkInterfacePolicy } from "./iam-policies";

/** The VPC layout every region gets. */
export const NETWORK_LAYOUT = {
  vpcCidr: "10.0.0.0/16",
  privateSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
  /** Only created with enableNatGateway: holds the NAT gateway. */
  publicSubnetCidr: "10.0.101.0/24",
  httpsPort: 443,
} as const;

/**
 * Subnets keep the zone they were created in. The zone comes from a lookup
 * (the region's first available zones), and that answer can change: a zone
 * added, impaired or opted in. A changed zone would replace the subnet, and
 * Pulumi creates the replacement first, with the same CIDR, which EC2 refuses
 * (InvalidSubnet.Conflict). New stacks take the lookup's current answer.
 */
export const STABLE_ZONES: Pick<pulumi.CustomResourceOptions, "ignoreChanges"> = { ignoreChanges: ["availabilityZone"] };

/**
 * The zones of the private subnets: the first of the zones the lookup answered, one per subnet.
 * @throws Error naming the region and its zone count when it has too few.
 */
export function privateSubnetZones(region: string, zoneNames: readonly string[]): string[] {
  const needed = NETWORK_LAYOUT.privateSubnetCidrs.length;
  if (zoneNames.length < needed) {
    throw new Error(`Region ${region} has ${zoneNames.length} available zone(s); tap needs ${needed} for its private subnets.`);
  }
  return zoneNames.slice(0, needed);
}

export interface RegionalNetworkArgs {
  /** Names for this region's resources. */
  names: RegionNames;
  /**
   * The execution role of the function that runs in this network. The network
   * grants it the network-interface permissions for this VPC, and its subnets
   * and security groups depend on that grant, so they are deleted first.
   */
  functionRole: iam.Role;
  /** One NAT gateway (and its public subnet) for internet egress. Costs ~$33/month. */
  enableNatGateway: boolean;
  /** VPC flow logs to CloudWatch Logs. */
  enableFlowLogs: boolean;
  /** Retention of the flow-log group, days. */
  logRetentionDays: number;
}

/**
 * One region's network: a VPC with two private subnets in two distinct
 * availability zones, a private route table, the free S3 gateway endpoint,
 * a locked-down default security group, the Lambda security group, optional
 * NAT, and flow logs. Bind it to the region's provider through `opts.provider`.
 */
export class RegionalNetwork extends pulumi.ComponentResource {
  public readonly vpc: ec2.Vpc;
  public readonly privateSubnets: ec2.Subnet[];
  public readonly privateRouteTable: ec2.RouteTable;
  public readonly s3Endpoint: ec2.VpcEndpoint;
  public readonly lambdaSecurityGroup: ec2.SecurityGroup;
  public readonly defaultSecurityGroup: ec2.DefaultSecurityGroup;
  /**
   * The function role's permission to create and delete network interfaces in
   * this VPC. Every subnet and security group depends on it, so on destroy it
   * outlives them: Lambda needs it to delete the function's interfaces, and
   * until those are gone the subnets and groups cannot be deleted.
   */
  public readonly interfacePolicy: iam.RolePolicy;
  /** The two AZ names the private subnets use (as looked up now; see `STABLE_ZONES`). */
  public readonly availabilityZones: pulumi.Output<string[]>;
  public readonly flowLogGroup?: cloudwatch.LogGroup;
  public readonly natGateway?: ec2.NatGateway;

  constructor(name: string, args: RegionalNetworkArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:network:RegionalNetwork", name, {}, opts);
    const { names } = args;
    const child = { parent: this };
    const region = names.region;

    // Standard zones only: Local and Wavelength Zones cannot host these subnets.
    const zones = getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] },
      child,
    );
    this.availabilityZones = zones.names.apply((zoneNames) => privateSubnetZones(region, zoneNames));

    this.vpc = new ec2.Vpc(`${name}-vpc`, {
      cidrBlock: NETWORK_LAYOUT.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: names.vpc },
    }, child);

    const vpcScope = pulumi
      .all([getPartitionOutput({}, child).partition, getCallerIdentityOutput({}, child).accountId, this.vpc.arn])
      .apply(([partition, accountId, vpcArn]) => ({ partition, region, accountId, vpcArn }));
    this.interfacePolicy = new iam.RolePolicy(`${name}-lambda-eni-policy`, {
      role: args.functionRole.id,
      policy: vpcScope.apply((scope) => JSON.stringify(lambdaNetworkInterfacePolicy(scope))),
    }, child);
    // Created after, and so deleted before, the interface permissions (see `interfacePolicy`).
    const afterInterfacePolicy = { parent: this, dependsOn: [this.interfacePolicy] };

    // Security Hub EC2.2: a VPC's default group must allow nothing. Managing it with no rules removes AWS's defaults.
    // It is also the group the function moves to on destroy (ServerlessApi's replaceSecurityGroupsOnDestroy).
    this.defaultSecurityGroup = new ec2.DefaultSecurityGroup(`${name}-default-sg`, {
      vpcId: this.vpc.id,
      tags: { Name: `${names.vpc}-default` },
    }, afterInterfacePolicy);

    this.privateSubnets = NETWORK_LAYOUT.privateSubnetCidrs.map((cidrBlock, index) =>
      new ec2.Subnet(`${name}-private-${index + 1}`, {
        vpcId: this.vpc.id,
        cidrBlock,
        availabilityZone: this.availabilityZones[index],
        mapPublicIpOnLaunch: false,
        tags: { Name: names.privateSubnet(index), Tier: "private" },
      }, { ...afterInterfacePolicy, ...STABLE_ZONES }));

    this.privateRouteTable = new ec2.RouteTable(`${name}-private-rt`, {
      vpcId: this.vpc.id,
      tags: { Name: names.resource("private-rt", 256) },
    }, child);
    this.privateSubnets.forEach((subnet, index) =>
      new ec2.RouteTableAssociation(`${name}-private-rta-${index + 1}`, {
        subnetId: subnet.id,
        routeTableId: this.privateRouteTable.id,
      }, child));

    // Free, and the function's only path to S3 unless NAT is turned on.
    this.s3Endpoint = new ec2.VpcEndpoint(`${name}-s3-endpoint`, {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [this.privateRouteTable.id],
      tags: { Name: names.resource("s3-endpoint", 256) },
    }, child);

    if (args.enableNatGateway) {
      this.natGateway = this.createNat(name, names);
    }

    this.lambdaSecurityGroup = new ec2.SecurityGroup(`${name}-lambda-sg`, {
      name: names.lambdaSecurityGroup,
      // EC2 cannot change a group's description: it must not depend on settings, or toggling NAT would replace the group.
      description: `Lambda function ${names.lambdaFunction}: no inbound; outbound HTTPS only`,
      vpcId: this.vpc.id,
      tags: { Name: names.lambdaSecurityGroup },
    }, afterInterfacePolicy);
    // No ingress rules at all: API Gateway invokes Lambda through its API, not the network.
    new vpc.SecurityGroupEgressRule(`${name}-lambda-egress-s3`, {
      securityGroupId: this.lambdaSecurityGroup.id,
      description: "HTTPS to Amazon S3 through the gateway endpoint",
      ipProtocol: "tcp",
      fromPort: NETWORK_LAYOUT.httpsPort,
      toPort: NETWORK_LAYOUT.httpsPort,
      prefixListId: this.s3Endpoint.prefixListId,
    }, child);
    if (args.enableNatGateway) {
      new vpc.SecurityGroupEgressRule(`${name}-lambda-egress-https`, {
        securityGroupId: this.lambdaSecurityGroup.id,
        description: "HTTPS to the internet through the NAT gateway",
        ipProtocol: "tcp",
        fromPort: NETWORK_LAYOUT.httpsPort,
        toPort: NETWORK_LAYOUT.httpsPort,
        cidrIpv4: "0.0.0.0/0",
      }, child);
    }

    if (args.enableFlowLogs) {
      this.flowLogGroup = this.createFlowLogs(name, names, args.logRetentionDays);
    }

    this.registerOutputs({
      vpcId: this.vpc.id,
      privateSubnetIds: this.privateSubnets.map((subnet) => subnet.id),
      lambdaSecurityGroupId: this.lambdaSecurityGroup.id,
    });
  }

  /** Internet egress: a public subnet with an internet gateway, one NAT gateway, and a default route to it. */
  private createNat(name: string, names: RegionNames): ec2.NatGateway {
    const child = { parent: this };
    const internetGateway = new ec2.InternetGateway(`${name}-igw`, {
      vpcId: this.vpc.id,
      tags: { Name: names.resource("igw", 256) },
    }, child);
    const publicSubnet = new ec2.Subnet(`${name}-public-1`, {
      vpcId: this.vpc.id,
      cidrBlock: NETWORK_LAYOUT.publicSubnetCidr,
      availabilityZone: this.availabilityZones[0],
      // The NAT gateway uses its own Elastic IP; nothing here needs an automatic public IP (EC2.15).
      mapPublicIpOnLaunch: false,
      tags: { Name: names.resource("public-1", 256), Tier: "public" },
    }, { parent: this, ...STABLE_ZONES });
    const publicRouteTable = new ec2.RouteTable(`${name}-public-rt`, {
      vpcId: this.vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
      tags: { Name: names.resource("public-rt", 256) },
    }, child);
    new ec2.RouteTableAssociation(`${name}-public-rta-1`, {
      subnetId: publicSubnet.id,
      routeTableId: publicRouteTable.id,
    }, child);
    const elasticIp = new ec2.Eip(`${name}-nat-eip`, {
      domain: "vpc",
      tags: { Name: names.resource("nat-eip", 256) },
    }, { parent: this, dependsOn: [internetGateway] });
    const natGateway = new ec2.NatGateway(`${name}-nat`, {
      allocationId: elasticIp.id,
      subnetId: publicSubnet.id,
      tags: { Name: names.resource("nat", 256) },
    }, { parent: this, dependsOn: [internetGateway] });
    new ec2.Route(`${name}-private-default-route`, {
      routeTableId: this.privateRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: natGateway.id,
    }, child);
    return natGateway;
  }

  private createFlowLogs(name: string, names: RegionNames, retentionInDays: number): cloudwatch.LogGroup {
    const child = { parent: this };
    const logGroup = new cloudwatch.LogGroup(`${name}-flow-logs`, {
      name: names.flowLogGroup,
      retentionInDays,
    }, child);
    const role = new iam.Role(`${name}-flow-logs-role`, {
      name: names.flowLogRole,
      description: `VPC flow logs of ${names.vpc} to CloudWatch Logs`,
      // Only flow logs of this account and region may use the role (AWS's confused-deputy guidance).
      assumeRolePolicy: getCallerIdentityOutput({}, child).accountId.apply((accountId) =>
        JSON.stringify(assumeRolePolicy("vpc-flow-logs.amazonaws.com", {
          accountId,
          sourceArn: `arn:aws:ec2:${names.region}:${accountId}:vpc-flow-log/*`,
        }))),
    }, child);
    const policy = new iam.RolePolicy(`${name}-flow-logs-policy`, {
      role: role.id,
      policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogsPolicy(arn))),
    }, child);
    new ec2.FlowLog(`${name}-flow-log`, {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      // 10 minutes is AWS's default and the cheapest aggregation.
      maxAggregationInterval: 600,
      tags: { Name: names.resource("flow-log", 256) },
      // The role's permissions must be in place before the first delivery (or it fails with an access error),
      // and on destroy the flow log must stop before they go.
    }, { parent: this, dependsOn: [policy] });
    return logGroup;
  }
}
