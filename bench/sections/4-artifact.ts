import { performance } from "perf_hooks";
import { unzipSync, zipSync } from "fflate";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { DEFAULTS } from "../../lib/config";
import { ARTIFACT_FILE, bundleHandler, handlerArchive, handlerEnvironment } from "../../lib/lambda-artifact";
import { RegionNames } from "../../lib/naming";
import { loadHandlerModule } from "../../offline/local/handler-module";
import { buildLambdaContext, buildProxyEvent, localApiId } from "../../offline/local/proxy-event";
import { currentLoad } from "../support/measure";
import { formatBytes, formatMs, markdownTable, median } from "../support/stats";

/**
 * Section 4: the deployed artifact. Its size as Pulumi uploads it (a zip of
 * the AssetArchive) and how many requests per second the packaged bundle
 * answers in-process.
 */

export interface ArtifactResult {
  readonly files: number;
  readonly rawBytes: number;
  readonly zipBytes: number;
  /** Median time of one esbuild build of the bundle (the program builds it once per `pulumi up`), ms. */
  readonly buildMs: number;
  /** Median time to load (compile and run) the bundle as a module, ms: the local part of a cold start. */
  readonly loadMs: number;
  readonly invocationsPerRun: number;
  /** Invocations per second of each run. */
  readonly throughput: readonly number[];
  readonly loadAverage: number;
}

/** Zips files the way Pulumi packs an AssetArchive for Lambda: deflate at the default level, fixed timestamps. */
export function zipLikePulumi(files: Readonly<Record<string, string>>): Uint8Array {
  const entries = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, new TextEncoder().encode(text)]));
  return zipSync(entries, { level: 6, mtime: new Date("1980-01-01T00:00:00Z") });
}

/** The default stack's us-east-1 function: where the bench's requests go. */
const REGION = "us-east-1";
const ENVIRONMENT = "dev";
const DEPLOYMENT = { region: REGION, environmentSuffix: ENVIRONMENT, projectName: DEFAULTS.projectName };

/**
 * The handler's longest path to a 200: POST /api/orders/42 with a JSON body, a repeated query parameter and a
 * client's headers, turned into the REST proxy event and the Lambda context exactly as the local server
 * (offline/local/server.ts) turns an HTTP request into them.
 */
export function benchInvocation(): { event: APIGatewayProxyEvent; context: Context } {
  const receivedAt = new Date();
  const host = `${localApiId(DEPLOYMENT.projectName, ENVIRONMENT, REGION)}.execute-api.${REGION}.amazonaws.com`;
  const event = buildProxyEvent(
    {
      method: "POST",
      path: "/api/orders/42",
      rawQuery: "expand=items&tag=a&tag=b",
      rawHeaders: ["Host", host, "Accept", "application/json", "Content-Type", "application/json", "User-Agent", "curl/8.5.0"],
      body: Buffer.from(JSON.stringify({ quantity: 3, sku: "TAP-001" })),
      sourceIp: "203.0.113.7",
      protocol: "HTTP/1.1",
    },
    { region: REGION, stage: ENVIRONMENT, apiId: localApiId(DEPLOYMENT.projectName, ENVIRONMENT, REGION), domainName: host },
    "8d1f2c3b-4a5e-4f60-9b7a-1c2d3e4f5a6b",
    receivedAt,
  );
  const functionName = new RegionNames({ project: DEPLOYMENT.projectName, environment: ENVIRONMENT, stack: ENVIRONMENT }, REGION).lambdaFunction;
  const context = buildLambdaContext(
    { functionName, region: REGION, memoryMb: DEFAULTS.lambdaMemoryMb, timeoutSeconds: DEFAULTS.lambdaTimeoutSeconds },
    "bench-request",
    receivedAt,
  );
  return { event, context };
}

async function archiveFiles(): Promise<Record<string, string>> {
  const assets = await handlerArchive().assets;
  const files: Record<string, string> = {};
  for (const [name, asset] of Object.entries(assets)) {
    const text = (asset as { text?: Promise<string> }).text;
    if (!text) throw new Error(`Archive entry ${name} is not a StringAsset; the bench cannot size it`);
    files[name] = await text;
  }
  return files;
}

export async function runArtifact(runs: number, invocationsPerRun: number, log: (line: string) => void): Promise<ArtifactResult> {
  const files = await archiveFiles();
  const zip = zipLikePulumi(files);
  // The zip must hold exactly what the archive holds.
  const unpacked = unzipSync(zip);
  for (const [name, text] of Object.entries(files)) {
    if (new TextDecoder().decode(unpacked[name]) !== text) throw new Error(`zip round trip changed ${name}`);
  }

  const buildTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    bundleHandler();
    buildTimes.push(performance.now() - start);
  }

  const code = files[ARTIFACT_FILE];
  const { event, context } = benchInvocation();
  const loadTimes: number[] = [];
  const throughput: number[] = [];
  for (let run = 0; run < runs; run++) {
    const loadStart = performance.now();
    const handler = loadHandlerModule(code, { env: handlerEnvironment(DEPLOYMENT) });
    loadTimes.push(performance.now() - loadStart);
    // The same event every time (benchInvocation): the handler's longest path to a 200.
    const first = await handler(event, context);
    if (first.statusCode !== 200) throw new Error(`The bundle answered the fixture with ${first.statusCode}: ${first.body}`);
    const start = performance.now();
    for (let i = 0; i < invocationsPerRun; i++) await handler(event, context);
    throughput.push(invocationsPerRun / ((performance.now() - start) / 1000));
  }
  log(`  zip ${formatBytes(zip.length)}, ${Math.round(median(throughput))} invocations/s`);
  return {
    files: Object.keys(files).length,
    rawBytes: Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0),
    zipBytes: zip.length,
    buildMs: median(buildTimes),
    loadMs: median(loadTimes),
    invocationsPerRun,
    throughput,
    loadAverage: currentLoad(),
  };
}

export function renderArtifact(result: ArtifactResult): string {
  const perSecond = median(result.throughput);
  return [
    "## 4. Deployed artifact",
    "",
    "The Lambda's `code` is `handlerArchive()` (lib/lambda-artifact.ts): one esbuild bundle, `index.js`. Zipped here with " +
      "fflate (deflate level 6, fixed timestamps): the format and default level Pulumi uses when it uploads an AssetArchive, " +
      "so the size is close to what Lambda receives (not byte-identical: zip writers differ in headers).",
    "",
    markdownTable(
      ["measure", "value"],
      [
        ["files in the archive", String(result.files)],
        ["uncompressed", formatBytes(result.rawBytes)],
        ["zip", `${formatBytes(result.zipBytes)} (${result.zipBytes} bytes)`],
        ["esbuild build of the bundle (once per program run)", formatMs(result.buildMs)],
        ["loading the bundle as a module (local part of a cold start)", formatMs(result.loadMs)],
        [`in-process throughput (${result.throughput.length} runs of ${result.invocationsPerRun} invocations, median)`, `${Math.round(perSecond).toLocaleString("en-US")} invocations/s (${formatMs(1000 / perSecond)} each)`],
      ],
    ),
    "",
    "Throughput: the packaged bundle loaded like test/lib/lambda-artifact.test.ts loads it (`loadHandlerModule`), called " +
      "sequentially with one REST proxy event (POST /api/orders/42 with a JSON body), built as `npm run local` builds it " +
      "(offline/local/proxy-event.ts). It measures the handler's own code only: no Lambda runtime, no network, one thread.",
    "",
    `Load average (1 min) at the end of this section: ${result.loadAverage}.`,
    "",
  ].join("\n");
}
