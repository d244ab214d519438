import * as lambda from "@pulumi/aws/lambda";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { labelOf, known, ofType, refersTo, stringsOf, UNKNOWN, validateKnownResourceOfType } from "./support";

/**
 * Lambda: a supported runtime, Active X-Ray tracing, a VPC placement across
 * at least two availability zones, and invoke permissions that only a scoped
 * AWS service principal holds.
 */

/**
 * Deprecation dates of the runtimes tap knows, from the AWS Lambda runtimes
 * page as of late 2026 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html;
 * docs/aws-facts.md, "Lambda runtimes"). From its date on, a
 * runtime gets no security patches: Security Hub Lambda.2 fails it. Add a
 * runtime here, with its date, before using it.
 */
export const LAMBDA_RUNTIME_DEPRECATION_DATES: Readonly<Record<string, string>> = {
  "nodejs24.x": "2028-04-30",
  "nodejs22.x": "2027-04-30",
  "nodejs20.x": "2026-04-30",
  "nodejs18.x": "2025-09-01",
  "python3.9": "2025-12-15",
};

/** Runtimes still supported on `today` (UTC date), newest deprecation date first. */
export function supportedRuntimes(today: Date): string[] {
  const day = today.toISOString().slice(0, 10);
  return Object.entries(LAMBDA_RUNTIME_DEPRECATION_DATES)
    .filter(([, deprecated]) => day < deprecated)
    .sort(([, a], [, b]) => b.localeCompare(a))
    .map(([runtime]) => runtime);
}

/** Why `runtime` is not acceptable on `today`, or undefined when it is. */
export function runtimeProblem(runtime: string | undefined, today: Date): string | undefined {
  const supported = supportedRuntimes(today).join(", ");
  if (runtime === undefined || runtime === "") return `sets no runtime; use one of ${supported}`;
  const deprecated = LAMBDA_RUNTIME_DEPRECATION_DATES[runtime];
  if (deprecated === undefined) {
    return `uses runtime "${runtime}", which is not in tap's runtime table (policy/lambda-policies.ts); use one of ${supported}, or add it with its AWS deprecation date`;
  }
  if (today.toISOString().slice(0, 10) >= deprecated) {
    return `uses runtime "${runtime}", deprecated by AWS on ${deprecated}; use one of ${supported}`;
  }
  return undefined;
}

export const lambdaSupportedRuntime: ResourceValidationPolicy = {
  name: "lambda-supported-runtime",
  description: "[Lambda.2] A function's runtime is one AWS still supports.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(lambda.Function, (fn, args, reportViolation) => {
    // A container-image function brings its own runtime.
    if (fn.packageType === "Image") return;
    const problem = runtimeProblem(fn.runtime, new Date());
    if (problem) reportViolation(`Function "${args.name}" ${problem}.`);
  }),
};

export const lambdaTracingActive: ResourceValidationPolicy = {
  name: "lambda-tracing-active",
  description: "[CKV_AWS_50] A function's X-Ray tracing mode is Active.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateKnownResourceOfType(lambda.Function, (fn, args, reportViolation) => {
    const mode = fn.tracingConfig?.mode;
    if (mode !== "Active") {
      reportViolation(`Function "${args.name}" has tracing mode ${JSON.stringify(mode)}; set tracingConfig.mode to "Active".`);
    }
  }),
};

export const lambdaInVpc: ResourceValidationPolicy = {
  name: "lambda-in-vpc",
  description: "[Lambda.3] A function runs in a VPC: vpcConfig with at least two subnets and a security group.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateKnownResourceOfType(lambda.Function, (fn, args, reportViolation) => {
    const vpcConfig = fn.vpcConfig;
    if (!vpcConfig) {
      reportViolation(`Function "${args.name}" has no vpcConfig; give it subnetIds in at least two availability zones and securityGroupIds.`);
      return;
    }
    // Only the lists' lengths are read: in preview the IDs themselves are unknown.
    const subnetCount = vpcConfig.subnetIds?.length ?? 0;
    const groupCount = vpcConfig.securityGroupIds?.length ?? 0;
    if (subnetCount < 2) reportViolation(`Function "${args.name}" has ${subnetCount} subnet(s) in vpcConfig.subnetIds; it needs at least two, in distinct availability zones.`);
    if (groupCount < 1) reportViolation(`Function "${args.name}" has no vpcConfig.securityGroupIds.`);
  }),
};

const SUBNET_TYPE = "aws:ec2/subnet:Subnet";

