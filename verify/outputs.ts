import { readFile } from "fs/promises";
import { startChild } from "../scripts/process-tree.cjs";
import { COMMERCIAL_REGION_NAMES, REGION_CODE_PATTERN, findRegion } from "../lib/regions";
import { VerifyInputError } from "./checks";
import { redactCredentials } from "../common/printable";

/**
 * The stack outputs the verifier reads (the contract of index.ts, as printed
 * by `pulumi stack output --json`), their validation, and the two ways to get
 * them: a file, or the Pulumi CLI. Keys keep the contract's snake_case names so
 * that every error message names the key the user sees in the file.
 */

/** Region code -> value. */
export type RegionMap<T> = Readonly<Record<string, T>>;

export interface StackOutputs {
  /** Region -> `https://{id}.execute-api.{region}.amazonaws.com/{env}/api`. The only required key. */
  readonly api_urls: RegionMap<string>;
  readonly lambda_arns?: RegionMap<string>;
  readonly s3_buckets?: RegionMap<string>;
  readonly vpc_ids?: RegionMap<string>;
  readonly lambda_function_names?: RegionMap<string>;
  readonly alarm_topic_arns?: RegionMap<string>;
  /** Region -> the names of that region's alarms. */
  readonly alarm_names?: RegionMap<readonly string[]>;
  readonly dashboard_name?: string;
  readonly dashboard_url?: string;
  /** Set when the global routing layer is on: `https://{domainName}/api`. */
  readonly global_url?: string;
  /** Set with `rollout` canary or linear: region -> the CodeDeploy names that release it. */
  readonly deployment_groups?: RegionMap<DeploymentGroupOutput>;
}

/** One region's entry of `deployment_groups` (lib/release-wave.ts exports it). */
export interface DeploymentGroupOutput {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly deploymentConfigName: string;
  readonly aliasName: string;
  /** The rollback alarms the group must list. */
  readonly alarmNames: readonly string[];
}

const DEPLOYMENT_GROUP_KEYS = ["applicationName", "deploymentGroupName", "deploymentConfigName", "aliasName"] as const;

/** Optional region maps of plain strings. */
const STRING_MAP_KEYS = [
  "lambda_arns",
  "s3_buckets",
  "vpc_ids",
  "lambda_function_names",
  "alarm_topic_arns",
] as const;

/** What one region's AWS checks look at, taken from the outputs. */
export interface RegionTargets {
  readonly bucket: string;
  readonly vpcId: string;
  readonly functionName: string;
  readonly alarmTopicArn: string;
  readonly alarmNames: readonly string[];
  /** Set when the region is released gradually (`deployment_groups` has it). */
  readonly rollout?: RolloutTargets;
}

/** What the rollout checks of one region look at. */
export interface RolloutTargets extends DeploymentGroupOutput {
  /** The REST API's ID, from the region's API URL (`https://{id}.execute-api...`). */
  readonly restApiId: string;
}

export interface AwsTargets {
  readonly regions: RegionMap<RegionTargets>;
  readonly dashboardName: string;
}

const HTTP_ONLY_HINT = "the AWS checks need it (pass --http-only to run only the HTTP checks)";

