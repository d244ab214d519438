import pricesJson from "./prices.json";

/**
 * Monthly fixed-cost estimate of a plan: what the planned resources cost
 * while they exist, whatever the traffic. Usage-based charges (requests, GB)
 * are listed as per-unit notes, never multiplied by guessed volumes.
 *
 * Prices are looked up by resource type, so resources the program does not
 * create yet (health checks, WAF, the stage cache) are priced as soon as they
 * appear in a plan.
 */

/** One priced quantity in offline/plan/prices.json. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  /** Key into `PriceTable.sources`. */
  readonly source: string;
}

/** Shape of offline/plan/prices.json. */
export interface PriceTable {
  readonly description: string;
  readonly asOf: string;
  readonly currency: string;
  readonly region: string;
  readonly hoursPerMonth: number;
  readonly sources: Readonly<Record<string, string>>;
  readonly prices: {
    readonly natGatewayHour: Price;
    readonly natGatewayGb: Price;
    readonly publicIpv4Hour: Price;
    readonly interfaceEndpointAzHour: Price;
    readonly interfaceEndpointGb: Price;
    readonly alarmMetricMonth: Price;
    readonly highResolutionAlarmMetricMonth: Price;
    readonly compositeAlarmMonth: Price;
    readonly dashboardMonth: Price;
    readonly healthCheckMonth: Price;
    readonly healthCheckAwsEndpointMonth: Price;
    readonly healthCheckFeatureMonth: Price;
    readonly hostedZoneMonth: Price;
    readonly kmsKeyMonth: Price;
    readonly kmsRequests10k: Price;
    readonly wafWebAclMonth: Price;
    readonly wafRuleMonth: Price;
    readonly wafRequestsMillion: Price;
    readonly provisionedConcurrencyGbSecondX86: Price;
    readonly provisionedConcurrencyGbSecondArm: Price;
    readonly lambdaRequestsMillion: Price;
    readonly lambdaGbSecondX86: Price;
    readonly lambdaGbSecondArm: Price;
    readonly restApiRequestsMillion: Price;
    readonly logsIngestionGb: Price;
    readonly logsStorageGbMonth: Price;
    readonly s3StandardGbMonth: Price;
    readonly route53QueriesMillion: Price;
  };
  readonly apiCacheHourBySizeGb: { readonly source: string; readonly unit: string; readonly usd: Readonly<Record<string, number>> };
  readonly freeTier: { readonly alarmMetrics: number; readonly dashboards: number; readonly note: string };
}

/** The repository's price table (type-checked against PriceTable at compile time). */
export const PRICES: PriceTable = pricesJson;

/** What the estimate needs to know about a planned resource. */
export interface CostedResource {
  readonly type: string;
  /** Logical name, for messages. */
  readonly name: string;
  readonly id?: string;
  /** Region of the resource's provider; undefined for resources on the default provider. */
  readonly region: string | undefined;
  readonly inputs: Record<string, unknown>;
}

/** Column used for resources bound to no explicit regional provider. */
export const UNBOUND_REGION = "(default provider)";

/** One line of the estimate: one kind of charge in one region. */
export interface CostLine {
  /** What is charged, such as "NAT gateway". */
  readonly item: string;
  readonly region: string;
  /** How many of it, such as 1 NAT gateway or 8 alarm metrics. */
  readonly quantity: number;
  /** How the price is built, such as "$0.045/h x 730 h". */
  readonly basis: string;
  /** Monthly amount in USD, rounded to cents. */
  readonly monthlyUsd: number;
}

/** The account-wide free allowance subtracted from the total (a negative amount). */
export interface FreeTierCredit {
  readonly item: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  /** Regions with a charge: those in `regionOrder` first, in that order, then others as they appear. */
  readonly regions: readonly string[];
  readonly lines: readonly CostLine[];
  /** Region -> sum of its lines, before the free tier. */
  readonly subtotalByRegion: Readonly<Record<string, number>>;
  readonly subtotalUsd: number;
  readonly freeTier: readonly FreeTierCredit[];
  /** Subtotal minus the free tier, never below zero. */
  readonly totalUsd: number;
  /** Per-unit prices of the usage-based charges the planned resource types incur. */
  readonly usageNotes: readonly string[];
  /** Resources the estimate could not price exactly, and why. */
  readonly warnings: readonly string[];
}

