import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { REPO_ROOT, Sample, currentLoad, ensureWorkDir, modulePath, runMeasured, toSample } from "../support/measure";
import { formatBytes, formatMs, goalVerdict, markdownTable } from "../support/stats";

/**
 * Section 7: the developer loop. Each step of `npm test`, with the previous
 * toolchain (TypeScript 5.9's tsc, typed lint over the whole project, ts-jest,
 * the steps one after another) and today's, side by side on the same tree in
 * one run:
 *  - type-check: TypeScript 5.9's tsc vs TypeScript 7's native tsc;
 *  - lint: the typed parser on tsconfig.json through projectService (before)
 *    vs tsconfig.lint.json (index.ts and lib/ only);
 *  - jest: ts-jest (before) vs the esbuild transformer, cold (an empty cache
 *    directory of its own) and warm (the same directory again);
 *  - `npm test`: the three old steps one after another (before) vs today's
 *    `npm test`, which runs the three at once (scripts/run-steps.mjs).
 * Nothing here uses a cache but jest's, so "cold" is a fresh clone's state:
 * no tsbuildinfo (no incremental build), no eslint cache.
 */

export const LOOP_GOAL_MS = 30_000;
export const TYPECHECK7_GOAL_MS = 3000;
export const TYPECHECK7_GOAL_BYTES = 500 * 1024 * 1024;

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The previous lint config: the typed parser found tsconfig.json (the whole project) through projectService. */
const OLD_ESLINT_CONFIG = `import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "coverage/", ".plan/", "**/*.js", "!eslint.config.mjs", "test/fixtures/typecheck/", ".ci/", "scripts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { rules: { "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }] } },
  {
    files: ["index.ts", "lib/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(REPO_ROOT)} } },
    plugins: { pulumi },
    rules: { "pulumi/no-output-in-template-literal": "error", "pulumi/no-output-instance-in-template-literal": "error" },
  },
);
`;

/** jest.config.js with ts-jest, the previous transform. */
function oldJestConfig(): string {
  return `const current = require(${JSON.stringify(path.join(REPO_ROOT, "jest.config.js"))});
module.exports = { ...current, rootDir: ${JSON.stringify(REPO_ROOT)}, reporters: ["default"], transform: { "^.+\\\\.ts$": ["ts-jest", { diagnostics: false }] } };
`;
}

interface Row {
  readonly label: string;
  readonly before?: Sample;
  readonly after: Sample;
}

export interface DevLoopResult {
  readonly typecheck: Row;
  readonly lint: Row;
  readonly lintParts: { typed: Sample; plain: Sample };
  readonly jestCold: Row;
  readonly jestWarm: Row;
  readonly npmTestCold: Row;
  readonly npmTestWarm: Sample;
  readonly tests: number | undefined;
  readonly loads: string[];
}

async function measure(command: string, args: string[], env?: Record<string, string>): Promise<Sample & { stdout: string }> {
  const result = await runMeasured(command, args, { check: false, env });
  return { ...toSample(result), stdout: `${result.stdout}\n${result.stderr}` };
}

