import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import type { APIGatewayProxyResult } from "aws-lambda";
import type { StringAsset } from "@pulumi/pulumi/asset";
import { ARTIFACT_FILE, LAMBDA_HANDLER, buildHandlerBundle, bundleHandler, handlerArchive, handlerEnvironment } from "../../lib/lambda-artifact";
import { loadHandlerModule } from "../../offline/local/handler-module";
import { DEPLOYED_ENV, ISO_TIMESTAMP, SECURE_JSON_HEADERS, fixtureEvent, realisticContext } from "../support/lambda";
import { REPO_ROOT } from "../support/paths";

/** The artifact must stay small: every KB is loaded on each cold start. Measured: about 6.5 KB. */
const MAX_ARTIFACT_BYTES = 10 * 1024;
const REQUEST_ID = "3f1b5c2e-9d4a-4e7b-8c6f-0a1b2c3d4e5f";

const bundle = buildHandlerBundle();

/** What the deployed us-east-1 function must answer to the fixture (POST /api/orders/42 with a JSON body). */
function expectFixtureAnswer(result: APIGatewayProxyResult, requestId: string, before: number, after: number): void {
  expect(result.statusCode).toBe(200);
  expect(result.headers).toEqual(SECURE_JSON_HEADERS);
  expect(Object.keys(result).sort()).toEqual(["body", "headers", "statusCode"]);
  const body = JSON.parse(result.body) as Record<string, unknown>;
  expect(body).toEqual({
    message: "Hello from AWS Lambda!",
    region: "us-east-1",
    environment: "dev",
    project: "iac-aws-nova",
    requestId,
    timestamp: expect.stringMatching(ISO_TIMESTAMP),
  });
  const time = Date.parse(body.timestamp as string);
  expect(time).toBeGreaterThanOrEqual(before);
  expect(time).toBeLessThanOrEqual(after);
}

