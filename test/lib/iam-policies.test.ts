import fc from "fast-check";
import {
  LambdaNetworkScope,
  PolicyDocument,
  assumeRolePolicy,
  codeDeployReleasePolicy,
  flowLogsPolicy,
  lambdaFunctionPolicy,
  lambdaNetworkInterfacePolicy,
  tlsOnlyBucketPolicy,
} from "../../lib/iam-policies";
import { LIVE_ALIAS } from "../../lib/rollout-spec";

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
  vpcArn: "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0abc",
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

describe("assumeRolePolicy with a source (confused-deputy protection)", () => {
  it("lets the service assume the role only for that account's resources matching the source ARN", () => {
    expect(roundTrip(assumeRolePolicy("vpc-flow-logs.amazonaws.com", { accountId: "111122223333", sourceArn: "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*" }))).toEqual({
      Version: "2012-10-17",
      Statement: [{
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "111122223333" },
          ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*" },
        },
      }],
    });
  });
});

describe("lambdaNetworkInterfacePolicy", () => {
  it("grants exactly: interfaces created only with this VPC's subnets and groups, deleted in this account and region, Describe on *", () => {
    const inRegion = "arn:aws:ec2:eu-west-1:111122223333";
    expect(roundTrip(lambdaNetworkInterfacePolicy(SCOPE))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "CreateFunctionNetworkInterfaces", Effect: "Allow", Action: "ec2:CreateNetworkInterface", Resource: `${inRegion}:network-interface/*` },
        {
          Sid: "UseThisVpcsSubnetsAndGroups",
          Effect: "Allow",
          Action: "ec2:CreateNetworkInterface",
          Resource: [`${inRegion}:subnet/*`, `${inRegion}:security-group/*`],
          Condition: { ArnEquals: { "ec2:Vpc": "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0abc" } },
        },
        {
          Sid: "ManageFunctionNetworkInterfaces",
          Effect: "Allow",
          Action: ["ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
          Resource: `${inRegion}:network-interface/*`,
        },
        { Sid: "DeleteFunctionNetworkInterfaces", Effect: "Allow", Action: "ec2:DeleteNetworkInterface", Resource: `${inRegion}:*/*` },
        { Sid: "DescribeNetwork", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
      ],
    });
  });

  it("names no subnet or security group: it depends on the VPC only, so it can outlive them on destroy", () => {
    const text = JSON.stringify(lambdaNetworkInterfacePolicy(SCOPE));
    expect(text).not.toMatch(/subnet-|sg-/);
    expect(text.match(/vpc-0abc/g)).toHaveLength(1);
  });

  it("builds every ARN from the given partition, region and account", () => {
    const policy = lambdaNetworkInterfacePolicy({ partition: "aws-cn", region: "cn-north-1", accountId: "444455556666", vpcArn: "arn:aws-cn:ec2:cn-north-1:444455556666:vpc/vpc-1" });
    const deletes = policy.Statement.find((s) => s.Sid === "DeleteFunctionNetworkInterfaces");
    expect(deletes?.Resource).toBe("arn:aws-cn:ec2:cn-north-1:444455556666:*/*");
  });

  /** Security Hub IAM.1 / IAM.21: no wildcard actions, "*" only where AWS allows nothing narrower. */
  it("never has a wildcard action, uses Resource \"*\" only for EC2 Describe*, and stays in its partition, region and account, for any scope", () => {
    const scope = fc.record({
      partition: fc.constantFrom("aws", "aws-cn", "aws-us-gov"),
      region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-7", "cn-north-1"),
      accountId: fc.stringMatching(/^\d{12}$/),
      vpcId: fc.stringMatching(/^[0-9a-f]{8,17}$/),
    });
    fc.assert(
      fc.property(scope, (s) => {
        const vpcArn = `arn:${s.partition}:ec2:${s.region}:${s.accountId}:vpc/vpc-${s.vpcId}`;
        const policy = roundTrip(lambdaNetworkInterfacePolicy({ partition: s.partition, region: s.region, accountId: s.accountId, vpcArn }));
        for (const statement of policy.Statement) {
          expect(statement.Effect).toBe("Allow");
          expect(statement.Principal).toBeUndefined();
          const actions = asList(statement.Action);
          for (const action of actions) expect(action).toMatch(/^ec2:[A-Za-z]+$/);
          for (const resource of asList(statement.Resource)) {
            if (resource === "*") {
              expect(actions.every((a) => /^ec2:Describe[A-Za-z]+$/.test(a))).toBe(true);
            } else {
              expect(resource.split(":").slice(0, 5)).toEqual(["arn", s.partition, "ec2", s.region, s.accountId]);
            }
          }
        }
        // Every statement that lets an interface use a subnet or group confines it to this VPC.
        const useStatements = policy.Statement.filter((st) => asList(st.Resource).some((r) => /:(subnet|security-group)\//.test(r)));
        expect(useStatements.map((st) => st.Condition)).toEqual([{ ArnEquals: { "ec2:Vpc": vpcArn } }]);
      }),
      { numRuns: 100 },
    );
  });
});

describe("lambdaFunctionPolicy", () => {
  it("grants exactly log writes to its own group and X-Ray writes on * (X-Ray has no resource scope)", () => {
    expect(roundTrip(lambdaFunctionPolicy(LOG_GROUP_ARN))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP_ARN}:*` },
        { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
      ],
    });
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

/**
 * CodeDeploy's service role, as documents: the actions of AWS's managed
 * AWSCodeDeployRoleForLambdaLimited (lambda:GetAlias, lambda:UpdateAlias,
 * lambda:GetProvisionedConcurrencyConfig, cloudwatch:DescribeAlarms), the
 * alias actions on this function's live alias only, the rest on this function
 * and these alarms only; and the trust policy CodeDeploy's
 * confused-deputy guidance asks for (aws:SourceAccount plus the deployment
 * group's ARN as aws:SourceArn).
 */

const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111111111111:function:shop-api";
const ALARMS = ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:errors", "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:5xx"];
const RELEASE_SCOPE = { functionArn: FUNCTION_ARN, aliasName: LIVE_ALIAS, alarmArns: ALARMS };

describe("codeDeployReleasePolicy", () => {
  it("lets CodeDeploy move only this function's live alias, read its provisioned concurrency and these alarms, nothing else", () => {
    expect(codeDeployReleasePolicy(RELEASE_SCOPE)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ShiftLiveAlias", Effect: "Allow", Action: ["lambda:GetAlias", "lambda:UpdateAlias"], Resource: [FUNCTION_ARN, `${FUNCTION_ARN}:live`] },
        {
          Sid: "WaitForProvisionedConcurrency",
          Effect: "Allow",
          Action: "lambda:GetProvisionedConcurrencyConfig",
          Resource: [FUNCTION_ARN, `${FUNCTION_ARN}:*`],
        },
        { Sid: "ReadRollbackAlarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: ALARMS },
      ],
    });
  });

  it("writes only the live alias: UpdateAlias reaches no other alias or version of the function", () => {
    const writes = codeDeployReleasePolicy(RELEASE_SCOPE).Statement.filter((s) => [s.Action].flat().includes("lambda:UpdateAlias"));
    expect(writes.map((s) => s.Resource)).toEqual([[FUNCTION_ARN, `${FUNCTION_ARN}:live`]]);
  });

  it("grants no wildcard resource and no S3 or invoke permission (tap sends its AppSpec inline and has no hooks)", () => {
    const statements = codeDeployReleasePolicy(RELEASE_SCOPE).Statement;
    const resources = statements.flatMap((s) => [s.Resource ?? []].flat());
    expect(resources.filter((resource) => resource === "*")).toEqual([]);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((action) => action.startsWith("s3:") || action === "lambda:InvokeFunction")).toEqual([]);
  });
});

describe("the CodeDeploy role's trust policy", () => {
  it("trusts only codedeploy.amazonaws.com acting for one account's deployment group", () => {
    const groupArn = "arn:aws:codedeploy:eu-west-1:111111111111:deploymentgroup:shop-api/shop-api-live";
    expect(assumeRolePolicy("codedeploy.amazonaws.com", { accountId: "111111111111", sourceArn: groupArn }).Statement).toEqual([{
      Effect: "Allow",
      Principal: { Service: "codedeploy.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": groupArn } },
    }]);
  });
});
