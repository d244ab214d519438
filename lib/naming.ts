import { createHash } from "crypto";

/**
 * Every physical name tap gives AWS comes from here, following the seed's
 * pattern `{project}-{component}-{region}-{env}`, plus the stack's hash:
 * `{project}-{component}-{region}-{env}-{stackHash}`. Each builder knows its
 * resource's limits (docs/aws-facts.md, "Name limits", links AWS's pages) and,
 * when a name would be too long, shortens it deterministically: it keeps a
 * readable prefix and appends a hash of the full name, so two different long
 * names never collapse into one.
 *
 * Why the stack hash: tap sets readable physical names itself, so it must keep
 * the promise Pulumi's auto-naming keeps, that two stacks never share a name.
 * Several AWS APIs create-or-replace by name without complaint (PutDashboard,
 * PutMetricAlarm; CreateTopic returns the existing topic), so a shared name
 * means one stack silently takes over the other's resource, and destroying
 * either deletes it for both. The environment alone does not tell stacks
 * apart (`alice-dev` and `bob-dev` may both say `dev`), nor does the
 * sanitized stack name (`dev_1` and `dev-1`); the raw stack name does.
 */

/** Length of the hash suffix added to shortened names. 8 hex chars = 32 bits. */
const HASH_LENGTH = 8;

/** AWS name limits used by the builders below. */
export const NAME_LIMITS = {
  lambdaFunction: 64,
  iamRole: 64,
  /** A role's `namePrefix`: 64 less the 26 characters of the unique suffix Pulumi adds. */
  iamRoleNamePrefix: 38,
  iamPolicy: 128,
  s3Bucket: 63,
  s3BucketMin: 3,
  securityGroup: 255,
  alarm: 255,
  dashboard: 255,
  logGroup: 512,
  apiGatewayRestApi: 1024,
  snsTopic: 256,
  wafWebAcl: 128,
  /** CodeDeploy application and deployment group names. */
  codeDeploy: 100,
  /** Tag values; used for the Name tag. */
  tagValue: 256,
} as const;

/** Short, stable hash of a string: the first 8 hex digits of its SHA-256. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, HASH_LENGTH);
}

/**
 * Returns `name` unchanged if it fits in `maxLength`, otherwise a prefix of it
 * plus `-` and a hash of the whole name: `maxLength` long, or shorter by the
 * separators trimmed from the end of the prefix (so the result never has `--` or `-.`).
 */
export function fitName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const suffix = `-${shortHash(name)}`;
  const prefix = name.slice(0, maxLength - suffix.length).replace(/[-_.]+$/, "");
  return `${prefix}${suffix}`;
}

/**
 * Turns any stack name into the characters a bucket name allows: lower case,
 * digits and single hyphens, with no hyphen at either end. `My_Stack.Prod`
 * becomes `my-stack-prod`. A name with nothing usable left becomes `stack`.
 */
export function sanitizeStackName(stack: string): string {
  const cleaned = stack
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return cleaned.length > 0 ? cleaned : "stack";
}

/** The values every name in one region is built from. */
export interface NamingContext {
  /** Validated project name, such as `iac-aws-nova`. */
  readonly project: string;
  /** Validated environment suffix, such as `dev`. */
  readonly environment: string;
  /** The Pulumi stack name, as given (any characters). */
  readonly stack: string;
}

/**
 * 8 hex digits that tell this deployment (tap project + Pulumi stack) from
 * every other one in the account. It ends every physical name tap builds.
 * Renaming the stack changes it, and so replaces every named resource.
 */
export function stackHash(context: NamingContext): string {
  return shortHash(`${context.project}/${context.stack}`);
}

/** `{project}-{middle}-{env}-{stackHash}`, fitted to `maxLength`: the shape of every physical name. */
export function stackScopedName(context: NamingContext, middle: string, maxLength: number): string {
  return fitName(`${context.project}-${middle}-${context.environment}-${stackHash(context)}`, maxLength);
}

/**
 * Builds the names of one region's resources. Construct one per region; the
 * global resources (dashboard, health-check alarms) use `globalNames`.
 */
export class RegionNames {
  constructor(
    private readonly context: NamingContext,
    readonly region: string,
  ) {}

  /** `{project}-{component}-{region}-{env}-{stackHash}`, fitted to `maxLength`. */
  resource(component: string, maxLength: number): string {
    return stackScopedName(this.context, `${component}-${this.region}`, maxLength);
  }

  get vpc(): string {
    return this.resource("vpc", NAME_LIMITS.tagValue);
  }

  /** Name tag of private subnet `index` (0-based). */
  privateSubnet(index: number): string {
    return this.resource(`private-${index + 1}`, NAME_LIMITS.tagValue);
  }

