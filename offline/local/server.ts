import { randomUUID } from "crypto";
import { writeFile } from "fs/promises";
import { createServer, IncomingMessage, ServerResponse } from "http";
import type { AddressInfo } from "net";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { toSafeJson } from "../../lambda/handler";
import { ResolvedTapStackConfig, TapStackArgs, namingContextOf, resolveTapStackArgs } from "../../lib/config";
import { buildHandlerBundle, handlerEnvironment } from "../../lib/lambda-artifact";
import { RegionNames } from "../../lib/naming";
import { ProxyHandler, loadHandlerModule } from "./handler-module";
import { ApiIdentity, HttpResponseParts, buildLambdaContext, buildProxyEvent, localApiId, matchResource, proxyResultToHttp } from "./proxy-event";

/**
 * A stand-in for the deployed APIs, on 127.0.0.1: one HTTP server whose path
 * prefix `/{region}` picks the region, so each region's API URL is
 * `http://127.0.0.1:{port}/{region}/{env}/api`, shaped like the deployed
 * `https://{id}.execute-api.{region}.amazonaws.com/{env}/api`.
 *
 * It serves the packaged artifact (lib/lambda-artifact.ts, the very bytes the
 * program deploys), one module instance per region with that region's
 * environment variables, and speaks to it exactly as API Gateway's REST proxy
 * integration does (offline/local/proxy-event.ts). What API Gateway answers on its
 * own is mimicked too: 403 `Missing Authentication Token` for a path outside
 * the stage's `/api` resources, 413 above the 10 MB payload limit, and 502
 * `Internal server error` when the function throws or returns a malformed result.
 *
 * Not emulated: authorizers, throttling, the 29 s integration timeout, stage
 * caching, binary media types (a body that is not UTF-8 is passed base64-encoded).
 */

/** The only address the server listens on. */
export const LOCAL_HOST = "127.0.0.1";
/**
 * API Gateway's request payload limit (10 MB for REST APIs). A larger body gets
 * 413 without being buffered: a declared Content-Length over it is refused
 * before reading, a streamed body is held up to the limit and the rest is
 * discarded as it arrives.
 */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/**
 * Requests served at once; the others wait, unread, for a turn. Each holds its
 * body (up to MAX_REQUEST_BYTES) and the event built from it, so this bounds the
 * server's memory. 100 concurrent 10 MiB POSTs (bench/manual/local-memory.ts): without
 * the limit 92 MB -> 515 MB peak, 433 MB two seconds later; with 4 at a time
 * 88 MB -> 287 MB peak, 197 MB later (2 at a time: 271 MB peak, no better).
 */
export const MAX_CONCURRENT_REQUESTS = 4;

export interface LocalServerOptions {
  /**
   * The stack's arguments, exactly as the program receives them; validated by
   * the same `resolveTapStackArgs`, so a bad value fails with the program's message.
   * @default {} (the library defaults: iac-aws-nova, dev, us-east-1 and us-west-2)
   */
  args?: TapStackArgs;
  /** The Pulumi stack name. @default "dev" */
  stackName?: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * The bundled handler to serve.
   * @default buildHandlerBundle().code (the artifact the program deploys)
   */
  handlerCode?: string;
  /** Called once per request after the response is sent (for logs and tests). */
  onRequest?: (record: RequestRecord) => void;
  /** @default MAX_CONCURRENT_REQUESTS */
  maxConcurrentRequests?: number;
}

/** What happened to one request. */
export interface RequestRecord {
  readonly method: string;
  /** The URL path and query as received. */
  readonly url: string;
  readonly statusCode: number;
  readonly durationMs: number;
  /** Set when the request was for a served region. */
  readonly region?: string;
  /** The event the function received, when it was invoked. */
  readonly event?: APIGatewayProxyEvent;
  /** The context the function received, when it was invoked. */
  readonly context?: Context;
  /** Why the answer is a 502, when the function failed. */
  readonly error?: string;
}

/** The subset of the stack outputs (`pulumi stack output --json`) that means something locally. */
export interface LocalStackOutputs {
  /** region -> API URL ending in `/{env}/api`. */
  api_urls: Record<string, string>;
  /** region -> the function name the deployment would use (the local Context reports it). */
  lambda_function_names: Record<string, string>;
}

