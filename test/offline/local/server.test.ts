import { mkdtempSync, readFileSync, rmSync } from "fs";
import { get, request as httpRequest } from "http";
import { tmpdir } from "os";
import * as path from "path";
import { TapConfigError } from "../../../lib/config";
import { LocalServer, MAX_CONCURRENT_REQUESTS, MAX_REQUEST_BYTES, RequestRecord, startLocalServer, writeLocalOutputs } from "../../../offline/local/server";
import { buildProxyEvent, formatRequestTime, localApiId, matchResource, proxyResultToHttp } from "../../../offline/local/proxy-event";
import { ISO_TIMESTAMP } from "../../support/lambda";

const REGIONS = ["us-east-1", "eu-west-1"];
const ARGS = { projectName: "shop", environmentSuffix: "qa", regions: REGIONS };

let server: LocalServer;
const records: RequestRecord[] = [];

beforeAll(async () => {
  server = await startLocalServer({ args: ARGS, stackName: "qa", onRequest: (record) => records.push(record) });
});
afterAll(() => server.close());
beforeEach(() => {
  records.length = 0;
});

const origin = () => `http://127.0.0.1:${server.port}`;

/** The record of the only request made since the test started. */
function onlyRecord(): RequestRecord {
  expect(records).toHaveLength(1);
  return records[0];
}

async function call(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe("layout", () => {
  it("serves one API per configured region, under /{region}/{env}/api", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.urls).toEqual({
      "us-east-1": `${origin()}/us-east-1/qa/api`,
      "eu-west-1": `${origin()}/eu-west-1/qa/api`,
    });
    expect(server.config.regions).toEqual(REGIONS);
  });

  it("writes stack outputs that point at the server", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tap-outputs-"));
    try {
      const file = path.join(dir, "outputs.json");
      await writeLocalOutputs(file, server.outputs);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
        api_urls: { "us-east-1": `${origin()}/us-east-1/qa/api`, "eu-west-1": `${origin()}/eu-west-1/qa/api` },
        lambda_function_names: { "us-east-1": "shop-api-us-east-1-qa-39085ad0", "eu-west-1": "shop-api-eu-west-1-qa-39085ad0" },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(REGIONS)("the %s API", (region) => {
  it("answers the health route with its own region and the CORS header", async () => {
    const response = await call(`${server.urls[region]}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.json()).toEqual({ status: "ok", region, environment: "qa", project: "shop", timestamp: expect.stringMatching(ISO_TIMESTAMP) });
  });

  it("answers the greeting with its own region and the function's request id", async () => {
    const response = await call(server.urls[region]);
    expect(response.status).toBe(200);
    const record = onlyRecord();
    expect(response.json()).toEqual({
      message: "Hello from AWS Lambda!",
      region,
      environment: "qa",
      project: "shop",
      requestId: record.context?.awsRequestId,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
    });
    expect(record.context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    // API Gateway's own request id is a different one, sent back in x-amzn-RequestId.
    expect(response.headers.get("x-amzn-requestid")).toBe(record.event?.requestContext.requestId);
    expect(record.event?.requestContext.requestId).not.toBe(record.context?.awsRequestId);
  });

  it("gives the function a Context naming this region's function", async () => {
    await call(server.urls[region]);
    const context = onlyRecord().context;
    expect(context).toMatchObject({
      functionName: `shop-api-${region}-qa-39085ad0`,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:shop-api-${region}-qa-39085ad0`,
      memoryLimitInMB: "128",
      logGroupName: `/aws/lambda/shop-api-${region}-qa-39085ad0`,
    });
    const remaining = context?.getRemainingTimeInMillis() ?? 0;
    expect(remaining).toBeGreaterThan(25_000);
    expect(remaining).toBeLessThanOrEqual(30_000);
  });
});

describe("API Gateway proxy events", () => {
  it("carry the path, resource, proxy parameter, query and headers as API Gateway sends them", async () => {
    const before = Date.now();
    await call(`${server.urls["eu-west-1"]}/items/a%20b/c?tag=a&tag=b&empty=&q=x%26y`, { headers: { "X-Trace": "one", Accept: "application/json" } });
    const event = onlyRecord().event;
    expect(event).toMatchObject({
      resource: "/api/{proxy+}",
      path: "/api/items/a%20b/c",
      httpMethod: "GET",
      pathParameters: { proxy: "items/a b/c" },
      queryStringParameters: { tag: "b", empty: "", q: "x&y" },
      multiValueQueryStringParameters: { tag: ["a", "b"], empty: [""], q: ["x&y"] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event?.headers).toMatchObject({ "X-Trace": "one", Accept: "application/json", host: `127.0.0.1:${server.port}` });
    expect(event?.multiValueHeaders).toMatchObject({ "X-Trace": ["one"], Accept: ["application/json"], host: [`127.0.0.1:${server.port}`] });
    expect(event?.requestContext).toMatchObject({
      accountId: "123456789012",
      apiId: localApiId("shop", "qa", "eu-west-1"),
      stage: "qa",
      httpMethod: "GET",
      path: "/qa/api/items/a%20b/c",
      resourcePath: "/api/{proxy+}",
      protocol: "HTTP/1.1",
      identity: { sourceIp: "127.0.0.1" },
    });
    expect(event?.requestContext.requestTimeEpoch).toBeGreaterThanOrEqual(before);
    expect(event?.requestContext.requestTimeEpoch).toBeLessThanOrEqual(Date.now());
  });

  it("use the /api resource, without path parameters or query, for the API root", async () => {
    await call(server.urls["us-east-1"]);
    expect(onlyRecord().event).toMatchObject({ resource: "/api", path: "/api", pathParameters: null, queryStringParameters: null, multiValueQueryStringParameters: null });
  });

  it("pass a text body as is, and the handler accepts JSON", async () => {
    const response = await call(server.urls["us-east-1"], { method: "POST", body: '{"sku":"TAP-001"}', headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(200);
    expect(onlyRecord().event).toMatchObject({ httpMethod: "POST", body: '{"sku":"TAP-001"}', isBase64Encoded: false });
  });

  it("pass a non-UTF-8 body base64-encoded, and the handler refuses it as not JSON", async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x81]);
    const response = await call(`${server.urls["us-east-1"]}/upload`, { method: "PUT", body: bytes, headers: { "Content-Type": "application/octet-stream" } });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: "BadRequest" });
    expect(onlyRecord().event).toMatchObject({ body: bytes.toString("base64"), isBase64Encoded: true });
  });

  it("refuse a POST body that is not JSON with the handler's 400", async () => {
    const response = await call(server.urls["us-east-1"], { method: "POST", body: "hello" });
    expect(response.status).toBe(400);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.json().message).toMatch(/^The request body is not valid JSON/);
  });
});

