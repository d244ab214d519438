import { performance } from "perf_hooks";
import { unzipSync, zipSync } from "fflate";
import { ARTIFACT_FILE, bundleHandler, handlerArchive } from "../../lib/lambda-artifact";
import { loadHandlerModule } from "../../offline/local/handler-module";
import { DEPLOYED_ENV, fixtureEvent, realisticContext } from "../../test/support/lambda";
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
  const event = fixtureEvent();
  const context = realisticContext("bench-request");
  const loadTimes: number[] = [];
  const throughput: number[] = [];
  for (let run = 0; run < runs; run++) {
    const loadStart = performance.now();
    const handler = loadHandlerModule(code, { env: { ...DEPLOYED_ENV } });
    loadTimes.push(performance.now() - loadStart);
    // The same event every time: a POST with a JSON body, the handler's longest path to a 200.
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
      "sequentially with the REST proxy fixture (POST /api/orders/42 with a JSON body). It measures the handler's own code " +
      "only: no Lambda runtime, no network, one thread.",
    "",
    `Load average (1 min) at the end of this section: ${result.loadAverage}.`,
    "",
  ].join("\n");
}
