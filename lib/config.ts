import { NamingContext, S3_RESERVED_PREFIXES, fitName, sanitizeStackName } from "./naming";
import { ROUTING_POLICIES, RoutingPolicy, routingRegionsProblem } from "./global-routing-spec";
import { COMMERCIAL_REGION_NAMES, REGION_CODE_PATTERN, findRegion } from "./regions";
import { ROLLOUT_MODES, RolloutMode } from "./rollout-spec";

/**
 * TapStack's arguments, their defaults, and their validation. Everything here
 * is pure: `resolveTapStackArgs` runs before TapStack registers any resource,
 * and the tests and the offline plan call it directly.
 *
 * Each config key in Pulumi.yaml has the same name as a field below.
 */

/** Lambda CPU architecture. */
export type LambdaArchitecture = "arm64" | "x86_64";
/** API Gateway execution-log level. */
export type ApiLoggingLevel = "OFF" | "ERROR" | "INFO";
export type { RoutingPolicy } from "./global-routing-spec";

export interface TapStackArgs {
  /**
   * Prefix of every physical name. Lower-case letters, digits and single
   * hyphens; starts with a letter; 2 to 24 characters.
   * @default "iac-aws-nova"
   */
  projectName?: string;
  /**
   * Environment in every name and the API stage name, such as `dev` or `prod`.
   * Lower-case letters, digits and single hyphens; 1 to 16 characters.
   * @default the stack name, sanitized (`prod` -> `prod`, `My_Stack.Prod` -> `my-stack-prod`) and fitted to 16 characters
   */
  environmentSuffix?: string;
  /**
   * AWS commercial regions to deploy to, without duplicates. The first is the
   * home region: the dashboard's console link opens there, and it is the
   * primary under `routingPolicy: failover`. The order moves nothing: what
   * belongs to the account (the dashboard, Route 53) has a us-east-1 provider
   * of its own.
   * @default ["us-east-1", "us-west-2"]
   */
  regions?: string[];
  /**
   * Pulumi stack name: part of the hash that ends every physical name, and the
   * default environment. Not a config key.
   * @default the Pulumi stack's name, `pulumi.getStack()`
   */
  stackName?: string;
  /**
   * AWS account IDs the regional providers may deploy into (12 digits each).
   * Every provider refuses to run against any other account, so a stale
   * profile cannot deploy prod into the dev account. Empty: any account.
   * @default []
   * @example ["111111111111"]
   */
  allowedAccountIds?: string[];

  // --- network ---
  /**
   * Adds a public subnet, internet gateway and one NAT gateway per region, so
   * the function can reach the internet. Costs about $33/month per region plus
   * $0.045/GB (us-east-1 prices). The function needs no internet by default:
   * it reaches S3 through the free gateway endpoint.
   * @default false
   */
  enableNatGateway?: boolean;
  /**
   * VPC flow logs (all traffic) to a CloudWatch log group. On by default: the
   * Security Hub control EC2.6 asks for them, and an idle VPC logs almost
   * nothing ($0.50/GB ingested). `false` is refused by the policy pack's
   * mandatory vpc-has-flow-log policy; deploy it with `pulumi up --policy-pack
   * policy --policy-pack-config policy/flow-logs-advisory.json` (docs/policy.md).
   * @default true
   */
  enableFlowLogs?: boolean;
  /**
   * Retention of every log group tap creates (Lambda, API access logs, flow
   * logs), in days. One of CloudWatch's allowed values.
   * @default 30
   */
  logRetentionDays?: number;