describe("method handling through HTTP", () => {
  it("answers an OPTIONS preflight with 204 and the CORS headers, and no body", async () => {
    const response = await call(`${server.urls["us-east-1"]}/health`, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET,HEAD,OPTIONS");
    expect(response.headers.get("access-control-max-age")).toBe("3600");
  });

  it("answers HEAD with the headers and no body", async () => {
    const response = await call(`${server.urls["us-east-1"]}/health`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    expect(Number(response.headers.get("content-length"))).toBeGreaterThan(50);
  });

  it("answers an unsupported method with the handler's 405", async () => {
    const response = await call(server.urls["us-east-1"], { method: "PROPFIND" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(response.json()).toMatchObject({ error: "MethodNotAllowed" });
  });

  it("answers 405 for DELETE on the health route", async () => {
    const response = await call(`${server.urls["eu-west-1"]}/health`, { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("what API Gateway answers by itself", () => {
  it.each(["/us-east-1/prod/api", "/us-east-1/qa/other", "/us-east-1/qa/apix", "/us-east-1/qa", "/us-east-1"])(
    "answers %s with 403 Missing Authentication Token, without invoking the function",
    async (pathname) => {
      const response = await call(`${origin()}${pathname}`);
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ message: "Missing Authentication Token" });
      expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
      expect(onlyRecord().event).toBeUndefined();
    },
  );

  it.each(["/", "/us-west-2/qa/api", "/api"])("answers %s, a region it does not serve, with 404 and the served URLs", async (pathname) => {
    const response = await call(`${origin()}${pathname}`);
    expect(response.status).toBe(404);
    const region = pathname.split("/")[1];
    expect(response.json()).toEqual({
      message: `No local API for region ${JSON.stringify(region)}. Local APIs: us-east-1: ${server.urls["us-east-1"]}, eu-west-1: ${server.urls["eu-west-1"]}.`,
    });
  });

  it("escapes an echoed region that is markup, as the handler does", async () => {
    const response = await call(`${origin()}/%3Cscript%3E`);
    expect(response.status).toBe(404);
    expect(response.text).toMatch(/^\{"message":"No local API for region \\"%3Cscript%3E\\"/);
    // fetch would percent-encode < and >; a raw request sends them as they are.
    const raw = await new Promise<{ status?: number; text: string }>((resolve, reject) => {
      get({ host: "127.0.0.1", port: server.port, path: "/<b>&" }, (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: response.statusCode, text }));
      }).on("error", reject);
    });
    expect(raw.status).toBe(404);
    expect(raw.text).toMatch(/^\{"message":"No local API for region \\"\\u003cb\\u003e\\u0026\\"\. Local APIs: /);
    expect((JSON.parse(raw.text) as { message: string }).message).toMatch(/^No local API for region "<b>&"\./);
  });

  it("answers 413 to a body above the 10 MB payload limit", async () => {
    const response = await call(server.urls["us-east-1"], { method: "POST", body: Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20) });
    expect(response.status).toBe(413);
    expect(response.json()).toEqual({ message: "Request Too Long" });
  });
});

/** POSTs `bytes` of JSON to `url` as a chunked stream (no Content-Length), in 1 MiB writes; resolves to the status. */
function postChunked(url: string, bytes: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "content-type": "application/json" } }, (response) => {
      response.resume().on("end", () => resolve(response.statusCode));
    });
    request.on("error", reject);
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const writeMore = () => {
      while (sent < bytes) {
        const next = piece.subarray(0, Math.min(piece.length, bytes - sent));
        sent += next.length;
        if (!request.write(next)) return void request.once("drain", writeMore);
      }
      request.end();
    };
    writeMore();
  });
}

describe("request bodies under load (API Gateway's 10 MB limit)", () => {
  it("answers 413 to a streamed body past the limit, keeping at most the limit of it", async () => {
    const small = await startLocalServer({ args: ARGS, stackName: "qa", maxConcurrentRequests: 1 });
    try {
      expect(await postChunked(small.urls["us-east-1"], MAX_REQUEST_BYTES + 3 * 1024 * 1024)).toBe(413);
      expect(small.peakBufferedBytes).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    } finally {
      await small.close();
    }
  }, 30_000);

  it(`answers 413 to 6 concurrent streamed bodies past the limit, never holding more than ${MAX_CONCURRENT_REQUESTS} x the limit`, async () => {
    const small = await startLocalServer({ args: ARGS, stackName: "qa" });
    try {
      const statuses = await Promise.all(Array.from({ length: 6 }, () => postChunked(small.urls["us-east-1"], MAX_REQUEST_BYTES + 1024 * 1024)));
      expect(statuses).toEqual(Array(6).fill(413));
      expect(small.peakBufferedBytes).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS * MAX_REQUEST_BYTES);
    } finally {
      await small.close();
    }
  }, 60_000);

  it("refuses a declared Content-Length past the limit before reading any of it", async () => {
    const small = await startLocalServer({ args: ARGS, stackName: "qa" });
    try {
      const statuses = await Promise.all(Array.from({ length: 6 }, () => call(small.urls["us-east-1"], { method: "POST", body: Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20) }).then((response) => response.status)));
      expect(statuses).toEqual([413, 413, 413, 413, 413, 413]);
      expect(small.peakBufferedBytes).toBe(0);
    } finally {
      await small.close();
    }
  }, 30_000);

  it(`holds at most ${MAX_CONCURRENT_REQUESTS} bodies at once: 12 concurrent 3 MiB POSTs all succeed, the rest wait their turn`, async () => {
    const small = await startLocalServer({ args: ARGS, stackName: "qa" });
    try {
      const bodyBytes = 3 * 1024 * 1024;
      const statuses = await Promise.all(Array.from({ length: 12 }, () => postChunked(small.urls["us-east-1"], bodyBytes)));
      expect(statuses).toEqual(Array(12).fill(200));
      // Without the limit all 12 bodies (36 MiB) would be held at once.
      expect(small.peakBufferedBytes).toBeGreaterThan(0);
      expect(small.peakBufferedBytes).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS * bodyBytes);
    } finally {
      await small.close();
    }
  }, 60_000);
});