export async function runDevLoop(log: (line: string) => void): Promise<DevLoopResult> {
  const dir = ensureWorkDir();
  const oldEslint = path.join(dir, "eslint.previous-toolchain.mjs");
  writeFileSync(oldEslint, OLD_ESLINT_CONFIG);
  const oldJest = path.join(dir, "jest.previous-toolchain.config.js");
  writeFileSync(oldJest, oldJestConfig());
  const eslint = modulePath("eslint", "bin", "eslint.js");
  const jest = modulePath("jest", "bin", "jest.js");
  const loads: string[] = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const before = currentLoad();
    const value = await run();
    loads.push(`${name} ${before}`);
    log(`  ${name} done (load before ${before})`);
    return value;
  };
  const cache = () => mkdtempSync(path.join(tmpdir(), "tap-bench-jest-cache-"));

  const ts5 = await step("tsc 5.9", () => measure(process.execPath, [modulePath("typescript", "bin", "tsc"), "--noEmit", "-p", "."]));
  const ts7 = await step("tsc 7", () => measure(NPM, ["run", "--silent", "typecheck"]));
  const lintOld = await step("lint before", () => measure(process.execPath, [eslint, "-c", oldEslint, "."]));
  const lintNew = await step("lint", () => measure(NPM, ["run", "--silent", "lint"]));
  const typed = await step("lint typed part", () => measure(process.execPath, [eslint, "index.ts", "lib"]));
  const plain = await step("lint untyped part", () => measure(process.execPath, [eslint, "lambda", "policy", "offline", "verify", "bench", "test", ".ci", "scripts", "eslint.config.mjs"]));

  const oldCache = cache();
  const jestOldCold = await step("jest ts-jest cold", () => measure(process.execPath, [jest, "-c", oldJest, `--cacheDirectory=${oldCache}`]));
  const jestOldWarm = await step("jest ts-jest warm", () => measure(process.execPath, [jest, "-c", oldJest, `--cacheDirectory=${oldCache}`]));
  rmSync(oldCache, { recursive: true, force: true });
  const newCache = cache();
  const jestNewCold = await step("jest cold", () => measure(NPM, ["run", "--silent", "test:unit"], { JEST_CACHE_DIRECTORY: newCache }));
  const jestNewWarm = await step("jest warm", () => measure(NPM, ["run", "--silent", "test:unit"], { JEST_CACHE_DIRECTORY: newCache }));
  rmSync(newCache, { recursive: true, force: true });
  const testCache = cache();
  const npmTestCold = await step("npm test cold", () => measure(NPM, ["test", "--silent"], { JEST_CACHE_DIRECTORY: testCache }));
  const npmTestWarm = await step("npm test warm", () => measure(NPM, ["test", "--silent"], { JEST_CACHE_DIRECTORY: testCache }));
  rmSync(testCache, { recursive: true, force: true });
  const count = /Tests:\s+(?:\d+ failed, )?(?:\d+ skipped, )?(\d+) passed, (\d+) total/.exec(jestNewCold.stdout);

  const sum = (samples: Sample[]): Sample => ({
    wallMs: samples.reduce((total, s) => total + s.wallMs, 0),
    cpuMs: samples.every((s) => s.cpuMs !== undefined) ? samples.reduce((total, s) => total + (s.cpuMs ?? 0), 0) : undefined,
    peakRssBytes: Math.max(...samples.map((s) => s.peakRssBytes ?? 0)) || undefined,
    status: samples.every((s) => s.status === 0) ? 0 : 1,
  });
  return {
    typecheck: { label: "type-check: `tsc --noEmit -p .`, TypeScript 5.9 → 7 (`npm run typecheck`)", before: ts5, after: ts7 },
    lint: { label: "lint: `eslint .`, typed parser on tsconfig.json (projectService) → tsconfig.lint.json", before: lintOld, after: lintNew },
    lintParts: { typed, plain },
    jestCold: { label: "jest, cold (empty cache): ts-jest → esbuild transformer", before: jestOldCold, after: jestNewCold },
    jestWarm: { label: "jest, warm (second run, same cache)", before: jestOldWarm, after: jestNewWarm },
    npmTestCold: { label: "**`npm test`, cold**: the three old steps one after another → today's parallel `npm test`", before: sum([ts5, lintOld, jestOldCold]), after: npmTestCold },
    npmTestWarm,
    tests: count ? Number(count[2]) : undefined,
    loads,
  };
}

function cells(sample: Sample | undefined): string {
  if (!sample) return "–";
  const rss = sample.peakRssBytes === undefined ? "" : `, ${formatBytes(sample.peakRssBytes)}`;
  const cpu = sample.cpuMs === undefined ? "" : ` (CPU ${formatMs(sample.cpuMs)})`;
  return `${formatMs(sample.wallMs)}${cpu}${rss}${sample.status === 0 ? "" : " **FAILED**"}`;
}

export function renderDevLoop(result: DevLoopResult): string {
  const rows = [result.typecheck, result.lint, result.jestCold, result.jestWarm, result.npmTestCold];
  return [
    "## 7. Developer loop",
    "",
    "Before (the previous toolchain: TypeScript 5.9's tsc, typed lint over the whole project, ts-jest, the steps one after another) and after " +
      "(TypeScript 7's native tsc, typed lint on tsconfig.lint.json, jest with esbuild, the three steps at once), on the same tree in one run, one run each (the machine is shared: " +
      "see the load averages). Each cell: wall time (CPU time of the whole process tree, user + system) and the peak RSS of the largest process " +
      "(GNU time's \"Maximum resident set size\", which covers TypeScript 7's native compiler, or Node's own maxRSS). \"Before\" for `npm test` is the sum of its three parts run alone.",
    "",
    markdownTable(["step", "before", "after"], rows.map((row) => [row.label, cells(row.before), cells(row.after)])),
    "",
    `\`npm test\` warm (jest cache filled, everything else has no cache): ${cells(result.npmTestWarm)}.`,
    `Lint parts of today's config run alone: typed (index.ts, lib/) ${cells(result.lintParts.typed)}; untyped (everything else) ${cells(result.lintParts.plain)}.`,
    result.tests === undefined ? "Jest's test count could not be read." : `Jest ran ${result.tests} tests (cold run, after).`,
    "",
    "**Goals:**",
    "",
    `- \`npm test\` ≤ 30 s cold: ${goalVerdict(result.npmTestCold.after.wallMs, LOOP_GOAL_MS, formatMs)} (wall, at the load below).`,
    `- type-check ≤ 3 s: ${goalVerdict(result.typecheck.after.wallMs, TYPECHECK7_GOAL_MS, formatMs)}; ≤ 500 MB: ${result.typecheck.after.peakRssBytes === undefined ? "not measured" : goalVerdict(result.typecheck.after.peakRssBytes, TYPECHECK7_GOAL_BYTES, formatBytes)}.`,
    "",
    `Load average (1 min) before each step: ${result.loads.join("; ")}.`,
    "",
  ].join("\n");
}