  get lambdaSecurityGroup(): string {
    return this.resource("lambda-sg", NAME_LIMITS.securityGroup);
  }

  get flowLogGroup(): string {
    return `/aws/vpc-flow-logs/${this.resource("vpc", NAME_LIMITS.logGroup - 20)}`;
  }

  /** IAM is global: the region in the name keeps the regions' roles apart. */
  get flowLogRole(): string {
    return this.resource("flow-logs", NAME_LIMITS.iamRole);
  }

  get lambdaFunction(): string {
    return this.resource("api", NAME_LIMITS.lambdaFunction);
  }

  /** The log group Lambda writes to; Lambda fixes this name, so it is derived from the function's. */
  get lambdaLogGroup(): string {
    return `/aws/lambda/${this.lambdaFunction}`;
  }

  /** IAM is global: the region in the name keeps the regions' roles apart. */
  get lambdaRole(): string {
    return this.resource("lambda-role", NAME_LIMITS.iamRole);
  }

  get restApi(): string {
    return this.resource("api", NAME_LIMITS.apiGatewayRestApi);
  }

  get apiAccessLogGroup(): string {
    return `/aws/apigateway/${this.resource("api-access", NAME_LIMITS.logGroup - 20)}`;
  }

  /**
   * Name prefix of the role API Gateway uses to write logs (the account-level
   * setting). IAM adds a unique 26-character suffix: the role is kept when its
   * stack is destroyed (see ServerlessApi), so a fixed name would collide when
   * the stack is created again.
   */
  get apiGatewayCloudWatchRolePrefix(): string {
    // The region is kept whole (IAM is global); the project is cut to fit, since the suffix already makes it unique.
    const tail = `-apigw-${this.region}-`;
    return `${this.context.project.slice(0, NAME_LIMITS.iamRoleNamePrefix - tail.length).replace(/-+$/, "")}${tail}`;
  }

  alarm(metric: string): string {
    return this.resource(`${metric}-alarm`, NAME_LIMITS.alarm);
  }

  get alarmTopic(): string {
    return this.resource("alarms", NAME_LIMITS.snsTopic);
  }

  /** IAM is global: the region in the name keeps the regions' roles apart. */
  get codeDeployRole(): string {
    return this.resource("deploy-role", NAME_LIMITS.iamRole);
  }

  /** The CodeDeploy application that releases the function (compute platform Lambda). */
  get codeDeployApplication(): string {
    return this.resource("api", NAME_LIMITS.codeDeploy);
  }

  /** The application's one deployment group: it shifts the function's `live` alias. */
  get codeDeployGroup(): string {
    return this.resource("api-live", NAME_LIMITS.codeDeploy);
  }

  get webAcl(): string {
    return this.resource("waf", NAME_LIMITS.wafWebAcl);
  }

  /**
   * `{project}-artifacts-{region}-{env}-{hash}`, where the hash covers the AWS
   * account as well as the stack. Bucket names are global across every
   * account: with the stack alone, every user of the defaults would ask for
   * the same names, and all but the first would get BucketAlreadyExists
   * (or find a name someone claimed first). With the account in the hash, the
   * same stack deployed to two accounts gets two names. Always a valid bucket
   * name (see `isValidBucketName`): it ends in hex digits, never in a suffix S3 reserves.
   */
  artifactBucket(accountId: string): string {
    const { project, environment, stack } = this.context;
    return fitName(`${project}-artifacts-${this.region}-${environment}-${shortHash(`${accountId}/${project}/${stack}`)}`, NAME_LIMITS.s3Bucket);
  }
}

/** Names of the resources that exist once per stack, not per region. */
export function globalNames(context: NamingContext) {
  return {
    /** CloudWatch dashboards belong to the account, not a region. */
    dashboard: stackScopedName(context, "dashboard", NAME_LIMITS.dashboard),
    /** Route 53 health-check alarms live in us-east-1 (see lib/global-routing.ts). */
    healthCheckAlarm: (region: string) => stackScopedName(context, `health-alarm-${region}`, NAME_LIMITS.alarm),
  };
}

/** Prefixes S3 reserves: no general purpose bucket name may start with one (`sthree-configurator` included). */
export const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;

/**
 * Suffixes S3 reserves for access point aliases, Object Lambda aliases,
 * Multi-Region Access Points, directory buckets and table buckets.
 */
export const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/** The S3 general purpose bucket naming rules, as one predicate (used by tests and the policy pack). */
export function isValidBucketName(name: string): boolean {
  return (
    name.length >= NAME_LIMITS.s3BucketMin &&
    name.length <= NAME_LIMITS.s3Bucket &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !S3_RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !S3_RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}