  // --- compute ---
  /** Lambda memory, 128 to 10240 MB. @default 128 */
  lambdaMemoryMb?: number;
  /** Lambda timeout, 1 to 900 s. API Gateway itself gives up after 29 s. @default 30 */
  lambdaTimeoutSeconds?: number;
  /** `arm64` is 20% cheaper per GB-second than `x86_64`. @default "arm64" */
  lambdaArchitecture?: LambdaArchitecture;
  /**
   * Reserved concurrency per region: caps the function and sets that much of
   * the account's concurrency aside. Free. Unset means no reservation.
   * @default undefined
   */
  lambdaReservedConcurrency?: number;
  /**
   * Provisioned concurrency per region: pre-warmed instances, billed while
   * they exist whether or not they serve requests. 0 turns it off.
   * @default 0
   */
  lambdaProvisionedConcurrency?: number;
  /**
   * How new code reaches users. `all-at-once`: every region's function
   * serves it as soon as it is updated. `canary` and `linear`: each region
   * publishes a version behind a `live` alias, and CodeDeploy shifts the
   * alias to it (canary: 10% for 5 minutes, then the rest; linear: 10% more
   * every minute), rolling back when one of the region's two rollback
   * alarms (the alias's error rate, the stage's 5XX rate) fires; the regions
   * go one after another, home region first, and a rollback stops the wave.
   * Change it in an update with no function change (docs/rollouts.md).
   * CodeDeploy for Lambda is free; the two alarms cost $0.40 a month per region.
   * @default "all-at-once"
   */
  rollout?: RolloutMode;

  // --- API ---
  /** Stage-wide steady-state request rate limit, requests per second. @default 100 */
  apiThrottlingRateLimit?: number;
  /** Stage-wide burst limit, requests. @default 50 */
  apiThrottlingBurstLimit?: number;
  /**
   * Execution logging level of the stage. ERROR or INFO needs the account's
   * API Gateway CloudWatch role (see `manageApiGatewayAccount`).
   * @default "ERROR"
   */
  apiLoggingLevel?: ApiLoggingLevel;
  /**
   * Set the account-level API Gateway CloudWatch role in each region. One
   * setting per account and region, shared by every stack there: exactly one
   * stack should own it. When true, the role and the setting are created with
   * `retainOnDelete`, so destroying this stack never cuts off the other
   * stacks' API logging. Off by default, so a new stack never takes it over.
   * @default false
   */
  manageApiGatewayAccount?: boolean;

  // --- monitoring ---
  /** Email address subscribed to every region's alarm topic. @default undefined */
  alarmEmail?: string;

  // --- global routing (all off unless domainName is set) ---
  /** Global API hostname, such as `api.example.com`. Turns the global layer on. @default undefined (the layer is off) */
  domainName?: string;
  /** Route 53 hosted zone that holds `domainName`. Required with `domainName`. @default undefined */
  hostedZoneId?: string;
  /** `latency` (active-active) or `failover` (first region primary). @default "latency" */
  routingPolicy?: RoutingPolicy;
  /** Route 53 health-check interval: 10 or 30 seconds. @default 30 */
  healthCheckIntervalSeconds?: number;
  /** Failed checks before a region is unhealthy, 1 to 10. @default 3 */
  healthCheckFailureThreshold?: number;
  /** Regional WAFv2 web ACL on each stage. Costs money (docs/costs.md). @default false */
  enableWaf?: boolean;
  /**
   * Encrypted stage cache for GET answers, 300 s, keyed by path; `/api/health`
   * is never cached. Billed per hour while on (docs/costs.md). @default false
   */
  enableApiCache?: boolean;
  /** Cache size in GB, one of API Gateway's sizes. @default "0.5" */
  apiCacheSizeGb?: string;
}

/** TapStackArgs after defaults and validation: every field is set. */
export interface ResolvedTapStackConfig {
  readonly projectName: string;
  readonly environmentSuffix: string;
  readonly regions: readonly string[];
  readonly stackName: string;
  readonly allowedAccountIds: readonly string[];
  readonly enableNatGateway: boolean;
  readonly enableFlowLogs: boolean;
  readonly logRetentionDays: number;
  readonly lambdaMemoryMb: number;
  readonly lambdaTimeoutSeconds: number;
  readonly lambdaArchitecture: LambdaArchitecture;
  readonly lambdaReservedConcurrency: number | undefined;
  readonly lambdaProvisionedConcurrency: number;
  readonly rollout: RolloutMode;
  readonly apiThrottlingRateLimit: number;
  readonly apiThrottlingBurstLimit: number;
  readonly apiLoggingLevel: ApiLoggingLevel;
  readonly manageApiGatewayAccount: boolean;
  readonly alarmEmail: string | undefined;
  /** Set when the global layer is on. */
  readonly globalRouting: GlobalRoutingConfig | undefined;
  readonly enableWaf: boolean;
  readonly enableApiCache: boolean;
  readonly apiCacheSizeGb: string;
}

