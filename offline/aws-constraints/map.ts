/**
 * Which AWS API request member each Pulumi input becomes: the one hand-written
 * table behind the plan's AWS input check (offline/aws-constraints/check.ts).
 *
 * The rules themselves (length, pattern, enum) are not written here: the
 * generator (offline/aws-constraints/generate.ts) reads them from botocore's
 * API models into offline/aws-constraints/rules.json. Only where AWS documents a
 * rule that its model leaves out does a rule come from this file
 * (DOCUMENTED_RULES, each with the page it was read from).
 *
 * Paths, on both sides, are dotted names with three kinds of step:
 *   `[]`      each element of a list (a scalar counts as a one-element list;
 *             Pulumi flattens some one-item lists, e.g. endpointConfiguration.types)
 *   `{key}`   each key of a map
 *   `{value}` each value of a map
 * e.g. property `rules.[].visibilityConfig.metricName` -> member
 * `Rules.[].VisibilityConfig.MetricName` of wafv2 CreateWebACL.
 *
 * A property `tags.{key}` / `tags.{value}` is checked against the tags the
 * resource really sends: its own `tags` merged over its provider's
 * `defaultTags.tags` (the AWS provider adds those to every taggable resource).
 *
 * Deliberately not mapped: IDs and ARNs of other resources (role ARNs, VPC,
 * subnet and security-group IDs, topic ARNs in alarm actions, source ARNs).
 * Under the mock they are placeholders, so checking them would check the
 * mock, not the program. TYPES_WITHOUT_RULES lists every type tap creates
 * that has no mapped field, with the reason.
 */

export interface FieldMapping {
  /** Path in the resource's Pulumi inputs. */
  readonly property: string;
  /** Botocore service folder, when it differs from the type's. */
  readonly service?: string;
  /** API operation, when it differs from the type's (tags written by a separate call, for example). */
  readonly operation?: string;
  /** Path of the member in the operation's input shape. */
  readonly member: string;
  /** Key of DOCUMENTED_RULES: AWS documents a rule for this member that the model does not carry. */
  readonly documented?: string;
  /**
   * The model's enum is not checked, for this reason (an enum AWS has grown since this botocore release,
   * such as the Route 53 latency regions). Length and pattern still are.
   */
  readonly enumNotChecked?: string;
  /** The rule applies only when this boolean input has this value (unset counts as false). */
  readonly when?: { readonly property: string; readonly is: boolean };
}

export interface TypeMapping {
  /** Pulumi type token. */
  readonly type: string;
  /** Botocore service folder (`data/<service>/<api-version>/service-2.json`). */
  readonly service: string;
  /** The operation that creates the resource. */
  readonly operation: string;
  readonly fields: readonly FieldMapping[];
}

/** A rule AWS documents but its model does not encode. */
export interface DocumentedRule {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Matched against the whole value, like a model pattern. */
  readonly pattern?: string;
  /** What AWS says, in its words. */
  readonly text: string;
  /** Where it says it (verified with the docs search on 2026-11-30). */
  readonly url: string;
}