export interface LocalServer {
  /** region -> local API URL, `http://127.0.0.1:{port}/{region}/{env}/api`. */
  readonly urls: Record<string, string>;
  /** The port actually listened on. */
  readonly port: number;
  /** The validated stack configuration being served. */
  readonly config: ResolvedTapStackConfig;
  /** Stack outputs pointing at this server. */
  readonly outputs: LocalStackOutputs;
  /** The most request-body bytes held at once since the server started (for tests and benchmarks). */
  readonly peakBufferedBytes: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

interface RegionalApi {
  readonly api: ApiIdentity;
  readonly handler: ProxyHandler;
  readonly functionName: string;
}

/**
 * Starts the server and resolves once it listens.
 * @throws TapConfigError for bad `args`; Error for a bad or busy port.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const config = resolveTapStackArgs(options.args ?? {}, options.stackName ?? "dev");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port ${JSON.stringify(port)}: expected a whole number from 0 to 65535 (0 picks a free port).`);
  }
  const code = options.handlerCode ?? buildHandlerBundle().code;
  const regional = new Map<string, RegionalApi>();
  const naming = namingContextOf(config);
  // Filled in once the port is known.
  let origin = "";

  const turns = new TurnLimiter(options.maxConcurrentRequests ?? MAX_CONCURRENT_REQUESTS);
  const buffered = { now: 0, peak: 0 };

  const server = createServer((request, response) => {
    const answer = async () => {
      const read = await readBody(request, buffered);
      try {
        await serve(request, response, read.body);
      } finally {
        // Held until the answer is sent: the event and the function's copies are built from it.
        buffered.now -= read.held;
      }
    };
    void turns.run(answer).catch((error: unknown) => {
      // Only a broken connection gets here; the request is lost either way.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  /** Answers one request whose body was read (undefined: over MAX_REQUEST_BYTES). */
  async function serve(request: IncomingMessage, response: ServerResponse, body: Buffer | undefined): Promise<void> {
    const started = performance.now();
    const url = request.url ?? "/";
    const method = request.method ?? "GET";
    const record = (statusCode: number, extra: Partial<RequestRecord> = {}) =>
      options.onRequest?.({ method, url, statusCode, durationMs: performance.now() - started, ...extra });

    const queryStart = url.indexOf("?");
    const fullPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const [, region = "", stage = "", rest = ""] = /^\/([^/]*)(?:\/([^/]*))?(\/.*)?$/.exec(fullPath) ?? [];
    const target = regional.get(region);
    if (!target) {
      const served = [...regional.values()].map((r) => `${r.api.region}: ${origin}/${r.api.region}/${config.environmentSuffix}/api`).join(", ");
      send(response, jsonError(404, `No local API for region ${JSON.stringify(region)}. Local APIs: ${served}.`));
      return record(404);
    }
    if (stage !== config.environmentSuffix || !matchResource(rest)) {
      // API Gateway's answer for a path no resource matches, wrong stage included.
      const answer = jsonError(403, "Missing Authentication Token");
      answer.headers["x-amzn-ErrorType"] = ["MissingAuthenticationTokenException"];
      send(response, answer);
      return record(403, { region });
    }
    if (body === undefined) {
      send(response, jsonError(413, "Request Too Long"));
      return record(413, { region });
    }

    const requestId = randomUUID();
    const receivedAt = new Date();
    const event = buildProxyEvent(
      {
        method,
        path: rest,
        rawQuery: queryStart === -1 ? "" : url.slice(queryStart + 1),
        rawHeaders: request.rawHeaders,
        body,
        sourceIp: (request.socket.remoteAddress ?? LOCAL_HOST).replace(/^::ffff:/, ""),
        protocol: `HTTP/${request.httpVersion}`,
      },
      target.api,
      requestId,
      receivedAt,
    );
    const context = buildLambdaContext(
      { functionName: target.functionName, region, memoryMb: config.lambdaMemoryMb, timeoutSeconds: config.lambdaTimeoutSeconds },
      randomUUID(),
      receivedAt,
    );
    let answer: HttpResponseParts;
    let error: string | undefined;
    try {
      const result = await target.handler(event, context);
      const converted = proxyResultToHttp(result);
      if (converted) {
        answer = converted;
      } else {
        answer = jsonError(502, "Internal server error");
        error = `Malformed Lambda proxy response: ${safeJson(result)}`;
      }
    } catch (thrown) {
      answer = jsonError(502, "Internal server error");
      error = `The function threw: ${thrown instanceof Error ? thrown.stack ?? thrown.message : String(thrown)}`;
    }
    answer.headers["x-amzn-RequestId"] = [requestId];
    send(response, answer);
    record(answer.statusCode, { region, event, context, error });
  }

