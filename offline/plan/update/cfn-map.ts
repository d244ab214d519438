/**
 * Which CloudFormation type and property each Pulumi input becomes: the one
 * hand-written table behind the update plan's replacement rules, the way
 * offline/aws-constraints/map.ts ties inputs to botocore members.
 *
 * Whether a CloudFormation property forces a new resource is not written
 * here: the generator (offline/plan/update/generate.ts) reads each mapped
 * property's `causesReplacement` from `@aws-cdk/aws-service-spec` (AWS's
 * CloudFormation resource specification) into replacement-rules.json. Only an
 * input with no CloudFormation counterpart, or one the provider treats
 * differently from CloudFormation, gets its rule here, in `provider`, with the
 * provider's page that says so.
 *
 * CloudFormation property paths are dotted (`Integration.Uri` is the `Uri` of
 * the Method's `Integration` property type).
 */

import { TYPES } from "../../resource-types";

/** An input CloudFormation does not describe (or describes differently): what the provider does when it changes. */
export interface ProviderField {
  /** True when a change makes the provider replace the resource. */
  readonly replaces: boolean;
  /** The provider's documentation page (or source) that says so. */
  readonly source: string;
  readonly why: string;
}

/** A Pulumi input: its CloudFormation property path, or the provider's own rule. */
export type FieldMapping = string | ProviderField;

/** The input that names the resource in AWS. */
export interface NameField {
  readonly field: string;
  /**
   * True when Pulumi fills the name in (adds a random suffix) if the program leaves it out: the field is optional
   * in the provider's Args type. False for a required name such as the dashboard's `dashboardName`.
   */
  readonly autonamed: boolean;
  /**
   * False when AWS lets two resources share the name (API Gateway keys REST APIs by ID, not name), so a
   * replacement under the same name cannot collide. @default true
   */
  readonly unique?: boolean;
}

/**
 * A resource AWS keys by its parent and a few inputs, not by a name of its own (a method's integration, a
 * bucket's public access block, a topic's policy): its create writes under that key, and its delete removes
 * whatever is there under it. Replaced create-first under the same key, the create lands on the live resource
 * and the delete of the replaced one then removes it (or the create fails).
 */
export interface ParentKey {
  /** The inputs that together are the key. */
  readonly fields: readonly string[];
  /** What it is, in a few words ("method's integration"). */
  readonly noun: string;
  /** The API the provider creates it with. */
  readonly create: string;
  /** What that create does when the key is taken: overwrite what is there, or fail. */
  readonly onCreate: "overwrites" | "fails";
  /** The API the provider deletes it with. */
  readonly delete: string;
  /** Where the create and delete are documented (AWS's API reference, or the provider's source). */
  readonly source: string;
}

/**
 * pulumi-terraform-bridge `ResourceInfo.UniqueNameFields`: name fields whose change lets the bridge create the
 * replacement first even though the program set them (the new name cannot collide with the old one).
 */
export interface UniqueNameFields {
  readonly fields: readonly string[];
  readonly source: string;
}

export interface TypeMapping {
  /** The CloudFormation type the fields map to; undefined for a type CloudFormation has no counterpart for. */
  readonly cfnType?: string;
  /** The CloudFormation resource reference page (`cfnReferenceUrl(cfnType)`) or, without one, the provider's page. */
  readonly source: string;
  readonly nameField?: NameField;
  /** Every input the program sets (with every option on), by Pulumi name. */
  readonly fields: Readonly<Record<string, FieldMapping>>;
  /** Set for a resource keyed by its parent (see ParentKey). */
  readonly parentKey?: ParentKey;
  /**
   * The provider's source where its ResourceInfo declares `DeleteBeforeReplace`: the bridge then answers every
   * replacement of the type delete first, whatever the program says (pulumi-terraform-bridge, Diff:
   * `res.Schema.DeleteBeforeReplace || nameRequiresDeleteBeforeReplace(...)`).
   */
  readonly providerDeletesFirst?: string;
  /** Set when the provider declares unique-name fields for the type (none of the types here does). */
  readonly uniqueNameFields?: UniqueNameFields;
}

