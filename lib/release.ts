import * as pulumi from "@pulumi/pulumi";
import { EntryBundle, bundleEntry } from "./esbuild-bundle";
import { DYNAMIC_RESOURCE_TYPE } from "./rollout-spec";

/**
 * The release step of one region as a Pulumi resource: a dynamic-provider
 * resource (type `pulumi-nodejs:dynamic:Resource`) whose provider is
 * lib/release-provider.ts, bundled by esbuild while the program runs.
 *
 * Why not `pulumi.dynamic.Resource`: it serializes the provider object with
 * the SDK's closure serializer, which parses each function with the TypeScript
 * compiler at registration (the unit tests replace that compiler with an empty
 * module, see jest.config.js, and the registration then fails) and captures
 * whatever the functions reach in the program's memory. A bundle of one entry
 * file is the same text on every run and machine, needs no compiler, and holds
 * exactly the provider's code. The engine treats both alike: it hands
 * `__provider` to the Node.js dynamic-provider host, which loads it with
 * `require(text).handler()` (@pulumi/pulumi cmd/dynamic-provider).
 */

/** The provider's source, relative to the repository root. */
export const RELEASE_PROVIDER_SOURCE = "lib/release-provider.ts";
/** Required at run time from the project's node_modules, not bundled: the SDK is large and already installed. */
export const RELEASE_PROVIDER_EXTERNALS = ["@aws-sdk/*", "@pulumi/*"] as const;

/** The provider's bundle: `code` is the CommonJS module text stored as `__provider`. */
export type ReleaseProviderBundle = EntryBundle;

/**
 * Bundles lib/release-provider.ts, every time it is called (use
 * `releaseProviderModule` for the cached text).
 * @throws Error naming the source file when esbuild reports an error.
 */
export function bundleReleaseProvider(): ReleaseProviderBundle {
  // The dynamic-provider host runs under the CLI's Node.js: the versions `pulumi up` supports.
  return bundleEntry({ entry: RELEASE_PROVIDER_SOURCE, target: "node20", external: RELEASE_PROVIDER_EXTERNALS, what: "the release step's provider" });
}

let cachedBundle: ReleaseProviderBundle | undefined;

/** The provider's module text, built once per process. */
export function releaseProviderModule(): string {
  cachedBundle ??= bundleReleaseProvider();
  return cachedBundle.code;
}

export interface ReleaseArgs {
  readonly region: string;
  /**
   * `allowedAccountIds`: the release refuses credentials for any other
   * account, as the AWS providers do. Empty: no check.
   */
  readonly allowedAccountIds: string[];
  readonly applicationName: pulumi.Input<string>;
  readonly deploymentGroupName: pulumi.Input<string>;
  readonly deploymentConfigName: string;
  readonly functionName: pulumi.Input<string>;
  readonly aliasName: pulumi.Input<string>;
  /** The function's newest published version. */
  readonly targetVersion: pulumi.Input<string>;
  /** The deployment group's rollback alarms. */
  readonly alarmNames: pulumi.Input<string[]>;
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
  /** TAP_IGNORE_ROLLBACK_ALARMS_ONCE's label: a new one releases once without the rollback alarms ("" = none). */
  readonly ignoreRollbackAlarmsOnce: string;
}

/**
 * One region's release: shifts the `live` alias to `targetVersion` through
 * the region's CodeDeploy deployment group (see lib/release-provider.ts for
 * what create, update, diff and delete do). Its logical name must end in
 * `-release` (releaseLogicalName): the plan reports a change of it as a release.
 */
export class Release extends pulumi.CustomResource {
  /** The version the alias served before the last release. */
  public readonly previousVersion!: pulumi.Output<string>;
  /** The version the alias serves after it; after `pulumi refresh`, the version it serves in AWS ("" when the alias is gone). */
  public readonly liveVersion!: pulumi.Output<string>;
  /** The last deployment's ID; "" when the alias already served the target. */
  public readonly deploymentId!: pulumi.Output<string>;
  /** The last label a deployment ran without the rollback alarms for ("" for none). */
  public readonly rollbackAlarmsIgnoredFor!: pulumi.Output<string>;

  constructor(name: string, args: ReleaseArgs, opts: pulumi.CustomResourceOptions) {
    super(DYNAMIC_RESOURCE_TYPE, name, {
      ...args,
      previousVersion: undefined,
      liveVersion: undefined,
      deploymentId: undefined,
      rollbackAlarmsIgnoredFor: undefined,
      __provider: releaseProviderModule(),
    }, opts);
  }
}
