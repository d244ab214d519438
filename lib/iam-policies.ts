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

/** Where the function's network interfaces may be created: this region and account only. */
export interface LambdaNetworkScope {
  partition: string;
  region: string;
  accountId: string;
  subnetArns: string[];
  securityGroupArn: string;
}

/**
 * The Lambda execution role's permissions: network interfaces in its own
 * subnets and security group, X-Ray writes, and logs to its own log group.
 */
export function lambdaExecutionPolicy(logGroupArn: string, network: LambdaNetworkScope): PolicyDocument {
  const networkInterfaces = `arn:${network.partition}:ec2:${network.region}:${network.accountId}:network-interface/*`;
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
        // Lambda creates the function's interfaces as this role; scoped to its own subnets and group.
        Sid: "CreateFunctionNetworkInterfaces",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterface",
        Resource: [networkInterfaces, ...network.subnetArns, network.securityGroupArn],
      },
      {
        Sid: "ManageFunctionNetworkInterfaces",
        Effect: "Allow",
        Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        Resource: networkInterfaces,
      },
      {
        // EC2 Describe* calls do not support resource-level permissions: AWS requires "*".
        Sid: "DescribeNetwork",
        Effect: "Allow",
        Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
        Resource: "*",
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
