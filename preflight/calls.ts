import type { CheckId } from "./rows";

/**
 * Every AWS call preflight makes, with the IAM action it needs: the one
 * source of truth for preflight/iam-policy.json (a test checks that the
 * policy grants exactly these actions, and that the code sends no command
 * missing here) and for the permission an `unknown` row names when a call is
 * denied. Every call only reads.
 *
 * IAM actions: the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */

/** The SDK clients preflight uses, by the short name it gives each. */
export const SERVICES = ["sts", "ec2", "apigateway", "lambda", "servicequotas", "route53", "s3", "iam", "logs", "cloudwatch", "sns"] as const;
export type Service = (typeof SERVICES)[number];

/** The npm package of each service's client: the code imports commands from these only. */
export const SERVICE_PACKAGES: Readonly<Record<Service, string>> = {
  sts: "@aws-sdk/client-sts",
  ec2: "@aws-sdk/client-ec2",
  apigateway: "@aws-sdk/client-api-gateway",
  lambda: "@aws-sdk/client-lambda",
  servicequotas: "@aws-sdk/client-service-quotas",
  route53: "@aws-sdk/client-route-53",
  s3: "@aws-sdk/client-s3",
  iam: "@aws-sdk/client-iam",
  logs: "@aws-sdk/client-cloudwatch-logs",
  cloudwatch: "@aws-sdk/client-cloudwatch",
  sns: "@aws-sdk/client-sns",
};

export interface AwsCall {
  readonly service: Service;
  /** The SDK command's class name. */
  readonly command: string;
  /**
   * The IAM action the call needs, or null for none: STS GetCallerIdentity
   * works whatever the caller's policies say ("No permissions are required",
   * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
   */
  readonly iamAction: string | null;
  /** The checks that make the call. */
  readonly checks: readonly CheckId[];
}

export const AWS_CALLS: readonly AwsCall[] = [
  { service: "sts", command: "GetCallerIdentityCommand", iamAction: null, checks: ["account"] },
  { service: "ec2", command: "DescribeRegionsCommand", iamAction: "ec2:DescribeRegions", checks: ["region"] },
  // API Gateway's control plane authorizes by HTTP method on the resource path: GetAccount is GET /account.
  { service: "apigateway", command: "GetAccountCommand", iamAction: "apigateway:GET", checks: ["apigateway-logging-role"] },
  { service: "lambda", command: "GetAccountSettingsCommand", iamAction: "lambda:GetAccountSettings", checks: ["lambda-concurrency"] },
  { service: "lambda", command: "GetFunctionConcurrencyCommand", iamAction: "lambda:GetFunctionConcurrency", checks: ["lambda-concurrency"] },
  { service: "servicequotas", command: "GetServiceQuotaCommand", iamAction: "servicequotas:GetServiceQuota", checks: ["vpc-quota", "eip-quota"] },
  { service: "servicequotas", command: "GetAWSDefaultServiceQuotaCommand", iamAction: "servicequotas:GetAWSDefaultServiceQuota", checks: ["vpc-quota", "eip-quota"] },
  { service: "ec2", command: "DescribeVpcsCommand", iamAction: "ec2:DescribeVpcs", checks: ["vpc-quota"] },
  { service: "ec2", command: "DescribeAddressesCommand", iamAction: "ec2:DescribeAddresses", checks: ["eip-quota"] },
  { service: "route53", command: "GetHostedZoneCommand", iamAction: "route53:GetHostedZone", checks: ["hosted-zone"] },
  // HeadBucket is authorized as s3:ListBucket (S3 API reference, HeadBucket, "Permissions").
  { service: "s3", command: "HeadBucketCommand", iamAction: "s3:ListBucket", checks: ["name:bucket"] },
  { service: "s3", command: "GetBucketTaggingCommand", iamAction: "s3:GetBucketTagging", checks: ["name:bucket"] },
  { service: "lambda", command: "GetFunctionCommand", iamAction: "lambda:GetFunction", checks: ["name:function"] },
  { service: "iam", command: "GetRoleCommand", iamAction: "iam:GetRole", checks: ["name:role"] },
  { service: "logs", command: "DescribeLogGroupsCommand", iamAction: "logs:DescribeLogGroups", checks: ["name:log-group"] },
  { service: "logs", command: "ListTagsForResourceCommand", iamAction: "logs:ListTagsForResource", checks: ["name:log-group"] },
  { service: "cloudwatch", command: "DescribeAlarmsCommand", iamAction: "cloudwatch:DescribeAlarms", checks: ["name:alarm"] },
  { service: "cloudwatch", command: "ListTagsForResourceCommand", iamAction: "cloudwatch:ListTagsForResource", checks: ["name:alarm"] },
  { service: "cloudwatch", command: "GetDashboardCommand", iamAction: "cloudwatch:GetDashboard", checks: ["name:dashboard"] },
  { service: "sns", command: "GetTopicAttributesCommand", iamAction: "sns:GetTopicAttributes", checks: ["name:topic"] },
  { service: "sns", command: "ListTagsForResourceCommand", iamAction: "sns:ListTagsForResource", checks: ["name:topic"] },
];

/** The table entry of `command` sent through `service`'s client; throws for a call missing from the table. */
export function callOf(service: Service, command: string): AwsCall {
  const entry = AWS_CALLS.find((call) => call.service === service && call.command === command);
  if (!entry) throw new Error(`preflight sends ${service} ${command}, which preflight/calls.ts does not list: add it with its IAM action, and to iam-policy.json`);
  return entry;
}
