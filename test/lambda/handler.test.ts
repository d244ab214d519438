import fc from "fast-check";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { GREETING_MESSAGE, GREETING_METHODS, handler } from "../../lambda/handler";
import { buildHandlerBundle } from "../../lib/lambda-artifact";
import { ProxyHandler, loadHandlerModule } from "../../offline/local/handler-module";
import { DEPLOYED_ENV, ISO_TIMESTAMP, SECURE_JSON_HEADERS, checkAnswerInvariants, fixtureEvent, realisticContext, useDeployedEnvironment } from "../support/lambda";

const REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
const context = realisticContext(REQUEST_ID);

/** A proxy event for `method path`, built from the realistic fixture. */
function eventFor(method: string, path: string, body: string | null = null, isBase64Encoded = false): APIGatewayProxyEvent {
  const event = fixtureEvent();
  return { ...event, httpMethod: method, path, body, isBase64Encoded, requestContext: { ...event.requestContext, httpMethod: method, path: `/dev${path}` } };
}

async function invoke(event: unknown, ctx: unknown = context): Promise<{ result: APIGatewayProxyResult; body: Record<string, unknown> | undefined }> {
  const result = await handler(event as APIGatewayProxyEvent, ctx as Context);
  return { result, body: checkAnswerInvariants(result) };
}

useDeployedEnvironment();

describe("echoed input and browser hardening", () => {
  it("escapes <, > and & in the JSON body, so echoed markup never appears raw", async () => {
    const { result, body } = await invoke(eventFor("GET", "/<script>alert(1)</script>&x"));
    expect(result.statusCode).toBe(404);
    expect(result.body).toContain("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u0026x");
    expect(result.body).not.toMatch(/[<>&]/);
    // Still the same JSON once parsed.
    expect(body?.message).toBe('No route for path "/<script>alert(1)</script>&x". Routes: /api, /api/{proxy+}, /api/health.');
  });

  it("sends nosniff and no-store on every answer, preflight and errors included", async () => {
    for (const [method, path] of [["GET", "/api"], ["OPTIONS", "/api"], ["GET", "/nope"], ["POST", "/api/health"]]) {
      const { result } = await invoke(eventFor(method, path));
      expect([method, path, result.headers?.["X-Content-Type-Options"], result.headers?.["Cache-Control"]]).toEqual([method, path, "nosniff", "no-store"]);
    }
  });
});

describe("greeting", () => {
  it("answers GET /api with the greeting, the deployment's values, the request id and an ISO time", async () => {
    const before = Date.now();
    const { result, body } = await invoke(eventFor("GET", "/api"));
    const after = Date.now();
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual(SECURE_JSON_HEADERS);
    expect(body).toEqual({
      message: GREETING_MESSAGE,
      region: "us-east-1",
      environment: "dev",
      project: "iac-aws-nova",
      requestId: REQUEST_ID,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
    });
    const time = Date.parse(body?.timestamp as string);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
    expect(body?.timestamp).not.toBe(REQUEST_ID);
  });

  it.each(GREETING_METHODS.flatMap((method) => ["/api", "/api/", "/api/orders/42", "/api/health/deep"].map((path) => [method, path])))(
    "answers %s %s with the greeting",
    async (method, path) => {
      const { result, body } = await invoke(eventFor(method, path));
      expect(result.statusCode).toBe(200);
      expect(body?.message).toBe(GREETING_MESSAGE);
    },
  );

  it("accepts a JSON body, plain or base64-encoded, and an empty one", async () => {
    for (const event of [
      eventFor("POST", "/api", '{"a":1}'),
      eventFor("PUT", "/api/x", Buffer.from('[1,2,"three"]').toString("base64"), true),
      eventFor("PATCH", "/api", "   "),
      eventFor("POST", "/api", null),
    ]) {
      expect((await invoke(event)).result.statusCode).toBe(200);
    }
  });

  it.each<[string, unknown]>([
    ["a null context", null],
    ["an empty request id", { awsRequestId: "" }],
    ["a numeric request id", { awsRequestId: 42 }],
  ])('reports the request id "unknown" for %s', async (_label, ctx) => {
    const { result, body } = await invoke(eventFor("GET", "/api"), ctx);
    expect([result.statusCode, body?.requestId]).toEqual([200, "unknown"]);
  });

  it('reports the request id "unknown" when reading it from the context throws', async () => {
    const ctx = {};
    Object.defineProperty(ctx, "awsRequestId", { get: () => { throw new Error("boom"); } });
    const { result, body } = await invoke(eventFor("GET", "/api"), ctx);
    expect([result.statusCode, body?.requestId]).toEqual([200, "unknown"]);
  });

  it("treats an event without a body property like one with a null body (POST answers the greeting)", async () => {
    const event: Record<string, unknown> = { ...eventFor("POST", "/api") };
    delete event.body;
    const { result, body } = await invoke(event);
    expect([result.statusCode, body?.message]).toEqual([200, GREETING_MESSAGE]);
  });

  it('reports "unknown" for missing environment variables and a missing request id', async () => {
    for (const key of Object.keys(DEPLOYED_ENV)) delete process.env[key];
    const { body } = await invoke(eventFor("GET", "/api"), {});
    expect(body).toMatchObject({ region: "unknown", environment: "unknown", project: "unknown", requestId: "unknown" });
  });
});

