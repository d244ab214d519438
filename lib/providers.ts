import * as pulumi from "@pulumi/pulumi";
import { Provider, ProviderArgs } from "@pulumi/aws/provider";
import { NamingContext } from "./naming";
import { HEALTH_CHECK_METRICS_REGION } from "./global-routing-spec";

/**
 * TapStack's AWS providers: one per region, and one for what belongs to the
 * account rather than to a region (the dashboard, Route 53, the health-check
 * alarms). Pulumi identifies a provider by its URN, and every resource records
 * the provider it was created through, so these names decide what an update
 * touches:
 *
 * - A provider's logical name carries nothing a user may change on a live
 *   stack (no environment, no project name): changing `environmentSuffix`
 *   must not give every resource a new provider.
 * - The account-wide resources never go through a regional provider: when
 *   they did (through the first region's), reordering `regions` or dropping
 *   the first region moved them to another region's provider. @pulumi/aws 7
 *   gives each region-aware resource (the dashboard is one) the region of its
 *   provider, and a changed region replaces the resource; the dashboard's name
 *   is fixed, so the replacement was created first, PutDashboard overwrote the
 *   live dashboard, and the delete that followed removed it.
 *   https://www.pulumi.com/registry/packages/aws/how-to-guides/aws-enhanced-region-support/
 */

/** Everything a tap provider sets but its region. */
export type ProviderSettings = Pick<ProviderArgs, "defaultTags" | "allowedAccountIds">;

/**
 * Region of the account-wide provider. CloudWatch dashboards are global to
 * the account ("All dashboards in your account are global, not
 * region-specific": CloudWatch API Reference, PutDashboard), Route 53 is a
 * global service, and Route 53 publishes health-check metrics only in
 * us-east-1, where the health-check alarms must therefore live. One fixed
 * region serves all three, whatever `regions` says.
 */
export const GLOBAL_PROVIDER_REGION = HEALTH_CHECK_METRICS_REGION;

/** `{name}-{region}-provider`: a regional provider's logical name. */
export function regionalProviderName(name: string, region: string): string {
  return `${name}-${region}-provider`;
}

/** `{name}-global-provider`: the account-wide provider's logical name. */
export function globalProviderName(name: string): string {
  return `${name}-global-provider`;
}

/**
 * The logical name a regional provider had before it stopped carrying the
 * project and environment: `{project}-provider-{region}-{env}`. Given as an
 * alias, so a stack deployed with that name keeps its provider, and with it
 * every resource, instead of replacing both.
 */
export function formerRegionalProviderName(context: NamingContext, region: string): string {
  return `${context.project}-provider-${region}-${context.environment}`;
}

/**
 * The provider GlobalRouting (logical name `{name}-global`) used to create for
 * the health-check alarms when no region was us-east-1:
 * `{name}-global-us-east-1-provider`, a child of GlobalRouting. The
 * account-wide provider takes its identity, so a stack deployed with it keeps
 * its alarms, their topic and its key.
 */
export function formerGlobalRoutingProvider(name: string): { readonly name: string; readonly parentName: string; readonly parentType: string } {
  return { name: `${name}-global-${GLOBAL_PROVIDER_REGION}-provider`, parentName: `${name}-global`, parentType: "tap:global:GlobalRouting" };
}

/** One region's provider, with its former logical name as an alias. */
export function createRegionalProvider(name: string, region: string, context: NamingContext, settings: ProviderSettings, parent: pulumi.Resource): Provider {
  return new Provider(regionalProviderName(name, region), { ...settings, region }, {
    parent,
    aliases: [{ name: formerRegionalProviderName(context, region) }],
  });
}

/** The account-wide provider, in GLOBAL_PROVIDER_REGION, with GlobalRouting's former us-east-1 provider as an alias. */
export function createGlobalProvider(name: string, settings: ProviderSettings, parent: pulumi.Resource): Provider {
  const former = formerGlobalRoutingProvider(name);
  return new Provider(globalProviderName(name), { ...settings, region: GLOBAL_PROVIDER_REGION }, {
    parent,
    aliases: [{ name: former.name, parent: pulumi.createUrn(former.parentName, former.parentType, parent) }],
  });
}
