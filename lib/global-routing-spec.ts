import { NAME_LIMITS, NamingContext, globalNames, stackScopedName } from "./naming";

/**
 * The pure rules of the global layer (lib/global-routing.ts): which routing
 * fields each region's DNS record gets, what each health check calls, where
 * the health-check alarms live and how long a failover takes. No Pulumi here:
 * the tests, the offline plan and the config validation call these directly.
 */

/** How Route 53 spreads traffic over the regions: the values `routingPolicy` accepts. */
export const ROUTING_POLICIES = ["latency", "failover"] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/**
 * Route 53 publishes its health-check metrics (`AWS/Route53`
 * `HealthCheckStatus`) only in us-east-1, and CloudWatch alarms cannot watch
 * another region's metrics, so the health-check alarms live in us-east-1.
 */
export const HEALTH_CHECK_METRICS_REGION = "us-east-1";

/** Failover routing has exactly one PRIMARY and one SECONDARY record per name and type. */
export const FAILOVER_REGION_COUNT = 2;

/**
 * TTL that resolvers cache an alias answer for. An alias record has no TTL of
 * its own: Route 53 answers with the target's. AWS states 60 s for ELB, S3 and
 * CloudFront targets; it publishes no figure for API Gateway regional domain
 * names, so 60 s is an assumption here (not confirmed: check with `dig`).
 */
export const ALIAS_TTL_SECONDS = 60;

/** TTL of the ACM validation CNAME. Only ACM reads it; short, so a re-validation is not delayed. */
export const VALIDATION_RECORD_TTL_SECONDS = 60;

/**
 * The DNS record types created per region. API Gateway custom domains with
 * `ipAddressType: dualstack` answer on IPv6 too, so an AAAA alias sits beside
 * the A alias (same routing, same health check).
 */
export const ALIAS_RECORD_TYPES = ["A", "AAAA"] as const;
export type AliasRecordType = (typeof ALIAS_RECORD_TYPES)[number];

/** One failover record's role. */
export type FailoverRole = "PRIMARY" | "SECONDARY";

/** The routing fields of one region's alias record (route53.Record args). */
export type RecordRouting =
  | { readonly latencyRoutingPolicies: [{ readonly region: string }] }
  | { readonly failoverRoutingPolicies: [{ readonly type: FailoverRole }] };

/**
 * Why `regions` cannot carry `policy`, or undefined when it can. The text is
 * the "what is accepted" part of a TapConfigError on `routingPolicy`.
 * `latency` takes any number of regions; `failover` exactly two (Route 53
 * allows one primary and one secondary; a third region would get no record
 * and silently receive no traffic, so it is rejected instead).
 */
export function routingRegionsProblem(policy: RoutingPolicy, regions: readonly string[]): string | undefined {
  if (policy !== "failover") return undefined;
  if (regions.length < FAILOVER_REGION_COUNT) {
    return `failover needs at least two regions (a primary and a secondary); regions is ${JSON.stringify(regions)}. Add a region or use "latency".`;
  }
  if (regions.length > FAILOVER_REGION_COUNT) {
    return `failover needs exactly two regions (the first is the primary, the second the secondary); regions is ${JSON.stringify(regions)}. List two regions or use "latency", which takes any number.`;
  }
  return undefined;
}

/**
 * Routing of the record of the region at `index` in the region list:
 * `latency` routes each client to the region Route 53 measures as closest;
 * `failover` sends everything to the first region while it is healthy, then to the second.
 * Call `routingRegionsProblem` first: an index past the secondary throws.
 */
export function recordRouting(policy: RoutingPolicy, region: string, index: number): RecordRouting {
  if (policy === "latency") return { latencyRoutingPolicies: [{ region }] };
  if (index >= FAILOVER_REGION_COUNT) {
    throw new Error(`failover routing has no role for region ${region} at position ${index}: only the first two regions get records.`);
  }
  return { failoverRoutingPolicies: [{ type: index === 0 ? "PRIMARY" : "SECONDARY" }] };
}

/** What one region's Route 53 health check calls. */
export interface HealthCheckTarget {
  /** The region's own execute-api hostname, never the global name (that would test whichever region DNS picked). */
  readonly fqdn: string;
  /** `/{stage}/{apiBasePath}/health`: the handler's health route. */
  readonly resourcePath: string;
}

export function healthCheckTarget(restApiId: string, region: string, stageName: string, apiBasePath: string): HealthCheckTarget {
  return {
    fqdn: `${restApiId}.execute-api.${region}.amazonaws.com`,
    resourcePath: `/${stageName}/${apiBasePath}/health`,
  };
}

/** `https://{domainName}/{apiBasePath}`: the stage is mapped at the domain's root, so the path starts with the API's own base path. */
export function globalApiUrl(domainName: string, apiBasePath: string): string {
  return `https://${domainName}/${apiBasePath}`;
}

/**
 * Worst-case seconds from a region failing until every client has moved
 * away: Route 53 declares it unhealthy after `failureThreshold` failed checks
 * `intervalSeconds` apart, then resolvers may still hold the old answer for
 * one TTL. Defaults: 30 × 3 + 60 = 150 s.
 */
export function failoverTimeSeconds(intervalSeconds: number, failureThreshold: number, ttlSeconds = ALIAS_TTL_SECONDS): number {
  return intervalSeconds * failureThreshold + ttlSeconds;
}

/** Names of the health-check alarms, one per region, in `regions` order (they live in us-east-1). */
export function healthCheckAlarmNames(context: NamingContext, regions: readonly string[]): string[] {
  const names = globalNames(context);
  return regions.map((region) => names.healthCheckAlarm(region));
}

/** The health-check alarms' own topic in us-east-1, when no existing topic is passed in. */
export function healthAlarmTopicName(context: NamingContext): string {
  return stackScopedName(context, "health-alarms", NAME_LIMITS.snsTopic);
}

/** Name tag of one region's health check (Route 53 shows it in the console). */
export function healthCheckName(context: NamingContext, region: string): string {
  return stackScopedName(context, `health-${region}`, NAME_LIMITS.tagValue);
}

/**
 * How each health-check alarm watches its check. Route 53 publishes
 * HealthCheckStatus (1 healthy, 0 unhealthy) every minute; the minimum over a
 * minute below 1 means the check failed during it. Missing data keeps the
 * alarm's state: Route 53 only stops publishing when the check is gone, and
 * "breaching" would page on every new check before its first data point.
 */
export const HEALTH_CHECK_ALARM = {
  namespace: "AWS/Route53",
  metricName: "HealthCheckStatus",
  dimension: "HealthCheckId",
  statistic: "Minimum",
  periodSeconds: 60,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "LessThanThreshold",
  treatMissingData: "missing",
} as const;
