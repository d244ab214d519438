import * as pulumi from "@pulumi/pulumi";
import { Account } from "@pulumi/aws/apigateway/account";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import type { Provider } from "@pulumi/aws/provider";
import { AccountReadFailure, accountReadProblem, missingLoggingRoleProblem } from "./account-checks";

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

/** One region's answer: the role (undefined while none is set) and the account, or why the read failed. */
type RegionSetting =
  | { readonly region: string; readonly roleArn: string | undefined; readonly accountId: string }
  | { readonly region: string; readonly readFailure: string };

/**
 * Marks every output of a read resource as handled, so a failed read is
 * reported once, by the gate, instead of as an unhandled rejection of each
 * output Pulumi resolved with the error (`pulumi.recover`: "the original
 * failure is considered handled").
 */
function handleReadFailure(read: pulumi.Resource): void {
  for (const value of Object.values(read)) {
    if (pulumi.Output.isInstance(value)) pulumi.recover(value as pulumi.Output<unknown>, () => undefined);
  }
}

/**
 * Reads API Gateway's account settings in each region and returns what every
 * resource of the stack waits for: an Output that resolves to no resources
 * when each region has a CloudWatch role, and fails with
 * `missingLoggingRoleProblem` otherwise, or with `accountReadProblem` when a
 * read itself fails (access denied, a region not enabled). A resource whose
 * `dependsOn` fails is never registered, and a component's children wait for
 * their parent, so nothing is created in any region.
 */
export function loggingRoleGate(name: string, regions: readonly RegionProvider[], parent: pulumi.Resource): pulumi.Output<pulumi.Resource[]> {
  const reads = regions.map(({ region, provider }): pulumi.Output<RegionSetting> => {
    const options = { parent, provider };
    // The ID is only a label for the read (GetAccount takes none); the account ID is what `pulumi import` documents.
    const account = Account.get(`${name}-${region}-apigw-account-settings`, getCallerIdentityOutput({}, options).accountId, undefined, options);
    handleReadFailure(account);
    const setting = pulumi.all([account.cloudwatchRoleArn, account.id]).apply(([roleArn, accountId]): RegionSetting => ({ region, roleArn, accountId }));
    return pulumi.recover(setting, (error: unknown): RegionSetting => ({ region, readFailure: error instanceof Error ? error.message : String(error) }));
  });
  return pulumi.all(reads).apply((settings) => {
    const failures: AccountReadFailure[] = settings.flatMap((setting) => ("readFailure" in setting ? [{ region: setting.region, message: setting.readFailure }] : []));
    const answered = settings.flatMap((setting) => ("readFailure" in setting ? [] : [setting]));
    const problem = accountReadProblem(failures) ??
      missingLoggingRoleProblem(answered[0]?.accountId ?? "", answered.filter((setting) => !setting.roleArn).map((setting) => setting.region));
    if (problem) throw new AccountNotReadyError(problem);
    return [];
  });
}

/** True for a provider, which every region needs before anything else (it creates nothing in AWS). */
const isProviderType = (type: string) => type.startsWith("pulumi:providers:");

/** `existing` (any form `dependsOn` takes) and `also`, as one `dependsOn`. */
function withDependency(existing: pulumi.ResourceOptions["dependsOn"], also: pulumi.Input<pulumi.Resource[]>): pulumi.Output<pulumi.Resource[]> {
  return pulumi.all([pulumi.output(existing ?? []), pulumi.output(also)]).apply(([before, added]) => [...(Array.isArray(before) ? before : [before]), ...added]);
}

/**
 * Makes every direct child of one component wait for a check, whatever layer
 * creates it, so a new layer cannot skip the check by forgetting `dependsOn`.
 * Give `transformation` to the component's `transformations`, then call
 * `holdUntil` before its first child: Pulumi runs a component's
 * transformations for the component itself first, then for every resource
 * beneath it (children inherit their parent's), so the first resource it sees
 * is its owner. Providers (no AWS resource) and reads of existing resources
 * (`Resource.get`, the check itself) do not wait; any other child created
 * before `holdUntil` throws. A child's own children wait for it.
 */
export class ChildrenGate {
  private owner: pulumi.Resource | undefined;
  private ready: pulumi.Input<pulumi.Resource[]> | undefined;

  readonly transformation: pulumi.ResourceTransformation = ({ resource, type, name, props, opts }) => {
    if (this.owner === undefined) {
      this.owner = resource;
      return undefined;
    }
    if (opts.parent !== this.owner || isProviderType(type) || opts.id !== undefined) return undefined;
    if (this.ready === undefined) throw new Error(`${type} ${name} was created before the account check it must wait for (ChildrenGate.holdUntil).`);
    if (Array.isArray(this.ready) && this.ready.length === 0) return undefined;
    return { props, opts: { ...opts, dependsOn: withDependency(opts.dependsOn, this.ready) } };
  };

  /** From now on, every child of the owner waits for `ready` (an empty list: nothing to wait for). */
  holdUntil(ready: pulumi.Input<pulumi.Resource[]>): void {
    this.ready = ready;
  }
}