describe("a function that fails", () => {
  it.each([
    ["throws", "exports.handler = async () => { throw new Error('kaput'); };", /^The function threw: Error: kaput/],
    ["returns no status code", "exports.handler = async () => ({ body: 'x' });", /^Malformed Lambda proxy response: \{"body":"x"\}$/],
    ["returns a non-string body", "exports.handler = async () => ({ statusCode: 200, body: {} });", /^Malformed Lambda proxy response/],
  ])("gets API Gateway's 502 when it %s", async (_label, handlerCode, error) => {
    const failing: RequestRecord[] = [];
    const broken = await startLocalServer({ handlerCode, onRequest: (record) => failing.push(record) });
    try {
      const response = await call(broken.urls["us-east-1"]);
      expect(response.status).toBe(502);
      expect(response.json()).toEqual({ message: "Internal server error" });
      expect(failing).toHaveLength(1);
      expect(failing[0].error).toMatch(error);
    } finally {
      await broken.close();
    }
  });

  it("passes multi-value headers and a base64 body back as API Gateway does", async () => {
    const handlerCode = `exports.handler = async () => ({ statusCode: 201, multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] }, headers: { "X-N": 7 }, body: Buffer.from("hi").toString("base64"), isBase64Encoded: true });`;
    const custom = await startLocalServer({ handlerCode });
    try {
      const response = await fetch(custom.urls["us-east-1"]);
      expect(response.status).toBe(201);
      expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
      expect(response.headers.get("x-n")).toBe("7");
      expect(await response.text()).toBe("hi");
    } finally {
      await custom.close();
    }
  });
});

