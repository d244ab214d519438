import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/util-retry";
import { printable } from "../common/printable";
import { AwsCall, Service, callOf } from "./calls";

/**
 * The AWS SDK clients preflight calls through, and what a failed call means.
 *
 * Every setting the SDK reads from the environment applies, as for any AWS
 * tool: the credentials chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, roles),
 * and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which send every call
 * to another endpoint (a local one in the tests).
 *
 * Retries are the SDK's standard retry strategy: throttling errors, 5xx
 * answers and network errors are retried with exponential back-off and jitter,
 * up to `maxAttempts` attempts in all
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 * Preflight adds no retry loop of its own; `backoffMs` only changes how long
 * the SDK waits between attempts. Each attempt is bounded by
 * `connectionTimeoutMs` and `requestTimeoutMs`, and once a client's endpoint
 * has not answered, its later calls fail at once instead of waiting again.
 */

export interface AwsPolicy {
  /**
   * Attempts per call, the first included.
   * @default 3
   */
  readonly maxAttempts: number;
  /**
   * Limit for opening a connection, per attempt, ms.
   * @default 3000
   */
  readonly connectionTimeoutMs: number;
  /**
   * Limit for an answer once connected, per attempt, ms.
   * @default 10000
   */
  readonly requestTimeoutMs: number;
  /**
   * The SDK's wait before the first retry, at most, ms: each later retry waits at most twice as long as the one
   * before, a random time up to that (exponential back-off with full jitter, the SDK's own formula). Unset: the
   * SDK's standard strategy decides, with 50 ms, or 1 s after a throttling error. A small value makes a test
   * against a local endpoint as fast as the endpoint.
   * @default undefined (the SDK's standard back-off)
   */
  readonly backoffMs?: number;
}

export const DEFAULT_AWS_POLICY: AwsPolicy = { maxAttempts: 3, connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

/** Why a call failed, as preflight reports it. */
export type FailureKind =
  /** The credentials may not make the call: the row is unknown and names the IAM action. */
  | "denied"
  /** No credentials could be found: nothing can be checked. */
  | "no-credentials"
  /** The credentials (or the session behind them) have expired. */
  | "expired"
  /** AWS does not accept the credentials at all (wrong key, bad signature). */
  | "invalid-credentials"
  /** The endpoint did not answer (timeout, refused, unknown host). */
  | "unreachable"
  /** Still throttled after the SDK's retries. */
  | "throttled"
  /** A 5xx answer to every attempt. */
  | "server"
  /** An error of the API itself (the caller decides what it means, e.g. "not found"). */
  | "api";

/** A failed AWS call, classified, with the call it was. */
export class AwsCallError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The AWS error code (the SDK error's name), such as AccessDeniedException. */
    readonly code: string,
    /** The HTTP status AWS answered with, when it answered. */
    readonly httpStatus: number | undefined,
    readonly call: AwsCall | undefined,
    readonly region: string,
    message: string,
  ) {
    super(message);
    this.name = "AwsCallError";
  }
}