/** The availability zones of the stack's subnets a function uses, or undefined when preview cannot tell. */
function functionZones(fn: PolicyResource, subnets: readonly PolicyResource[]): string[] | undefined {
  const readSubnetIds = (props: Record<string, unknown>) => (props.vpcConfig as { subnetIds?: unknown } | undefined)?.subnetIds;
  const verdicts = subnets.map((subnet) => ({ subnet, verdict: refersTo(fn, "vpcConfig", subnet, ["id"], readSubnetIds) }));
  if (verdicts.some((v) => v.verdict === undefined)) return undefined;
  const used = verdicts.filter((v) => v.verdict === true).map((v) => v.subnet);
  // Subnets created outside this stack cannot be looked up here.
  const subnetIds = known(() => stringsOf(readSubnetIds(fn.props)));
  if (subnetIds !== UNKNOWN && subnetIds.length > used.length) return undefined;
  const zones = used.map((subnet) => known(() => subnet.props.availabilityZone));
  if (zones.some((zone) => typeof zone !== "string")) return undefined;
  return [...new Set(zones as string[])];
}

export const lambdaVpcMultiAz: StackValidationPolicy = {
  name: "lambda-vpc-multi-az",
  description: "[Lambda.5] A VPC function's subnets span at least two availability zones.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateStack: (args, reportViolation) => {
    const subnets = ofType(args.resources, SUBNET_TYPE);
    for (const fn of ofType(args.resources, "aws:lambda/function:Function")) {
      if (known(() => fn.props.vpcConfig) === undefined) continue; // lambda-in-vpc reports it
      const zones = functionZones(fn, subnets);
      if (zones !== undefined && zones.length < 2) {
        reportViolation(`Function ${labelOf(fn)} runs in ${zones.length} availability zone(s) (${zones.join(", ") || "none"}); put its subnets in at least two.`, fn.urn);
      }
    }
  },
};

/** Why an API Gateway `sourceArn` grants more than one API's stages, or undefined when it is scoped. */
export function executeApiSourceArnProblem(sourceArn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:execute-api:([^:]*):([^:]*):([^/]*)\/(.*)$/.exec(sourceArn);
  if (!match) return `sourceArn "${sourceArn}" is not an execute-api ARN (arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path})`;
  const [, region, account, apiId, rest] = match;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return `sourceArn "${sourceArn}" names no single region ("${region}")`;
  if (!/^\d{12}$/.test(account)) return `sourceArn "${sourceArn}" names no single account ("${account}")`;
  if (apiId === "" || apiId.includes("*")) return `sourceArn "${sourceArn}" names no single API ("${apiId}")`;
  if (`${apiId}/${rest}`.includes("//")) return `sourceArn "${sourceArn}" has an empty path segment ("//")`;
  const [stage, method] = rest.split("/");
  if (!stage || method === undefined || method === "") {
    return `sourceArn "${sourceArn}" must name a stage and a method after the API ID: end with /*/* or narrower`;
  }
  return undefined;
}

export const lambdaPermissionScoped: ResourceValidationPolicy = {
  name: "lambda-permission-scoped",
  description: "[Lambda.1] A function's resource policy grants an AWS service principal only, scoped by sourceArn (for API Gateway: one API, stage/method/path).",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateKnownResourceOfType(lambda.Permission, (permission, args, reportViolation) => {
    const principal = permission.principal;
    if (!/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/.test(principal ?? "")) {
      reportViolation(`Permission "${args.name}" grants principal ${JSON.stringify(principal)}; grant an AWS service principal such as "apigateway.amazonaws.com", never "*" or an account.`);
      return;
    }
    const sourceArn = permission.sourceArn;
    if (!sourceArn) {
      reportViolation(`Permission "${args.name}" grants ${principal} without a sourceArn, so any ${principal} resource in any account may invoke the function; set sourceArn.`);
      return;
    }
    const problem = principal === "apigateway.amazonaws.com"
      ? executeApiSourceArnProblem(sourceArn)
      : sourceArn.startsWith("arn:") && sourceArn !== "arn:*" ? undefined : `sourceArn "${sourceArn}" is not an ARN`;
    if (problem) reportViolation(`Permission "${args.name}": ${problem}.`);
  }),
};

export const lambdaPolicies = [lambdaSupportedRuntime, lambdaTracingActive, lambdaInVpc, lambdaVpcMultiAz, lambdaPermissionScoped];
