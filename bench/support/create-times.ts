/**
 * Typical create times of the resource types tap deploys, for the on-paper
 * deployment estimate (bench/sections/5-critical-path.ts). These are estimates, not
 * measurements: nothing here talks to AWS. Where a figure comes from a
 * documented fact it says so; the rest are typical times for one create
 * call plus the waiter the AWS provider runs after it (the provider polls
 * until the resource is usable), rounded to whole seconds.
 *
 * Component resources and providers take no time: they are bookkeeping in
 * the engine, with no AWS call.
 */

export interface CreateTime {
  readonly seconds: number;
  /** Why this figure. */
  readonly note: string;
}

/** Used for a type missing from the table; the report lists every type that fell back to it. */
export const DEFAULT_CREATE_TIME: CreateTime = { seconds: 2, note: "no entry: assumed one API call and a short waiter" };

const ESTIMATE = "estimate: one create call plus the provider's waiter";

export const CREATE_TIMES: Readonly<Record<string, CreateTime>> = {
  // --- network
  "aws:ec2/vpc:Vpc": { seconds: 3, note: "CreateVpc, then the provider waits for `available` and sets DNS attributes" },
  "aws:ec2/subnet:Subnet": { seconds: 2, note: ESTIMATE },
  "aws:ec2/routeTable:RouteTable": { seconds: 2, note: ESTIMATE },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { seconds: 1, note: ESTIMATE },
  "aws:ec2/route:Route": { seconds: 1, note: ESTIMATE },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { seconds: 6, note: "gateway endpoint; the provider waits for `available`" },
  "aws:ec2/securityGroup:SecurityGroup": { seconds: 3, note: "CreateSecurityGroup, then revoking the default egress rule" },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { seconds: 2, note: "adopts the VPC's default group and strips its rules" },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { seconds: 1, note: ESTIMATE },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { seconds: 1, note: ESTIMATE },
  "aws:ec2/flowLog:FlowLog": { seconds: 2, note: ESTIMATE },
  "aws:ec2/internetGateway:InternetGateway": { seconds: 2, note: "create and attach" },
  "aws:ec2/eip:Eip": { seconds: 1, note: ESTIMATE },
  "aws:ec2/natGateway:NatGateway": { seconds: 120, note: "the provider waits for `available`: typically 1-3 min" },
  // --- IAM (global service; the first use of a new role can fail until it propagates)
  "aws:iam/role:Role": { seconds: 3, note: "CreateRole; propagation to other services takes seconds more (see the Lambda entry)" },
  "aws:iam/rolePolicy:RolePolicy": { seconds: 1, note: ESTIMATE },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { seconds: 1, note: ESTIMATE },
  "aws:iam/policy:Policy": { seconds: 1, note: ESTIMATE },
  // --- storage
  "aws:s3/bucket:Bucket": { seconds: 2, note: "CreateBucket plus the provider's read-back" },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { seconds: 1, note: ESTIMATE },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { seconds: 1, note: ESTIMATE },
  "aws:s3/bucketPolicy:BucketPolicy": { seconds: 2, note: "the provider retries until the policy is readable" },
  "aws:s3/bucketVersioning:BucketVersioning": { seconds: 2, note: "the provider waits until versioning reads back as Enabled" },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { seconds: 1, note: ESTIMATE },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { seconds: 3, note: "the provider waits until the rules read back" },
  // --- compute and API
  "aws:cloudwatch/logGroup:LogGroup": { seconds: 1, note: ESTIMATE },
  "aws:lambda/function:Function": { seconds: 75, note: "VPC-attached: Pending while its ENIs are created, 60-90 s (docs/aws-facts.md, \"A function in a VPC\"); includes the wait for the new role to be assumable" },
  "aws:lambda/permission:Permission": { seconds: 1, note: ESTIMATE },
  "aws:lambda/alias:Alias": { seconds: 1, note: ESTIMATE },
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": { seconds: 120, note: "the provider waits until the instances are READY: minutes" },
  "aws:apigateway/restApi:RestApi": { seconds: 2, note: "CreateRestApi; quota 1 per 3 s (see RATE_LIMITS)" },
  "aws:apigateway/resource:Resource": { seconds: 1, note: ESTIMATE },
  "aws:apigateway/method:Method": { seconds: 1, note: ESTIMATE },
  "aws:apigateway/integration:Integration": { seconds: 1, note: ESTIMATE },
  "aws:apigateway/deployment:Deployment": { seconds: 2, note: "CreateDeployment; quota 1 per 5 s (see RATE_LIMITS)" },
  "aws:apigateway/stage:Stage": { seconds: 2, note: ESTIMATE },
  "aws:apigateway/methodSettings:MethodSettings": { seconds: 1, note: ESTIMATE },
  "aws:apigateway/account:Account": { seconds: 5, note: "UpdateAccount (quota 1 per 20 s); retried until the new CloudWatch role propagates" },
  "aws:apigateway/domainName:DomainName": { seconds: 30, note: "CreateDomainName (quota 1 per 30 s); regional endpoint" },
  "aws:apigateway/basePathMapping:BasePathMapping": { seconds: 1, note: ESTIMATE },
  // --- monitoring
  "aws:kms/key:Key": { seconds: 8, note: "CreateKey, then the provider waits for the key and its policy to propagate" },
  "aws:kms/alias:Alias": { seconds: 1, note: ESTIMATE },
  "aws:sns/topic:Topic": { seconds: 1, note: ESTIMATE },
  "aws:sns/topicPolicy:TopicPolicy": { seconds: 1, note: ESTIMATE },
  "aws:sns/topicSubscription:TopicSubscription": { seconds: 1, note: "email: created pending confirmation, no wait" },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { seconds: 1, note: ESTIMATE },
  "aws:cloudwatch/dashboard:Dashboard": { seconds: 1, note: ESTIMATE },
  // --- optional global layer
  "aws:acm/certificate:Certificate": { seconds: 5, note: "request only; validation is its own resource" },
  "aws:acm/certificateValidation:CertificateValidation": { seconds: 300, note: "waits for DNS validation: typically a few minutes" },
  "aws:route53/record:Record": { seconds: 40, note: "the provider waits for the change to be INSYNC: usually under a minute" },
  "aws:route53/healthCheck:HealthCheck": { seconds: 2, note: ESTIMATE },
  "aws:wafv2/webAcl:WebAcl": { seconds: 3, note: ESTIMATE },
  "aws:wafv2/webAclAssociation:WebAclAssociation": { seconds: 5, note: "retried until the stage is associable" },
};

