import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { REPO_ROOT, Sample, currentLoad, ensureWorkDir, modulePath, runNode, toSample } from "../support/measure";
import { formatBytes, formatMs, formatRatio, goalVerdict, markdownTable, median } from "../support/stats";

/**
 * Section 2: type-checking. `tsc --noEmit -p .` on the project; the same
 * library type-checked with submodule imports (`@pulumi/aws/ec2`) and with
 * root imports (`@pulumi/aws`); and what `pulumi up` pays at start-up, where
 * Pulumi's Node.js runtime loads the program through ts-node, type-checking
 * each file unless told not to.
 */

/** Goals for `tsc --noEmit -p .`. */
export const TYPECHECK_GOAL_MS = 5000;
export const TYPECHECK_GOAL_BYTES = 400 * 1024 * 1024;

const TSC = modulePath("typescript", "bin", "tsc");

// ---------------------------------------------------------------- import styles

/** Directories of the library variant: what `pulumi up` compiles. */
const PROGRAM_PARTS = ["index.ts", "lib", "lambda"];

/** True when `@pulumi/aws/<name>` is a namespace directory (ec2, lambda, …) rather than one file (provider, getRegion, …). */
export function isAwsNamespace(name: string): boolean {
  return existsSync(modulePath("@pulumi", "aws", name, "index.d.ts"));
}

/**
 * Rewrites submodule imports of @pulumi/aws to the root-import style:
 * `import * as ec2 from "@pulumi/aws/ec2"` becomes `import { ec2 } from "@pulumi/aws"`, and
 * `import { Provider } from "@pulumi/aws/provider"` becomes `import { Provider } from "@pulumi/aws"`.
 * Deeper paths (`@pulumi/aws/types/input`) stay: once one import names the root,
 * the compiler loads every declaration anyway.
 */
export function toRootImports(source: string, isNamespace: (name: string) => boolean): { code: string; rewritten: number } {
  let rewritten = 0;
  const code = source
    .replace(/import(\s+type)?\s+\*\s+as\s+(\w+)\s+from\s+"@pulumi\/aws\/(\w+)";/g, (match, typeOnly: string | undefined, alias: string, name: string) => {
      if (!isNamespace(name)) return match;
      rewritten++;
      return `import${typeOnly ?? ""} { ${alias === name ? name : `${name} as ${alias}`} } from "@pulumi/aws";`;
    })
    .replace(/import(\s+type)?\s+(\{[^}]*\})\s+from\s+"@pulumi\/aws\/(\w+)";/g, (match, typeOnly: string | undefined, names: string, name: string) => {
      if (isNamespace(name)) return match;
      rewritten++;
      return `import${typeOnly ?? ""} ${names} from "@pulumi/aws";`;
    });
  return { code, rewritten };
}

function listTsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return listTsFiles(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

/** A copy of the program (index.ts, lib/, lambda/) with the project's compiler options; node_modules is a symlink. */
function makeVariant(style: "submodules" | "root"): { dir: string; rewritten: number } {
  const dir = mkdtempSync(path.join(tmpdir(), `tap-bench-${style}-`));
  for (const part of PROGRAM_PARTS) cpSync(path.join(REPO_ROOT, part), path.join(dir, part), { recursive: true });
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const tsconfig = JSON.parse(readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8")) as { include: string[] };
  tsconfig.include = ["index.ts", "lib/**/*.ts", "lambda/**/*.ts"];
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  let rewritten = 0;
  if (style === "root") {
    for (const file of listTsFiles(dir).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`))) {
      const result = toRootImports(readFileSync(file, "utf8"), isAwsNamespace);
      rewritten += result.rewritten;
      writeFileSync(file, result.code);
    }
  }
  return { dir, rewritten };
}

/**
 * The least a type-check with one dependency costs: a one-line project that
 * imports it, with the project's compiler options (types: node, jest).
 */
export const SINGLE_IMPORT_PROBES: readonly { label: string; code: string }[] = [
  { label: "one file importing `@pulumi/aws/s3` (any submodule loads types/input.d.ts and types/output.d.ts, 11 MB)", code: 'import * as s3 from "@pulumi/aws/s3";\nexport type Bucket = s3.Bucket;\n' },
  { label: "one file importing `@aws-sdk/client-ec2` (used by verify/)", code: 'import { EC2Client } from "@aws-sdk/client-ec2";\nexport type Client = EC2Client;\n' },
];

function makeSingleImportProject(code: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tap-bench-probe-"));
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "probe.ts"), code);
  const tsconfig = JSON.parse(readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8")) as { include: string[] };
  tsconfig.include = ["probe.ts"];
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  return dir;
}

// ---------------------------------------------------------------- pulumi up start-up

/**
 * The TypeScript set-up of @pulumi/pulumi's cmd/run/run.js (3.270), step for
 * step: the same tsutils helpers, the same ts-node (Pulumi's vendored 7.0.1
 * unless the project has its own), the same transpileOnly rule and compiler
 * options; then the program (index.ts) runs under the mock cloud instead of
 * the engine, and the process exits once every registration is answered.
 */
const STARTUP_SCRIPT = `"use strict";
const { performance } = require("perf_hooks");
const path = require("path");
const mockCloudBundle = process.argv[2];
const start = performance.now();
const tsutils = require("@pulumi/pulumi/tsutils");
const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH || "tsconfig.json";
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
let transpileOnly = undefined;
const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
if (transpileOnlyEnv) transpileOnly = transpileOnlyEnv === "true";
else transpileOnly = compilerOptions.noCheck;
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const ts = require(typescriptRequire);
const [major, minor] = ts.version.split(".").map(Number);
const useNodeNext = major > 4 || (major === 4 && minor >= 7);
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly,
  project: tsConfigPath,
  skipProject: false,
  compilerOptions: { target: "ES2020", module: useNodeNext ? "nodenext" : "commonjs", moduleResolution: useNodeNext ? "nodenext" : "node", sourceMap: "true", ...compilerOptions },
});
const { installMockCloud } = require(mockCloudBundle);
const settings = require("@pulumi/pulumi/runtime/settings");
installMockCloud("tap", "dev").then(async (cloud) => {
  const programStart = performance.now();
  require(path.resolve("index.ts"));
  await settings.waitForRPCs();
  const end = performance.now();
  process.stdout.write(JSON.stringify({
    setupMs: programStart - start,
    programMs: end - programStart,
    resources: cloud.resources.length,
    transpileOnly: transpileOnly === true,
    tsNode: tsnodeRequire.includes("vendor") ? "Pulumi's vendored " + path.basename(tsnodeRequire) : "the project's ts-node",
    typescript: ts.version,
  }) + "\\n");
}).catch((error) => { console.error(error); process.exit(1); });
`;

/** Writes the start-up script and the mock cloud (bundled to CommonJS, so plain Node.js can require it). */
function prepareStartup(): { script: string; mockCloud: string; noCheckTsconfig: string } {
  const dir = ensureWorkDir();
  const script = path.join(dir, "pulumi-startup.js");
  writeFileSync(script, STARTUP_SCRIPT);
  const mockCloud = path.join(dir, "mock-cloud.js");
  buildSync({
    absWorkingDir: REPO_ROOT,
    entryPoints: ["offline/mock-cloud.ts"],
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    // waitForRegistrations imports an extension-less SDK path, which only require() resolves.
    supported: { "dynamic-import": false },
    outfile: mockCloud,
    logLevel: "silent",
  });
  // The recommended tsconfig.pulumi.json (see the report), here with an absolute `extends`.
  const noCheckTsconfig = path.join(dir, "tsconfig.pulumi.json");
  writeFileSync(noCheckTsconfig, JSON.stringify(recommendedPulumiTsconfig(path.join(REPO_ROOT, "tsconfig.json")), null, 2));
  return { script, mockCloud, noCheckTsconfig };
}

/**
 * The tsconfig the recommendation adds for `pulumi up`. run.js reads its
 * compilerOptions without following `extends` and puts them over its own
 * defaults (module nodenext), so module, moduleResolution and target are
 * repeated here to keep the project's CommonJS settings.
 */
export function recommendedPulumiTsconfig(base: string): { extends: string; compilerOptions: Record<string, unknown> } {
  return { extends: base, compilerOptions: { noCheck: true, module: "commonjs", moduleResolution: "node", target: "ES2022" } };
}

export interface StartupSample extends Sample {
  readonly setupMs: number;
  readonly programMs: number;
  readonly resources: number;
  readonly transpileOnly: boolean;
  readonly tsNode: string;
  readonly typescript: string;
  /** The first line of what the start-up printed when it failed (the program never ran). */
  readonly error?: string;
}

type StartupMode = "typecheck-cold" | "typecheck-warm" | "transpile-env" | "nocheck-tsconfig";

const STARTUP_MODES: readonly { mode: StartupMode; label: string }[] = [
  { mode: "typecheck-cold", label: "default: type-check on load, empty ts-node cache (CI, fresh machine, or after an edit)" },
  { mode: "typecheck-warm", label: "default, ts-node cache warm (unchanged files are not checked again)" },
  { mode: "transpile-env", label: "`PULUMI_NODEJS_TRANSPILE_ONLY=true`, empty cache" },
  { mode: "nocheck-tsconfig", label: "`tsconfig.pulumi.json` with `noCheck: true` (recommended), empty cache" },
];

async function startupOnce(mode: StartupMode, files: ReturnType<typeof prepareStartup>, warmCache: string): Promise<StartupSample> {
  const cacheDir = mode === "typecheck-warm" ? warmCache : mkdtempSync(path.join(ensureWorkDir(), "ts-node-cache-"));
  const env: Record<string, string> = { TS_NODE_CACHE_DIRECTORY: cacheDir };
  if (mode === "transpile-env") env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
  if (mode === "nocheck-tsconfig") env.PULUMI_NODEJS_TSCONFIG_PATH = files.noCheckTsconfig;
  const result = await runNode([files.script, files.mockCloud], { env, check: false });
  if (mode !== "typecheck-warm") rmSync(cacheDir, { recursive: true, force: true });
  if (result.status !== 0) {
    // A start-up that fails is a finding, not a broken bench: the table says FAILED and the report quotes the error.
    const error = (result.stderr || result.stdout).split("\n").find((text) => text.trim() !== "")?.trim() ?? `exit ${String(result.status)}`;
    return { ...toSample(result), setupMs: 0, programMs: 0, resources: 0, transpileOnly: false, tsNode: "", typescript: "", error };
  }
  const line = JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as Omit<StartupSample, keyof Sample>;
  return { ...toSample(result), ...line };
}

// ---------------------------------------------------------------- section

export interface TypecheckResult {
  readonly project: readonly Sample[];
  readonly submodules: readonly Sample[];
  readonly root: readonly Sample[];
  readonly rewrittenImports: number;
  /** One entry per SINGLE_IMPORT_PROBES item. */
  readonly probes: readonly (readonly Sample[])[];
  readonly startup: ReadonlyMap<StartupMode, readonly StartupSample[]>;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

export async function runTypecheck(runs: number, log: (line: string) => void): Promise<TypecheckResult> {
  const loadBefore = currentLoad();
  const project: Sample[] = [];
  for (let run = 0; run < runs; run++) project.push(toSample(await runNode([TSC, "--noEmit", "-p", "."], { check: false })));
  log(`  tsc --noEmit -p . : ${formatMs(median(project.map((s) => s.wallMs)))} wall (median of ${runs})`);

  const submodulesVariant = makeVariant("submodules");
  const rootVariant = makeVariant("root");
  const submodules: Sample[] = [];
  const root: Sample[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      submodules.push(toSample(await runNode([TSC, "--noEmit", "-p", submodulesVariant.dir], { check: false })));
      root.push(toSample(await runNode([TSC, "--noEmit", "-p", rootVariant.dir], { check: false })));
    }
  } finally {
    rmSync(submodulesVariant.dir, { recursive: true, force: true });
    rmSync(rootVariant.dir, { recursive: true, force: true });
  }
  const probes: Sample[][] = [];
  for (const probe of SINGLE_IMPORT_PROBES) {
    const dir = makeSingleImportProject(probe.code);
    const samples: Sample[] = [];
    try {
      for (let run = 0; run < runs; run++) samples.push(toSample(await runNode([TSC, "--noEmit", "-p", dir], { check: false })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    probes.push(samples);
  }
  log(`  program copy: submodule imports ${formatMs(median(submodules.map((s) => s.wallMs)))}, root imports ${formatMs(median(root.map((s) => s.wallMs)))}`);

  const files = prepareStartup();
  const warmCache = mkdtempSync(path.join(ensureWorkDir(), "ts-node-cache-warm-"));
  const startup = new Map<StartupMode, StartupSample[]>(STARTUP_MODES.map(({ mode }) => [mode, []]));
  try {
    // Fills the warm cache once; not counted.
    await startupOnce("typecheck-warm", files, warmCache);
    for (let run = 0; run < runs; run++) {
      for (const { mode } of STARTUP_MODES) startup.get(mode)?.push(await startupOnce(mode, files, warmCache));
    }
  } finally {
    rmSync(warmCache, { recursive: true, force: true });
  }
  log(`  pulumi start-up emulation: ${STARTUP_MODES.map(({ mode }) => `${mode} ${formatMs(median((startup.get(mode) ?? []).map((s) => s.wallMs)))}`).join(", ")}`);
  return { project, submodules, root, rewrittenImports: rootVariant.rewritten, probes, startup, loadBefore, loadAfter: currentLoad() };
}

function medianCpu(samples: readonly Sample[]): number | undefined {
  const cpu = samples.map((s) => s.cpuMs).filter((value): value is number => value !== undefined);
  return cpu.length === samples.length ? median(cpu) : undefined;
}

function medianRss(samples: readonly Sample[]): number | undefined {
  const rss = samples.map((s) => s.peakRssBytes).filter((value): value is number => value !== undefined);
  return rss.length === samples.length ? median(rss) : undefined;
}

function row(label: string, samples: readonly Sample[]): string[] {
  const cpu = medianCpu(samples);
  const rss = medianRss(samples);
  const failed = samples.filter((s) => s.status !== 0).length;
  return [
    label,
    String(samples.length),
    formatMs(median(samples.map((s) => s.wallMs))),
    cpu === undefined ? "n/a" : formatMs(cpu),
    rss === undefined ? "n/a" : formatBytes(rss),
    failed === 0 ? "pass" : `FAILED ${failed}/${samples.length}`,
  ];
}

/** The exact patch for the lead (tsconfig.pulumi.json and Pulumi.yaml are theirs). */
export const RECOMMENDED_PATCH = `\`\`\`diff
--- /dev/null
+++ b/tsconfig.pulumi.json
@@ -0,0 +1,8 @@
+// pulumi up/preview load the program with this file (Pulumi.yaml runtime.options.tsconfig): no type-check on load;
+// \`npm run typecheck\` (tsc --noEmit -p ., part of npm test and CI) checks the project. run.js reads compilerOptions
+// without following "extends", so the CommonJS settings are repeated (its defaults are nodenext).
+{
+  "extends": "./tsconfig.json",
+  "compilerOptions": { "noCheck": true, "module": "commonjs", "moduleResolution": "node", "target": "ES2022" }
+}
--- a/Pulumi.yaml
+++ b/Pulumi.yaml
 runtime:
   name: nodejs
   options:
     typescript: true
+    tsconfig: tsconfig.pulumi.json
\`\`\``;

export function renderTypecheck(result: TypecheckResult): string {
  const lines = ["## 2. Type-check", ""];
  lines.push("Peak RSS is that of the largest Node.js process (its own `process.resourceUsage().maxRSS`, the same figure as GNU time's \"Maximum resident set size\"); CPU is user + system of the whole process tree.", "");
  lines.push(markdownTable(
    ["command", "runs", "wall (median)", "CPU (median)", "peak RSS (median)", "result"],
    [
      row("`tsc --noEmit -p .` (whole project, = `npm run typecheck`)", result.project),
      row("program only (index.ts, lib/, lambda/), submodule imports `@pulumi/aws/ec2` (as committed)", result.submodules),
      row(`program only, root imports \`@pulumi/aws\` (${result.rewrittenImports} imports rewritten)`, result.root),
      ...SINGLE_IMPORT_PROBES.map((probe, i) => row(`floor: ${probe.label}`, result.probes[i] ?? [])),
    ],
  ));
  const sub = medianCpu(result.submodules);
  const root = medianCpu(result.root);
  const subRss = medianRss(result.submodules);
  const rootRss = medianRss(result.root);
  if (sub !== undefined && root !== undefined && subRss !== undefined && rootRss !== undefined) {
    lines.push("", `Root imports cost ${formatRatio(root / sub)} the CPU time and ${formatRatio(rootRss / subRss)} the memory of submodule imports.`);
  }
  const projectWall = median(result.project.map((s) => s.wallMs));
  const projectCpu = medianCpu(result.project);
  const projectRss = medianRss(result.project);
  lines.push("", "**Goal** `tsc --noEmit -p .` ≤ 5 s and ≤ 400 MB:", "");
  lines.push(`- time: wall ${goalVerdict(projectWall, TYPECHECK_GOAL_MS, formatMs)}${projectCpu === undefined ? "" : `; CPU ${goalVerdict(projectCpu, TYPECHECK_GOAL_MS, formatMs)}`}`);
  if (projectRss !== undefined) lines.push(`- memory: ${goalVerdict(projectRss, TYPECHECK_GOAL_BYTES, formatBytes)}`);
  const awsProbe = result.probes[0] ?? [];
  const awsProbeCpu = medianCpu(awsProbe);
  const awsProbeRss = medianRss(awsProbe);
  if (awsProbe.length > 0 && awsProbeCpu !== undefined && awsProbeRss !== undefined) {
    lines.push(`- why: a one-file project that imports a single \`@pulumi/aws\` submodule already needs ${formatMs(awsProbeCpu)} CPU and ${formatBytes(awsProbeRss)} here ` +
      "(floor rows above): every submodule pulls in the provider's shared input/output type declarations. The rest of the project " +
      "(tests, verify/ with the AWS SDK clients, policy/) adds to that; the submodule style keeps the program itself well below the root-import cost.");
  }
  lines.push("");

  lines.push("### What `pulumi up` pays at start-up", "");
  const anyStartup = STARTUP_MODES.flatMap(({ mode }) => result.startup.get(mode) ?? []).find((sample) => sample.error === undefined);
  lines.push(
    "Pulumi's Node.js runtime (`@pulumi/pulumi/cmd/run/run.js`) loads a TypeScript program through ts-node" +
      (anyStartup ? ` (here ${anyStartup.tsNode}, with the project's TypeScript ${anyStartup.typescript})` : "") +
      ". It type-checks every file it loads unless `PULUMI_NODEJS_TRANSPILE_ONLY=true` is set or the tsconfig it uses has " +
      "`compilerOptions.noCheck: true`. ts-node caches its output in the temp directory, so an unchanged file is not checked " +
      "again on the same machine; CI and every edited file pay in full. Emulated offline: run.js's set-up step for step " +
      "(`bench/sections/2-typecheck.ts`), then index.ts runs under the mock cloud (default config: 2 regions) until every registration is answered; " +
      "times are the whole process, Node.js start to exit.",
    "",
  );
  lines.push(markdownTable(
    ["start-up", "runs", "wall (median)", "CPU (median)", "peak RSS (median)", "result"],
    STARTUP_MODES.map(({ mode, label }) => row(label, result.startup.get(mode) ?? [])),
  ));
  const cold = result.startup.get("typecheck-cold") ?? [];
  const fast = result.startup.get("nocheck-tsconfig") ?? [];
  const coldCpu = medianCpu(cold);
  const fastCpu = medianCpu(fast);
  const coldRss = medianRss(cold);
  const fastRss = medianRss(fast);
  lines.push("");
  const failures = STARTUP_MODES.flatMap(({ mode, label }) => {
    const error = (result.startup.get(mode) ?? []).find((sample) => sample.error !== undefined)?.error;
    return error === undefined ? [] : [`- ${label}: fails before the program runs: \`${error}\``];
  });
  if (failures.length > 0) {
    lines.push(
      "Failed start-ups (run.js puts its own `module`/`moduleResolution` defaults, nodenext, over the tsconfig's compilerOptions " +
        "when the tsconfig does not set both, and a type-checking load reports the mismatch):",
      "",
      ...failures,
      "",
    );
  }
  const allPassed = (samples: readonly StartupSample[]) => samples.length > 0 && samples.every((sample) => sample.error === undefined);
  if (allPassed(cold) && allPassed(fast) && coldCpu !== undefined && fastCpu !== undefined && coldRss !== undefined && fastRss !== undefined) {
    lines.push(`Skipping the check saves ${formatMs(coldCpu - fastCpu)} CPU (${formatRatio(coldCpu / fastCpu)}) and ${formatBytes(coldRss - fastRss)} of peak memory on every cold start; ` +
      `\`tsc --noEmit\` does the same checking once, as its own CI step (\`npm run typecheck\`, part of \`npm test\`).`, "");
  }
  lines.push(
    "**Recommendation to the lead:** load the program without type-checking in `pulumi up`/`preview`, and keep the type-check " +
      "as its own step (`npm test` already runs `npm run typecheck` first; CI runs `npm test`). A tsconfig just for Pulumi keeps " +
      "the setting in the repository (an environment variable would have to be set on every machine and CI job) and leaves " +
      "`tsc --noEmit -p .` checking as before (`noCheck` in tsconfig.json itself would silence it). The bench runs exactly this file " +
      "(\"recommended\" row above) through run.js's steps. Patch:",
    "",
    RECOMMENDED_PATCH,
    "",
    `Load average (1 min) before/after this section: ${result.loadBefore} / ${result.loadAfter}.`,
    "",
  );
  return lines.join("\n");
}
