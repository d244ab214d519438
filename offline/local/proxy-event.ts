import { createHash } from "crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { PLACEHOLDER_ACCOUNT_ID } from "../stack-config/account";

/**
 * Pure translations between plain HTTP and what API Gateway's REST API Lambda
 * proxy integration (payload format 1.0) hands the function and expects back.
 * The local server uses them; they follow what the deployed API does:
 *
 * - `path` is the path after the stage, still percent-encoded; `requestContext.path` has the stage in front.
 * - `resource` is `/api` or `/api/{proxy+}`, and `pathParameters.proxy` is the rest of the path, decoded.
 * - `headers` and `queryStringParameters` keep the last value of a repeated name; the
 *   `multiValue*` maps keep them all. Header names keep the client's spelling. Empty maps are null.
 * - `body` is null when empty, text when it is UTF-8, and base64 (with `isBase64Encoded`) otherwise.
 */

/** The account ID in local ARNs and events: the plan's and the mock cloud's placeholder. */
export const LOCAL_ACCOUNT_ID = PLACEHOLDER_ACCOUNT_ID;
/** The proxy integration's two resources (see the handler contract). */
export const API_RESOURCES = { root: "/api", proxy: "/api/{proxy+}" } as const;

/** One HTTP request, already split from the stage and region prefix. */
export interface HttpRequestParts {
  /** HTTP method as sent, such as `GET`. */
  readonly method: string;
  /** Path after the stage, percent-encoded as sent, such as `/api/items/a%20b`. */
  readonly path: string;
  /** The query string without `?`, as sent. Empty when there is none. */
  readonly rawQuery: string;
  /** Header names and values alternating, as Node's `IncomingMessage.rawHeaders`. */
  readonly rawHeaders: readonly string[];
  /** The request body; empty when there is none. */
  readonly body: Buffer;
  /** Client address. */
  readonly sourceIp: string;
  /** Such as `HTTP/1.1`. */
  readonly protocol: string;
}

/** The REST API a request came through. */
export interface ApiIdentity {
  readonly region: string;
  /** Stage name, the environment suffix. */
  readonly stage: string;
  /** Ten lower-case letters and digits, as API Gateway's REST API IDs. */
  readonly apiId: string;
  /** Host the client called, such as `127.0.0.1:3000`. */
  readonly domainName: string;
}

/** Which of the two resources matches `path`, or undefined when neither does (API Gateway then answers 403). */
export function matchResource(path: string): { resource: string; proxy: string | undefined } | undefined {
  if (path === API_RESOURCES.root || path === `${API_RESOURCES.root}/`) return { resource: API_RESOURCES.root, proxy: undefined };
  if (path.startsWith(`${API_RESOURCES.root}/`)) return { resource: API_RESOURCES.proxy, proxy: path.slice(API_RESOURCES.root.length + 1) };
  return undefined;
}

/** A stable, API Gateway-shaped REST API ID for a local API (the same inputs always give the same ID). */
export function localApiId(projectName: string, environment: string, region: string): string {
  return createHash("sha256").update(`${projectName}/${environment}/${region}`).digest("hex").slice(0, 10);
}

/**
 * Builds the event API Gateway sends the function for `request`.
 * @param requestId API Gateway's request ID (`requestContext.requestId`).
 * @param receivedAt when the request arrived.
 * @throws Error when `request.path` matches neither API resource: such requests never reach the function.
 */
export function buildProxyEvent(request: HttpRequestParts, api: ApiIdentity, requestId: string, receivedAt: Date): APIGatewayProxyEvent {
  const match = matchResource(request.path);
  if (!match) throw new Error(`Path ${JSON.stringify(request.path)} matches no API resource (${API_RESOURCES.root}, ${API_RESOURCES.proxy}).`);
  const headers = collectPairs(request.rawHeaders);
  const query = collectQuery(request.rawQuery);
  const body = encodeBody(request.body);
  const userAgent = lastValue(headers, "user-agent");
  return {
    resource: match.resource,
    path: request.path,
    httpMethod: request.method,
    headers: singleValues(headers),
    multiValueHeaders: multiValues(headers),
    queryStringParameters: query.size > 0 ? singleValues(query) : null,
    multiValueQueryStringParameters: query.size > 0 ? multiValues(query) : null,
    pathParameters: match.proxy === undefined ? null : { proxy: decodePathSegmentwise(match.proxy) },
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: api.apiId,
      authorizer: undefined,
      domainName: api.domainName,
      domainPrefix: api.domainName.split(/[.:]/)[0],
      extendedRequestId: requestId.replace(/-/g, "").slice(0, 16),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: userAgent ?? null,
        userArn: null,
      },
      path: `/${api.stage}${request.path}`,
      protocol: request.protocol,
      requestId,
      requestTime: formatRequestTime(receivedAt),
      requestTimeEpoch: receivedAt.getTime(),
      resourceId: createHash("sha256").update(`${api.apiId}${match.resource}`).digest("hex").slice(0, 6),
      resourcePath: match.resource,
      stage: api.stage,
    },
    body: body.text,
    isBase64Encoded: body.isBase64Encoded,
  };
}

