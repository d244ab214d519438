import * as pulumi from "@pulumi/pulumi";
import { Account } from "@pulumi/aws/apigateway/account";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import type { Provider } from "@pulumi/aws/provider";
import { missingLoggingRoleProblem } from "./account-checks";

/**
 * What the program reads from the account before it creates anything, so
 * that a stack which cannot deploy there stops at `pulumi preview`, with one
 * line that names the fix, instead of failing half way through `pulumi up`.
 *
 * Today that is API Gateway's CloudWatch role. Every stage tap creates writes
 * access logs (and execution logs unless `apiLoggingLevel` is OFF), and
 * API Gateway refuses such a stage, with "CloudWatch Logs role ARN must be
 * set in account settings to enable logging", until the account has a
 * CloudWatch role set in that region
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
 * The setting is one per account and region, so a stack only writes it when
 * told to (`manageApiGatewayAccount`); otherwise it reads it here.
 *
 * @pulumi/aws 7.48 has no data source for the setting, so it is read as a
 * resource (`aws.apigateway.Account.get`): the provider's Read calls
 * API Gateway's GetAccount, which takes no ID, and Pulumi runs reads during
 * `pulumi preview` as well as `pulumi up`.
 */

/**
 * The account cannot take this stack yet. Pulumi prints a RunError as its
 * message alone, without a stack trace.
 */
export class AccountNotReadyError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    this.name = "AccountNotReadyError";
    // Every resource of the stack waits for the check, so this one error reaches each of their inputs, and Pulumi's
    // SDK prefixes `error serializing property "x": ` to an error's message each time it does (runtime/rpc.js,
    // serializeAllKeys), dozens of times over. The message ignores those writes and stays the one line it was.
    Object.defineProperty(this, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: false });
  }
}

export interface RegionProvider {
  readonly region: string;
  readonly provider: Provider;
}

/**
 * Reads API Gateway's account settings in each region and returns what every
 * resource of the stack waits for: an Output that resolves to no resources
 * when each region has a CloudWatch role, and fails with
 * `missingLoggingRoleProblem` otherwise. A resource whose `dependsOn` fails is
 * never registered, and a component's children wait for their parent, so
 * nothing is created in any region.
 */
export function loggingRoleGate(name: string, regions: readonly RegionProvider[], parent: pulumi.Resource): pulumi.Output<pulumi.Resource[]> {
  const reads = regions.map(({ region, provider }) => {
    const options = { parent, provider };
    // The ID is only a label for the read (GetAccount takes none); the account ID is what `pulumi import` documents.
    const account = Account.get(`${name}-${region}-apigw-account-settings`, getCallerIdentityOutput({}, options).accountId, undefined, options);
    return pulumi.all([account.cloudwatchRoleArn, account.id]).apply(([roleArn, accountId]) => ({ region, roleArn, accountId }));
  });
  return pulumi.all(reads).apply((settings) => {
    const problem = missingLoggingRoleProblem(settings[0]?.accountId ?? "", settings.filter((setting) => !setting.roleArn).map((setting) => setting.region));
    if (problem) throw new AccountNotReadyError(problem);
    return [];
  });
}