describe("health route", () => {
  it.each(["GET", "HEAD"])("answers %s /api/health with the health JSON", async (method) => {
    const { result, body } = await invoke(eventFor(method, "/api/health"));
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ status: "ok", region: "us-east-1", environment: "dev", project: "iac-aws-nova", timestamp: expect.stringMatching(ISO_TIMESTAMP) });
  });

  it("treats a trailing slash as the same route", async () => {
    expect((await invoke(eventFor("GET", "/api/health/"))).body?.status).toBe("ok");
  });

  it("refuses other methods with 405 and an Allow header", async () => {
    const { result, body } = await invoke(eventFor("POST", "/api/health", "{}"));
    expect(result.statusCode).toBe(405);
    expect(result.headers).toEqual({ ...SECURE_JSON_HEADERS, Allow: "GET, HEAD, OPTIONS" });
    expect(body).toEqual({ error: "MethodNotAllowed", message: 'Method "POST" is not allowed on "/api/health". Allowed: GET, HEAD, OPTIONS.', requestId: REQUEST_ID });
  });
});

describe("CORS preflight", () => {
  it.each([
    ["/api", "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS"],
    ["/api/orders", "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS"],
    ["/api/health", "GET,HEAD,OPTIONS"],
  ])("answers OPTIONS %s with 204 and the allowed methods", async (path, methods) => {
    const { result } = await invoke(eventFor("OPTIONS", path));
    expect(result).toEqual({
      statusCode: 204,
      headers: {
        ...SECURE_JSON_HEADERS,
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
        "Access-Control-Max-Age": "3600",
      },
      body: "",
    });
  });
});

describe("errors", () => {
  it.each([
    ["PROPFIND", "/api", 'Method "PROPFIND" is not allowed on "/api". Allowed: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.'],
    ["get", "/api/x", 'Method "get" is not allowed on "/api/x". Allowed: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.'],
  ])("refuses method %s on %s with 405", async (method, path, message) => {
    const { result, body } = await invoke(eventFor(method, path));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.Allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(body).toEqual({ error: "MethodNotAllowed", message, requestId: REQUEST_ID });
  });

  it.each(["/", "", "/apix", "/other/api", "/API"])("answers 404 for the path %j", async (path) => {
    const { result, body } = await invoke(eventFor("GET", path));
    expect(result.statusCode).toBe(404);
    expect(body).toEqual({ error: "NotFound", message: `No route for path ${JSON.stringify(path)}. Routes: /api, /api/{proxy+}, /api/health.`, requestId: REQUEST_ID });
  });

  it("echoes a path of exactly 200 characters whole, and cuts one of 201", async () => {
    const exact = `/${"y".repeat(199)}`;
    expect((await invoke(eventFor("GET", exact))).body?.message).toBe(`No route for path "${exact}". Routes: /api, /api/{proxy+}, /api/health.`);
    const over = `/${"y".repeat(200)}`;
    expect((await invoke(eventFor("GET", over))).body?.message).toBe(`No route for path "${over.slice(0, 200)}...". Routes: /api, /api/{proxy+}, /api/health.`);
  });

  it("cuts a long path short in the message", async () => {
    const { body } = await invoke(eventFor("GET", `/${"x".repeat(5000)}`));
    expect(body?.message).toBe(`No route for path "/${"x".repeat(199)}...". Routes: /api, /api/{proxy+}, /api/health.`);
  });

  it.each([
    ["plain text", "hello", false],
    ["truncated JSON", '{"a":', false],
    ["base64 of non-JSON", Buffer.from("not json").toString("base64"), true],
    ["JSON sent as base64 without the flag", Buffer.from('{"a":1}').toString("base64"), false],
  ])("answers 400 for a POST body that is %s", async (_label, body, isBase64Encoded) => {
    const { result, body: answer } = await invoke(eventFor("POST", "/api", body, isBase64Encoded));
    expect(result.statusCode).toBe(400);
    expect(answer?.error).toBe("BadRequest");
    expect(answer?.message).toMatch(/^The request body is not valid JSON \(.+\)\. Send a JSON document with Content-Type: application\/json, or no body\.$/);
  });

  it("ignores the body of GET and DELETE (only POST, PUT and PATCH carry a document)", async () => {
    expect((await invoke(eventFor("GET", "/api", "not json"))).result.statusCode).toBe(200);
    expect((await invoke(eventFor("DELETE", "/api", "not json"))).result.statusCode).toBe(200);
  });

  it.each<[string, unknown, string]>([
    ["null", null, "The event is not an API Gateway proxy event: expected an object, got null."],
    ["a string", "GET /api", "The event is not an API Gateway proxy event: expected an object, got string."],
    ["an array", [], "The event is not an API Gateway proxy event: expected an object, got an array."],
    ["undefined", undefined, "The event is not an API Gateway proxy event: expected an object, got undefined."],
    ["an empty object", {}, 'event.httpMethod must be a string such as "GET", got undefined.'],
    ["a numeric method", { httpMethod: 7, path: "/api" }, 'event.httpMethod must be a string such as "GET", got number.'],
    ["no path", { httpMethod: "GET" }, 'event.path must be a string such as "/api", got undefined.'],
    ["an object path", { httpMethod: "GET", path: { toString: 1 } }, 'event.path must be a string such as "/api", got an object.'],
    ["a numeric body", { httpMethod: "POST", path: "/api", body: 12 }, "event.body must be a string or null, got number."],
  ])("answers 400 for an event that is %s", async (_label, event, message) => {
    const { result, body } = await invoke(event);
    expect(result.statusCode).toBe(400);
    expect(body).toEqual({ error: "BadRequest", message, requestId: REQUEST_ID });
  });

  it("answers 500 JSON, not a throw, when reading the event itself throws", async () => {
    const event = { path: "/api" };
    Object.defineProperty(event, "httpMethod", { get: () => { throw new Error("boom"); }, enumerable: true });
    const errors = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await handler(event as unknown as APIGatewayProxyEvent, context);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({ error: "InternalError", message: "The function failed to handle the request.", requestId: REQUEST_ID });
    expect(errors).toHaveBeenCalledWith(JSON.stringify({ level: "error", requestId: REQUEST_ID, error: "Error: boom" }));
    errors.mockRestore();
  });
});