/** A control-plane quota that spaces out creates of one type. */
export interface RateLimit {
  /** Seconds between two create calls. */
  readonly intervalSeconds: number;
  readonly operation: string;
}

/**
 * API Gateway's fixed control-plane quotas (AWS's "API Gateway quotas" page,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html,
 * which says "per account" for these). The control plane has an
 * endpoint per region, and the same page puts the account-level quotas "per
 * account, per Region", so the estimate applies them per region and shows the
 * account-wide reading as a worst case.
 */
export const RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  "aws:apigateway/restApi:RestApi": { intervalSeconds: 3, operation: "CreateRestApi (regional)" },
  "aws:apigateway/deployment:Deployment": { intervalSeconds: 5, operation: "CreateDeployment" },
  "aws:apigateway/account:Account": { intervalSeconds: 20, operation: "UpdateAccount" },
  "aws:apigateway/domainName:DomainName": { intervalSeconds: 30, operation: "CreateDomainName" },
};

/** Create time of one resource; a Lambda outside a VPC skips the ENI wait. */
export function createTimeOf(type: string, inputs: Readonly<Record<string, unknown>>): CreateTime {
  if (type === "aws:lambda/function:Function" && !inputs.vpcConfig) {
    return { seconds: 10, note: "not VPC-attached: a few seconds, plus role propagation" };
  }
  return CREATE_TIMES[type] ?? DEFAULT_CREATE_TIME;
}
