import fc from "fast-check";
import {
  LambdaNetworkScope,
  PolicyDocument,
  PolicyStatement,
  assumeRolePolicy,
  flowLogsPolicy,
  lambdaExecutionPolicy,
  tlsOnlyBucketPolicy,
} from "../lib/iam-policies";

/** The documents go to AWS as JSON: test what survives the round trip. */
function roundTrip(document: PolicyDocument): PolicyDocument {
  return JSON.parse(JSON.stringify(document)) as PolicyDocument;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const LOG_GROUP_ARN = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/shop-api-eu-west-1-qa";
const SCOPE: LambdaNetworkScope = {
  partition: "aws",
  region: "eu-west-1",
  accountId: "111122223333",
  subnetArns: [
    "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aaa",
    "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0bbb",
  ],
  securityGroupArn: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0ccc",
};

describe("assumeRolePolicy", () => {
  it.each(["lambda.amazonaws.com", "apigateway.amazonaws.com", "vpc-flow-logs.amazonaws.com"])(
    "lets only %s call sts:AssumeRole",
    (service) => {
      expect(roundTrip(assumeRolePolicy(service))).toEqual({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      });
    },
  );
});

describe("lambdaExecutionPolicy", () => {
  it("grants exactly: log writes to its own group, interfaces in its own subnets and group, Describe and X-Ray on *", () => {
    const nis = "arn:aws:ec2:eu-west-1:111122223333:network-interface/*";
    expect(roundTrip(lambdaExecutionPolicy(LOG_GROUP_ARN, SCOPE))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP_ARN}:*` },
        {
          Sid: "CreateFunctionNetworkInterfaces",
          Effect: "Allow",
          Action: "ec2:CreateNetworkInterface",
          Resource: [
            nis,
            "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aaa",
            "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0bbb",
            "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0ccc",
          ],
        },
        {
          Sid: "ManageFunctionNetworkInterfaces",
          Effect: "Allow",
          Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
          Resource: nis,
        },
        { Sid: "DescribeNetwork", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
        { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
      ],
    });
  });

  it("builds the network-interface ARN from the given partition, region and account", () => {
    const policy = lambdaExecutionPolicy("arn:aws-cn:logs:cn-north-1:444455556666:log-group:/aws/lambda/f", {
      partition: "aws-cn",
      region: "cn-north-1",
      accountId: "444455556666",
      subnetArns: ["arn:aws-cn:ec2:cn-north-1:444455556666:subnet/subnet-1"],
      securityGroupArn: "arn:aws-cn:ec2:cn-north-1:444455556666:security-group/sg-1",
    });
    const manage = policy.Statement.find((s) => s.Sid === "ManageFunctionNetworkInterfaces");
    expect(manage?.Resource).toBe("arn:aws-cn:ec2:cn-north-1:444455556666:network-interface/*");
  });

  /** Security Hub IAM.1 / IAM.21: no wildcard actions, "*" only where AWS allows nothing narrower. */
  it("never has a wildcard action, and uses Resource \"*\" only for EC2 Describe* and X-Ray writes, for any scope", () => {
    const id = fc.stringMatching(/^[0-9a-f]{8,17}$/);
    const scope = fc.record({
      partition: fc.constantFrom("aws", "aws-cn", "aws-us-gov"),
      region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-7", "cn-north-1"),
      accountId: fc.stringMatching(/^\d{12}$/),
      subnetIds: fc.uniqueArray(id, { minLength: 1, maxLength: 6 }),
      securityGroupId: id,
      functionName: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    });
    fc.assert(
      fc.property(scope, (s) => {
        const arn = (type: string, resourceId: string) => `arn:${s.partition}:ec2:${s.region}:${s.accountId}:${type}/${resourceId}`;
        const logGroupArn = `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:/aws/lambda/${s.functionName}`;
        const policy = roundTrip(lambdaExecutionPolicy(logGroupArn, {
          partition: s.partition,
          region: s.region,
          accountId: s.accountId,
          subnetArns: s.subnetIds.map((subnet) => arn("subnet", `subnet-${subnet}`)),
          securityGroupArn: arn("security-group", `sg-${s.securityGroupId}`),
        }));
        for (const statement of policy.Statement) {
          expect(statement.Effect).toBe("Allow");
          expect(statement.Principal).toBeUndefined();
          expect(statement.Condition).toBeUndefined();
          const actions = asList(statement.Action);
          for (const action of actions) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
          for (const resource of asList(statement.Resource)) {
            if (resource === "*") {
              expect(actions.every((a) => /^ec2:Describe[A-Za-z]+$/.test(a) || /^xray:Put[A-Za-z]+$/.test(a))).toBe(true);
            } else {
              // Every scoped resource is in this partition, region and account.
              expect(resource.startsWith(`arn:${s.partition}:`)).toBe(true);
              expect(resource.split(":").slice(3, 5)).toEqual([s.region, s.accountId]);
            }
          }
        }
        const create = policy.Statement.find((st) => asList(st.Action).includes("ec2:CreateNetworkInterface")) as PolicyStatement;
        expect(asList(create.Resource)).toEqual([
          `arn:${s.partition}:ec2:${s.region}:${s.accountId}:network-interface/*`,
          ...s.subnetIds.map((subnet) => arn("subnet", `subnet-${subnet}`)),
          arn("security-group", `sg-${s.securityGroupId}`),
        ]);
      }),
      { numRuns: 100 },
    );
  });
});

describe("flowLogsPolicy", () => {
  it("writes only to the given log group, and looks up groups on * (DescribeLogGroups has no resource scope)", () => {
    const arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc-flow-logs/x";
    expect(roundTrip(flowLogsPolicy(arn))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [arn, `${arn}:*`],
        },
        { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
      ],
    });
  });
});

describe("tlsOnlyBucketPolicy", () => {
  it("denies every principal every S3 action on the bucket and its objects unless the request used TLS", () => {
    expect(roundTrip(tlsOnlyBucketPolicy("arn:aws:s3:::my-bucket"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });
});