/** AWS CloudFormation's template reference page of a resource type: `AWS::Lambda::Function` -> .../aws-resource-lambda-function.html. */
export function cfnReferenceUrl(cfnType: string): string {
  const [, service, resource] = cfnType.split("::");
  return `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${service.toLowerCase()}-${resource.toLowerCase()}.html`;
}

/** The Pulumi AWS provider's page of a type: `aws:s3/bucket:Bucket` -> .../api-docs/s3/bucket/. */
export function providerDocsUrl(type: string, anchor?: string): string {
  const [, module, resource] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
  const page = `https://www.pulumi.com/registry/packages/aws/api-docs/${module}/${resource.toLowerCase()}/`;
  return anchor ? `${page}#${anchor.toLowerCase()}_nodejs` : page;
}

/** A provider-only input that changes in place. */
const inPlace = (type: string, field: string, why: string): ProviderField => ({ replaces: false, source: providerDocsUrl(type, field), why });
/** A provider-only input whose change replaces the resource. */
const replaces = (type: string, field: string, why: string): ProviderField => ({ replaces: true, source: providerDocsUrl(type, field), why });

/** terraform-provider-aws's source of a resource (`apigateway/integration.go`): its schema's `ForceNew` and its Update decide. */
export function terraformSourceUrl(file: string): string {
  return `https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/${file}`;
}
/** An input whose rule the provider's source gives (where it differs from CloudFormation's, the provider decides). */
const bySource = (file: string, replacesIt: boolean, why: string): ProviderField => ({ replaces: replacesIt, source: terraformSourceUrl(file), why });

/**
 * pulumi-aws's provider/resources.go, which declares `DeleteBeforeReplace: true` for aws_api_gateway_integration
 * and aws_iam_role_policy_attachment ("a create followed by a delete actually deletes the same attachment we just
 * created, since it is structurally equivalent").
 */
const PULUMI_AWS_RESOURCES = "https://github.com/pulumi/pulumi-aws/blob/master/provider/resources.go";

/** Maps a type onto a CloudFormation type, its source being that type's reference page. */
function cfn(cfnType: string, fields: Record<string, FieldMapping>, nameField?: NameField): TypeMapping {
  return { cfnType, source: cfnReferenceUrl(cfnType), fields, ...(nameField ? { nameField } : {}) };
}

const autonamed = (field: string): NameField => ({ field, autonamed: true });
const required = (field: string): NameField => ({ field, autonamed: false });

const FUNCTION = TYPES.function;
const BUCKET = TYPES.bucket;
const DEPLOYMENT = TYPES.deployment;
const METHOD_SETTINGS = TYPES.methodSettings;
const ROUTE_TABLE = TYPES.routeTable;
const RTA = TYPES.routeTableAssociation;
const IGW = TYPES.internetGateway;
const DEFAULT_SG = TYPES.defaultSecurityGroup;
const ROLE = TYPES.role;
const ATTACHMENT = TYPES.rolePolicyAttachment;
const PERMISSION = TYPES.permission;
const RECORD = TYPES.record;
const VALIDATION = TYPES.certificateValidation;
const TOPIC = TYPES.topic;
const TOPIC_POLICY = TYPES.topicPolicy;
const EGRESS = TYPES.egressRule;
const DEPLOYMENT_GROUP = TYPES.deploymentGroup;

const S3_API = (action: string) => `https://docs.aws.amazon.com/AmazonS3/latest/API/API_${action}.html`;

/**
 * The S3 bucket's sub-resources: each is one property of AWS::S3::Bucket, keyed by the bucket's name. Each is
 * written with a Put call that replaces the bucket's setting, and deleted with the call that removes it.
 */
const bucketPart = (noun: string, create: string, deleteWith: string, fields: Record<string, FieldMapping>, source = S3_API(create)): TypeMapping => ({
  ...cfn("AWS::S3::Bucket", { bucket: "BucketName", ...fields }),
  parentKey: { fields: ["bucket"], noun, create, onCreate: "overwrites", delete: deleteWith, source },
});