/** Values of every JSON-ish type and some that JSON cannot carry. */
const garbage = fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true });
/** Mostly plausible methods and paths, so the fuzz reaches the routing and body checks. */
const method = fc.oneof(
  { arbitrary: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "get", ""), weight: 6 },
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
const path = fc.oneof(
  { arbitrary: fc.constantFrom("/api", "/api/", "/api/health", "/api/health/", "/", "", "/api//x", "/apix"), weight: 4 },
  { arbitrary: fc.string().map((rest) => `/api/${rest}`), weight: 2 },
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: garbage, weight: 1 },
);
const body = fc.oneof(fc.constant(null), fc.json(), fc.string(), fc.base64String(), garbage);
const headers = fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.string()), garbage);
const eventFields = {
  httpMethod: method,
  path,
  body,
  isBase64Encoded: fc.oneof(fc.boolean(), garbage),
  headers,
  multiValueHeaders: fc.oneof(fc.constant(null), garbage),
  queryStringParameters: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.string()), garbage),
  pathParameters: fc.oneof(fc.constant(null), garbage),
  requestContext: fc.oneof(fc.constant(fixtureEvent().requestContext), garbage),
  resource: fc.oneof(fc.constantFrom("/api", "/api/{proxy+}"), garbage),
};
/** Events with a method and a path mostly, any subset of fields sometimes, and anything at all now and then. */
const malformedEvent = fc.oneof(
  { arbitrary: fc.record(eventFields, { requiredKeys: ["httpMethod", "path"] }), weight: 6 },
  { arbitrary: fc.record(eventFields, { requiredKeys: [] }), weight: 2 },
  { arbitrary: garbage, weight: 1 },
);
const anyContext = fc.oneof(fc.constant(context), fc.record({ awsRequestId: fc.oneof(fc.uuid(), garbage) }, { requiredKeys: [] }), garbage);

const bundled: ProxyHandler = loadHandlerModule(buildHandlerBundle().code, { env: { ...DEPLOYED_ENV } });

describe.each([
  ["the TypeScript source", handler as ProxyHandler],
  ["the packaged artifact", bundled],
])("fuzzing %s with malformed events", (_label, subject) => {
  it("never throws and always answers a known status, the two headers and a JSON body", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(malformedEvent, anyContext, async (event, ctx) => {
        const result = await subject(event as APIGatewayProxyEvent, ctx as Context);
        const answer = checkAnswerInvariants(result);
        statuses.add(result.statusCode);
        if (result.statusCode === 200) {
          expect(answer).toMatchObject({ region: "us-east-1", environment: "dev", project: "iac-aws-nova" });
        }
      }),
      { numRuns: 600 },
    );
    // The generators must reach every branch, or the property proves little.
    expect([...statuses].sort()).toEqual([200, 204, 400, 404, 405]);
  });
});
