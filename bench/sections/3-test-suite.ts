import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { REPO_ROOT, Sample, currentLoad, ensureWorkDir, runMeasured, toSample } from "../support/measure";
import { formatMs, goalVerdict, markdownTable, median } from "../support/stats";

/**
 * Section 3: the README's test command, cold. `npm test` runs
 * `npm run typecheck && npm run lint && npm run test:unit`; each part is run
 * here the same way (through npm), so the sum is `npm test` less one npm
 * start-up. "Cold" means jest starts with an empty cache: a fresh
 * `--cacheDirectory` per run, which is what `jest --clearCache` leaves behind
 * without deleting the cache that other jest runs on the machine are using.
 */

export const SUITE_GOAL_MS = 30_000;

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface JestCounts {
  readonly suites: number;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  /** The slowest test files: path relative to the repository, wall seconds inside jest, tests. */
  readonly slowest: readonly { file: string; seconds: number; tests: number }[];
}

export interface SuiteRun {
  readonly typecheck: Sample;
  readonly lint: Sample;
  readonly jest: Sample;
  readonly counts: JestCounts | undefined;
}

export interface TestSuiteResult {
  readonly runs: readonly SuiteRun[];
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** The parts of jest's --json output read here. */
interface JestJson {
  numTotalTestSuites: number;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: unknown[] }[];
}

async function suiteOnce(): Promise<SuiteRun> {
  const typecheck = toSample(await runMeasured(NPM, ["run", "--silent", "typecheck"], { check: false }));
  const lint = toSample(await runMeasured(NPM, ["run", "--silent", "lint"], { check: false }));
  const resultsFile = path.join(ensureWorkDir(), "jest-results.json");
  rmSync(resultsFile, { force: true });
  const cacheDirectory = mkdtempSync(path.join(tmpdir(), "tap-bench-jest-cache-"));
  const jest = toSample(await runMeasured(NPM, ["run", "--silent", "test:unit", "--", `--cacheDirectory=${cacheDirectory}`, "--json", `--outputFile=${resultsFile}`], { check: false }));
  rmSync(cacheDirectory, { recursive: true, force: true });
  let counts: JestCounts | undefined;
  try {
    const json = JSON.parse(readFileSync(resultsFile, "utf8")) as JestJson;
    const slowest = json.testResults
      .map((file) => ({ file: path.relative(REPO_ROOT, file.name), seconds: (file.endTime - file.startTime) / 1000, tests: file.assertionResults.length }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 6);
    counts = { suites: json.numTotalTestSuites, tests: json.numTotalTests, passed: json.numPassedTests, failed: json.numFailedTests, pending: json.numPendingTests + json.numTodoTests, slowest };
  } catch {
    counts = undefined;
  }
  return { typecheck, lint, jest, counts };
}

export async function runTestSuite(runs: number, log: (line: string) => void): Promise<TestSuiteResult> {
  const loadBefore = currentLoad();
  const results: SuiteRun[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await suiteOnce();
    results.push(result);
    log(`  run ${run + 1}/${runs}: typecheck ${formatMs(result.typecheck.wallMs)}, lint ${formatMs(result.lint.wallMs)}, jest ${formatMs(result.jest.wallMs)} (${result.counts?.tests ?? "?"} tests)`);
  }
  return { runs: results, loadBefore, loadAfter: currentLoad() };
}

function cpuOf(samples: readonly Sample[]): string {
  const cpu = samples.map((s) => s.cpuMs);
  return cpu.every((value): value is number => value !== undefined) ? formatMs(median(cpu)) : "n/a";
}

function statusOf(samples: readonly Sample[]): string {
  const failed = samples.filter((s) => s.status !== 0).length;
  return failed === 0 ? "pass" : `FAILED ${failed}/${samples.length}`;
}

export function renderTestSuite(result: TestSuiteResult): string {
  const parts: { label: string; pick: (run: SuiteRun) => Sample }[] = [
    { label: "`npm run typecheck` (tsc --noEmit -p .)", pick: (r) => r.typecheck },
    { label: "`npm run lint` (eslint .)", pick: (r) => r.lint },
    { label: "`npm run test:unit` (jest, empty cache)", pick: (r) => r.jest },
  ];
  const totals: Sample[] = result.runs.map((run) => {
    const samples = [run.typecheck, run.lint, run.jest];
    const cpu = samples.map((s) => s.cpuMs);
    return {
      wallMs: samples.reduce((sum, s) => sum + s.wallMs, 0),
      cpuMs: cpu.every((value): value is number => value !== undefined) ? cpu.reduce((sum, value) => sum + value, 0) : undefined,
      peakRssBytes: undefined,
      status: samples.every((s) => s.status === 0) ? 0 : 1,
    };
  });
  const rows = [
    ...parts.map(({ label, pick }) => {
      const samples = result.runs.map(pick);
      return [label, formatMs(median(samples.map((s) => s.wallMs))), cpuOf(samples), statusOf(samples)];
    }),
    ["**`npm test`** (sum of the three)", formatMs(median(totals.map((s) => s.wallMs))), cpuOf(totals), statusOf(totals)],
  ];
  const counts = result.runs[result.runs.length - 1].counts;
  const totalWall = median(totals.map((s) => s.wallMs));
  const jestWall = median(result.runs.map((r) => r.jest.wallMs));
  return [
    "## 3. Test suite (cold)",
    "",
    `Each part run through npm as \`npm test\` runs it, jest with an empty cache directory (cold); ${result.runs.length} run(s), medians. ` +
      "CPU is the whole process tree (jest's two workers included), so CPU above wall means both cores were busy.",
    "",
    markdownTable(["part", "wall", "CPU", "result"], rows),
    "",
    counts
      ? `Tests at the time of the run: ${counts.tests} in ${counts.suites} files (${counts.passed} passed, ${counts.failed} failed, ${counts.pending} skipped/todo).`
      : "Jest wrote no results file: the count is unknown.",
    "",
    ...(counts && counts.slowest.length > 0
      ? [
        "Slowest test files (wall time inside jest, two workers in parallel, last run):",
        "",
        markdownTable(["file", "tests", "time"], counts.slowest.map((f) => [`\`${f.file}\``, String(f.tests), formatMs(f.seconds * 1000)])),
        "",
      ]
      : []),
    `**Goal** whole unit suite ≤ 30 s cold on 2 cores: \`npm test\` ${goalVerdict(totalWall, SUITE_GOAL_MS, formatMs)}; jest alone ${goalVerdict(jestWall, SUITE_GOAL_MS, formatMs)}.`,
    "",
    `Load average (1 min) before/after this section: ${result.loadBefore} / ${result.loadAfter}.`,
    "",
  ].join("\n");
}
