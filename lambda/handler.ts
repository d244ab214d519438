import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";

/**
 * The API's Lambda function, behind an API Gateway REST API with a Lambda
 * proxy integration on `/api` and `/api/{proxy+}` (method ANY).
 *
 * - `GET|HEAD /api/health` answers the health JSON (Route 53 health checks call it).
 * - `GET|HEAD|POST|PUT|PATCH|DELETE /api` and `/api/*` answer the greeting JSON.
 * - `OPTIONS` on any of them answers the CORS preflight (204).
 * - Anything else answers a JSON error with a 4xx status.
 *
 * The handler never throws: API Gateway turns a thrown error into a bare 502,
 * so every event, however malformed, gets a JSON answer. The only imports are
 * types, so the deployed bundle has no runtime dependencies (lib/lambda-artifact.ts).
 */

/** The greeting's fixed message. */
export const GREETING_MESSAGE = "Hello from AWS Lambda!";
/** Path of the health route (the stage prefix is not part of `event.path`). */
export const HEALTH_PATH = "/api/health";
/** Root of every route this function serves. */
export const API_ROOT = "/api";
/** Methods that get the greeting on `/api` and `/api/*`. */
export const GREETING_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Methods that get the health answer on `/api/health`. */
export const HEALTH_METHODS = ["GET", "HEAD"] as const;
/** Stand-in for a missing environment variable or request id. */
export const UNKNOWN = "unknown";

/** Methods whose body, when present, must be JSON: the API speaks JSON only. */
const METHODS_WITH_JSON_BODY: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);
/** Request headers a browser may send cross-origin (API Gateway's own CORS default list). */
const CORS_ALLOW_HEADERS = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token";
/** How long browsers may cache a preflight answer. Chrome caps it at 7200 s anyway. */
const CORS_MAX_AGE_SECONDS = 3600;
/** Longest piece of client input echoed back in an error message. */
const MAX_ECHO_LENGTH = 200;

/**
 * Headers on every response. `nosniff` stops a browser from sniffing an
 * answer into HTML; `no-store` keeps answers (request ids, echoed input) out of
 * shared and browser caches.
 */
export const BASE_HEADERS = {
  "Content-Type": "application/json",
  "Access-Control-Allow-Origin": "*",
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "no-store",
} as const;

/** Body of the greeting. */
export interface GreetingBody {
  message: string;
  region: string;
  environment: string;
  project: string;
  requestId: string;
  /** ISO-8601 time the function answered. */
  timestamp: string;
}

/** Body of the health answer. */
export interface HealthBody {
  status: "ok";
  region: string;
  environment: string;
  project: string;
  timestamp: string;
}

/** Body of every error answer. */
export interface ErrorBody {
  /** Machine-readable kind, such as `MethodNotAllowed`. */
  error: string;
  /** What was wrong and what is accepted. */
  message: string;
  requestId: string;
}

type Fields = Record<string, unknown>;

/** Entry point (`index.handler` in the bundle). */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const requestId = requestIdOf(context);
  try {
    return route(event, requestId);
  } catch (error) {
    // Only a bug (or an event object with throwing getters, which JSON cannot carry) gets here.
    console.error(JSON.stringify({ level: "error", requestId, error: String(error) }));
    return errorResponse(500, "InternalError", "The function failed to handle the request.", requestId);
  }
}

