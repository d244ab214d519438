import { readFileSync, writeFileSync } from "fs";
import { performance } from "perf_hooks";
import { getHeapStatistics } from "v8";
import { Command, InvalidArgumentError } from "commander";
import type * as pulumiModule from "@pulumi/pulumi";
import type { MockCloud, Props, RecordedCall, RecordedResource } from "../../offline/mock-cloud";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";

/**
 * One measurement of program evaluation, in a process of its own: Pulumi's
 * runtime state (the mock monitor, the RPC queue, the stack resource) is
 * process-global, so every run needs a fresh process. bench/sections/1-evaluation.ts
 * starts this file as `node --import tsx bench/support/eval-once.ts ...` and reads the
 * JSON line it prints.
 *
 * Modes:
 * - `program`: the real TapStack under the mock cloud, for the first N
 *   regions of lib/regions.ts. With `--record FILE` it also writes every
 *   registered resource and lookup, for the floor and the critical path.
 * - `floor`: replays a recording: one provider per region and one bare
 *   `CustomResource` per recorded cloud resource (same type, name and inputs),
 *   plus the same lookups, with no components, naming or validation. It is
 *   the least any program creating these resources has to do.
 */

/** What a recording holds (bench/sections/1-evaluation.ts and bench/sections/5-critical-path.ts read it). */
export interface Recording {
  readonly regions: readonly string[];
  readonly resources: readonly RecordedResource[];
  readonly calls: readonly RecordedCall[];
}

/** The JSON line this process prints. */
export interface EvalMeasurement {
  readonly mode: EvalMode;
  readonly regions: number;
  /** Cloud resources registered (providers excluded). */
  readonly customResources: number;
  /** Component resources registered (0 for the floor). */
  readonly components: number;
  readonly lookups: number;
  /** Loading @pulumi/pulumi and installing the mock cloud, ms. */
  readonly pulumiLoadMs: number;
  /** Loading the program's own modules (lib/ with its @pulumi/aws submodules; nothing for the floor), ms. */
  readonly programLoadMs: number;
  /** From just before the first registration until every output resolved and every RPC finished, ms. */
  readonly evalMs: number;
  /** CPU time (user + system) of the same span, ms. */
  readonly evalCpuMs: number;
  /** heapUsed just before evaluation, bytes. */
  readonly heapBefore: number;
  /** Largest heapUsed seen while evaluating (sampled every ms and at each step), bytes. */
  readonly heapPeak: number;
  /** Peak resident set size of the whole process (module loading included), bytes. */
  readonly maxRss: number;
}

export type EvalMode = "program" | "floor";

/** The first `count` regions of the region table: the inputs of every measurement. */
export function benchRegions(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > COMMERCIAL_REGION_NAMES.length) {
    throw new Error(`--regions must be an integer from 1 to ${COMMERCIAL_REGION_NAMES.length} (the commercial regions in lib/regions.ts), got ${count}`);
  }
  return COMMERCIAL_REGION_NAMES.slice(0, count);
}

