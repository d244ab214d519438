/**
 * What the plan prints for one resource: its physical (AWS) name and the
 * settings a reviewer checks. Pure functions of the registered inputs, keyed
 * by resource type; a type with no entry here still appears in the plan, with
 * its name and no settings.
 */

/** The parts of a planned resource these functions read. */
export interface DescribedResource {
  readonly type: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  readonly id?: string;
  readonly inputs: Record<string, unknown>;
}

/** Finds the planned resource an input refers to by its placeholder ID or ARN. */
export type ReferenceResolver = (idOrArn: unknown) => DescribedResource | undefined;

/** The physical name and where it came from. */
export interface PhysicalName {
  readonly value: string;
  /** The input it was read from, such as `bucket` or `tags.Name`. */
  readonly source: string;
}

/** Inputs that hold the physical name, for types whose name is not in `name`. */
const NAME_INPUT_BY_TYPE: Readonly<Record<string, string>> = {
  "aws:s3/bucket:Bucket": "bucket",
  "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
  "aws:apigateway/stage:Stage": "stageName",
  "aws:apigateway/resource:Resource": "pathPart",
  "aws:acm/certificate:Certificate": "domainName",
  "aws:apigateway/domainName:DomainName": "domainName",
  "aws:route53/healthCheck:HealthCheck": "tags.Name",
  "aws:lambda/permission:Permission": "statementId",
  "aws:codedeploy/deploymentGroup:DeploymentGroup": "deploymentGroupName",
};

function readPath(inputs: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), inputs);
}

/**
 * The name AWS will show: the type's own name input when it has one, else
 * `name`, else the `Name` tag. Undefined when the resource has no physical
 * name of its own (associations, rules, settings) or Pulumi will auto-name it.
 */
export function physicalName(resource: DescribedResource): PhysicalName | undefined {
  const candidates = [NAME_INPUT_BY_TYPE[resource.type], "name", "tags.Name"].filter((path): path is string => path !== undefined);
  for (const source of candidates) {
    const value = readPath(resource.inputs, source);
    if (typeof value === "string" && value !== "") return { value, source };
  }
  return undefined;
}