const SECONDS_PER_HOUR = 3600;

/** Rounds to whole cents, avoiding binary-float drift such as 32.849999. */
export function roundCents(usd: number): number {
  return Math.round((usd + Number.EPSILON) * 100) / 100;
}

/** `$1,234.50` or `-$0.80`. */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? "-" : "";
  return `${sign}$${Math.abs(usd).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A unit price as written in notes: `$0.045`, `$0.0000133334`. */
function unitPrice(usd: number): string {
  const decimals = usd.toString().split(".")[1]?.length ?? 0;
  return `$${decimals >= 2 ? usd.toString() : usd.toFixed(2)}`;
}

interface Charge {
  item: string;
  quantity: number;
  basis: string;
  usd: number;
}

type Pricer = (resource: CostedResource, context: PricingContext) => Charge[];

interface PricingContext {
  readonly prices: PriceTable;
  readonly all: readonly CostedResource[];
  readonly warnings: string[];
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function hourly(item: string, price: number, prices: PriceTable, quantity = 1, per = ""): Charge {
  const hours = prices.hoursPerMonth;
  return { item, quantity, basis: `${unitPrice(price)}/h${per} x ${hours} h`, usd: price * hours * quantity };
}

/** Number of metrics a metric alarm watches; metric-math alarms are billed per metric they read. */
function alarmMetricCount(inputs: Record<string, unknown>): number {
  const queries = asArray(inputs.metricQueries).filter((query) => typeof query === "object" && query !== null && "metric" in query);
  return queries.length > 0 ? queries.length : 1;
}

/** Alarms on a period under 60 s are high resolution and cost more. */
function isHighResolutionAlarm(inputs: Record<string, unknown>): boolean {
  const periods = [asNumber(inputs.period), ...asArray(inputs.metricQueries).map((query) => asNumber((query as { metric?: { period?: unknown } })?.metric?.period))];
  return periods.some((period) => period !== undefined && period < 60);
}

/** Health-check options that each add a monthly fee. */
function healthCheckFeatures(inputs: Record<string, unknown>): string[] {
  const type = String(inputs.type ?? "");
  const features: string[] = [];
  if (type.startsWith("HTTPS")) features.push("HTTPS");
  if (type.endsWith("_STR_MATCH")) features.push("string matching");
  if (asNumber(inputs.requestInterval) === 10) features.push("fast interval");
  if (inputs.measureLatency === true || inputs.measureLatency === "true") features.push("latency measurement");
  return features;
}

/** The function a provisioned-concurrency config or alias refers to, matched by name, ID or ARN. */
function findFunction(reference: unknown, all: readonly CostedResource[]): CostedResource | undefined {
  if (typeof reference !== "string") return undefined;
  return all.find(
    (candidate) =>
      candidate.type === "aws:lambda/function:Function" &&
      [candidate.inputs.name, candidate.id, candidate.name].includes(reference),
  );
}

const PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:ec2/natGateway:NatGateway": (_resource, { prices }) => [hourly("NAT gateway", prices.prices.natGatewayHour.usd, prices)],
  // Every Elastic IP is a public IPv4 address, billed by the hour since February 2024, attached or not.
  "aws:ec2/eip:Eip": (_resource, { prices }) => [hourly("Public IPv4 address (Elastic IP)", prices.prices.publicIpv4Hour.usd, prices)],
  "aws:ec2/vpcEndpoint:VpcEndpoint": (resource, { prices }) => {
    // Gateway endpoints (S3, DynamoDB) are free; interface endpoints bill per AZ they sit in.
    if (resource.inputs.vpcEndpointType !== "Interface") return [];
    const zones = Math.max(1, asArray(resource.inputs.subnetIds).length);
    return [hourly(`Interface VPC endpoint (${zones} AZ${zones === 1 ? "" : "s"})`, prices.prices.interfaceEndpointAzHour.usd, prices, zones, " per AZ")];
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": (resource, { prices }) => {
    const metrics = alarmMetricCount(resource.inputs);
    if (isHighResolutionAlarm(resource.inputs)) {
      const price = prices.prices.highResolutionAlarmMetricMonth.usd;
      return [{ item: "CloudWatch alarm metrics, high resolution", quantity: metrics, basis: `${unitPrice(price)} per metric`, usd: price * metrics }];
    }
    const price = prices.prices.alarmMetricMonth.usd;
    return [{ item: "CloudWatch alarm metrics", quantity: metrics, basis: `${unitPrice(price)} per metric`, usd: price * metrics }];
  },
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": (_resource, { prices }) => {
    const price = prices.prices.compositeAlarmMonth.usd;
    return [{ item: "CloudWatch composite alarms", quantity: 1, basis: `${unitPrice(price)} each`, usd: price }];
  },
  "aws:cloudwatch/dashboard:Dashboard": (_resource, { prices }) => {
    const price = prices.prices.dashboardMonth.usd;
    return [{ item: "CloudWatch dashboards", quantity: 1, basis: `${unitPrice(price)} each`, usd: price }];
  },
  "aws:route53/healthCheck:HealthCheck": (resource, { prices }) => {
    const type = String(resource.inputs.type ?? "");
    // Calculated and alarm-based checks probe nothing outside AWS: the basic AWS rate applies, with no options.
    if (type === "CALCULATED" || type === "CLOUDWATCH_METRIC") {
      const price = prices.prices.healthCheckAwsEndpointMonth.usd;
      return [{ item: `Route 53 health checks (${type.toLowerCase()})`, quantity: 1, basis: `${unitPrice(price)} each`, usd: price }];
    }
    const base = prices.prices.healthCheckMonth.usd;
    const features = healthCheckFeatures(resource.inputs);
    const charges: Charge[] = [{ item: "Route 53 health checks", quantity: 1, basis: `${unitPrice(base)} each`, usd: base }];
    if (features.length > 0) {
      const price = prices.prices.healthCheckFeatureMonth.usd;
      charges.push({ item: `Route 53 health-check options (${features.join(", ")})`, quantity: features.length, basis: `${unitPrice(price)} per option`, usd: price * features.length });
    }
    return charges;
  },
  "aws:route53/zone:Zone": (_resource, { prices }) => {
    const price = prices.prices.hostedZoneMonth.usd;
    return [{ item: "Route 53 hosted zones", quantity: 1, basis: `${unitPrice(price)} each`, usd: price }];
  },
  "aws:kms/key:Key": (_resource, { prices }) => {
    const price = prices.prices.kmsKeyMonth.usd;
    return [{ item: "KMS customer managed keys", quantity: 1, basis: `${unitPrice(price)} each`, usd: price }];
  },
  "aws:kms/replicaKey:ReplicaKey": (_resource, { prices }) => {
    const price = prices.prices.kmsKeyMonth.usd;
    return [{ item: "KMS customer managed keys", quantity: 1, basis: `${unitPrice(price)} each`, usd: price }];
  },
  "aws:wafv2/webAcl:WebAcl": (resource, { prices }) => {
    const acl = prices.prices.wafWebAclMonth.usd;
    const rules = asArray(resource.inputs.rules).length;
    const charges: Charge[] = [{ item: "WAF web ACLs", quantity: 1, basis: `${unitPrice(acl)} each`, usd: acl }];
    if (rules > 0) {
      const price = prices.prices.wafRuleMonth.usd;
      charges.push({ item: "WAF rules", quantity: rules, basis: `${unitPrice(price)} per rule`, usd: price * rules });
    }
    return charges;
  },
  "aws:apigateway/stage:Stage": (resource, { prices, warnings }) => {
    if (resource.inputs.cacheClusterEnabled !== true && resource.inputs.cacheClusterEnabled !== "true") return [];
    // API Gateway's default cache size is 0.5 GB.
    const size = String(resource.inputs.cacheClusterSize ?? "0.5");
    const price = prices.apiCacheHourBySizeGb.usd[size];
    if (price === undefined) {
      warnings.push(`Stage ${resource.name}: no price for cache size "${size}" GB (priced sizes: ${Object.keys(prices.apiCacheHourBySizeGb.usd).sort((a, b) => Number(a) - Number(b)).join(", ")}); its cache is not in the total.`);
      return [];
    }
    return [hourly(`API Gateway cache (${size} GB)`, price, prices)];
  },
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (resource, { prices, all, warnings }) => {
    const instances = asNumber(resource.inputs.provisionedConcurrentExecutions) ?? 0;
    const fn = findFunction(resource.inputs.functionName, all);
    if (!fn) {
      warnings.push(`Provisioned concurrency ${resource.name}: function ${JSON.stringify(resource.inputs.functionName)} is not in the plan, so 128 MB x86_64 (Lambda's defaults) was assumed.`);
    }
    // Lambda's defaults: 128 MB, x86_64.
    const memoryGb = (asNumber(fn?.inputs.memorySize) ?? 128) / 1024;
    const arm = asArray(fn?.inputs.architectures).includes("arm64");
    const price = arm ? prices.prices.provisionedConcurrencyGbSecondArm.usd : prices.prices.provisionedConcurrencyGbSecondX86.usd;
    const seconds = prices.hoursPerMonth * SECONDS_PER_HOUR;
    return [{
      item: `Lambda provisioned concurrency (${memoryGb * 1024} MB, ${arm ? "arm64" : "x86_64"})`,
      quantity: instances,
      basis: `${memoryGb} GB x ${seconds.toLocaleString("en-US")} s x ${unitPrice(price)}/GB-s`,
      usd: instances * memoryGb * seconds * price,
    }];
  },
};

