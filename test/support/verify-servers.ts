import { createServer, OutgoingHttpHeaders, Server } from "http";
import type { AddressInfo } from "net";
import { GREETING_MESSAGE } from "../../lambda/handler";
import { StackOutputs } from "../../verify/outputs";

/** HTTP servers on 127.0.0.1 for the verifier's tests: the handler contract, or a scripted breach of it. */

export const REGIONS = ["us-east-1", "us-west-2"];

export interface Reply {
  status?: number;
  headers?: OutgoingHttpHeaders;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Never answer. */
  hang?: boolean;
  /** Instead of `body`: stream this many bytes of "x", as fast as the client reads them. */
  streamBytes?: number;
}

/** What happened to one streamed body. */
export interface StreamRecord {
  /** Bytes the server managed to write before the body ended or the client left. */
  written: number;
  /** True when the client closed the connection before the whole body was sent. */
  abandoned: boolean;
}

export type Route = "api" | "health";

/** What the handler contract says `region`'s API answers on `route`. */
export function contractReply(region: string, route: Route, environment = "dev"): Reply {
  const identity = { region, environment, project: "iac-aws-nova" };
  return {
    status: 200,
    headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
    body: route === "health"
      ? { status: "ok", ...identity, timestamp: "2026-01-01T00:00:00.000Z" }
      : { message: GREETING_MESSAGE, ...identity, requestId: "r-1", timestamp: "2026-01-01T00:00:00.000Z" },
  };
}

/**
 * A server for `/{region}/dev/api` and `/{region}/dev/api/health` whose
 * replies a test scripts; `requests` counts the requests per "region route".
 */
export class ScriptedApi {
  readonly requests = new Map<string, number>();
  /** One record per streamed body, resolved when the stream ends either way. */
  readonly streams: Promise<StreamRecord>[] = [];
  private server!: Server;
  origin = "";

  constructor(private readonly reply: (region: string, route: Route, requestNumber: number) => Reply) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const [, region = "", , , rest] = (request.url ?? "").split("/");
      const route: Route = rest === "health" ? "health" : "api";
      const key = `${region} ${route}`;
      const count = (this.requests.get(key) ?? 0) + 1;
      this.requests.set(key, count);
      const reply = this.reply(region, route, count);
      if (reply.hang) return;
      response.writeHead(reply.status ?? 200, reply.headers ?? {});
      if (reply.streamBytes !== undefined) {
        this.streams.push(streamBody(response, reply.streamBytes));
        return;
      }
      response.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  outputs(regions = REGIONS): StackOutputs {
    return { api_urls: Object.fromEntries(regions.map((region) => [region, `${this.origin}/${region}/dev/api`])) };
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    // Hanging requests would keep close() waiting.
    this.server.closeAllConnections();
    await closed;
  }
}

/** Writes `total` bytes in 64 KiB chunks, waiting for the client to drain each: a client that stops reading stops it. */
async function streamBody(response: import("http").ServerResponse, total: number): Promise<StreamRecord> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let written = 0;
  let abandoned = false;
  const closed = new Promise<void>((resolve) => response.once("close", () => {
    abandoned = !response.writableFinished;
    resolve();
  }));
  while (written < total && !abandoned && !response.destroyed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
    written += piece.length;
    if (!response.write(piece)) await Promise.race([new Promise((resolve) => response.once("drain", resolve)), closed]);
  }
  if (!abandoned && !response.destroyed) response.end();
  await closed;
  return { written, abandoned };
}

export async function withServer(
  reply: (region: string, route: Route, requestNumber: number) => Reply,
  run: (api: ScriptedApi) => Promise<void>,
): Promise<void> {
  const api = await new ScriptedApi(reply).start();
  try {
    await run(api);
  } finally {
    await api.stop();
  }
}