export const DOCUMENTED_RULES: Readonly<Record<string, DocumentedRule>> = {
  "ec2 security group name": {
    maxLength: 255,
    pattern: "(?!sg-)[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]*",
    text: "Constraints: Up to 255 characters in length. Can't start with sg-. Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-security-group-request/group-name.html",
  },
  "ec2 security group description": {
    maxLength: 255,
    pattern: "[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]*",
    text: "Constraints: Up to 255 characters in length. Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-security-group-request/description.html",
  },
  "ec2 security group rule description": {
    maxLength: 255,
    pattern: "[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]*",
    text: "Constraints: Up to 255 characters in length. Allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html",
  },
  "ec2 tag key": {
    minLength: 1,
    maxLength: 127,
    pattern: "(?!aws:)[\\s\\S]*",
    text: "Constraints: Tag keys are case-sensitive and accept a maximum of 127 Unicode characters. May not begin with aws:.",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html",
  },
  "ec2 tag value": {
    maxLength: 256,
    text: "Constraints: Tag values are case-sensitive and accept a maximum of 256 Unicode characters.",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html",
  },
  "sns topic name": {
    minLength: 1,
    maxLength: 256,
    pattern: "[A-Za-z0-9_-]+",
    text: "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sns/aws.sdk.kotlin.services.sns.model/-create-topic-request/name.html",
  },
  "sns fifo topic name": {
    minLength: 1,
    maxLength: 256,
    pattern: "[A-Za-z0-9_-]+\\.fifo",
    text: "For a FIFO (first-in-first-out) topic, the name must end with the .fifo suffix.",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/sns/aws.sdk.kotlin.services.sns.model/-create-topic-request/name.html",
  },
  "cloudwatch dashboard name": {
    minLength: 1,
    maxLength: 255,
    pattern: "[A-Za-z0-9_-]+",
    text: "The name must be between 1 and 255 characters and can only contain alphanumeric characters, dashes (-), and underscores (_).",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html",
  },
  "apigateway stage name": {
    minLength: 1,
    maxLength: 128,
    pattern: "[A-Za-z0-9_-]+",
    text: "Stage names can only contain alphanumeric characters, hyphens, and underscores. Maximum length is 128 characters.",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/apigateway/aws.sdk.kotlin.services.apigateway.model/-create-stage-request",
  },
  "apigateway tag key": {
    minLength: 1,
    maxLength: 128,
    pattern: "(?!aws:)[\\s\\S]*",
    text: "The tag key can be up to 128 characters and must not start with aws:.",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/apigateway/aws.sdk.kotlin.services.apigateway.model/-create-stage-request",
  },
  "apigateway tag value": {
    maxLength: 256,
    text: "The tag value can be up to 256 characters.",
    url: "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/apigateway/aws.sdk.kotlin.services.apigateway.model/-create-stage-request",
  },
  "codedeploy tag key": {
    minLength: 1,
    maxLength: 128,
    text: "Tag keys: 1 to 128 Unicode characters in UTF-8 (AWS's general tag limits; CodeDeploy's model sets none).",
    url: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
  },
  "codedeploy tag value": {
    maxLength: 256,
    text: "Tag values: 0 to 256 Unicode characters in UTF-8 (AWS's general tag limits; CodeDeploy's model sets none).",
    url: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
  },
  "lambda tag key": {
    minLength: 1,
    maxLength: 128,
    text: "Key: Minimum: 1, Maximum: 128",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-tag.html",
  },
  "lambda tag value": {
    maxLength: 256,
    text: "Value: Minimum: 0, Maximum: 256",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-tag.html",
  },
};

/** EC2 creates tags through TagSpecifications; the model leaves Key and Value unconstrained, its documentation does not. */
const ec2Tags = (operation: string): FieldMapping[] => [
  { property: "tags.{key}", operation, member: "TagSpecifications.[].Tags.[].Key", documented: "ec2 tag key" },
  { property: "tags.{value}", operation, member: "TagSpecifications.[].Tags.[].Value", documented: "ec2 tag value" },
];
/** Resources EC2 creates without tags and tags afterwards (the default security group is adopted, not created). */
const ec2CreateTags: FieldMapping[] = [
  { property: "tags.{key}", operation: "CreateTags", member: "Tags.[].Key", documented: "ec2 tag key" },
  { property: "tags.{value}", operation: "CreateTags", member: "Tags.[].Value", documented: "ec2 tag value" },
];
const apigatewayTags: FieldMapping[] = [
  { property: "tags.{key}", member: "tags.{key}", documented: "apigateway tag key" },
  { property: "tags.{value}", member: "tags.{value}", documented: "apigateway tag value" },
];
/** The tag list shape most services share: Tags[] of {Key, Value}. */
const keyValueTags: FieldMapping[] = [
  { property: "tags.{key}", member: "Tags.[].Key" },
  { property: "tags.{value}", member: "Tags.[].Value" },
];
const route53Region =
  "botocore 1.29.27's region enums stop at the regions of December 2022; AWS accepts every region launched since (lib/regions.ts has 34). Length is still checked.";

