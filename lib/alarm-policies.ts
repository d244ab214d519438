/**
 * Resource policies of a region's alarm topic and of the KMS key that
 * encrypts it. Pure: the tests and the offline plan call them directly.
 *
 * Why a customer-managed key: CloudWatch calls KMS itself (kms:GenerateDataKey*,
 * kms:Decrypt) when it publishes to an encrypted topic. The AWS-managed key
 * `alias/aws/sns` has a fixed key policy that does not grant
 * cloudwatch.amazonaws.com, so alarms on such a topic fail with KMS
 * AccessDenied and no notification is sent (AWS Knowledge Center
 * "cloudwatch-configure-alarm-sns"). Only a customer-managed key, whose policy
 * we write, works. It costs $1 per month per region.
 */

/** A JSON IAM policy document (key or resource policy). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal: { readonly AWS?: string; readonly Service?: string };
  readonly Action: string | readonly string[];
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/** Where the alarms live: the values their ARNs are built from. */
export interface AlarmScope {
  /** `aws` for the commercial partition. */
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export const CLOUDWATCH_SERVICE_PRINCIPAL = "cloudwatch.amazonaws.com";

/** What CloudWatch needs on the key to publish to an encrypted topic (AWS Knowledge Center). */
export const CLOUDWATCH_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"] as const;

/**
 * A CloudWatch alarm's ARN. The name is set explicitly on every alarm, so the
 * ARN is known before the alarm exists: the policies can name exactly these
 * alarms without depending on them (the alarms depend on the topic instead).
 */
export function alarmArn(scope: AlarmScope, alarmName: string): string {
  return `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.accountId}:alarm:${alarmName}`;
}

/**
 * Confused-deputy guard: CloudWatch may use the key or topic only on behalf of
 * these alarms in this account (aws:SourceAccount and aws:SourceArn, which
 * CloudWatch sets on its calls to SNS and KMS).
 */
function sourceConditions(scope: AlarmScope, alarmNames: readonly string[]): Record<string, Record<string, string | readonly string[]>> {
  return {
    StringEquals: { "aws:SourceAccount": scope.accountId },
    ArnLike: { "aws:SourceArn": alarmNames.map((name) => alarmArn(scope, name)) },
  };
}

/**
 * Key policy of the alarm topic's key.
 *
 * 1. The account root may administer the key. This is AWS's default key
 *    statement: it grants nothing by itself, it lets IAM policies decide, and
 *    without it the key can become unmanageable (KMS would reject the policy
 *    under its lockout safety check). `kms:*` is the documented form.
 * 2. CloudWatch may encrypt and decrypt with it, only for these alarms.
 */
export function alarmTopicKeyPolicy(scope: AlarmScope, alarmNames: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowAccountAdministration",
        Effect: "Allow",
        Principal: { AWS: `arn:${scope.partition}:iam::${scope.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AllowCloudWatchAlarmsToUseKey",
        Effect: "Allow",
        Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
        Action: [...CLOUDWATCH_KEY_ACTIONS],
        // In a key policy "*" means this key.
        Resource: "*",
        Condition: sourceConditions(scope, alarmNames),
      },
    ],
  };
}

/**
 * Topic policy: CloudWatch may publish, only for these alarms. It replaces
 * SNS's default policy; principals of the account keep their access through
 * their IAM policies, which suffice within one account.
 */
export function alarmTopicPolicy(scope: AlarmScope, topicArn: string, alarmNames: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowCloudWatchAlarmsToPublish",
        Effect: "Allow",
        Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: sourceConditions(scope, alarmNames),
      },
    ],
  };
}