/** `$0.2 per million Lambda requests`: a price with its unit, as the table states it. */
function per(price: Price): string {
  return `${unitPrice(price.usd)} per ${price.unit}`;
}

/** Per-unit notes for the usage-based charges of each resource type, shown when that type is planned. */
function usageNotesFor(types: ReadonlySet<string>, prices: PriceTable): string[] {
  const p = prices.prices;
  const notes: Array<[boolean, string]> = [
    [types.has("aws:lambda/function:Function"), `Lambda: ${per(p.lambdaRequestsMillion)}; ${per(p.lambdaGbSecondArm)}; ${per(p.lambdaGbSecondX86)}.`],
    [types.has("aws:apigateway/restApi:RestApi"), `API Gateway: ${per(p.restApiRequestsMillion)}.`],
    [types.has("aws:ec2/natGateway:NatGateway"), `NAT gateway: ${per(p.natGatewayGb)}.`],
    [types.has("aws:ec2/vpcEndpoint:VpcEndpoint"), `VPC endpoints: ${per(p.interfaceEndpointGb)}; gateway endpoints (S3, DynamoDB) are free.`],
    [types.has("aws:cloudwatch/logGroup:LogGroup"), `CloudWatch Logs (flow logs included): ${per(p.logsIngestionGb)}; ${per(p.logsStorageGbMonth)}.`],
    [types.has("aws:s3/bucket:Bucket"), `S3: ${per(p.s3StandardGbMonth)}, plus requests.`],
    [types.has("aws:wafv2/webAcl:WebAcl"), `WAF: ${per(p.wafRequestsMillion)}.`],
    [types.has("aws:route53/record:Record"), `Route 53: ${per(p.route53QueriesMillion)}.`],
    [types.has("aws:kms/key:Key") || types.has("aws:kms/replicaKey:ReplicaKey"), `KMS: ${per(p.kmsRequests10k)}.`],
    [types.has("aws:acm/certificate:Certificate"), "ACM: public certificates are free."],
  ];
  return notes.filter(([applies]) => applies).map(([, note]) => note);
}