export const TYPE_MAPPINGS: readonly TypeMapping[] = [
  {
    type: "aws:acm/certificate:Certificate",
    service: "acm",
    operation: "RequestCertificate",
    fields: [
      { property: "domainName", member: "DomainName" },
      { property: "subjectAlternativeNames.[]", member: "SubjectAlternativeNames.[]" },
      { property: "validationMethod", member: "ValidationMethod" },
      ...keyValueTags,
    ],
  },
  {
    type: "aws:apigateway/restApi:RestApi",
    service: "apigateway",
    operation: "CreateRestApi",
    fields: [{ property: "endpointConfiguration.types.[]", member: "endpointConfiguration.types.[]" }, { property: "apiKeySource", member: "apiKeySource" }, ...apigatewayTags],
  },
  {
    type: "aws:apigateway/stage:Stage",
    service: "apigateway",
    operation: "CreateStage",
    fields: [
      { property: "stageName", member: "stageName", documented: "apigateway stage name" },
      { property: "cacheClusterSize", member: "cacheClusterSize" },
      ...apigatewayTags,
    ],
  },
  {
    type: "aws:apigateway/deployment:Deployment",
    service: "apigateway",
    operation: "CreateDeployment",
    fields: [{ property: "stageName", member: "stageName", documented: "apigateway stage name" }],
  },
  {
    type: "aws:apigateway/basePathMapping:BasePathMapping",
    service: "apigateway",
    operation: "CreateBasePathMapping",
    fields: [{ property: "stageName", member: "stage", documented: "apigateway stage name" }],
  },
  {
    type: "aws:apigateway/methodSettings:MethodSettings",
    service: "apigateway",
    operation: "UpdateStage",
    fields: [{ property: "stageName", member: "stageName", documented: "apigateway stage name" }],
  },
  {
    type: "aws:apigateway/domainName:DomainName",
    service: "apigateway",
    operation: "CreateDomainName",
    fields: [
      { property: "endpointConfiguration.types.[]", member: "endpointConfiguration.types.[]" },
      { property: "securityPolicy", member: "securityPolicy" },
      ...apigatewayTags,
    ],
  },
  {
    type: "aws:apigateway/integration:Integration",
    service: "apigateway",
    operation: "PutIntegration",
    fields: [
      { property: "type", member: "type" },
      { property: "contentHandling", member: "contentHandling" },
    ],
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    service: "logs",
    operation: "CreateLogGroup",
    fields: [
      { property: "name", member: "logGroupName" },
      { property: "tags.{key}", member: "tags.{key}" },
      { property: "tags.{value}", member: "tags.{value}" },
    ],
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    service: "cloudwatch",
    operation: "PutMetricAlarm",
    fields: [
      { property: "name", member: "AlarmName" },
      { property: "alarmDescription", member: "AlarmDescription" },
      { property: "metricName", member: "MetricName" },
      { property: "namespace", member: "Namespace" },
      { property: "statistic", member: "Statistic" },
      { property: "comparisonOperator", member: "ComparisonOperator" },
      { property: "treatMissingData", member: "TreatMissingData" },
      { property: "unit", member: "Unit" },
      { property: "dimensions.{key}", member: "Dimensions.[].Name" },
      { property: "dimensions.{value}", member: "Dimensions.[].Value" },
      // A metric-math alarm (the rollback alarms) sends its queries as Metrics instead.
      { property: "metricQueries.[].id", member: "Metrics.[].Id" },
      { property: "metricQueries.[].expression", member: "Metrics.[].Expression" },
      { property: "metricQueries.[].metric.namespace", member: "Metrics.[].MetricStat.Metric.Namespace" },
      { property: "metricQueries.[].metric.metricName", member: "Metrics.[].MetricStat.Metric.MetricName" },
      { property: "metricQueries.[].metric.dimensions.{key}", member: "Metrics.[].MetricStat.Metric.Dimensions.[].Name" },
      { property: "metricQueries.[].metric.dimensions.{value}", member: "Metrics.[].MetricStat.Metric.Dimensions.[].Value" },
      ...keyValueTags,
    ],
  },
  {
    type: "aws:cloudwatch/dashboard:Dashboard",
    service: "cloudwatch",
    operation: "PutDashboard",
    fields: [{ property: "dashboardName", member: "DashboardName", documented: "cloudwatch dashboard name" }],
  },
  {
    type: "aws:ec2/vpc:Vpc",
    service: "ec2",
    operation: "CreateVpc",
    fields: [{ property: "instanceTenancy", member: "InstanceTenancy" }, ...ec2Tags("CreateVpc")],
  },
  { type: "aws:ec2/subnet:Subnet", service: "ec2", operation: "CreateSubnet", fields: ec2Tags("CreateSubnet") },
  { type: "aws:ec2/internetGateway:InternetGateway", service: "ec2", operation: "CreateInternetGateway", fields: ec2Tags("CreateInternetGateway") },
  { type: "aws:ec2/routeTable:RouteTable", service: "ec2", operation: "CreateRouteTable", fields: ec2Tags("CreateRouteTable") },
  {
    type: "aws:ec2/eip:Eip",
    service: "ec2",
    operation: "AllocateAddress",
    fields: [{ property: "domain", member: "Domain" }, ...ec2Tags("AllocateAddress")],
  },
  {
    type: "aws:ec2/natGateway:NatGateway",
    service: "ec2",
    operation: "CreateNatGateway",
    fields: [{ property: "connectivityType", member: "ConnectivityType" }, ...ec2Tags("CreateNatGateway")],
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    service: "ec2",
    operation: "CreateSecurityGroup",
    fields: [
      { property: "name", member: "GroupName", documented: "ec2 security group name" },
      { property: "description", member: "Description", documented: "ec2 security group description" },
      ...ec2Tags("CreateSecurityGroup"),
    ],
  },
  { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", service: "ec2", operation: "CreateTags", fields: ec2CreateTags },
  {
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    service: "ec2",
    operation: "AuthorizeSecurityGroupEgress",
    fields: [
      { property: "description", member: "IpPermissions.[].IpRanges.[].Description", documented: "ec2 security group rule description" },
      ...ec2Tags("AuthorizeSecurityGroupEgress"),
    ],
  },
  {
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    service: "ec2",
    operation: "CreateVpcEndpoint",
    fields: [
      { property: "vpcEndpointType", member: "VpcEndpointType" },
      { property: "ipAddressType", member: "IpAddressType" },
      ...ec2Tags("CreateVpcEndpoint"),
    ],
  },
  {
    type: "aws:ec2/flowLog:FlowLog",
    service: "ec2",
    operation: "CreateFlowLogs",
    fields: [
      { property: "trafficType", member: "TrafficType" },
      { property: "logDestinationType", member: "LogDestinationType" },
      ...ec2Tags("CreateFlowLogs"),
    ],
  },
  {
    type: "aws:iam/role:Role",
    service: "iam",
    operation: "CreateRole",
    fields: [
      { property: "name", member: "RoleName" },
      { property: "path", member: "Path" },
      { property: "description", member: "Description" },
      { property: "assumeRolePolicy", member: "AssumeRolePolicyDocument" },
      ...keyValueTags,
    ],
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    service: "iam",
    operation: "PutRolePolicy",
    fields: [
      { property: "role", member: "RoleName" },
      { property: "name", member: "PolicyName" },
      { property: "policy", member: "PolicyDocument" },
    ],
  },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    service: "iam",
    operation: "AttachRolePolicy",
    fields: [
      { property: "role", member: "RoleName" },
      { property: "policyArn", member: "PolicyArn" },
    ],
  },
  {
    type: "aws:kms/key:Key",
    service: "kms",
    operation: "CreateKey",
    fields: [
      { property: "description", member: "Description" },
      { property: "policy", member: "Policy" },
      { property: "keyUsage", member: "KeyUsage" },
      { property: "customerMasterKeySpec", member: "KeySpec" },
      { property: "tags.{key}", member: "Tags.[].TagKey" },
      { property: "tags.{value}", member: "Tags.[].TagValue" },
    ],
  },
  {
    type: "aws:lambda/function:Function",
    service: "lambda",
    operation: "CreateFunction",
    // Runtime is left out on purpose: botocore 1.29.27's Runtime enum ends at nodejs18.x, and AWS accepts the
    // program's nodejs24.x (a constant, LAMBDA_RUNTIME in lib/serverless-api.ts, taken from @pulumi/aws's newer enum).
    fields: [
      { property: "name", member: "FunctionName" },
      { property: "description", member: "Description" },
      { property: "handler", member: "Handler" },
      { property: "architectures.[]", member: "Architectures.[]" },
      { property: "tracingConfig.mode", member: "TracingConfig.Mode" },
      { property: "packageType", member: "PackageType" },
      { property: "environment.variables.{key}", member: "Environment.Variables.{key}" },
      { property: "tags.{key}", member: "Tags.{key}", documented: "lambda tag key" },
      { property: "tags.{value}", member: "Tags.{value}", documented: "lambda tag value" },
    ],
  },
  {
    type: "aws:codedeploy/application:Application",
    service: "codedeploy",
    operation: "CreateApplication",
    fields: [
      { property: "name", member: "applicationName" },
      { property: "computePlatform", member: "computePlatform" },
      { property: "tags.{key}", member: "tags.[].Key", documented: "codedeploy tag key" },
      { property: "tags.{value}", member: "tags.[].Value", documented: "codedeploy tag value" },
    ],
  },
  {
    type: "aws:codedeploy/deploymentGroup:DeploymentGroup",
    service: "codedeploy",
    operation: "CreateDeploymentGroup",
    fields: [
      { property: "appName", member: "applicationName" },
      { property: "deploymentGroupName", member: "deploymentGroupName" },
      { property: "deploymentConfigName", member: "deploymentConfigName" },
      { property: "deploymentStyle.deploymentType", member: "deploymentStyle.deploymentType" },
      { property: "deploymentStyle.deploymentOption", member: "deploymentStyle.deploymentOption" },
      { property: "autoRollbackConfiguration.events.[]", member: "autoRollbackConfiguration.events.[]" },
      // The alarm names are checked where they are created (CloudWatch PutMetricAlarm); here the model sets no rule.
      { property: "tags.{key}", member: "tags.[].Key", documented: "codedeploy tag key" },
      { property: "tags.{value}", member: "tags.[].Value", documented: "codedeploy tag value" },
    ],
  },
  {
    type: "aws:lambda/alias:Alias",
    service: "lambda",
    operation: "CreateAlias",
    fields: [
      { property: "name", member: "Name" },
      { property: "functionName", member: "FunctionName" },
      { property: "description", member: "Description" },
    ],
  },
  {
    type: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    service: "lambda",
    operation: "PutProvisionedConcurrencyConfig",
    fields: [
      { property: "functionName", member: "FunctionName" },
      { property: "qualifier", member: "Qualifier" },
    ],
  },
  {
    type: "aws:lambda/permission:Permission",
    service: "lambda",
    operation: "AddPermission",
    fields: [
      { property: "function", member: "FunctionName" },
      { property: "statementId", member: "StatementId" },
      { property: "action", member: "Action" },
      { property: "principal", member: "Principal" },
      { property: "qualifier", member: "Qualifier" },
    ],
  },
  {
    type: "aws:route53/healthCheck:HealthCheck",
    service: "route53",
    operation: "CreateHealthCheck",
    fields: [
      { property: "type", member: "HealthCheckConfig.Type" },
      { property: "fqdn", member: "HealthCheckConfig.FullyQualifiedDomainName" },
      { property: "resourcePath", member: "HealthCheckConfig.ResourcePath" },
      { property: "searchString", member: "HealthCheckConfig.SearchString" },
      { property: "regions.[]", member: "HealthCheckConfig.Regions.[]", enumNotChecked: route53Region },
      { property: "tags.{key}", operation: "ChangeTagsForResource", member: "AddTags.[].Key" },
      { property: "tags.{value}", operation: "ChangeTagsForResource", member: "AddTags.[].Value" },
    ],
  },
  {
    type: "aws:route53/record:Record",
    service: "route53",
    operation: "ChangeResourceRecordSets",
    fields: [
      { property: "name", member: "ChangeBatch.Changes.[].ResourceRecordSet.Name" },
      { property: "type", member: "ChangeBatch.Changes.[].ResourceRecordSet.Type" },
      { property: "setIdentifier", member: "ChangeBatch.Changes.[].ResourceRecordSet.SetIdentifier" },
      { property: "records.[]", member: "ChangeBatch.Changes.[].ResourceRecordSet.ResourceRecords.[].Value" },
      { property: "latencyRoutingPolicies.[].region", member: "ChangeBatch.Changes.[].ResourceRecordSet.Region", enumNotChecked: route53Region },
      { property: "failoverRoutingPolicies.[].type", member: "ChangeBatch.Changes.[].ResourceRecordSet.Failover" },
      { property: "zoneId", member: "HostedZoneId" },
    ],
  },
  {
    type: "aws:s3/bucket:Bucket",
    service: "s3",
    operation: "CreateBucket",
    // The model's S3 Tag.Value is a plain String; no rule for it was found documented for PutBucketTagging.
    fields: [
      { property: "tags.{key}", operation: "PutBucketTagging", member: "Tagging.TagSet.[].Key" },
    ],
  },
  {
    type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    service: "s3",
    operation: "PutBucketOwnershipControls",
    fields: [{ property: "rule.objectOwnership", member: "OwnershipControls.Rules.[].ObjectOwnership" }],
  },
  {
    type: "aws:s3/bucketVersioning:BucketVersioning",
    service: "s3",
    operation: "PutBucketVersioning",
    fields: [{ property: "versioningConfiguration.status", member: "VersioningConfiguration.Status" }],
  },
  {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    service: "s3",
    operation: "PutBucketEncryption",
    fields: [
      {
        property: "rules.[].applyServerSideEncryptionByDefault.sseAlgorithm",
        member: "ServerSideEncryptionConfiguration.Rules.[].ApplyServerSideEncryptionByDefault.SSEAlgorithm",
      },
    ],
  },
  {
    type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    service: "s3",
    operation: "PutBucketLifecycleConfiguration",
    fields: [{ property: "rules.[].status", member: "LifecycleConfiguration.Rules.[].Status" }],
  },
  {
    type: "aws:sns/topic:Topic",
    service: "sns",
    operation: "CreateTopic",
    fields: [
      { property: "name", member: "Name", documented: "sns topic name", when: { property: "fifoTopic", is: false } },
      { property: "name", member: "Name", documented: "sns fifo topic name", when: { property: "fifoTopic", is: true } },
      ...keyValueTags,
    ],
  },
  {
    type: "aws:wafv2/webAcl:WebAcl",
    service: "wafv2",
    operation: "CreateWebACL",
    fields: [
      { property: "name", member: "Name" },
      { property: "description", member: "Description" },
      { property: "scope", member: "Scope" },
      { property: "visibilityConfig.metricName", member: "VisibilityConfig.MetricName" },
      { property: "rules.[].name", member: "Rules.[].Name" },
      { property: "rules.[].visibilityConfig.metricName", member: "Rules.[].VisibilityConfig.MetricName" },
      { property: "rules.[].statement.rateBasedStatement.aggregateKeyType", member: "Rules.[].Statement.RateBasedStatement.AggregateKeyType" },
      { property: "rules.[].statement.managedRuleGroupStatement.name", member: "Rules.[].Statement.ManagedRuleGroupStatement.Name" },
      { property: "rules.[].statement.managedRuleGroupStatement.vendorName", member: "Rules.[].Statement.ManagedRuleGroupStatement.VendorName" },
      { property: "rules.[].statement.managedRuleGroupStatement.version", member: "Rules.[].Statement.ManagedRuleGroupStatement.Version" },
      ...keyValueTags,
    ],
  },
];