export interface GlobalRoutingConfig {
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly routingPolicy: RoutingPolicy;
  readonly healthCheckIntervalSeconds: number;
  readonly healthCheckFailureThreshold: number;
}

/** The library's defaults, in one place. */
export const DEFAULTS = {
  projectName: "iac-aws-nova",
  regions: ["us-east-1", "us-west-2"],
  allowedAccountIds: [],
  enableNatGateway: false,
  enableFlowLogs: true,
  logRetentionDays: 30,
  lambdaMemoryMb: 128,
  lambdaTimeoutSeconds: 30,
  lambdaArchitecture: "arm64",
  lambdaProvisionedConcurrency: 0,
  rollout: "all-at-once",
  apiThrottlingRateLimit: 100,
  apiThrottlingBurstLimit: 50,
  apiLoggingLevel: "ERROR",
  manageApiGatewayAccount: false,
  routingPolicy: "latency",
  healthCheckIntervalSeconds: 30,
  healthCheckFailureThreshold: 3,
  enableWaf: false,
  enableApiCache: false,
  apiCacheSizeGb: "0.5",
} as const;

/** CloudWatch Logs' allowed retention periods, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** API Gateway's stage cache sizes, in GB. */
export const API_CACHE_SIZES_GB = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;

/** Thrown for any invalid argument or config value. The message names the key, the value and what is allowed. */
export class TapConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid config "${key}": ${describeValue(value)}. ${expected}`);
    this.name = "TapConfigError";
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "not set";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `the list ${showValue(value)}`;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return `${typeof value} ${showValue(value)}`;
}

/**
 * JSON-like text of a value, except where JSON.stringify would mislead or
 * throw: NaN and Infinity read as themselves (not null), a bigint as `5n`
 * (JSON.stringify throws a TypeError on one, hiding the config error).
 */
function showValue(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([key, entry]) => `${JSON.stringify(key)}:${showValue(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Lower-case words joined by single hyphens: safe in every AWS name tap builds. */
const NAME_WORDS = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function validateName(key: string, value: unknown, min: number, max: number, mustStartWithLetter: boolean): string {
  const rule =
    `Use ${min} to ${max} lower-case letters, digits and single hyphens` +
    `${mustStartWithLetter ? ", starting with a letter" : ""}, with no hyphen at either end, such as "${key === "projectName" ? DEFAULTS.projectName : "dev"}".`;
  if (typeof value !== "string") throw new TapConfigError(key, value, `Expected a string. ${rule}`);
  if (value.length < min || value.length > max) {
    throw new TapConfigError(key, value, `It is ${value.length} characters long. ${rule}`);
  }
  if (!NAME_WORDS.test(value) || (mustStartWithLetter && !/^[a-z]/.test(value))) {
    throw new TapConfigError(key, value, rule);
  }
  return value;
}

function validateProjectName(value: unknown): string {
  const name = validateName("projectName", value, 2, 24, true);
  // Every physical name starts with `{projectName}-`: "sthree" alone already gives the bucket "sthree-artifacts-...".
  const namePrefix = `${name}-`;
  const reserved = S3_RESERVED_PREFIXES.find((prefix) => namePrefix.startsWith(prefix));
  if (reserved) {
    throw new TapConfigError("projectName", value, `S3 reserves the prefix "${reserved}" for bucket names. Choose another project name.`);
  }
  if (namePrefix.startsWith("sg-")) {
    throw new TapConfigError("projectName", value, `EC2 rejects security group names that start with "sg-". Choose another project name.`);
  }
  return name;
}

/**
 * The list keys, and the Pulumi CLI command that sets a first entry. Every
 * hint is tested by pasting it (test/lib/config-hints.test.ts applies it to a
 * stack file as the CLI would and loads the result):
 * - `--path` stores `true`/`false` as booleans and whole numbers that do not
 *   start with 0 as integers, everything else as text
 *   (https://github.com/pulumi/pulumi/pull/18285). An account ID stored as an
 *   integer is refused below, so its hint forces text with `--type string`
 *   (https://github.com/pulumi/pulumi/pull/18287, Pulumi CLI 3.150 and later).
 * - `--path 'key[0]'` replaces a plain value, and sets or appends to a list,
 *   but fails on a map ("an array was expected"), so a map is removed first.
 */
const LIST_KEYS = {
  regions: { what: "a list of AWS region names", example: '["us-east-1","us-west-2"]', setFirst: "pulumi config set --path 'regions[0]' us-east-1" },
  allowedAccountIds: {
    what: "a list of 12-digit AWS account IDs",
    example: '["111111111111"]',
    setFirst: "pulumi config set --path 'allowedAccountIds[0]' 111111111111 --type string",
  },
} as const;

type ListKey = keyof typeof LIST_KEYS;

/** "Set it with: <command>", ready to paste; a map in the way is removed first. The command ends the message. */
function listHint(key: ListKey, value: unknown): string {
  const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
  return `Set it with: ${isMap ? `pulumi config rm ${key} && ` : ""}${LIST_KEYS[key].setFirst}`;
}

/** The error for a list key whose value is not a list. */
function notAList(key: ListKey, value: unknown, shown: unknown = value): TapConfigError {
  return new TapConfigError(key, shown, `Expected ${LIST_KEYS[key].what}, such as ${LIST_KEYS[key].example}. ${listHint(key, value)}`);
}

function validateRegions(value: unknown): string[] {
  if (!Array.isArray(value)) throw notAList("regions", value);
  if (value.length === 0) throw new TapConfigError("regions", value, `At least one region is required. ${listHint("regions", value)}`);
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const key = `regions[${index}]`;
    if (typeof entry !== "string") throw new TapConfigError(key, entry, "Expected a region name such as \"us-east-1\".");
    if (!REGION_CODE_PATTERN.test(entry)) {
      throw new TapConfigError(key, entry, "That is not a region code: expected the form \"us-east-1\" (lower case, area, number).");
    }
    if (!findRegion(entry)) {
      throw new TapConfigError(key, entry, `Not an AWS commercial region tap supports. Allowed: ${COMMERCIAL_REGION_NAMES.join(", ")}.`);
    }
    if (seen.has(entry)) throw new TapConfigError(key, entry, "Each region may appear only once: remove the duplicate.");
    seen.add(entry);
  });
  return [...value];
}

