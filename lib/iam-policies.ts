/**
 * IAM policy documents, as pure functions of plain strings, so the tests can
 * parse and check them without Pulumi. Wherever AWS requires `Resource: "*"`,
 * a comment says so.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]> | "*";
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Restricts a service role to calls made on behalf of one account and source (confused-deputy protection). */
export interface ServiceSourceCondition {
  accountId: string;
  /** ARN pattern of the resources allowed to make the service assume the role. */
  sourceArn: string;
}

/** Trust policy that lets exactly one AWS service assume the role, optionally only for one account's resources. */
export function assumeRolePolicy(servicePrincipal: string, source?: ServiceSourceCondition): PolicyDocument {
  const statement: PolicyStatement = { Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole" };
  if (source) {
    statement.Condition = {
      StringEquals: { "aws:SourceAccount": source.accountId },
      ArnLike: { "aws:SourceArn": source.sourceArn },
    };
  }
  return { Version: "2012-10-17", Statement: [statement] };
}

/** What the VPC flow-logs service needs to write into one log group. */
export function flowLogsPolicy(logGroupArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        // DescribeLogGroups does not support resource-level permissions: AWS requires "*".
        Sid: "FindLogGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: "*",
      },
    ],
  };
}

/** Bucket policy that refuses every request not made over TLS (Security Hub S3.5). */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** The VPC whose network interfaces a function's role may create and delete: this region and account only. */
export interface LambdaNetworkScope {
  partition: string;
  region: string;
  accountId: string;
  /** ARN of the VPC the function runs in. */
  vpcArn: string;
}

/**
 * What Lambda needs, as the function's execution role, to create and delete
 * the function's network interfaces in one VPC.
 *
 * It is scoped by a condition on the VPC, not by the subnet and security-group
 * ARNs, for two reasons of lifecycle (see docs/lifecycle.md):
 * - On destroy, `replaceSecurityGroupsOnDestroy` moves the function to the
 *   VPC's default security group, so Lambda creates interfaces with a group
 *   other than the function's own: any group of this VPC must be allowed.
 * - A policy that reads the subnet and group ARNs depends on them, so Pulumi
 *   would delete it before them; Lambda then cannot delete its interfaces and
 *   the subnet and group deletes hang. Depending on the VPC only, the policy
 *   can be made a dependency of the subnets and groups instead, and outlive them.
 */
export function lambdaNetworkInterfacePolicy(scope: LambdaNetworkScope): PolicyDocument {
  const inRegion = `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // The interface being created; the statement below confines it to this VPC's subnets and groups.
        Sid: "CreateFunctionNetworkInterfaces",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterface",
        Resource: `${inRegion}:network-interface/*`,
      },
      {
        Sid: "UseThisVpcsSubnetsAndGroups",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterface",
        Resource: [`${inRegion}:subnet/*`, `${inRegion}:security-group/*`],
        Condition: { ArnEquals: { "ec2:Vpc": scope.vpcArn } },
      },
      {
        Sid: "ManageFunctionNetworkInterfaces",
        Effect: "Allow",
        Action: ["ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        Resource: `${inRegion}:network-interface/*`,
      },
      {
        // Lambda developer guide, "Configuring VPC access": DeleteNetworkInterface needs a unique
        // resource ID or all resource IDs (`arn:aws:ec2:REGION:ACCOUNT:*/*`); this account and region only.
        Sid: "DeleteFunctionNetworkInterfaces",
        Effect: "Allow",
        Action: "ec2:DeleteNetworkInterface",
        Resource: `${inRegion}:*/*`,
      },
      {
        // EC2 Describe* calls do not support resource-level permissions: AWS requires "*".
        Sid: "DescribeNetwork",
        Effect: "Allow",
        Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
        Resource: "*",
      },
    ],
  };
}

/** The rest of the function's permissions: logs to its own log group, and X-Ray writes. */
export function lambdaFunctionPolicy(logGroupArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn}:*`,
      },
      {
        // X-Ray's write APIs do not support resource-level permissions: AWS requires "*".
        Sid: "WriteTraces",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
    ],
  };
}

/** What one region's CodeDeploy service role may touch: one function's live alias and the alarms that stop its releases. */
export interface CodeDeployReleaseScope {
  /** The function's unqualified ARN. */
  functionArn: string;
  /** The alias CodeDeploy shifts (LIVE_ALIAS). */
  aliasName: string;
  /** ARNs of the alarms in the deployment group's alarm configuration. */
  alarmArns: readonly string[];
}

/**
 * The CodeDeploy service role's permissions for Lambda releases: the actions
 * of AWS's managed policy AWSCodeDeployRoleForLambdaLimited
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForLambdaLimited.html),
 * scoped to this one function, its live alias and these alarms instead of
 * `*`. The managed policy's S3 reads (revisions stored in S3), CodeDeployHook_*
 * invokes (lifecycle hooks) and sns:Publish (triggers) are left out: tap sends
 * its AppSpec inline and uses no hooks or triggers.
 *
 * What CodeDeploy does with the function during a Lambda deployment: reads the
 * AppSpec's alias (GetAlias), moves its weights to the target version step by
 * step and finally its version (UpdateAlias), and, when the alias has
 * provisioned concurrency, waits for the target version's share
 * (GetProvisionedConcurrencyConfig). It never reads or changes the function
 * itself (no GetFunction or UpdateFunctionCode).
 */
export function codeDeployReleasePolicy(scope: CodeDeployReleaseScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // The only write: moving the alias. Lambda lets function actions be restricted "by function, version, or
        // alias ARN" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html) without saying
        // which form an alias action is checked against, so both the function's ARN and the live alias's are
        // listed; any other alias or version of the function, and every other function, is out of reach.
        Sid: "ShiftLiveAlias",
        Effect: "Allow",
        Action: ["lambda:GetAlias", "lambda:UpdateAlias"],
        Resource: [scope.functionArn, `${scope.functionArn}:${scope.aliasName}`],
      },
      {
        // Read-only. AWS does not say whether CodeDeploy asks by the alias or by the versions it shifts between,
        // so the function's qualifiers are left open for this read.
        Sid: "WaitForProvisionedConcurrency",
        Effect: "Allow",
        Action: "lambda:GetProvisionedConcurrencyConfig",
        Resource: [scope.functionArn, `${scope.functionArn}:*`],
      },
      {
        // Metric alarms allow resource-level permissions for DescribeAlarms (only composite alarms need "*").
        Sid: "ReadRollbackAlarms",
        Effect: "Allow",
        Action: "cloudwatch:DescribeAlarms",
        Resource: [...scope.alarmArns],
      },
    ],
  };
}