/** The program's explicit AWS providers. */
export const AWS_PROVIDER_TYPE = TYPES.provider;
/** Pulumi's dynamic resources (a dynamic provider written in the program); safe rollouts' `-release` resource is one. */
export const DYNAMIC_RESOURCE_TYPE = TYPES.dynamicResource;

/**
 * Provider configuration: @pulumi/aws 7 marks no provider input as forcing the provider's replacement, so a changed
 * input updates the provider in place and the resources bound to it keep their provider reference. Version 7 moved
 * the region into each resource ("Enhanced Region Support": a region-aware resource's `region` defaults to its
 * provider's, https://www.pulumi.com/registry/packages/aws/how-to-guides/aws-enhanced-region-support/) and dropped
 * the provider's `ForcesProviderReplace` on `region` (pulumi/pulumi-aws commit d273034ca4dff0fdfe4e1ab5f8896e4673055ece;
 * a maintainer on pulumi/pulumi-aws#5652: "the new AWS v7 ... removes the cascading replace logic entirely").
 */
const providerConfig = (field: string, why: string): ProviderField => ({
  replaces: false,
  source: `https://www.pulumi.com/registry/packages/aws/api-docs/provider/#${field.toLowerCase()}_nodejs`,
  why,
});

export const TYPE_MAPPINGS: Readonly<Record<string, TypeMapping>> = {
  [AWS_PROVIDER_TYPE]: {
    source: "https://www.pulumi.com/registry/packages/aws/api-docs/provider/",
    fields: {
      region: providerConfig("region", "the provider is updated in place; each region-aware resource it manages takes the new region, and is replaced"),
      defaultTags: providerConfig("defaultTags", "the provider is updated; every taggable resource it manages gets its tagsAll updated"),
      allowedAccountIds: providerConfig("allowedAccountIds", "a check the provider makes before each call"),
      skipCredentialsValidation: providerConfig("skipCredentialsValidation", "a setting of the provider only"),
      skipRegionValidation: providerConfig("skipRegionValidation", "a setting of the provider only"),
    },
  },
  [DYNAMIC_RESOURCE_TYPE]: {
    source: "https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/",
    // Every input: a dynamic provider without a diff method is updated when its inputs change, never replaced.
    fields: {},
  },
  [TYPES.certificate]: cfn("AWS::CertificateManager::Certificate", {
    domainName: "DomainName",
    subjectAlternativeNames: "SubjectAlternativeNames",
    validationMethod: "ValidationMethod",
    tags: "Tags",
  }),
  [VALIDATION]: {
    source: providerDocsUrl(VALIDATION),
    fields: {
      certificateArn: replaces(VALIDATION, "certificateArn", "a waiter for one certificate; no AWS resource of its own"),
      validationRecordFqdns: replaces(VALIDATION, "validationRecordFqdns", "a waiter for one certificate; no AWS resource of its own"),
    },
  },
  [TYPES.apiGatewayAccount]: cfn("AWS::ApiGateway::Account", { cloudwatchRoleArn: "CloudWatchRoleArn" }),
  // CloudFormation replaces a mapping for a new base path; the provider updates it (UpdateBasePathMapping /basePath).
  [TYPES.basePathMapping]: cfn("AWS::ApiGateway::BasePathMapping", {
    domainName: "DomainName",
    restApi: "RestApiId",
    stageName: "Stage",
    basePath: bySource("apigateway/base_path_mapping.go", false, "`base_path` is not ForceNew: the provider's Update patches /basePath (UpdateBasePathMapping)"),
  }),
  [DEPLOYMENT]: cfn("AWS::ApiGateway::Deployment", {
    restApi: "RestApiId",
    description: "Description",
    triggers: replaces(DEPLOYMENT, "triggers", "a new value makes the provider create a new deployment (the documented way to redeploy a stage)"),
  }),
  [TYPES.domainName]: cfn("AWS::ApiGateway::DomainName", {
    domainName: "DomainName",
    endpointConfiguration: "EndpointConfiguration",
    regionalCertificateArn: "RegionalCertificateArn",
    securityPolicy: "SecurityPolicy",
    tags: "Tags",
  }),
  // PutIntegration: CloudFormation models an integration as the Integration property of AWS::ApiGateway::Method.
  // CloudFormation updates the integration's type and methods in place; the provider's schema marks them ForceNew.
  [TYPES.integration]: {
    ...cfn("AWS::ApiGateway::Method", {
      restApi: "RestApiId",
      resourceId: "ResourceId",
      httpMethod: "HttpMethod",
      type: bySource("apigateway/integration.go", true, "`type` is ForceNew in the provider's schema"),
      integrationHttpMethod: bySource("apigateway/integration.go", true, "`integration_http_method` is ForceNew in the provider's schema"),
      credentials: bySource("apigateway/integration.go", true, "`credentials` is ForceNew in the provider's schema"),
      passthroughBehavior: bySource("apigateway/integration.go", true, "`passthrough_behavior` is ForceNew in the provider's schema"),
      uri: "Integration.Uri",
      cacheKeyParameters: "Integration.CacheKeyParameters",
      requestParameters: "Integration.RequestParameters",
    }),
    parentKey: {
      fields: ["restApi", "resourceId", "httpMethod"],
      noun: "method's integration",
      create: "PutIntegration",
      onCreate: "overwrites",
      delete: "DeleteIntegration",
      source: terraformSourceUrl("apigateway/integration.go"),
    },
    providerDeletesFirst: PULUMI_AWS_RESOURCES,
  },
  [TYPES.method]: {
    ...cfn("AWS::ApiGateway::Method", {
      restApi: "RestApiId",
      resourceId: "ResourceId",
      httpMethod: "HttpMethod",
      authorization: "AuthorizationType",
      requestParameters: "RequestParameters",
    }),
    parentKey: {
      fields: ["restApi", "resourceId", "httpMethod"],
      noun: "method",
      create: "PutMethod (ConflictException while the method exists)",
      onCreate: "fails",
      delete: "DeleteMethod",
      source: "https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html",
    },
  },
  // UpdateStage: CloudFormation models method settings as the MethodSettings property of AWS::ApiGateway::Stage.
  [METHOD_SETTINGS]: {
    ...cfn("AWS::ApiGateway::Stage", {
      restApi: "RestApiId",
      stageName: "StageName",
      methodPath: replaces(METHOD_SETTINGS, "methodPath", "the provider keys the settings by stage and method path, and replaces them when either changes"),
      settings: "MethodSettings",
    }),
    parentKey: {
      fields: ["restApi", "stageName", "methodPath"],
      noun: "stage's settings of that method path",
      create: "UpdateStage (replace operations under /{methodPath})",
      onCreate: "overwrites",
      delete: "UpdateStage (remove /{methodPath})",
      source: terraformSourceUrl("apigateway/method_settings.go"),
    },
  },
  [TYPES.apiResource]: cfn("AWS::ApiGateway::Resource", { restApi: "RestApiId", parentId: "ParentId", pathPart: "PathPart" }),
  [TYPES.restApi]: cfn(
    "AWS::ApiGateway::RestApi",
    { name: "Name", description: "Description", endpointConfiguration: "EndpointConfiguration", tags: "Tags" },
    { field: "name", autonamed: true, unique: false },
  ),
  [TYPES.stage]: cfn(
    "AWS::ApiGateway::Stage",
    {
      restApi: "RestApiId",
      stageName: "StageName",
      deployment: "DeploymentId",
      description: "Description",
      xrayTracingEnabled: "TracingEnabled",
      accessLogSettings: "AccessLogSetting",
      cacheClusterEnabled: "CacheClusterEnabled",
      cacheClusterSize: "CacheClusterSize",
      variables: "Variables",
      tags: "Tags",
    },
    required("stageName"),
  ),
  [TYPES.dashboard]: cfn("AWS::CloudWatch::Dashboard", { dashboardName: "DashboardName", dashboardBody: "DashboardBody" }, required("dashboardName")),
  [TYPES.logGroup]: cfn(
    "AWS::Logs::LogGroup",
    { name: "LogGroupName", retentionInDays: "RetentionInDays", kmsKeyId: "KmsKeyId", tags: "Tags" },
    autonamed("name"),
  ),
  [TYPES.alarm]: cfn(
    "AWS::CloudWatch::Alarm",
    {
      name: "AlarmName",
      alarmDescription: "AlarmDescription",
      alarmActions: "AlarmActions",
      okActions: "OKActions",
      insufficientDataActions: "InsufficientDataActions",
      comparisonOperator: "ComparisonOperator",
      dimensions: "Dimensions",
      evaluationPeriods: "EvaluationPeriods",
      datapointsToAlarm: "DatapointsToAlarm",
      metricName: "MetricName",
      metricQueries: "Metrics",
      namespace: "Namespace",
      period: "Period",
      statistic: "Statistic",
      threshold: "Threshold",
      treatMissingData: "TreatMissingData",
      tags: "Tags",
    },
    autonamed("name"),
  ),
  [DEFAULT_SG]: {
    source: providerDocsUrl(DEFAULT_SG),
    fields: {
      vpcId: replaces(DEFAULT_SG, "vpcId", "the provider adopts the default security group of one VPC"),
      ingress: inPlace(DEFAULT_SG, "ingress", "the provider rewrites the adopted group's rules"),
      egress: inPlace(DEFAULT_SG, "egress", "the provider rewrites the adopted group's rules"),
      tags: inPlace(DEFAULT_SG, "tags", "tags are written with CreateTags"),
    },
  },
  [TYPES.eip]: cfn("AWS::EC2::EIP", { domain: "Domain", tags: "Tags" }),
  [TYPES.flowLog]: cfn("AWS::EC2::FlowLog", {
    vpcId: "ResourceId",
    iamRoleArn: "DeliverLogsPermissionArn",
    logDestination: "LogDestination",
    logDestinationType: "LogDestinationType",
    maxAggregationInterval: "MaxAggregationInterval",
    trafficType: "TrafficType",
    tags: "Tags",
  }),
  [IGW]: cfn("AWS::EC2::InternetGateway", {
    tags: "Tags",
    vpcId: inPlace(IGW, "vpcId", "the provider detaches the gateway from the old VPC and attaches it to the new one (CloudFormation uses a separate VPCGatewayAttachment)"),
  }),
  [TYPES.natGateway]: cfn("AWS::EC2::NatGateway", { allocationId: "AllocationId", subnetId: "SubnetId", connectivityType: "ConnectivityType", tags: "Tags" }),
  [TYPES.route]: cfn("AWS::EC2::Route", {
    routeTableId: "RouteTableId",
    destinationCidrBlock: "DestinationCidrBlock",
    natGatewayId: "NatGatewayId",
    gatewayId: "GatewayId",
  }),
  [ROUTE_TABLE]: cfn("AWS::EC2::RouteTable", {
    vpcId: "VpcId",
    tags: "Tags",
    routes: inPlace(ROUTE_TABLE, "routes", "inline routes the provider adds and removes in place (CloudFormation uses separate AWS::EC2::Route resources)"),
  }),
  [RTA]: cfn("AWS::EC2::SubnetRouteTableAssociation", {
    subnetId: "SubnetId",
    routeTableId: inPlace(RTA, "routeTableId", "the provider moves the association with ReplaceRouteTableAssociation instead of recreating it"),
  }),
  [TYPES.securityGroup]: cfn(
    "AWS::EC2::SecurityGroup",
    {
      name: "GroupName",
      description: "GroupDescription",
      vpcId: "VpcId",
      ingress: "SecurityGroupIngress",
      egress: "SecurityGroupEgress",
      tags: "Tags",
    },
    autonamed("name"),
  ),
  [TYPES.subnet]: cfn("AWS::EC2::Subnet", {
    vpcId: "VpcId",
    cidrBlock: "CidrBlock",
    availabilityZone: "AvailabilityZone",
    mapPublicIpOnLaunch: "MapPublicIpOnLaunch",
    tags: "Tags",
  }),
  [TYPES.vpc]: cfn("AWS::EC2::VPC", {
    cidrBlock: "CidrBlock",
    enableDnsHostnames: "EnableDnsHostnames",
    enableDnsSupport: "EnableDnsSupport",
    instanceTenancy: "InstanceTenancy",
    tags: "Tags",
  }),
  [TYPES.vpcEndpoint]: cfn("AWS::EC2::VPCEndpoint", {
    vpcId: "VpcId",
    serviceName: "ServiceName",
    vpcEndpointType: "VpcEndpointType",
    routeTableIds: "RouteTableIds",
    policy: "PolicyDocument",
    tags: "Tags",
  }),
  [ROLE]: cfn(
    "AWS::IAM::Role",
    {
      name: "RoleName",
      namePrefix: replaces(ROLE, "namePrefix", "the role's name is fixed at creation; the provider creates a new role for a new prefix"),
      path: "Path",
      description: "Description",
      assumeRolePolicy: "AssumeRolePolicyDocument",
      maxSessionDuration: "MaxSessionDuration",
      tags: "Tags",
    },
    autonamed("name"),
  ),
  [TYPES.rolePolicy]: cfn("AWS::IAM::RolePolicy", { role: "RoleName", name: "PolicyName", policy: "PolicyDocument" }, autonamed("name")),
  [ATTACHMENT]: {
    source: providerDocsUrl(ATTACHMENT),
    fields: {
      role: replaces(ATTACHMENT, "role", "an attachment of one policy to one role; a change detaches and attaches again"),
      policyArn: replaces(ATTACHMENT, "policyArn", "an attachment of one policy to one role; a change detaches and attaches again"),
    },
    parentKey: {
      fields: ["role", "policyArn"],
      noun: "attachment of that policy to that role",
      create: "AttachRolePolicy",
      onCreate: "overwrites",
      delete: "DetachRolePolicy",
      source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachRolePolicy.html",
    },
    providerDeletesFirst: PULUMI_AWS_RESOURCES,
  },
  [TYPES.kmsKey]: cfn("AWS::KMS::Key", {
    description: "Description",
    policy: "KeyPolicy",
    deletionWindowInDays: "PendingWindowInDays",
    enableKeyRotation: "EnableKeyRotation",
    tags: "Tags",
  }),
  [TYPES.alias]: cfn(
    "AWS::Lambda::Alias",
    { name: "Name", functionName: "FunctionName", functionVersion: "FunctionVersion", description: "Description", routingConfig: "RoutingConfig" },
    autonamed("name"),
  ),
  [FUNCTION]: cfn(
    "AWS::Lambda::Function",
    {
      name: "FunctionName",
      description: "Description",
      role: "Role",
      runtime: "Runtime",
      architectures: "Architectures",
      handler: "Handler",
      code: "Code",
      memorySize: "MemorySize",
      timeout: "Timeout",
      reservedConcurrentExecutions: "ReservedConcurrentExecutions",
      tracingConfig: "TracingConfig",
      loggingConfig: "LoggingConfig",
      vpcConfig: "VpcConfig",
      environment: "Environment",
      tags: "Tags",
      // With publish on, a change to the code or configuration publishes a new version (UpdateFunctionCode/
      // PublishVersion): the function is updated, its `version` output changes; CloudFormation's immutable
      // AWS::Lambda::Version does not apply.
      publish: inPlace(FUNCTION, "publish", "whether each update also publishes a version; the function is updated in place"),
      replaceSecurityGroupsOnDestroy: inPlace(FUNCTION, "replaceSecurityGroupsOnDestroy", "read only when the function is deleted"),
      replacementSecurityGroupIds: inPlace(FUNCTION, "replacementSecurityGroupIds", "read only when the function is deleted"),
    },
    autonamed("name"),
  ),
  [PERMISSION]: cfn("AWS::Lambda::Permission", {
    action: "Action",
    function: "FunctionName",
    principal: "Principal",
    sourceArn: "SourceArn",
    statementId: replaces(PERMISSION, "statementId", "the statement's ID in the function's policy; a new ID is a new statement"),
    qualifier: replaces(PERMISSION, "qualifier", "the version or alias the statement belongs to (CloudFormation folds it into FunctionName)"),
  }),
  // PutProvisionedConcurrencyConfig: CloudFormation models it as the ProvisionedConcurrencyConfig of an alias.
  [TYPES.provisionedConcurrency]: {
    ...cfn("AWS::Lambda::Alias", {
      functionName: "FunctionName",
      qualifier: "Name",
      provisionedConcurrentExecutions: "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
    }),
    parentKey: {
      fields: ["functionName", "qualifier"],
      noun: "alias's provisioned concurrency",
      create: "PutProvisionedConcurrencyConfig",
      onCreate: "overwrites",
      delete: "DeleteProvisionedConcurrencyConfig",
      source: "https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html",
    },
  },
  [TYPES.healthCheck]: cfn("AWS::Route53::HealthCheck", {
    type: "HealthCheckConfig.Type",
    fqdn: "HealthCheckConfig.FullyQualifiedDomainName",
    port: "HealthCheckConfig.Port",
    resourcePath: "HealthCheckConfig.ResourcePath",
    searchString: "HealthCheckConfig.SearchString",
    requestInterval: "HealthCheckConfig.RequestInterval",
    failureThreshold: "HealthCheckConfig.FailureThreshold",
    measureLatency: "HealthCheckConfig.MeasureLatency",
    enableSni: "HealthCheckConfig.EnableSNI",
    regions: "HealthCheckConfig.Regions",
    tags: "HealthCheckTags",
  }),
  [RECORD]: cfn("AWS::Route53::RecordSet", {
    zoneId: "HostedZoneId",
    name: "Name",
    type: "Type",
    ttl: "TTL",
    records: "ResourceRecords",
    aliases: "AliasTarget",
    setIdentifier: "SetIdentifier",
    healthCheckId: "HealthCheckId",
    latencyRoutingPolicies: "Region",
    failoverRoutingPolicies: "Failover",
    allowOverwrite: inPlace(RECORD, "allowOverwrite", "read only when the record is created"),
  }),
  [BUCKET]: cfn(
    "AWS::S3::Bucket",
    {
      bucket: "BucketName",
      tags: "Tags",
      forceDestroy: inPlace(BUCKET, "forceDestroy", "read only when the bucket is deleted: whether the provider empties it first"),
    },
    autonamed("bucket"),
  ),
  [TYPES.bucketLifecycle]: bucketPart("bucket's lifecycle rules", "PutBucketLifecycleConfiguration", "DeleteBucketLifecycle", {
    rules: "LifecycleConfiguration",
  }),
  [TYPES.bucketOwnershipControls]: bucketPart("bucket's ownership controls", "PutBucketOwnershipControls", "DeleteBucketOwnershipControls", {
    rule: "OwnershipControls",
  }),
  [TYPES.bucketPublicAccessBlock]: bucketPart("bucket's public access block", "PutPublicAccessBlock", "DeletePublicAccessBlock", {
    blockPublicAcls: "PublicAccessBlockConfiguration.BlockPublicAcls",
    blockPublicPolicy: "PublicAccessBlockConfiguration.BlockPublicPolicy",
    ignorePublicAcls: "PublicAccessBlockConfiguration.IgnorePublicAcls",
    restrictPublicBuckets: "PublicAccessBlockConfiguration.RestrictPublicBuckets",
  }),
  [TYPES.bucketEncryption]: bucketPart(
    "bucket's default encryption",
    "PutBucketEncryption",
    "DeleteBucketEncryption (back to SSE-S3)",
    { rules: "BucketEncryption" },
  ),
  // The provider's delete of a versioning configuration suspends versioning on the bucket (its page says so).
  [TYPES.bucketVersioning]: bucketPart(
    "bucket's versioning",
    "PutBucketVersioning",
    "PutBucketVersioning Suspended",
    { versioningConfiguration: "VersioningConfiguration" },
    providerDocsUrl(TYPES.bucketVersioning),
  ),
  [TYPES.bucketPolicy]: {
    ...cfn("AWS::S3::BucketPolicy", { bucket: "Bucket", policy: "PolicyDocument" }),
    parentKey: { fields: ["bucket"], noun: "bucket's policy", create: "PutBucketPolicy", onCreate: "overwrites", delete: "DeleteBucketPolicy", source: S3_API("PutBucketPolicy") },
  },
  [TOPIC]: cfn(
    "AWS::SNS::Topic",
    {
      name: "TopicName",
      namePrefix: replaces(TOPIC, "namePrefix", "the topic's name is fixed at creation"),
      displayName: "DisplayName",
      fifoTopic: "FifoTopic",
      kmsMasterKeyId: "KmsMasterKeyId",
      tags: "Tags",
    },
    autonamed("name"),
  ),
  [TOPIC_POLICY]: {
    ...cfn("AWS::SNS::TopicPolicy", {
      arn: replaces(TOPIC_POLICY, "arn", "the policy belongs to one topic (CloudFormation's TopicPolicy takes a list of topics)"),
      policy: "PolicyDocument",
    }),
    // "It is impossible to delete a policy or set to empty ... so we instead set it back to the default one".
    parentKey: {
      fields: ["arn"],
      noun: "topic's policy",
      create: "SetTopicAttributes Policy",
      onCreate: "overwrites",
      delete: "SetTopicAttributes with SNS's default policy",
      source: terraformSourceUrl("sns/topic_policy.go"),
    },
  },
  [TYPES.topicSubscription]: cfn("AWS::SNS::Subscription", { topic: "TopicArn", protocol: "Protocol", endpoint: "Endpoint" }),
  // The provider changes a rule in place (ModifySecurityGroupRules); only a new group replaces it.
  [EGRESS]: cfn("AWS::EC2::SecurityGroupEgress", {
    securityGroupId: "GroupId",
    cidrIpv4: inPlace(EGRESS, "cidrIpv4", "the provider modifies the rule in place (ModifySecurityGroupRules)"),
    prefixListId: inPlace(EGRESS, "prefixListId", "the provider modifies the rule in place (ModifySecurityGroupRules)"),
    fromPort: inPlace(EGRESS, "fromPort", "the provider modifies the rule in place (ModifySecurityGroupRules)"),
    toPort: inPlace(EGRESS, "toPort", "the provider modifies the rule in place (ModifySecurityGroupRules)"),
    ipProtocol: inPlace(EGRESS, "ipProtocol", "the provider modifies the rule in place (ModifySecurityGroupRules)"),
    description: "Description",
    tags: inPlace(EGRESS, "tags", "rule tags are written with CreateTags"),
  }),
  [TYPES.webAcl]: cfn(
    "AWS::WAFv2::WebACL",
    { name: "Name", description: "Description", scope: "Scope", defaultAction: "DefaultAction", rules: "Rules", visibilityConfig: "VisibilityConfig", tags: "Tags" },
    autonamed("name"),
  ),
  [TYPES.webAclAssociation]: {
    ...cfn("AWS::WAFv2::WebACLAssociation", { resourceArn: "ResourceArn", webAclArn: "WebACLArn" }),
    parentKey: {
      fields: ["resourceArn"],
      noun: "stage's web ACL association",
      create: "AssociateWebACL",
      onCreate: "overwrites",
      delete: "DisassociateWebACL",
      source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_DisassociateWebACL.html",
    },
  },
  // CloudFormation replaces an application for a new name; the provider renames it (UpdateApplication newApplicationName).
  [TYPES.codedeployApplication]: cfn(
    "AWS::CodeDeploy::Application",
    {
      name: bySource("deploy/app.go", false, "`name` is not ForceNew: the provider's Update renames the application (UpdateApplication newApplicationName)"),
      computePlatform: "ComputePlatform",
      tags: "Tags",
    },
    autonamed("name"),
  ),
  [DEPLOYMENT_GROUP]: cfn(
    "AWS::CodeDeploy::DeploymentGroup",
    {
      appName: "ApplicationName",
      deploymentGroupName: inPlace(DEPLOYMENT_GROUP, "deploymentGroupName", "the provider renames the group in place (UpdateDeploymentGroup's newDeploymentGroupName)"),
      serviceRoleArn: "ServiceRoleArn",
      deploymentConfigName: "DeploymentConfigName",
      deploymentStyle: "DeploymentStyle",
      autoRollbackConfiguration: "AutoRollbackConfiguration",
      alarmConfiguration: "AlarmConfiguration",
      tags: "Tags",
    },
    required("deploymentGroupName"),
  ),
};