/** Longest environment suffix: it appears in every physical name and is the API stage name. */
export const ENVIRONMENT_SUFFIX_MAX_LENGTH = 16;

/**
 * The environment a stack gets when `environmentSuffix` is not set: its own
 * name, sanitized and fitted, so `pulumi stack init prod` deploys a `prod`
 * stage rather than a second `dev`.
 */
export function defaultEnvironmentSuffix(stackName: string): string {
  return fitName(sanitizeStackName(stackName), ENVIRONMENT_SUFFIX_MAX_LENGTH);
}

/** An AWS account ID: exactly 12 digits (leading zeros are part of it, so it must be text). */
const ACCOUNT_ID_PATTERN = /^\d{12}$/;

function validateAccountIds(value: unknown): string[] {
  if (!Array.isArray(value)) throw notAList("allowedAccountIds", value);
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const key = `allowedAccountIds[${index}]`;
    if (typeof entry !== "string" || !ACCOUNT_ID_PATTERN.test(entry)) {
      // An ID stored as a number (`pulumi config set --path` without --type string) keeps its digits in the hint.
      const digits = typeof entry === "number" && ACCOUNT_ID_PATTERN.test(String(entry)) ? String(entry) : "111111111111";
      throw new TapConfigError(
        key,
        entry,
        `Expected a 12-digit AWS account ID as text, such as "111111111111" (quote it in YAML so leading zeros survive). ` +
          `Set it with: pulumi config set --path '${key}' ${digits} --type string`,
      );
    }
    if (seen.has(entry)) throw new TapConfigError(key, entry, "Each account may appear only once: remove the duplicate.");
    seen.add(entry);
  });
  return [...value];
}

