import * as pulumi from "@pulumi/pulumi";
import * as codedeploy from "@pulumi/aws/codedeploy";
import * as iam from "@pulumi/aws/iam";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { RegionNames } from "./naming";
import { assumeRolePolicy, codeDeployReleasePolicy } from "./iam-policies";
import { AUTO_ROLLBACK_EVENTS, GradualRolloutMode, LIVE_ALIAS, ROLLOUT_STRATEGIES } from "./rollout-spec";

export interface RegionalRolloutArgs {
  names: RegionNames;
  /** `canary` or `linear`: the deployment group's CodeDeploy configuration. */
  mode: GradualRolloutMode;
  /** The function's unqualified ARN: the service role may shift its aliases only. */
  functionArn: pulumi.Input<string>;
  /** Names of the alarms that stop a release and roll it back (at most 10: CodeDeploy's limit). */
  rollbackAlarmNames: pulumi.Input<string>[];
  /** Their ARNs, for the service role's DescribeAlarms permission. */
  rollbackAlarmArns: pulumi.Input<string>[];
}

/** What a deployment group of the Lambda compute platform must say: shift traffic between two versions. */
export const LAMBDA_DEPLOYMENT_STYLE = { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" } as const;
export const CODEDEPLOY_SERVICE_PRINCIPAL = "codedeploy.amazonaws.com";

/**
 * One region's CodeDeploy side of a gradual rollout: the application (compute
 * platform Lambda), its deployment group (the mode's configuration, automatic
 * rollback on failure and on the region's rollback alarms) and the service
 * role CodeDeploy uses, which may only shift this function's aliases and read
 * these alarms, and only for this deployment group. Bind it to the region's
 * provider through `opts.provider`.
 *
 * The group depends on the role and its policy, so a destroy deletes the group
 * first and CodeDeploy keeps its role for as long as the group exists.
 */
export class RegionalRollout extends pulumi.ComponentResource {
  public readonly role: iam.Role;
  public readonly rolePolicy: iam.RolePolicy;
  public readonly application: codedeploy.Application;
  public readonly deploymentGroup: codedeploy.DeploymentGroup;
  /** The account the region's provider deploys into, as AWS reports it. */
  public readonly accountId: pulumi.Output<string>;
  public readonly deploymentConfigName: string;

  constructor(name: string, args: RegionalRolloutArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:rollout:RegionalRollout", name, {}, opts);
    const { names } = args;
    const child = { parent: this };
    this.deploymentConfigName = ROLLOUT_STRATEGIES[args.mode].deploymentConfigName;

    this.accountId = getCallerIdentityOutput({}, child).accountId;
    const partition = getPartitionOutput({}, child).partition;
    // Built from names, not from the group's output: the group needs the role first.
    const groupArn = pulumi.interpolate`arn:${partition}:codedeploy:${names.region}:${this.accountId}:deploymentgroup:${names.codeDeployApplication}/${names.codeDeployGroup}`;

    this.role = new iam.Role(`${name}-role`, {
      name: names.codeDeployRole,
      description: `CodeDeploy shifts the live alias of ${names.lambdaFunction} in ${names.region}`,
      // Only CodeDeploy, acting for this account's deployment group (cross-service confused deputy prevention).
      assumeRolePolicy: pulumi.all([this.accountId, groupArn]).apply(([accountId, sourceArn]) =>
        JSON.stringify(assumeRolePolicy(CODEDEPLOY_SERVICE_PRINCIPAL, { accountId, sourceArn }))),
    }, child);

    this.rolePolicy = new iam.RolePolicy(`${name}-role-policy`, {
      role: this.role.id,
      policy: pulumi.all([args.functionArn, pulumi.all(args.rollbackAlarmArns)]).apply(([functionArn, alarmArns]) =>
        JSON.stringify(codeDeployReleasePolicy({ functionArn, aliasName: LIVE_ALIAS, alarmArns }))),
    }, child);

    this.application = new codedeploy.Application(`${name}-application`, {
      name: names.codeDeployApplication,
      computePlatform: "Lambda",
    }, child);

    this.deploymentGroup = new codedeploy.DeploymentGroup(`${name}-deployment-group`, {
      appName: this.application.name,
      deploymentGroupName: names.codeDeployGroup,
      serviceRoleArn: this.role.arn,
      deploymentConfigName: this.deploymentConfigName,
      deploymentStyle: { ...LAMBDA_DEPLOYMENT_STYLE },
      autoRollbackConfiguration: { enabled: true, events: [...AUTO_ROLLBACK_EVENTS] },
      // A release starts only while these are OK, and stops and rolls back when one fires.
      alarmConfiguration: { enabled: true, alarms: args.rollbackAlarmNames },
      // The policy first, so the role can act as soon as a deployment can start; on destroy the group goes first.
    }, { parent: this, dependsOn: [this.rolePolicy] });

    this.registerOutputs({
      applicationName: this.application.name,
      deploymentGroupName: this.deploymentGroup.deploymentGroupName,
      roleArn: this.role.arn,
    });
  }
}