describe("options", () => {
  it("validates the stack arguments like the program, naming the key", async () => {
    await expect(startLocalServer({ args: { regions: ["us-east-1", "us-east-1"] } })).rejects.toThrow(
      new TapConfigError("regions[1]", "us-east-1", "Each region may appear only once: remove the duplicate."),
    );
    await expect(startLocalServer({ args: { environmentSuffix: "Prod" } })).rejects.toThrow(TapConfigError);
  });

  it.each([-1, 65536, 1.5])("refuses the port %p", async (port) => {
    await expect(startLocalServer({ port })).rejects.toThrow(`Invalid port ${port}: expected a whole number from 0 to 65535 (0 picks a free port).`);
  });

  it("says so when the port is taken", async () => {
    await expect(startLocalServer({ port: server.port })).rejects.toThrow(
      `Port ${server.port} on 127.0.0.1 is already in use. Choose another port, or 0 for any free port.`,
    );
  });

  it("serves the library defaults when given nothing, and stops listening on close", async () => {
    const defaults = await startLocalServer();
    const base = `http://127.0.0.1:${defaults.port}`;
    expect(defaults.urls).toEqual({ "us-east-1": `${base}/us-east-1/dev/api`, "us-west-2": `${base}/us-west-2/dev/api` });
    expect((await call(`${defaults.urls["us-west-2"]}/health`)).json()).toMatchObject({ region: "us-west-2", project: "iac-aws-nova" });
    await defaults.close();
    await expect(fetch(`${defaults.urls["us-west-2"]}/health`)).rejects.toThrow("fetch failed");
  });
});

describe("event building", () => {
  const api = { region: "us-east-1", stage: "dev", apiId: "abcdefghij", domainName: "127.0.0.1:1" };
  const request = { method: "GET", path: "/api/x", rawQuery: "", rawHeaders: [] as string[], body: Buffer.alloc(0), sourceIp: "127.0.0.1", protocol: "HTTP/1.1" };

  it("groups repeated headers case-insensitively under the first spelling; the single-value map keeps the last", () => {
    const event = buildProxyEvent({ ...request, rawHeaders: ["X-Dup", "1", "x-dup", "2", "Accept", "a"] }, api, "id", new Date(0));
    expect(event.headers).toEqual({ "X-Dup": "2", Accept: "a" });
    expect(event.multiValueHeaders).toEqual({ "X-Dup": ["1", "2"], Accept: ["a"] });
    expect(event.requestContext.identity.userAgent).toBeNull();
  });

  it("keeps a proxy segment that is not valid percent-encoding as sent", () => {
    expect(buildProxyEvent({ ...request, path: "/api/100%/a%2Fb" }, api, "id", new Date(0)).pathParameters).toEqual({ proxy: "100%/a/b" });
  });

  it("refuses a path that reaches neither resource, as it never reaches the function", () => {
    expect(() => buildProxyEvent({ ...request, path: "/other" }, api, "id", new Date(0))).toThrow('Path "/other" matches no API resource (/api, /api/{proxy+}).');
  });

  it.each([
    ["/api", { resource: "/api", proxy: undefined }],
    ["/api/", { resource: "/api", proxy: undefined }],
    ["/api/a/b", { resource: "/api/{proxy+}", proxy: "a/b" }],
    ["/apix", undefined],
    ["", undefined],
  ])("matches %j to %j", (path, expected) => {
    expect(matchResource(path)).toEqual(expected);
  });

  it("formats requestTime as API Gateway does", () => {
    expect(formatRequestTime(new Date(Date.UTC(2015, 3, 9, 12, 34, 56)))).toBe("09/Apr/2015:12:34:56 +0000");
  });

  it.each<[unknown]>([[null], [undefined], ["x"], [{ statusCode: "200", body: "" }], [{ statusCode: 99, body: "" }], [{ statusCode: 200.5 }]])(
    "treats the result %j as malformed",
    (result) => {
      expect(proxyResultToHttp(result)).toBeUndefined();
    },
  );

  it("accepts a result without a body as an empty one", () => {
    expect(proxyResultToHttp({ statusCode: 204 })).toEqual({ statusCode: 204, headers: {}, body: Buffer.alloc(0) });
  });
});
