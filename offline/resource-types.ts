/**
 * The type tokens of what the program registers, by one name each: the vocabulary the mock cloud's queries, the
 * offline plan and every test use, so that a token is spelled once. An AWS token is
 * `aws:<module>/<resource in camelCase>:<Resource>`, as @pulumi/aws registers it; a component's token is the one
 * its class in lib/ passes to `super`.
 *
 * Names follow the resource's class in @pulumi/aws, shortened where the service is clear (`alarm` for
 * `cloudwatch.MetricAlarm`) and prefixed where two services share a class name (`kmsKey`, `iamPolicy`).
 */
export const TYPES = {
  /** An explicit AWS provider (one per region). */
  provider: "pulumi:providers:aws",

  // tap's components (lib/)
  tapStack: "tap:index:TapStack",
  functionIdentity: "tap:compute:FunctionIdentity",
  regionalNetwork: "tap:network:RegionalNetwork",
  artifactBucket: "tap:storage:ArtifactBucket",
  serverlessApi: "tap:compute:ServerlessApi",
  regionalAlarms: "tap:monitoring:RegionalAlarms",
  globalDashboard: "tap:monitoring:GlobalDashboard",
  globalRouting: "tap:global:GlobalRouting",
  regionalWaf: "tap:edge:RegionalWaf",
  regionalRollout: "tap:rollout:RegionalRollout",
  releaseWave: "tap:rollout:ReleaseWave",

  // VPC
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  route: "aws:ec2/route:Route",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  eip: "aws:ec2/eip:Eip",
  natGateway: "aws:ec2/natGateway:NatGateway",
  vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  /** The older, inline-style rule resource; the program uses `egressRule`. */
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  flowLog: "aws:ec2/flowLog:FlowLog",

  // IAM
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  /** A managed policy (`iam.Policy`). */
  iamPolicy: "aws:iam/policy:Policy",

  // Lambda
  function: "aws:lambda/function:Function",
  alias: "aws:lambda/alias:Alias",
  provisionedConcurrency: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
  permission: "aws:lambda/permission:Permission",

  // API Gateway (REST)
  restApi: "aws:apigateway/restApi:RestApi",
  /** A path part of the REST API (`apigateway.Resource`). */
  apiResource: "aws:apigateway/resource:Resource",
  method: "aws:apigateway/method:Method",
  integration: "aws:apigateway/integration:Integration",
  deployment: "aws:apigateway/deployment:Deployment",
  stage: "aws:apigateway/stage:Stage",
  methodSettings: "aws:apigateway/methodSettings:MethodSettings",
  /** The account-and-region setting of API Gateway's CloudWatch role. */
  apiGatewayAccount: "aws:apigateway/account:Account",
  domainName: "aws:apigateway/domainName:DomainName",
  basePathMapping: "aws:apigateway/basePathMapping:BasePathMapping",

  // S3
  bucket: "aws:s3/bucket:Bucket",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",

  // CloudWatch
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",

  // SNS and KMS
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  kmsKey: "aws:kms/key:Key",

  // The opt-in global layer: ACM, Route 53, WAF
  certificate: "aws:acm/certificate:Certificate",
  certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",

  // The opt-in gradual rollout: CodeDeploy, and the release step (a Pulumi dynamic resource)
  codedeployApplication: "aws:codedeploy/application:Application",
  deploymentGroup: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  dynamicResource: "pulumi-nodejs:dynamic:Resource",
} as const;

/** One of the tokens above. */
export type ResourceType = (typeof TYPES)[keyof typeof TYPES];

/** The lookups (invokes) the program makes, by one name each. */
export const LOOKUPS = {
  availabilityZones: "aws:index/getAvailabilityZones:getAvailabilityZones",
  callerIdentity: "aws:index/getCallerIdentity:getCallerIdentity",
  partition: "aws:index/getPartition:getPartition",
  region: "aws:index/getRegion:getRegion",
} as const;