/** Samples heapUsed while the event loop turns; synchronous stretches are caught by explicit `sample()` calls. */
class HeapSampler {
  peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1);
  }

  sample(): void {
    this.peak = Math.max(this.peak, getHeapStatistics().used_heap_size);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

interface Timed {
  customResources: number;
  components: number;
  lookups: number;
  programLoadMs: number;
  evalMs: number;
  evalCpuMs: number;
  heapBefore: number;
  heapPeak: number;
}

async function evaluateProgram(cloud: MockCloud, regions: string[], record: string | undefined): Promise<Timed> {
  const { valueOf, waitForRegistrations } = await import("../../offline/mock-cloud");
  const pulumi = await import("@pulumi/pulumi");
  const loadStart = performance.now();
  const { TapStack } = await import("../../lib/tap-stack");
  const programLoadMs = performance.now() - loadStart;

  const heapBefore = getHeapStatistics().used_heap_size;
  const sampler = new HeapSampler();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const stack = new TapStack("tap", { regions });
  sampler.sample();
  await Promise.all(
    [stack.vpcIds, stack.bucketNames, stack.apiUrls, stack.lambdaArns, stack.lambdaFunctionNames, stack.alarmTopicArns, stack.alarmNames, stack.dashboard.dashboardName, stack.dashboard.dashboardUrl]
      .map((output) => valueOf<unknown>(output)),
  );
  await waitForRegistrations();
  const evalMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const heapPeak = sampler.stop();

  if (record) {
    const resources = await Promise.all(cloud.resources.map(async (r) => ({ ...r, inputs: (await encodeAssets(pulumi, r.inputs)) as Props })));
    const recording: Recording = { regions, resources, calls: cloud.calls };
    writeFileSync(record, JSON.stringify(recording));
  }
  return {
    customResources: cloud.customResources().length,
    components: cloud.resources.filter((r) => !r.custom).length,
    lookups: cloud.calls.length,
    programLoadMs,
    evalMs,
    evalCpuMs: (cpu.user + cpu.system) / 1000,
    heapBefore,
    heapPeak,
  };
}

async function evaluateFloor(cloud: MockCloud, replay: string): Promise<Timed> {
  const { valueOf, waitForRegistrations } = await import("../../offline/mock-cloud");
  const pulumi = await import("@pulumi/pulumi");
  const recording = JSON.parse(readFileSync(replay, "utf8")) as Recording;

  /** A provider resource for package `aws` that needs no @pulumi/aws module. */
  class BareProvider extends pulumi.ProviderResource {
    constructor(name: string, region: string) {
      super("aws", name, { region });
    }
  }

  /** `new pulumi.CustomResource(type, name, inputs, opts)`: the class is abstract only in its typings. */
  class BareResource extends pulumi.CustomResource {}

  const heapBefore = getHeapStatistics().used_heap_size;
  const sampler = new HeapSampler();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const providers = new Map(recording.regions.map((region) => [region, new BareProvider(`floor-${region}`, region)]));
  const cloudResources = recording.resources.filter((r) => r.custom && r.type !== "pulumi:providers:aws");
  const created = cloudResources.map((r) => new BareResource(r.type, r.name, decodeAssets(pulumi, r.inputs) as pulumiModule.Inputs, { provider: providers.get(requireRegion(r)) }));
  const lookups = recording.calls.map((call) => pulumi.runtime.invoke(call.token, call.inputs, { provider: providers.get(call.region ?? "") }));
  sampler.sample();
  await Promise.all([...created.map((resource) => valueOf(resource.id)), ...lookups]);
  await waitForRegistrations();
  const evalMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const heapPeak = sampler.stop();

  return {
    customResources: cloud.customResources().length,
    components: cloud.resources.filter((r) => !r.custom).length,
    lookups: cloud.calls.length,
    programLoadMs: 0,
    evalMs,
    evalCpuMs: (cpu.user + cpu.system) / 1000,
    heapBefore,
    heapPeak,
  };
}

function requireRegion(resource: RecordedResource): string {
  if (!resource.region) throw new Error(`Recorded resource ${resource.urn} has no region: the recording is not from a TapStack run`);
  return resource.region;
}

/** How a recording writes an in-memory AssetArchive of StringAssets (the Lambda's code), which plain JSON would lose. */
interface EncodedArchive {
  readonly benchStringArchive: Record<string, string>;
}

/** Replaces every AssetArchive of StringAssets by its file texts, so the recording keeps the code bytes. */
async function encodeAssets(pulumi: typeof pulumiModule, value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => encodeAssets(pulumi, item)));
  if (value instanceof pulumi.asset.AssetArchive) {
    const files: Record<string, string> = {};
    for (const [file, asset] of Object.entries(await value.assets)) {
      if (!(asset instanceof pulumi.asset.StringAsset)) throw new Error(`The bench can only record archives of StringAssets; ${file} is not one`);
      files[file] = await asset.text;
    }
    const encoded: EncodedArchive = { benchStringArchive: files };
    return encoded;
  }
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) throw new Error("The bench can only record AssetArchives of StringAssets");
  if (value === null || typeof value !== "object") return value;
  const entries = await Promise.all(Object.entries(value as Props).map(async ([key, item]) => [key, await encodeAssets(pulumi, item)] as const));
  return Object.fromEntries(entries);
}

/** The inverse of encodeAssets. */
function decodeAssets(pulumi: typeof pulumiModule, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeAssets(pulumi, item));
  if (value === null || typeof value !== "object") return value;
  const files = (value as Partial<EncodedArchive>).benchStringArchive;
  if (files) {
    return new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(files).map(([file, text]) => [file, new pulumi.asset.StringAsset(text)])));
  }
  return Object.fromEntries(Object.entries(value as Props).map(([key, item]) => [key, decodeAssets(pulumi, item)]));
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const options = new Command()
    .requiredOption("--regions <n>", "number of regions (the first N of lib/regions.ts)", positiveInteger)
    .requiredOption("--mode <mode>", "program | floor")
    .option("--record <file>", "program mode: write the registered resources and lookups here")
    .option("--replay <file>", "floor mode: the recording to replay")
    .parse()
    .opts<{ regions: number; mode: string; record?: string; replay?: string }>();
  if (options.mode !== "program" && options.mode !== "floor") throw new Error(`--mode must be "program" or "floor", got "${options.mode}"`);
  if (options.mode === "floor" && !options.replay) throw new Error("--mode floor needs --replay <file> (a recording from --mode program --record)");
  const regions = benchRegions(options.regions);

  const loadStart = performance.now();
  const { installMockCloud } = await import("../../offline/mock-cloud");
  const cloud = await installMockCloud("tap", "dev");
  const pulumiLoadMs = performance.now() - loadStart;

  const timed = options.mode === "program"
    ? await evaluateProgram(cloud, regions, options.record)
    : await evaluateFloor(cloud, options.replay as string);
  const measurement: EvalMeasurement = {
    mode: options.mode,
    regions: regions.length,
    pulumiLoadMs,
    ...timed,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