/** What a Lambda function is told about itself and the invocation. */
export interface LambdaIdentity {
  readonly functionName: string;
  readonly region: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/** Builds the Context the Lambda Node.js runtime passes with each invocation. */
export function buildLambdaContext(fn: LambdaIdentity, awsRequestId: string, startedAt: Date): Context {
  const deadline = startedAt.getTime() + fn.timeoutSeconds * 1000;
  const day = startedAt.toISOString().slice(0, 10).replace(/-/g, "/");
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is a Node.js 0.10 leftover; return a value from the async handler instead.`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${fn.region}:${LOCAL_ACCOUNT_ID}:function:${fn.functionName}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `${day}/[$LATEST]${awsRequestId.replace(/-/g, "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported("done"),
    fail: unsupported("fail"),
    succeed: unsupported("succeed"),
  };
}

/** An HTTP response ready to write. */
export interface HttpResponseParts {
  readonly statusCode: number;
  /** Header name -> values; a name with several values is sent once per value. */
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

/**
 * Turns the function's result into the HTTP response API Gateway sends, or
 * undefined when the result is malformed (API Gateway then answers 502).
 * `multiValueHeaders` and `headers` are merged, as API Gateway does.
 */
export function proxyResultToHttp(result: unknown): HttpResponseParts | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Partial<Record<keyof APIGatewayProxyResult, unknown>>;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (body !== undefined && body !== null && typeof body !== "string") return undefined;
  const merged: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(asRecord(multiValueHeaders))) {
    if (Array.isArray(values)) merged[name] = values.map(String);
  }
  for (const [name, value] of Object.entries(asRecord(headers))) {
    if (["string", "number", "boolean"].includes(typeof value)) merged[name] = [String(value)];
  }
  const text = body ?? "";
  return { statusCode, headers: merged, body: isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8") };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Name -> values in arrival order; names compare case-insensitively but keep their first spelling, as API Gateway does. */
type Collected = Map<string, { name: string; values: string[] }>;

function collectPairs(raw: readonly string[]): Collected {
  const collected: Collected = new Map();
  for (let i = 0; i + 1 < raw.length; i += 2) add(collected, raw[i], raw[i + 1], true);
  return collected;
}

function collectQuery(rawQuery: string): Collected {
  const collected: Collected = new Map();
  for (const [name, value] of new URLSearchParams(rawQuery)) add(collected, name, value, false);
  return collected;
}

function add(collected: Collected, name: string, value: string, caseInsensitive: boolean): void {
  const key = caseInsensitive ? name.toLowerCase() : name;
  const entry = collected.get(key);
  if (entry) entry.values.push(value);
  else collected.set(key, { name, values: [value] });
}

function lastValue(collected: Collected, lowerCaseName: string): string | undefined {
  const values = collected.get(lowerCaseName)?.values;
  return values?.[values.length - 1];
}

function singleValues(collected: Collected): Record<string, string> {
  return Object.fromEntries([...collected.values()].map(({ name, values }) => [name, values[values.length - 1]]));
}

function multiValues(collected: Collected): Record<string, string[]> {
  return Object.fromEntries([...collected.values()].map(({ name, values }) => [name, [...values]]));
}

/** Decodes each segment; a segment that is not valid percent-encoding stays as sent. */
function decodePathSegmentwise(path: string): string {
  return path
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function encodeBody(body: Buffer): { text: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { text: null, isBase64Encoded: false };
  try {
    return { text: UTF8.decode(body), isBase64Encoded: false };
  } catch {
    return { text: body.toString("base64"), isBase64Encoded: true };
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** API Gateway's `requestTime` format: `09/Apr/2015:12:34:56 +0000`. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