/**
 * Prices every resource whose type has a fixed monthly charge, sums per
 * region, and subtracts the account-wide free tier (first 10 standard alarm
 * metrics, first 3 dashboards) from the total.
 *
 * @param regionOrder the plan's regions, in the order its columns should take. @default []
 */
export function estimateMonthlyCost(resources: readonly CostedResource[], prices: PriceTable = PRICES, regionOrder: readonly string[] = []): CostEstimate {
  const warnings: string[] = [];
  const context: PricingContext = { prices, all: resources, warnings };
  const regions: string[] = [];
  const byKey = new Map<string, { item: string; region: string; quantity: number; basis: string; usd: number }>();
  let standardAlarmMetrics = 0;
  let dashboards = 0;

  for (const resource of resources) {
    const pricer = PRICERS[resource.type];
    if (!pricer) continue;
    const region = resource.region ?? UNBOUND_REGION;
    for (const charge of pricer(resource, context)) {
      if (charge.item === "CloudWatch alarm metrics") standardAlarmMetrics += charge.quantity;
      if (charge.item === "CloudWatch dashboards") dashboards += charge.quantity;
      if (!regions.includes(region)) regions.push(region);
      const key = `${region}\u0000${charge.item}`;
      const line = byKey.get(key);
      if (line) {
        line.quantity += charge.quantity;
        line.usd += charge.usd;
      } else {
        byKey.set(key, { ...charge, region });
      }
    }
  }

  // The plan's region order (its providers'), then any other region in order of appearance.
  const rank = (region: string) => (regionOrder.includes(region) ? regionOrder.indexOf(region) : regionOrder.length + regions.indexOf(region));
  regions.sort((a, b) => rank(a) - rank(b));
  const lines: CostLine[] = [...byKey.values()].sort((a, b) => rank(a.region) - rank(b.region)).map((line) => ({
    item: line.item,
    region: line.region,
    quantity: line.quantity,
    basis: line.basis,
    monthlyUsd: roundCents(line.usd),
  }));
  const subtotalByRegion: Record<string, number> = {};
  for (const region of regions) {
    subtotalByRegion[region] = roundCents(lines.filter((line) => line.region === region).reduce((sum, line) => sum + line.monthlyUsd, 0));
  }
  const subtotalUsd = roundCents(Object.values(subtotalByRegion).reduce((sum, usd) => sum + usd, 0));

  const freeTier: FreeTierCredit[] = [];
  const freeAlarms = Math.min(standardAlarmMetrics, prices.freeTier.alarmMetrics);
  if (freeAlarms > 0) {
    freeTier.push({
      item: `Free tier: ${freeAlarms} of the first ${prices.freeTier.alarmMetrics} alarm metrics`,
      monthlyUsd: -roundCents(freeAlarms * prices.prices.alarmMetricMonth.usd),
    });
  }
  const freeDashboards = Math.min(dashboards, prices.freeTier.dashboards);
  if (freeDashboards > 0) {
    freeTier.push({
      item: `Free tier: ${freeDashboards} of the first ${prices.freeTier.dashboards} dashboards`,
      monthlyUsd: -roundCents(freeDashboards * prices.prices.dashboardMonth.usd),
    });
  }
  const totalUsd = Math.max(0, roundCents(subtotalUsd + freeTier.reduce((sum, credit) => sum + credit.monthlyUsd, 0)));

  return {
    regions,
    lines,
    subtotalByRegion,
    subtotalUsd,
    freeTier,
    totalUsd,
    usageNotes: usageNotesFor(new Set(resources.map((resource) => resource.type)), prices),
    warnings,
  };
}
