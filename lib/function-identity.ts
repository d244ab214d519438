import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { RegionNames } from "./naming";
import { assumeRolePolicy, lambdaFunctionPolicy } from "./iam-policies";

export interface FunctionIdentityArgs {
  /** Names of this region's resources: the role is `names.lambdaRole`, the log group `names.lambdaLogGroup`. */
  names: RegionNames;
}

/**
 * One region's Lambda execution role, with the permissions the function itself
 * uses: logs to its own log group and X-Ray writes.
 *
 * It is created before the region's network, because the network grants this
 * role the network-interface permissions (`RegionalNetwork`'s `interfacePolicy`)
 * and makes its subnets and security groups depend on that grant: on destroy,
 * Pulumi then deletes the subnets and groups before the grant and this role,
 * so Lambda can still delete the function's interfaces with them.
 */
export class FunctionIdentity extends pulumi.ComponentResource {
  public readonly role: iam.Role;
  /** Logs and X-Ray. */
  public readonly policy: iam.RolePolicy;

  constructor(name: string, args: FunctionIdentityArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:compute:FunctionIdentity", name, {}, opts);
    const { names } = args;
    const child = { parent: this };

    this.role = new iam.Role(`${name}-role`, {
      name: names.lambdaRole,
      description: `Execution role of ${names.lambdaFunction} in ${names.region}`,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")),
    }, child);

    // The log group's ARN follows from its name, which Lambda fixes (/aws/lambda/{function}): the policy need
    // not wait for the group, and the group can be deleted without this policy having to go first.
    const logGroupArn = pulumi
      .all([getPartitionOutput({}, child).partition, getCallerIdentityOutput({}, child).accountId])
      .apply(([partition, accountId]) => `arn:${partition}:logs:${names.region}:${accountId}:log-group:${names.lambdaLogGroup}`);
    this.policy = new iam.RolePolicy(`${name}-policy`, {
      role: this.role.id,
      policy: logGroupArn.apply((arn) => JSON.stringify(lambdaFunctionPolicy(arn))),
    }, child);

    this.registerOutputs({ roleArn: this.role.arn });
  }
}