function route(event: unknown, requestId: string): APIGatewayProxyResult {
  const fields = asFields(event);
  if (!fields) {
    return errorResponse(400, "BadRequest", `The event is not an API Gateway proxy event: expected an object, got ${describeType(event)}.`, requestId);
  }
  const method = fields.httpMethod;
  if (typeof method !== "string") {
    return errorResponse(400, "BadRequest", `event.httpMethod must be a string such as "GET", got ${describeType(method)}.`, requestId);
  }
  const rawPath = fields.path;
  if (typeof rawPath !== "string") {
    return errorResponse(400, "BadRequest", `event.path must be a string such as "${API_ROOT}", got ${describeType(rawPath)}.`, requestId);
  }

  const path = withoutTrailingSlashes(rawPath);
  if (path !== API_ROOT && !path.startsWith(`${API_ROOT}/`)) {
    return errorResponse(404, "NotFound", `No route for path ${echo(rawPath)}. Routes: ${API_ROOT}, ${API_ROOT}/{proxy+}, ${HEALTH_PATH}.`, requestId);
  }

  const isHealth = path === HEALTH_PATH;
  const allowed: readonly string[] = isHealth ? HEALTH_METHODS : GREETING_METHODS;
  if (method === "OPTIONS") return preflightResponse(allowed);
  if (!allowed.includes(method)) {
    return {
      ...errorResponse(405, "MethodNotAllowed", `Method ${echo(method)} is not allowed on ${echo(rawPath)}. Allowed: ${[...allowed, "OPTIONS"].join(", ")}.`, requestId),
      headers: { ...BASE_HEADERS, Allow: [...allowed, "OPTIONS"].join(", ") },
    };
  }

  if (METHODS_WITH_JSON_BODY.has(method)) {
    const bodyProblem = jsonBodyProblem(fields.body, fields.isBase64Encoded);
    if (bodyProblem) return errorResponse(400, "BadRequest", bodyProblem, requestId);
  }

  const { region, environment, project } = deploymentInfo();
  const timestamp = new Date().toISOString();
  if (isHealth) {
    const health: HealthBody = { status: "ok", region, environment, project, timestamp };
    return jsonResponse(200, health);
  }
  const greeting: GreetingBody = { message: GREETING_MESSAGE, region, environment, project, requestId, timestamp };
  return jsonResponse(200, greeting);
}

/**
 * Why the body is unacceptable, or undefined when it is absent or JSON.
 * Base64 bodies (binary media types) are decoded first.
 */
function jsonBodyProblem(body: unknown, isBase64Encoded: unknown): string | undefined {
  if (body === undefined || body === null || body === "") return undefined;
  if (typeof body !== "string") return `event.body must be a string or null, got ${describeType(body)}.`;
  const text = isBase64Encoded === true ? Buffer.from(body, "base64").toString("utf8") : body;
  if (text.trim() === "") return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `The request body is not valid JSON (${error instanceof Error ? error.message : "parse error"}). Send a JSON document with Content-Type: application/json, or no body.`;
  }
}

/** Values the deployment sets as environment variables; "unknown" when one is missing. */
function deploymentInfo(): { region: string; environment: string; project: string } {
  const env = process.env;
  return {
    region: env.REGION || UNKNOWN,
    environment: env.ENVIRONMENT || UNKNOWN,
    project: env.PROJECT_NAME || UNKNOWN,
  };
}

function requestIdOf(context: unknown): string {
  try {
    const id = asFields(context)?.awsRequestId;
    return typeof id === "string" && id !== "" ? id : UNKNOWN;
  } catch {
    // A context whose getter throws is not worth failing the request for.
    return UNKNOWN;
  }
}

function preflightResponse(allowed: readonly string[]): APIGatewayProxyResult {
  return {
    statusCode: 204,
    headers: {
      ...BASE_HEADERS,
      "Access-Control-Allow-Methods": [...allowed, "OPTIONS"].join(","),
      "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
      "Access-Control-Max-Age": String(CORS_MAX_AGE_SECONDS),
    },
    body: "",
  };
}

function jsonResponse(statusCode: number, body: GreetingBody | HealthBody | ErrorBody): APIGatewayProxyResult {
  return { statusCode, headers: { ...BASE_HEADERS }, body: toSafeJson(body) };
}

/**
 * JSON.stringify, with `<`, `>` and `&` written as \u003c, \u003e and \u0026:
 * the same JSON once parsed, but echoed input such as `<script>` can never be
 * read as markup by a page that embeds or sniffs the answer.
 */
export function toSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function errorResponse(statusCode: number, error: string, message: string, requestId: string): APIGatewayProxyResult {
  return jsonResponse(statusCode, { error, message, requestId });
}

function asFields(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

/** Client input, quoted and cut short, for error messages. */
function echo(text: string): string {
  return JSON.stringify(text.length > MAX_ECHO_LENGTH ? `${text.slice(0, MAX_ECHO_LENGTH)}...` : text);
}

/** `/api/` and `/api` are the same route. A loop, not a regex: no backtracking on long paths. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  return path.slice(0, end);
}