describe("the bundle", () => {
  it("is built from lambda/handler.ts alone", () => {
    expect(bundle.inputs).toEqual(["lambda/handler.ts"]);
  });

  it("requires nothing at all, not even a Node.js built-in", () => {
    expect(bundle.code).not.toMatch(/\brequire\s*\(/);
    expect(bundle.code).not.toMatch(/\bimport\s*\(/);
    expect(bundle.code).not.toMatch(/^\s*import\s/m);
  });

  it(`stays under ${MAX_ARTIFACT_BYTES} bytes, and reports its size and hash truthfully`, () => {
    expect(bundle.bytes).toBeLessThan(MAX_ARTIFACT_BYTES);
    expect(bundle.bytes).toBe(Buffer.byteLength(bundle.code, "utf8"));
    expect(bundle.sha256).toBe(createHash("sha256").update(bundle.code).digest("hex"));
  });

  it("is deterministic: a fresh build gives the same bytes, with no machine path in them", () => {
    const again = bundleHandler();
    expect(again.code).toBe(bundle.code);
    expect(again.sha256).toBe(bundle.sha256);
    expect(bundle.code).not.toContain(REPO_ROOT);
    expect(bundle.code).not.toContain(tmpdir());
  });

  it("is built once per process", () => {
    expect(buildHandlerBundle()).toBe(bundle);
  });
});

describe("the esbuild call", () => {
  type Esbuild = typeof import("esbuild");
  type ArtifactModule = typeof import("../../lib/lambda-artifact");

  /** lib/lambda-artifact.ts loaded afresh with `buildSync` replaced by `fake`. */
  function withBuildSync(fake: Esbuild["buildSync"]): ArtifactModule {
    let loaded: ArtifactModule | undefined;
    jest.isolateModules(() => {
      jest.doMock("esbuild", () => ({ ...jest.requireActual<Esbuild>("esbuild"), buildSync: fake }));
      loaded = jest.requireActual<ArtifactModule>("../../lib/lambda-artifact");
    });
    jest.dontMock("esbuild");
    return loaded as ArtifactModule;
  }

  it("uses fixed settings: one CommonJS file for Node.js 22, bundled, not minified, no source map, legal comments or log output", () => {
    const real = jest.requireActual<Esbuild>("esbuild").buildSync;
    const calls: unknown[] = [];
    const artifact = withBuildSync(((options: Parameters<Esbuild["buildSync"]>[0]) => {
      calls.push(options);
      return real(options);
    }) as Esbuild["buildSync"]);
    expect(artifact.bundleHandler().code).toBe(bundle.code);
    expect(calls).toEqual([{
      absWorkingDir: REPO_ROOT,
      entryPoints: ["lambda/handler.ts"],
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      minify: false,
      sourcemap: false,
      legalComments: "none",
      charset: "utf8",
      metafile: true,
      write: false,
      logLevel: "silent",
    }]);
  });

  it("keeps the handler readable in the Lambda console: its names and one statement per line", () => {
    expect(bundle.code).toContain("async function handler(event, context)");
    expect(bundle.code.split("\n").length).toBeGreaterThan(100);
  });

  it.each([
    ["an Error", new Error("Could not resolve \"lambda/handler.ts\""), 'Could not resolve "lambda/handler.ts"'],
    ["anything else", "disk full", "disk full"],
  ])("names the source file when esbuild throws %s, and keeps what it threw as the cause", (_what, thrown, detail) => {
    const artifact = withBuildSync((() => {
      throw thrown;
    }) as Esbuild["buildSync"]);
    expect(() => artifact.bundleHandler()).toThrow(new Error(`Building the Lambda artifact from lambda/handler.ts failed: ${detail}`, { cause: thrown }));
  });
});

describe("the deployment archive", () => {
  it(`holds only ${ARTIFACT_FILE}, whose text is the bundle, and the handler setting names its export`, async () => {
    const assets = await handlerArchive().assets;
    expect(Object.keys(assets)).toEqual(["index.js"]);
    expect(await (assets["index.js"] as StringAsset).text).toBe(bundle.code);
    expect(LAMBDA_HANDLER).toBe("index.handler");
  });

  it("gets the environment variables the handler reads", () => {
    expect(handlerEnvironment({ region: "eu-west-1", environmentSuffix: "prod", projectName: "shop" })).toEqual({
      REGION: "eu-west-1",
      ENVIRONMENT: "prod",
      PROJECT_NAME: "shop",
    });
  });
});

describe("invoking the packaged artifact with a real API Gateway event", () => {
  it("answers the greeting in a plain Node.js process that requires index.js, as the Lambda runtime does", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tap-artifact-"));
    try {
      writeFileSync(path.join(dir, ARTIFACT_FILE), bundle.code);
      writeFileSync(path.join(dir, "event.json"), JSON.stringify(fixtureEvent()));
      // A stand-in for the runtime: require the file, call the export named by LAMBDA_HANDLER, print the result.
      const runtime = `
        const [file, exportName] = ${JSON.stringify(LAMBDA_HANDLER)}.split(".");
        const mod = require(require("path").join(${JSON.stringify(dir)}, file + ".js"));
        const event = JSON.parse(require("fs").readFileSync(${JSON.stringify(path.join(dir, "event.json"))}, "utf8"));
        const context = { awsRequestId: ${JSON.stringify(REQUEST_ID)}, functionName: "iac-aws-nova-api-us-east-1-dev", getRemainingTimeInMillis: () => 29000 };
        mod[exportName](event, context).then((result) => {
          const loaded = Object.keys(require.cache).map((f) => require("path").relative(${JSON.stringify(dir)}, f));
          process.stdout.write(JSON.stringify({ result, loaded }));
        });`;
      const before = Date.now();
      const output = execFileSync(process.execPath, ["-e", runtime], { env: { PATH: process.env.PATH ?? "", ...DEPLOYED_ENV }, encoding: "utf8" });
      const after = Date.now();
      const { result, loaded } = JSON.parse(output) as { result: APIGatewayProxyResult; loaded: string[] };
      expectFixtureAnswer(result, REQUEST_ID, before, after);
      expect(loaded).toEqual(["index.js"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers the same when loaded in-process, as the local server does", async () => {
    const handler = loadHandlerModule(bundle.code, { env: { ...DEPLOYED_ENV } });
    const before = Date.now();
    const result = await handler(fixtureEvent(), realisticContext(REQUEST_ID));
    expectFixtureAnswer(result, REQUEST_ID, before, Date.now());
  });

  it("escapes echoed markup in the packaged bundle too", async () => {
    const handler = loadHandlerModule(bundle.code, { env: { ...DEPLOYED_ENV } });
    const event = { ...fixtureEvent(), httpMethod: "GET", path: "/<img src=x onerror=alert(1)>&" };
    const result = await handler(event, realisticContext(REQUEST_ID));
    expect(result.statusCode).toBe(404);
    expect(result.headers).toEqual(SECURE_JSON_HEADERS);
    expect(result.body).toContain('\\"/\\u003cimg src=x onerror=alert(1)\\u003e\\u0026\\"');
    expect(result.body).not.toMatch(/[<>&]/);
  });

  it("gives each loaded instance only its own environment", async () => {
    const hostRegion = process.env.REGION;
    const east = loadHandlerModule(bundle.code, { env: { ...DEPLOYED_ENV } });
    const west = loadHandlerModule(bundle.code, { env: { ...DEPLOYED_ENV, REGION: "us-west-2" } });
    const bare = loadHandlerModule(bundle.code, { env: {} });
    const regionOf = async (handler: typeof east) => (JSON.parse((await handler(fixtureEvent(), realisticContext(REQUEST_ID))).body) as { region: string }).region;
    expect([await regionOf(east), await regionOf(west), await regionOf(bare)]).toEqual(["us-east-1", "us-west-2", "unknown"]);
    expect(process.env.REGION).toBe(hostRegion);
  });

  it("refuses code that requires a package or exports no handler", () => {
    expect(() => loadHandlerModule('require("left-pad");', { env: {} })).toThrow(
      'index.js requires "left-pad", but the Lambda artifact ships no node_modules: only Node.js built-ins are available.',
    );
    expect(() => loadHandlerModule("exports.main = () => 1;", { env: {}, filename: "x.js" })).toThrow("x.js does not export a handler function (exports: main).");
  });
});