/**
 * Types tap creates that have no mapped field, and why. The test of the
 * every-option plan fails on a type in neither list, so a new resource type
 * cannot go unchecked unnoticed.
 */
export const TYPES_WITHOUT_RULES: Readonly<Record<string, string>> = {
  "aws:acm/certificateValidation:CertificateValidation": "no AWS request: the provider waits for ACM to validate the certificate",
  "aws:apigateway/account:Account": "UpdateAccount takes only the role ARN (a reference), as a patch operation without a model rule",
  "aws:apigateway/resource:Resource": "CreateResource pathPart is a plain String in the model",
  "aws:apigateway/method:Method": "PutMethod httpMethod and authorizationType are plain Strings in the model",
  "aws:ec2/route:Route": "CreateRoute takes CIDRs and IDs only, plain Strings in the model",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "AssociateRouteTable takes IDs only",
  "aws:s3/bucketPolicy:BucketPolicy": "PutBucketPolicy Policy is a plain String in the model",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "booleans only",
  "aws:sns/topicPolicy:TopicPolicy": "SetTopicAttributes AttributeValue is a plain String in the model",
  "aws:sns/topicSubscription:TopicSubscription": "Subscribe Protocol and Endpoint are plain Strings in the model",
  "aws:wafv2/webAclAssociation:WebAclAssociation": "AssociateWebACL takes two ARNs (references)",
  "pulumi-nodejs:dynamic:Resource": "the release step: no AWS resource of its own; its CreateDeployment names the application and group checked above",
};