/** `true` -> "on", `false` -> "off", strings as themselves. */
function onOff(value: unknown): string {
  if (value === true || value === "true") return "on";
  if (value === false || value === "false") return "off";
  return String(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** An endpoint configuration's types, as API Gateway reports them (EDGE when unset). */
function endpointTypes(configuration: unknown): string {
  const types = asRecord(configuration).types;
  const list = typeof types === "string" ? [types] : asArray(types).map(String);
  return list.join(",") || "EDGE";
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    // Provider inputs arrive as JSON text.
    try {
      const parsed: unknown = JSON.parse(value);
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** A reference shown by the physical name of what it points at, when the plan has it. */
function ref(value: unknown, resolve: ReferenceResolver): string {
  const target = resolve(value);
  if (!target) return String(value);
  return physicalName(target)?.value ?? target.name;
}

/** A description in quotes, or a flag that it is missing (CKV_AWS_23 asks for one). */
function quoted(description: unknown): string {
  return typeof description === "string" && description !== "" ? `"${description}"` : "NO description";
}

function portRange(from: unknown, to: unknown, protocol: unknown): string {
  if (protocol === "-1" || protocol === -1) return "all traffic";
  return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

/** `Allow lambda:InvokeFunction on 2 resources` for each statement of a policy document. */
function policySummary(document: unknown): string[] {
  const parsed = asRecord(document);
  return asArray(parsed.Statement).map((raw) => {
    const statement = asRecord(raw);
    const actions = asArray(statement.Action).length > 0 ? asArray(statement.Action) : [statement.Action];
    const resources = asArray(statement.Resource).length > 0 ? asArray(statement.Resource) : [statement.Resource];
    const principal = statement.Principal === undefined ? "" : ` to ${JSON.stringify(statement.Principal)}`;
    const target = resources[0] === undefined ? "" : resources.length === 1 ? ` on ${String(resources[0])}` : ` on ${resources.length} resources`;
    return `${statement.Effect} ${actions.map(String).join(", ")}${principal}${target}${statement.Condition ? " if " + JSON.stringify(statement.Condition) : ""}`;
  });
}

/** CloudWatch's comparison operators, as symbols. */
const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

type Describer = (inputs: Record<string, unknown>, resolve: ReferenceResolver) => string[];

const DESCRIBERS: Readonly<Record<string, Describer>> = {
  "pulumi:providers:aws": (inputs) => {
    const tags = asRecord(asRecord(inputs.defaultTags).tags);
    return [`region ${inputs.region}`, `default tags ${Object.entries(tags).map(([key, value]) => `${key}=${value}`).join(", ") || "none"}`];
  },
  "aws:ec2/vpc:Vpc": (inputs) => [`cidr ${inputs.cidrBlock}`, `DNS support ${onOff(inputs.enableDnsSupport)}`, `DNS hostnames ${onOff(inputs.enableDnsHostnames)}`],
  "aws:ec2/subnet:Subnet": (inputs) => [
    `cidr ${inputs.cidrBlock}`,
    `AZ ${inputs.availabilityZone}`,
    `public IP on launch ${onOff(inputs.mapPublicIpOnLaunch ?? false)}`,
    ...(asRecord(inputs.tags).Tier ? [`tier ${asRecord(inputs.tags).Tier}`] : []),
  ],
  "aws:ec2/routeTable:RouteTable": (inputs, resolve) => {
    const routes = asArray(inputs.routes).map((raw) => {
      const route = asRecord(raw);
      const target = route.gatewayId ?? route.natGatewayId ?? route.vpcEndpointId ?? route.transitGatewayId;
      return `${route.cidrBlock ?? route.ipv6CidrBlock} -> ${ref(target, resolve)}`;
    });
    return routes.length > 0 ? [`routes ${routes.join(", ")}`] : ["local route only"];
  },
  "aws:ec2/route:Route": (inputs, resolve) => [`${inputs.destinationCidrBlock} -> ${ref(inputs.natGatewayId ?? inputs.gatewayId ?? inputs.vpcEndpointId, resolve)}`],
  "aws:ec2/routeTableAssociation:RouteTableAssociation": (inputs, resolve) => [`${ref(inputs.subnetId ?? inputs.gatewayId, resolve)} -> ${ref(inputs.routeTableId, resolve)}`],
  "aws:ec2/vpcEndpoint:VpcEndpoint": (inputs) => [
    `${inputs.vpcEndpointType ?? "Gateway"} endpoint ${inputs.serviceName}`,
    ...(inputs.vpcEndpointType === "Interface" ? [`${asArray(inputs.subnetIds).length} AZ(s)`, `private DNS ${onOff(inputs.privateDnsEnabled)}`] : []),
  ],
  "aws:ec2/internetGateway:InternetGateway": (inputs, resolve) => [`VPC ${ref(inputs.vpcId, resolve)}`],
  "aws:ec2/eip:Eip": (inputs) => [`domain ${inputs.domain}`, "public IPv4 (billed hourly)"],
  "aws:ec2/natGateway:NatGateway": (inputs, resolve) => [`${inputs.connectivityType ?? "public"}`, `subnet ${ref(inputs.subnetId, resolve)}`],
  "aws:ec2/securityGroup:SecurityGroup": (inputs) => {
    const ingress = asArray(inputs.ingress).length;
    const egress = asArray(inputs.egress).length;
    return [quoted(inputs.description), ingress + egress === 0 ? "no inline rules" : `${ingress} inline ingress, ${egress} inline egress rule(s)`];
  },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (inputs) => {
    const rules = asArray(inputs.ingress).length + asArray(inputs.egress).length;
    return [rules === 0 ? "no rules: allows no traffic" : `${asArray(inputs.ingress).length} ingress, ${asArray(inputs.egress).length} egress rule(s)`];
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (inputs) => [
    `egress ${portRange(inputs.fromPort, inputs.toPort, inputs.ipProtocol)} to ${inputs.cidrIpv4 ?? inputs.cidrIpv6 ?? inputs.prefixListId ?? inputs.referencedSecurityGroupId}`,
    quoted(inputs.description),
  ],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (inputs) => [
    `ingress ${portRange(inputs.fromPort, inputs.toPort, inputs.ipProtocol)} from ${inputs.cidrIpv4 ?? inputs.cidrIpv6 ?? inputs.prefixListId ?? inputs.referencedSecurityGroupId}`,
    quoted(inputs.description),
  ],
  "aws:ec2/securityGroupRule:SecurityGroupRule": (inputs) => [
    `${inputs.type} ${portRange(inputs.fromPort, inputs.toPort, inputs.protocol)} ${asArray(inputs.cidrBlocks).join(", ") || inputs.sourceSecurityGroupId || asArray(inputs.prefixListIds).join(", ")}`,
    quoted(inputs.description),
  ],
  "aws:ec2/flowLog:FlowLog": (inputs) => [`traffic ${inputs.trafficType}`, `to ${inputs.logDestinationType}`, `aggregation ${inputs.maxAggregationInterval ?? 600} s`],
  "aws:cloudwatch/logGroup:LogGroup": (inputs) => [
    inputs.retentionInDays === undefined || inputs.retentionInDays === 0 ? "retention: never expires" : `retention ${inputs.retentionInDays} days`,
    ...(inputs.kmsKeyId ? ["KMS encrypted"] : []),
  ],
  "aws:iam/role:Role": (inputs) => {
    const principals = asArray(asRecord(inputs.assumeRolePolicy).Statement).map((statement) => JSON.stringify(asRecord(statement).Principal));
    return [`trusts ${principals.join(", ")}`, ...(asArray(inputs.managedPolicyArns).length > 0 ? [`${asArray(inputs.managedPolicyArns).length} managed policies`] : [])];
  },
  "aws:iam/rolePolicy:RolePolicy": (inputs) => policySummary(inputs.policy),
  "aws:iam/policy:Policy": (inputs) => policySummary(inputs.policy),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (inputs) => [`${inputs.policyArn}`],
  "aws:s3/bucket:Bucket": (inputs) => [`force destroy ${onOff(inputs.forceDestroy ?? false)}`],
  "aws:s3/bucketVersioning:BucketVersioning": (inputs) => [`versioning ${asRecord(inputs.versioningConfiguration).status}`],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (inputs) =>
    asArray(inputs.rules).map((raw) => {
      const rule = asRecord(raw);
      return `encryption ${asRecord(rule.applyServerSideEncryptionByDefault).sseAlgorithm}, bucket key ${onOff(rule.bucketKeyEnabled ?? false)}`;
    }),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (inputs) => {
    const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    const off = flags.filter((flag) => inputs[flag] !== true);
    return [off.length === 0 ? "all 4 public-access blocks on" : `OFF: ${off.join(", ")}`];
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (inputs) => [`object ownership ${asRecord(inputs.rule).objectOwnership}`],
  "aws:s3/bucketPolicy:BucketPolicy": (inputs) => policySummary(inputs.policy),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (inputs) =>
    asArray(inputs.rules).map((raw) => {
      const rule = asRecord(raw);
      const noncurrent = asRecord(rule.noncurrentVersionExpiration).noncurrentDays;
      const abort = asRecord(rule.abortIncompleteMultipartUpload).daysAfterInitiation;
      const expire = asRecord(rule.expiration).days;
      const what = noncurrent !== undefined ? `noncurrent versions expire after ${noncurrent} d` : abort !== undefined ? `incomplete uploads aborted after ${abort} d` : expire !== undefined ? `objects expire after ${expire} d` : "rule";
      return `${rule.id}: ${what} (${rule.status})`;
    }),
  "aws:lambda/function:Function": (inputs) => {
    const vpc = asRecord(inputs.vpcConfig);
    return [
      `${inputs.runtime}`,
      `${asArray(inputs.architectures).join(",") || "x86_64"}`,
      `${inputs.memorySize ?? 128} MB`,
      `timeout ${inputs.timeout ?? 3} s`,
      `tracing ${asRecord(inputs.tracingConfig).mode ?? "PassThrough"}`,
      vpc.subnetIds ? `VPC: ${asArray(vpc.subnetIds).length} subnets, ${asArray(vpc.securityGroupIds).length} SG` : "no VPC",
      ...(inputs.reservedConcurrentExecutions !== undefined && inputs.reservedConcurrentExecutions !== -1 ? [`reserved concurrency ${inputs.reservedConcurrentExecutions}`] : []),
      `handler ${inputs.handler}`,
    ];
  },
  "aws:lambda/permission:Permission": (inputs) => [`${inputs.action} for ${inputs.principal}`, `source ${inputs.sourceArn ?? "ANY (unscoped)"}`],
  "aws:lambda/alias:Alias": (inputs) => [`-> version ${inputs.functionVersion}`],
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (inputs) => [`${inputs.provisionedConcurrentExecutions} provisioned on ${inputs.qualifier}`],
  // @pulumi/aws 7 takes one endpoint type as a string; older schemas took a list.
  "aws:apigateway/restApi:RestApi": (inputs) => [`endpoint ${endpointTypes(inputs.endpointConfiguration)}`],
  "aws:apigateway/resource:Resource": (inputs) => [`path part ${inputs.pathPart}`],
  "aws:apigateway/method:Method": (inputs) => [`${inputs.httpMethod}`, `authorization ${inputs.authorization}`],
  "aws:apigateway/integration:Integration": (inputs) => [`${inputs.type}`, `${inputs.integrationHttpMethod ?? ""} ${inputs.httpMethod}`.trim()],
  "aws:apigateway/stage:Stage": (inputs) => [
    `stage ${inputs.stageName}`,
    `X-Ray ${onOff(inputs.xrayTracingEnabled ?? false)}`,
    inputs.accessLogSettings ? "access logs on" : "access logs OFF",
    inputs.cacheClusterEnabled === true ? `cache ${inputs.cacheClusterSize ?? "0.5"} GB` : "no cache",
  ],
  "aws:apigateway/methodSettings:MethodSettings": (inputs) => {
    const settings = asRecord(inputs.settings);
    return [
      `${inputs.methodPath}`,
      `logging ${settings.loggingLevel ?? "OFF"}`,
      `metrics ${onOff(settings.metricsEnabled ?? false)}`,
      `throttle ${settings.throttlingRateLimit ?? "-"} rps / burst ${settings.throttlingBurstLimit ?? "-"}`,
      ...(settings.cachingEnabled === true ? [`caching ${settings.cacheTtlInSeconds ?? 300} s`] : []),
    ];
  },
  "aws:apigateway/account:Account": (inputs, resolve) => [`CloudWatch role ${ref(inputs.cloudwatchRoleArn, resolve)}`],
  "aws:cloudwatch/metricAlarm:MetricAlarm": (inputs) => {
    // A metric-math alarm: its returned expression, and the period of its metrics.
    const queries = asArray(inputs.metricQueries).map(asRecord);
    const returned = queries.find((query) => query.returnData === true);
    const metric = inputs.metricName ? `${inputs.namespace}/${inputs.metricName} ${inputs.statistic ?? inputs.extendedStatistic}` : returned?.expression ? String(returned.expression) : `${queries.length} metric queries`;
    const period = inputs.period ?? queries.map((query) => asRecord(query.metric).period).find((value) => value !== undefined);
    const operator = COMPARISONS[String(inputs.comparisonOperator)] ?? String(inputs.comparisonOperator);
    const datapoints = inputs.datapointsToAlarm !== undefined && inputs.datapointsToAlarm !== inputs.evaluationPeriods ? `${inputs.datapointsToAlarm} of ` : "";
    return [
      `${metric} ${operator} ${inputs.threshold} for ${datapoints}${inputs.evaluationPeriods} x ${period ?? "-"} s`,
      `missing data ${inputs.treatMissingData ?? "missing"}`,
      `${asArray(inputs.alarmActions).length} alarm action(s)`,
    ];
  },
  "aws:cloudwatch/dashboard:Dashboard": (inputs) => [`${asArray(asRecord(inputs.dashboardBody).widgets).length} widgets`],
  "aws:sns/topic:Topic": (inputs) => [inputs.kmsMasterKeyId ? `KMS ${inputs.kmsMasterKeyId}` : "not KMS encrypted"],
  "aws:sns/topicSubscription:TopicSubscription": (inputs) => [`${inputs.protocol} ${inputs.endpoint}`],
  "aws:route53/healthCheck:HealthCheck": (inputs) => [
    `${inputs.type} ${inputs.fqdn ?? inputs.ipAddress ?? ""}${inputs.resourcePath ?? ""}`.trim(),
    `every ${inputs.requestInterval ?? 30} s`,
    `unhealthy after ${inputs.failureThreshold ?? 3} failures`,
  ],
  "aws:route53/record:Record": (inputs) => [
    `${inputs.type}`,
    ...(inputs.setIdentifier ? [`set ${inputs.setIdentifier}`] : []),
    ...(asArray(inputs.latencyRoutingPolicies).length > 0 ? ["latency routing"] : []),
    ...(asArray(inputs.failoverRoutingPolicies).length > 0 ? [`failover ${asRecord(asArray(inputs.failoverRoutingPolicies)[0]).type}`] : []),
    ...(inputs.healthCheckId ? ["health-checked"] : []),
  ],
  "aws:acm/certificate:Certificate": (inputs) => [`validation ${inputs.validationMethod}`],
  "aws:wafv2/webAcl:WebAcl": (inputs) => [`scope ${inputs.scope}`, `default ${Object.keys(asRecord(inputs.defaultAction)).join(",")}`, `${asArray(inputs.rules).length} rule(s)`],
  "aws:codedeploy/application:Application": (inputs) => [`compute platform ${inputs.computePlatform}`],
  "aws:codedeploy/deploymentGroup:DeploymentGroup": (inputs) => [
    `${inputs.deploymentConfigName}`,
    `rollback on ${asArray(asRecord(inputs.autoRollbackConfiguration).events).join(", ") || "nothing"}`,
    `${asArray(asRecord(inputs.alarmConfiguration).alarms).length} alarm(s)`,
  ],
  // Release steps (lib/release.ts): the only dynamic resources with a deployment configuration.
  "pulumi-nodejs:dynamic:Resource": (inputs) => inputs.deploymentConfigName === undefined ? [] : [
    `release ${inputs.functionName}:${inputs.aliasName} in ${inputs.region}`,
    `${inputs.deploymentConfigName}`,
    `timeout ${inputs.timeoutMinutes} min`,
  ],
  "aws:kms/key:Key": (inputs) => [`rotation ${onOff(inputs.enableKeyRotation ?? false)}`, `deletion window ${inputs.deletionWindowInDays ?? 30} d`],
};

/**
 * The settings a reviewer checks for this resource type, as short phrases.
 * Empty for types without a describer.
 */
export function keySettings(resource: DescribedResource, resolve: ReferenceResolver): string[] {
  const describer = DESCRIBERS[resource.type];
  return describer ? describer(resource.inputs, resolve).filter((phrase) => phrase !== "") : [];
}

/** `aws:ec2/vpc:Vpc` -> `aws:ec2:Vpc`, the short form `pulumi preview` prints. */
export function displayType(type: string): string {
  const [pkg, module, name] = type.split(":");
  if (name === undefined || !module.includes("/")) return type;
  return `${pkg}:${module.split("/")[0]}:${name}`;
}