function validateBoolean(key: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TapConfigError(key, value, "Expected true or false.");
  return value;
}

/** Whole-number text, as a config file or `pulumi config set` writes it. */
const INTEGER_TEXT = /^-?\d+$/;

function validateInteger(key: string, value: unknown, min: number, max: number): number {
  const range = `a whole number from ${min} to ${max}`;
  // Whole-number text too long for a safe integer reaches here as written (see convertConfigValue).
  const hugeText = typeof value === "string" && INTEGER_TEXT.test(value.trim()) && !Number.isSafeInteger(Number(value));
  const wholeOutside = typeof value === "number" && Number.isInteger(value) && (value < min || value > max);
  if (hugeText || wholeOutside) throw new TapConfigError(key, value, `It is out of range: expected ${range}.`);
  if (typeof value !== "number" || !Number.isInteger(value)) throw new TapConfigError(key, value, `Expected ${range}.`);
  return value;
}

function validateOneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new TapConfigError(key, value, `Allowed values: ${allowed.map((v) => JSON.stringify(v)).join(", ")}.`);
  }
  return value as T;
}

/** Practical email shape (RFC 5322's full grammar accepts addresses SNS would not deliver to). */
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

function validateEmail(value: unknown): string {
  if (typeof value !== "string" || value.length > 254 || !EMAIL_PATTERN.test(value) || value.includes("..")) {
    throw new TapConfigError("alarmEmail", value, "Expected one email address such as \"ops@example.com\", or leave it unset.");
  }
  return value;
}

/** A DNS name of at least two labels, each 1-63 letters, digits or inner hyphens. */
const DOMAIN_PATTERN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function validateDomain(value: unknown): string {
  if (typeof value !== "string" || !DOMAIN_PATTERN.test(value)) {
    throw new TapConfigError("domainName", value, "Expected a lower-case DNS name such as \"api.example.com\" (no scheme, no trailing dot).");
  }
  return value;
}

function validateHostedZoneId(value: unknown): string {
  if (typeof value !== "string" || !/^Z[A-Z0-9]{1,31}$/.test(value)) {
    throw new TapConfigError("hostedZoneId", value, "Expected a Route 53 hosted zone ID such as \"Z0123456789ABCDEFGHIJ\".");
  }
  return value;
}

function resolveGlobalRouting(args: TapStackArgs, regions: readonly string[]): GlobalRoutingConfig | undefined {
  // Checked even while the layer is off, so a typo is caught before the layer is turned on.
  // (Pulumi.yaml gives these keys defaults, so they are always present under the real engine.)
  const routingPolicy = validateOneOf<RoutingPolicy>("routingPolicy", args.routingPolicy ?? DEFAULTS.routingPolicy, ROUTING_POLICIES);
  // Route 53 allows only these two intervals, and thresholds 1 to 10.
  const healthCheckIntervalSeconds = validateOneOf("healthCheckIntervalSeconds", args.healthCheckIntervalSeconds ?? DEFAULTS.healthCheckIntervalSeconds, [10, 30]);
  const healthCheckFailureThreshold = validateInteger("healthCheckFailureThreshold", args.healthCheckFailureThreshold ?? DEFAULTS.healthCheckFailureThreshold, 1, 10);
  if (args.domainName === undefined) {
    if (args.hostedZoneId !== undefined) {
      throw new TapConfigError("domainName", undefined, "hostedZoneId is set, so domainName must be set too, such as \"api.example.com\".");
    }
    return undefined;
  }
  const domainName = validateDomain(args.domainName);
  if (args.hostedZoneId === undefined) {
    throw new TapConfigError("hostedZoneId", undefined, `domainName "${domainName}" needs the ID of the Route 53 hosted zone that holds it.`);
  }
  const hostedZoneId = validateHostedZoneId(args.hostedZoneId);
  // failover takes exactly two regions (Route 53 has one PRIMARY and one SECONDARY record per name).
  const regionsProblem = routingRegionsProblem(routingPolicy, regions);
  if (regionsProblem) throw new TapConfigError("routingPolicy", routingPolicy, regionsProblem);
  return {
    domainName,
    hostedZoneId,
    routingPolicy,
    healthCheckIntervalSeconds,
    healthCheckFailureThreshold,
  };
}

