/**
 * Which AWS resource types are global rather than regional, for the update
 * plan's provider rule: @pulumi/aws 7 gives every resource of a regional
 * service a top-level `region` that defaults to its provider's region, and
 * "changing the value of `region` will force resource replacement"; the
 * resources of global services have no `region`, so no provider change
 * replaces them. Source: the Pulumi AWS provider's guide "Enhanced Region
 * Support", sections "How region works" and "Non-region-aware resources" >
 * "Global services"
 * (https://www.pulumi.com/registry/packages/aws/how-to-guides/aws-enhanced-region-support/).
 *
 * Of these, the program uses IAM (roles, inline policies, policy attachments)
 * and Route 53 (records, health checks). The generated rules file records, per
 * type, whether the installed provider's Args declare `region`
 * (`regionAware`); a test checks that the two agree for every mapped type.
 */

/** The @pulumi/aws modules whose every resource is global (the guide's list, by module name). */
export const GLOBAL_SERVICE_MODULES: readonly string[] = [
  "bcmdataexports", // Billing and Cost Management Data Exports
  "billing",
  "budgets",
  "ce", // Cost Explorer
  "cloudfront",
  "cloudfrontkeyvaluestore",
  "costoptimizationhub",
  "cur", // Cost and Usage Report
  "globalaccelerator",
  "iam",
  "networkmanager",
  "notifications", // User Notifications
  "notificationscontacts",
  "organizations",
  "pricing",
  "rolesanywhere", // listed with IAM
  "route53",
  "route53domains",
  "route53recoverycontrolconfig",
  "route53recoveryreadiness",
  "shield",
  "waf", // WAF Classic; WAFv2 (`wafv2`) is regional
];

/** The module of an @pulumi/aws type token: `aws:iam/role:Role` -> `iam`; undefined for any other token. */
export function awsModuleOf(type: string): string | undefined {
  return /^aws:([^/]+)\//.exec(type)?.[1];
}

/** True for a resource type of a global AWS service (IAM, Route 53, CloudFront, ...). */
export function isGlobalServiceType(type: string): boolean {
  const module = awsModuleOf(type);
  return module !== undefined && GLOBAL_SERVICE_MODULES.includes(module);
}
