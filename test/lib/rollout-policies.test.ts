import { assumeRolePolicy, codeDeployReleasePolicy } from "../../lib/iam-policies";

/**
 * CodeDeploy's service role, as documents: the actions of AWS's managed
 * AWSCodeDeployRoleForLambdaLimited (lambda:GetAlias, lambda:UpdateAlias,
 * lambda:GetProvisionedConcurrencyConfig, cloudwatch:DescribeAlarms), each on
 * this function and these alarms only; and the trust policy CodeDeploy's
 * confused-deputy guidance asks for (aws:SourceAccount plus the deployment
 * group's ARN as aws:SourceArn).
 */

const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111111111111:function:shop-api";
const ALARMS = ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:errors", "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:5xx"];

describe("codeDeployReleasePolicy", () => {
  it("lets CodeDeploy read and move this function's aliases, and read these alarms, nothing else", () => {
    expect(codeDeployReleasePolicy({ functionArn: FUNCTION_ARN, alarmArns: ALARMS })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ShiftLiveAlias",
          Effect: "Allow",
          Action: ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:GetProvisionedConcurrencyConfig"],
          Resource: [FUNCTION_ARN, `${FUNCTION_ARN}:*`],
        },
        { Sid: "ReadRollbackAlarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: ALARMS },
      ],
    });
  });

  it("grants no wildcard resource and no S3 or invoke permission (tap sends its AppSpec inline and has no hooks)", () => {
    const statements = codeDeployReleasePolicy({ functionArn: FUNCTION_ARN, alarmArns: ALARMS }).Statement;
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