function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  const text = redactCredentials(JSON.stringify(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An http(s) URL without `user:password@`: fetch refuses those, and the report would echo them. */
function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/**
 * Checks the shape of raw stack outputs and returns them typed. Unknown keys
 * are ignored (a stack may export more). `source` names where they came from,
 * for the messages: `file "out.json"` or `stack "dev"`.
 * @throws VerifyInputError naming the key, the bad value and what is expected.
 */
export function parseStackOutputs(raw: unknown, source: string): StackOutputs {
  const invalid = (message: string) => new VerifyInputError(`Invalid outputs (${source}): ${message}`);
  if (!isPlainObject(raw)) {
    throw invalid(`expected a JSON object of stack outputs, got ${describeValue(raw)}.`);
  }

  const regionMap = (key: string, isValid: (value: unknown) => boolean, expected: string, required: boolean) => {
    const map = raw[key];
    if (map === undefined && !required) return;
    if (!isPlainObject(map)) {
      throw invalid(`"${key}" is ${describeValue(map)}; expected an object mapping each region to ${expected}.`);
    }
    const regions = Object.keys(map);
    if (regions.length === 0) throw invalid(`"${key}" is empty; expected at least one region.`);
    for (const region of regions) {
      if (!REGION_CODE_PATTERN.test(region)) {
        throw invalid(`"${key}" has the key ${JSON.stringify(region)}, which is not a region code such as us-east-1.`);
      }
      // The region table tap deploys from (lib/regions.ts): a made-up code cannot be a tap region.
      if (!findRegion(region)) {
        throw invalid(
          `"${key}" has the key ${JSON.stringify(region)}, which is not an AWS commercial region tap deploys to. ` +
            `Known regions: ${COMMERCIAL_REGION_NAMES.join(", ")}.`,
        );
      }
      if (!isValid(map[region])) {
        throw invalid(`"${key}.${region}" is ${describeValue(map[region])}; expected ${expected}.`);
      }
    }
  };
  const optionalValue = (key: string, isValid: (value: unknown) => boolean, expected: string) => {
    if (raw[key] !== undefined && !isValid(raw[key])) {
      throw invalid(`"${key}" is ${describeValue(raw[key])}; expected ${expected}.`);
    }
  };

  regionMap("api_urls", isHttpUrl, "its API URL (http or https, without user:password@)", true);
  for (const key of STRING_MAP_KEYS) regionMap(key, isNonEmptyString, "a non-empty string", false);
  regionMap(
    "alarm_names",
    (value) => Array.isArray(value) && value.every(isNonEmptyString),
    "an array of alarm names",
    false,
  );
  regionMap(
    "deployment_groups",
    (value) => isPlainObject(value) && DEPLOYMENT_GROUP_KEYS.every((key) => isNonEmptyString(value[key])) &&
      Array.isArray(value.alarmNames) && value.alarmNames.length > 0 && value.alarmNames.every(isNonEmptyString),
    `an object with the non-empty strings ${DEPLOYMENT_GROUP_KEYS.join(", ")} and alarmNames, a non-empty array of alarm names`,
    false,
  );
  optionalValue("dashboard_name", isNonEmptyString, "a non-empty string");
  optionalValue("dashboard_url", isHttpUrl, "an http(s) URL without user:password@");
  optionalValue("global_url", isHttpUrl, "an http(s) URL without user:password@");
  return raw as unknown as StackOutputs;
}

/**
 * The regions to check: `requested` (deduplicated, in the order given) or,
 * when empty, every region in `api_urls`.
 * @throws VerifyInputError when a requested region is not in the outputs.
 */
export function selectRegions(outputs: StackOutputs, requested: readonly string[]): string[] {
  const available = Object.keys(outputs.api_urls);
  if (requested.length === 0) return available;
  for (const region of requested) {
    if (!available.includes(region)) {
      throw new VerifyInputError(
        `Region "${region}" is not in the outputs; they have: ${available.join(", ")}.`,
      );
    }
  }
  return [...new Set(requested)];
}

/**
 * What the AWS checks need from the outputs, for `regions`.
 * @throws VerifyInputError naming the missing key or region entry.
 */
export function awsTargets(outputs: StackOutputs, regions: readonly string[], source: string): AwsTargets {
  const missing = (what: string) => new VerifyInputError(`Invalid outputs (${source}): ${what}; ${HTTP_ONLY_HINT}.`);
  const entry = <T>(key: string, map: RegionMap<T> | undefined, region: string): T => {
    if (map === undefined) throw missing(`"${key}" is missing`);
    const value = map[region];
    if (value === undefined) throw missing(`"${key}" has no entry for region "${region}"`);
    return value;
  };

  const targets: Record<string, RegionTargets> = {};
  for (const region of regions) {
    const group = outputs.deployment_groups?.[region];
    targets[region] = {
      bucket: entry("s3_buckets", outputs.s3_buckets, region),
      vpcId: entry("vpc_ids", outputs.vpc_ids, region),
      functionName: entry("lambda_function_names", outputs.lambda_function_names, region),
      alarmTopicArn: entry("alarm_topic_arns", outputs.alarm_topic_arns, region),
      alarmNames: entry("alarm_names", outputs.alarm_names, region),
      ...(group ? { rollout: { ...group, restApiId: restApiIdOf(outputs.api_urls[region]) } } : {}),
    };
  }
  if (outputs.dashboard_name === undefined) throw missing(`"dashboard_name" is missing`);
  return { regions: targets, dashboardName: outputs.dashboard_name };
}

/** The REST API ID in an execute-api URL, or "" when the URL is another (a custom domain): the check then says so. */
export function restApiIdOf(apiUrl: string): string {
  return /^https?:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com\//.exec(apiUrl)?.[1] ?? "";
}

/**
 * Reads and validates an outputs file (the JSON of `pulumi stack output --json`).
 * @throws VerifyInputError when the file is missing, unreadable, not JSON or of the wrong shape.
 */
export async function readOutputsFile(path: string): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new VerifyInputError(`Cannot read the outputs file "${path}": ${reason}.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new VerifyInputError(`The outputs file "${path}" is not valid JSON: ${(error as Error).message}.`);
  }
  return parseStackOutputs(raw, `file "${path}"`);
}

export interface PulumiCliOptions {
  /**
   * The Pulumi executable.
   * @default "pulumi"
   */
  command?: string;
  /**
   * How long `pulumi stack output` may take before it is killed.
   * @default 120000
   */
  timeoutMs?: number;
}

/** The most `pulumi stack output --json` may print. */
const MAX_OUTPUT_BYTES = 16 * 2 ** 20;

/** The install hint shared by every "no Pulumi CLI" message. */
export function pulumiMissingMessage(command: string): string {
  return (
    `The Pulumi CLI was not found (no "${command}" on PATH). Install it ` +
    `(https://www.pulumi.com/docs/iac/download-install/) or pass --outputs FILE ` +
    `with the output of "pulumi stack output --json".`
  );
}

/**
 * Runs `pulumi stack output --json --stack NAME` and validates what it prints.
 * @throws VerifyInputError when the CLI is missing, fails, times out or prints something unexpected.
 */
export async function readPulumiOutputs(stack: string, options: PulumiCliOptions = {}): Promise<StackOutputs> {
  const command = options.command ?? "pulumi";
  const timeoutMs = options.timeoutMs ?? 120_000;
  const args = ["stack", "output", "--json", "--stack", stack];
  const invocation = `"${command} ${args.join(" ")}"`;
  const stdout = await new Promise<string>((resolve, reject) => {
    // Started like every child of the tools: it ends with verify on SIGINT and SIGTERM (scripts/process-tree.cjs).
    const child = startChild(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let stopped: string | undefined;
    const stop = (reason: string) => {
      stopped ??= reason;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop(`${invocation} did not finish within ${timeoutMs} ms.`), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) stop(`${invocation} printed more than ${MAX_OUTPUT_BYTES / 2 ** 20} MiB, far more than any stack's outputs.`);
      else out.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new VerifyInputError(error.code === "ENOENT" ? pulumiMissingMessage(command) : `${invocation} could not start: ${error.message}`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (stopped) return reject(new VerifyInputError(stopped));
      if (code === 0) return resolve(Buffer.concat(out).toString("utf8"));
      const stderr = Buffer.concat(err).toString("utf8").trim();
      reject(new VerifyInputError(`${invocation} failed (exit code ${code}): ${stderr || "no output"}`));
    });
  });
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch (error) {
    throw new VerifyInputError(`${invocation} printed something that is not JSON: ${(error as Error).message}.`);
  }
  return parseStackOutputs(raw, `stack "${stack}"`);
}