/**
 * Applies the defaults and validates every argument. Throws a TapConfigError
 * naming the first bad key; returns a fully resolved config otherwise.
 */
export function resolveTapStackArgs(args: TapStackArgs, defaultStackName: string): ResolvedTapStackConfig {
  const regions = validateRegions(args.regions ?? DEFAULTS.regions);
  const stackName = args.stackName ?? defaultStackName;
  if (typeof stackName !== "string" || stackName.length === 0) {
    throw new TapConfigError("stackName", stackName, "Expected a non-empty stack name.");
  }
  const lambdaTimeoutSeconds = validateInteger("lambdaTimeoutSeconds", args.lambdaTimeoutSeconds ?? DEFAULTS.lambdaTimeoutSeconds, 1, 900);
  const reserved = args.lambdaReservedConcurrency === undefined
    ? undefined
    : validateInteger("lambdaReservedConcurrency", args.lambdaReservedConcurrency, 0, 10000);
  const provisioned = validateInteger("lambdaProvisionedConcurrency", args.lambdaProvisionedConcurrency ?? DEFAULTS.lambdaProvisionedConcurrency, 0, 10000);
  if (reserved !== undefined && provisioned > reserved) {
    throw new TapConfigError("lambdaProvisionedConcurrency", provisioned, `It cannot exceed lambdaReservedConcurrency (${reserved}). Lower it or raise the reservation.`);
  }
  const apiThrottlingRateLimit = validateInteger("apiThrottlingRateLimit", args.apiThrottlingRateLimit ?? DEFAULTS.apiThrottlingRateLimit, 1, 10000);
  const apiThrottlingBurstLimit = validateInteger("apiThrottlingBurstLimit", args.apiThrottlingBurstLimit ?? DEFAULTS.apiThrottlingBurstLimit, 1, 5000);

  return {
    projectName: validateProjectName(args.projectName ?? DEFAULTS.projectName),
    environmentSuffix: validateName("environmentSuffix", args.environmentSuffix ?? defaultEnvironmentSuffix(stackName), 1, ENVIRONMENT_SUFFIX_MAX_LENGTH, false),
    regions,
    stackName,
    allowedAccountIds: validateAccountIds(args.allowedAccountIds ?? DEFAULTS.allowedAccountIds),
    enableNatGateway: validateBoolean("enableNatGateway", args.enableNatGateway ?? DEFAULTS.enableNatGateway),
    enableFlowLogs: validateBoolean("enableFlowLogs", args.enableFlowLogs ?? DEFAULTS.enableFlowLogs),
    logRetentionDays: validateOneOf("logRetentionDays", args.logRetentionDays ?? DEFAULTS.logRetentionDays, LOG_RETENTION_DAYS),
    lambdaMemoryMb: validateInteger("lambdaMemoryMb", args.lambdaMemoryMb ?? DEFAULTS.lambdaMemoryMb, 128, 10240),
    lambdaTimeoutSeconds,
    lambdaArchitecture: validateOneOf<LambdaArchitecture>("lambdaArchitecture", args.lambdaArchitecture ?? DEFAULTS.lambdaArchitecture, ["arm64", "x86_64"]),
    lambdaReservedConcurrency: reserved,
    lambdaProvisionedConcurrency: provisioned,
    rollout: validateOneOf<RolloutMode>("rollout", args.rollout ?? DEFAULTS.rollout, ROLLOUT_MODES),
    apiThrottlingRateLimit,
    apiThrottlingBurstLimit,
    apiLoggingLevel: validateOneOf<ApiLoggingLevel>("apiLoggingLevel", args.apiLoggingLevel ?? DEFAULTS.apiLoggingLevel, ["OFF", "ERROR", "INFO"]),
    manageApiGatewayAccount: validateBoolean("manageApiGatewayAccount", args.manageApiGatewayAccount ?? DEFAULTS.manageApiGatewayAccount),
    alarmEmail: args.alarmEmail === undefined ? undefined : validateEmail(args.alarmEmail),
    globalRouting: resolveGlobalRouting(args, regions),
    enableWaf: validateBoolean("enableWaf", args.enableWaf ?? DEFAULTS.enableWaf),
    enableApiCache: validateBoolean("enableApiCache", args.enableApiCache ?? DEFAULTS.enableApiCache),
    apiCacheSizeGb: validateOneOf("apiCacheSizeGb", args.apiCacheSizeGb ?? DEFAULTS.apiCacheSizeGb, API_CACHE_SIZES_GB),
  };
}