/** AWS error codes that mean the credentials may not make the call. */
const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException", "Forbidden", "UnauthorizedException"]);
const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"]);
const INVALID = new Set(["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidAccessKeyId", "AuthFailure", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken"]);
const THROTTLED = new Set([
  "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
  "RequestThrottled", "RequestThrottledException", "PriorRequestNotComplete", "BandwidthLimitExceeded", "EC2ThrottledException",
]);
/** Node.js and SDK errors of a connection that never got an answer. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "TimeoutError", "RequestTimeout"]);

/** Names the SDK gives errors that carry no AWS error code. */
const NOT_AWS_CODES = new Set(["Error", "SyntaxError", "TypeError", "Unknown", "UnknownError"]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** The first line of `text`, printable, at most 300 characters. */
export function oneLine(text: string): string {
  const first = printable(text.trim().split(/\r?\n/)[0] ?? "");
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

/** Sorts any error from the SDK (or a credentials provider) into a FailureKind. */
export function classify(error: unknown, call: AwsCall | undefined, region: string): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  // An answer the SDK could not parse (a proxy's HTML, an empty 500) has no AWS error code: name it by its status.
  const named = shape.name !== undefined && !NOT_AWS_CODES.has(shape.name) ? shape.name : shape.code;
  const code = named ?? (status !== undefined ? `HTTP ${status}` : "Error");
  const message = oneLine(shape.message ?? String(error));
  const make = (kind: FailureKind) => new AwsCallError(kind, code, status, call, region, message);
  if (code === "CredentialsProviderError") return make(/expired/i.test(message) ? "expired" : "no-credentials");
  if (EXPIRED.has(code)) return make("expired");
  if (INVALID.has(code)) return make("invalid-credentials");
  if (DENIED.has(code)) return make("denied");
  if (THROTTLED.has(code) || status === 429) return make("throttled");
  if (NETWORK.has(code) || NETWORK.has(shape.code ?? "")) return make("unreachable");
  if ((status !== undefined && status >= 500) || shape.$fault === "server") return make("server");
  if (status === 403) return make("denied");
  return make("api");
}

/** The clients of one account, made on first use, per service and region. */
export interface AwsClients {
  sts(region: string): STSClient;
  ec2(region: string): EC2Client;
  apigateway(region: string): APIGatewayClient;
  lambda(region: string): LambdaClient;
  servicequotas(region: string): ServiceQuotasClient;
  route53(region: string): Route53Client;
  s3(region: string): S3Client;
  iam(region: string): IAMClient;
  logs(region: string): CloudWatchLogsClient;
  cloudwatch(region: string): CloudWatchClient;
  sns(region: string): SNSClient;
  /** Resolves the caller's credentials through the SDK's default chain, or rejects with a classified error. */
  credentials(): Promise<void>;
}

/** A client's `send`, called through the class's own (which aws-sdk-client-mock replaces in the tests). */
interface Sends {
  send(command: object, ...rest: unknown[]): Promise<unknown>;
}

/**
 * Makes `client.send` check that each command is in preflight/calls.ts, and
 * turn every failure into an AwsCallError. After an `unreachable` failure the
 * client's later calls fail at once with the same error.
 */
function guard<C extends Sends>(client: C, service: Service, region: string): C {
  const classSend = () => Object.getPrototypeOf(client).send as Sends["send"];
  let unreachable: AwsCallError | undefined;
  client.send = async (command: object, ...rest: unknown[]) => {
    const call = callOf(service, command.constructor.name);
    if (unreachable) throw new AwsCallError("unreachable", unreachable.code, undefined, call, region, `${unreachable.message} (an earlier call got no answer)`);
    try {
      return await classSend().call(client, command, ...rest);
    } catch (error) {
      const failure = classify(error, call, region);
      if (failure.kind === "unreachable") unreachable = failure;
      throw failure;
    }
  };
  return client;
}

/** The endpoint override the SDK will use, if any (S3 then needs path-style addressing: no bucket subdomain on localhost). */
function endpointOverridden(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/**
 * The SDK's standard retry strategy with the back-off's base set to `backoffMs`, through the SDK's documented hook
 * for a back-off of one's own (ConfiguredRetryStrategy, https://www.npmjs.com/package/@smithy/util-retry,
 * "MaxAttempts and BackoffComputation"): the same retryable errors and retry quota. The standard strategy's own
 * options set no base for throttling errors. One per client, as the SDK makes its own: each holds its retry quota.
 */
function retryStrategyWithBackoff(maxAttempts: number, backoffMs: number): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(maxAttempts, (attempt) => backoffDelay(backoffMs, attempt));
}

/**
 * The wait before retry `attempt` (1 for the first), ms: `random` (in [0, 1)) of backoffMs × 2^(attempt - 1), at
 * most 20 s, the SDK's own cap on one wait (MAXIMUM_RETRY_DELAY).
 */
export function backoffDelay(backoffMs: number, attempt: number, random: number = Math.random()): number {
  return Math.floor(random * Math.min(backoffMs * 2 ** (attempt - 1), 20_000));
}

export function createAwsClients(policy: AwsPolicy = DEFAULT_AWS_POLICY, env: NodeJS.ProcessEnv = process.env): AwsClients {
  const base = () => ({
    maxAttempts: policy.maxAttempts,
    ...(policy.backoffMs === undefined ? {} : { retryStrategy: retryStrategyWithBackoff(policy.maxAttempts, policy.backoffMs) }),
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and waits on (smithy node-http-handler 4).
    requestHandler: { connectionTimeout: policy.connectionTimeoutMs, requestTimeout: policy.requestTimeoutMs, throwOnRequestTimeout: true },
  });
  // One credentials chain for every client: an SSO or process provider runs once, not once per client.
  const identity = new STSClient({ ...base(), region: "us-east-1" });
  const credentials = identity.config.credentials;
  const config = (region: string) => ({ ...base(), region, credentials });
  const cache = new Map<string, Sends>();
  const client = <C extends Sends>(service: Service, region: string, make: () => C): C => {
    const key = `${service} ${region}`;
    if (!cache.has(key)) cache.set(key, guard(make(), service, region));
    return cache.get(key) as C;
  };
  return {
    sts: (region) => client("sts", region, () => new STSClient(config(region))),
    ec2: (region) => client("ec2", region, () => new EC2Client(config(region))),
    apigateway: (region) => client("apigateway", region, () => new APIGatewayClient(config(region))),
    lambda: (region) => client("lambda", region, () => new LambdaClient(config(region))),
    servicequotas: (region) => client("servicequotas", region, () => new ServiceQuotasClient(config(region))),
    route53: (region) => client("route53", region, () => new Route53Client(config(region))),
    s3: (region) => client("s3", region, () => new S3Client({ ...config(region), forcePathStyle: endpointOverridden(env) })),
    iam: (region) => client("iam", region, () => new IAMClient(config(region))),
    logs: (region) => client("logs", region, () => new CloudWatchLogsClient(config(region))),
    cloudwatch: (region) => client("cloudwatch", region, () => new CloudWatchClient(config(region))),
    sns: (region) => client("sns", region, () => new SNSClient(config(region))),
    async credentials() {
      try {
        await credentials();
      } catch (error) {
        throw classify(error, undefined, "us-east-1");
      }
    },
  };
}