  await listen(server, port);
  const actualPort = (server.address() as AddressInfo).port;
  origin = `http://${LOCAL_HOST}:${actualPort}`;

  for (const region of config.regions) {
    const functionName = new RegionNames(naming, region).lambdaFunction;
    const env = handlerEnvironment({ region, environmentSuffix: config.environmentSuffix, projectName: config.projectName });
    regional.set(region, {
      functionName,
      handler: loadHandlerModule(code, {
        // The variables the Lambda runtime itself sets, plus the deployment's own.
        env: { AWS_REGION: region, AWS_DEFAULT_REGION: region, AWS_LAMBDA_FUNCTION_NAME: functionName, ...env },
        filename: `${region}/index.js`,
      }),
      api: {
        region,
        stage: config.environmentSuffix,
        apiId: localApiId(config.projectName, config.environmentSuffix, region),
        domainName: `${LOCAL_HOST}:${actualPort}`,
      },
    });
  }

  const urls = Object.fromEntries(config.regions.map((region) => [region, `${origin}/${region}/${config.environmentSuffix}/api`]));
  const functionNames = Object.fromEntries([...regional].map(([region, r]) => [region, r.functionName]));
  return {
    urls,
    port: actualPort,
    config,
    outputs: { api_urls: urls, lambda_function_names: functionNames },
    get peakBufferedBytes() {
      return buffered.peak;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open for seconds.
        server.closeAllConnections();
      }),
  };
}

/** Writes `outputs` as `pulumi stack output --json` would print them. */
export async function writeLocalOutputs(file: string, outputs: LocalStackOutputs): Promise<void> {
  await writeFile(file, `${JSON.stringify(outputs, null, 2)}\n`, "utf8");
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} on ${LOCAL_HOST} is already in use. Choose another port, or 0 for any free port.`)
          : error,
      );
    });
    server.listen(port, LOCAL_HOST, () => resolve());
  });
}

/**
 * The whole body, or undefined when it is larger than API Gateway accepts.
 * Nothing past the limit is kept: a declared Content-Length over it is refused
 * unread, and a streamed body stops being kept at the limit (Node discards the
 * rest once the answer is sent). `buffered` counts the bytes held by every
 * request being served, and its peak; the caller gives `held` back when done.
 */
async function readBody(request: IncomingMessage, buffered: { now: number; peak: number }): Promise<{ body: Buffer | undefined; held: number }> {
  if (Number(request.headers["content-length"]) > MAX_REQUEST_BYTES) return { body: undefined, held: 0 };
  const chunks: Buffer[] = [];
  let held = 0;
  try {
    // destroyOnReturn false: leaving the loop early must not reset the connection before the 413 is sent.
    for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      if (held + chunk.length > MAX_REQUEST_BYTES) {
        buffered.now -= held;
        return { body: undefined, held: 0 };
      }
      chunks.push(chunk);
      held += chunk.length;
      buffered.now += chunk.length;
      buffered.peak = Math.max(buffered.peak, buffered.now);
    }
  } catch (error) {
    buffered.now -= held;
    throw error;
  }
  return { body: Buffer.concat(chunks), held };
}

/**
 * Runs at most `limit` tasks at once, the others in arrival order. Hand-written:
 * p-limit, the usual library, is ESM-only since v4 and this code is CommonJS.
 */
class TurnLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`maxConcurrentRequests must be a whole number of at least 1, got ${JSON.stringify(limit)}.`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** An answer API Gateway gives on its own, such as `{"message":"Missing Authentication Token"}`. */
function jsonError(statusCode: number, message: string): HttpResponseParts {
  // Escaped like the handler's bodies: the 404 echoes the requested path.
  return { statusCode, headers: { "Content-Type": ["application/json"] }, body: Buffer.from(toSafeJson({ message }), "utf8") };
}

function send(response: ServerResponse, answer: HttpResponseParts): void {
  // The length is the server's to compute, whatever the function claimed.
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.toLowerCase() !== "content-length"));
  const hasBody = answer.statusCode !== 204 && answer.statusCode !== 304;
  if (hasBody) headers["Content-Length"] = [String(answer.body.length)];
  response.writeHead(answer.statusCode, headers);
  response.end(hasBody ? answer.body : undefined);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