/** What every physical name of the stack is built from (lib/naming.ts). */
export function namingContextOf(config: ResolvedTapStackConfig): NamingContext {
  return { project: config.projectName, environment: config.environmentSuffix, stack: config.stackName };
}

/** How each config key is read from Pulumi config (which stores scalars as strings). */
export const CONFIG_KEY_TYPES: Record<keyof TapStackArgs, "string" | "integer" | "boolean" | "array"> = {
  projectName: "string",
  environmentSuffix: "string",
  regions: "array",
  stackName: "string",
  allowedAccountIds: "array",
  enableNatGateway: "boolean",
  enableFlowLogs: "boolean",
  logRetentionDays: "integer",
  lambdaMemoryMb: "integer",
  lambdaTimeoutSeconds: "integer",
  lambdaArchitecture: "string",
  lambdaReservedConcurrency: "integer",
  lambdaProvisionedConcurrency: "integer",
  rollout: "string",
  apiThrottlingRateLimit: "integer",
  apiThrottlingBurstLimit: "integer",
  apiLoggingLevel: "string",
  manageApiGatewayAccount: "boolean",
  alarmEmail: "string",
  domainName: "string",
  hostedZoneId: "string",
  routingPolicy: "string",
  healthCheckIntervalSeconds: "integer",
  healthCheckFailureThreshold: "integer",
  enableWaf: "boolean",
  enableApiCache: "boolean",
  apiCacheSizeGb: "string",
};

/**
 * Converts raw Pulumi config values (strings, or parsed JSON for `--path`
 * values) into TapStackArgs. Only types are converted here; ranges and
 * formats are checked by resolveTapStackArgs. A value of the wrong type, such
 * as `regions` set to the plain string "us-east-1", is rejected by name.
 */
export function tapStackArgsFromConfig(read: (key: string) => unknown): TapStackArgs {
  const args: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(CONFIG_KEY_TYPES)) {
    if (key === "stackName") continue; // always pulumi.getStack(): not a config key
    const raw = read(key);
    if (raw === undefined) continue;
    const value = convertConfigValue(key, raw, type);
    if (key in UNSET_SENTINELS && UNSET_SENTINELS[key as keyof typeof UNSET_SENTINELS] === value) continue;
    args[key] = value;
  }
  return args as TapStackArgs;
}

/**
 * Pulumi treats a project config key without a default as required, so the
 * optional keys get these defaults in Pulumi.yaml, and they mean "unset".
 * -1 is also Lambda's own value for "no reserved concurrency".
 */
export const UNSET_SENTINELS = {
  environmentSuffix: "",
  alarmEmail: "",
  domainName: "",
  hostedZoneId: "",
  lambdaReservedConcurrency: -1,
} as const;

function convertConfigValue(key: string, raw: unknown, type: "string" | "integer" | "boolean" | "array"): unknown {
  if (typeof raw !== "string") return raw; // already structured (set with --path)
  switch (type) {
    case "string":
      return raw;
    case "integer":
      // Anything but safe whole-number text goes on as written, so that the
      // validator reports it with the key's range: "1.5", "lots", or digits
      // beyond 2^53 (which Number would turn into 1e+23).
      return INTEGER_TEXT.test(raw.trim()) && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case "boolean":
      if (raw !== "true" && raw !== "false") throw new TapConfigError(key, raw, "Expected true or false.");
      return raw === "true";
    case "array": {
      // Pulumi stores a --path list as JSON text; anything else is a plain string.
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
      }
      if (Array.isArray(parsed)) return parsed;
      // The message shows the text as given; the hint depends on what it holds (a map must be removed first).
      throw notAList(key as ListKey, parsed, raw);
    }
  }
}
