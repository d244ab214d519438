import { execFileSync } from "child_process";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { availableParallelism, cpus, loadavg, totalmem } from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { Command, InvalidArgumentError } from "commander";
import { COMMERCIAL_REGION_NAMES } from "../lib/regions";
import { renderArtifact, runArtifact } from "./sections/4-artifact";
import { renderConstraintCheck, runConstraintCheck } from "./sections/6-aws-constraints";
import { renderCriticalPath, runCriticalPath } from "./sections/5-critical-path";
import { renderDevLoop, runDevLoop } from "./sections/7-dev-loop";
import { renderUpdatePlan, runUpdatePlan } from "./sections/8-update-plan";
import { renderEvaluation, runEvaluation } from "./sections/1-evaluation";
import { REPO_ROOT, ensureWorkDir } from "./support/measure";
import { Provenance, REPORT_PREAMBLE, spliceSections, withProvenance } from "./support/report";
import { renderTestSuite, runTestSuite } from "./sections/3-test-suite";
import { renderTypecheck, runTypecheck } from "./sections/2-typecheck";

/**
 * `npm run bench`: measures the program's evaluation, the type-check, the test suite, the deployed artifact,
 * the deployment's critical path, the plan's AWS input check and the developer loop, prints each section and
 * writes BENCHMARKS.md (bench/support/report.ts: a run rewrites the sections it measured and keeps the
 * others byte for byte). Figures are never asserted anywhere: the machine is shared, and a timing assertion
 * would only measure the neighbours.
 *
 *   npm run bench                   # medians of 3 (2 for the slow parts): about 7 minutes on 2 cores
 *   npm run bench -- --quick        # one run of everything, fewer region counts: about 4 minutes
 *   npm run bench -- --full         # 5 runs per measurement (3 for the slowest): about 11 minutes
 *   npm run bench -- --only 1,4     # some sections; the others stay as they are in BENCHMARKS.md
 */

type RunMode = "quick" | "standard" | "full";

/** Runs per measurement. Each evaluation run is a fresh process; the 34-region ones are the slowest. */
const RUNS: Readonly<Record<RunMode, { evaluation: number; evaluationAllRegions: number; typecheck: number; testSuite: number; artifact: number; plan: number }>> = {
  quick: { evaluation: 1, evaluationAllRegions: 1, typecheck: 1, testSuite: 1, artifact: 3, plan: 1 },
  standard: { evaluation: 3, evaluationAllRegions: 2, typecheck: 2, testSuite: 1, artifact: 5, plan: 3 },
  full: { evaluation: 5, evaluationAllRegions: 3, typecheck: 3, testSuite: 3, artifact: 7, plan: 5 },
};

/** What every section's measurement gets. */
interface BenchContext {
  readonly mode: RunMode;
  readonly runs: (typeof RUNS)[RunMode];
  /** Region counts the scaling sections measure. */
  readonly regionCounts: readonly number[];
  readonly log: (line: string) => void;
}

/** One section of BENCHMARKS.md: `measure` returns its markdown, starting with `## {number}. `. */
interface BenchSection {
  readonly number: number;
  /** What the progress log calls it. */
  readonly name: string;
  readonly measure: (context: BenchContext) => Promise<string>;
}

const ALL_REGIONS = COMMERCIAL_REGION_NAMES.length;

/** Every section, in the order they run and appear. A new section is one more entry. */
const SECTIONS: readonly BenchSection[] = [
  {
    number: 1,
    name: "program evaluation",
    measure: async ({ regionCounts, runs, log }) =>
      renderEvaluation(await runEvaluation({ regionCounts, runs: (n) => (n >= ALL_REGIONS ? runs.evaluationAllRegions : runs.evaluation) }, log)),
  },
  { number: 2, name: "type-check and pulumi start-up", measure: async ({ runs, log }) => renderTypecheck(await runTypecheck(runs.typecheck, log)) },
  { number: 3, name: "test suite, cold", measure: async ({ runs, log }) => renderTestSuite(await runTestSuite(runs.testSuite, log)) },
  { number: 4, name: "deployed artifact", measure: async ({ runs, log }) => renderArtifact(await runArtifact(runs.artifact, 20_000, log)) },
  { number: 5, name: "deployment critical path", measure: async ({ regionCounts, log }) => renderCriticalPath(await runCriticalPath(regionCounts, log)) },
  { number: 6, name: "AWS input constraint check", measure: async ({ runs, log }) => renderConstraintCheck(await runConstraintCheck(runs.plan, log)) },
  { number: 7, name: "developer loop (npm test and its steps, before and after)", measure: async ({ log }) => renderDevLoop(await runDevLoop(log)) },
  { number: 8, name: "update plan", measure: async ({ runs, log }) => renderUpdatePlan(await runUpdatePlan(runs.plan, log)) },
];

function sectionList(text: string): number[] {
  const known = SECTIONS.map((section) => section.number);
  const parts = text.split(",").map((part) => Number(part.trim()));
  for (const part of parts) {
    if (!known.includes(part)) throw new InvalidArgumentError(`sections are ${known.join(", ")}; got "${text}"`);
  }
  return [...new Set(parts)].sort((a, b) => a - b);
}

function command(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match) return match[1];
  } catch {
    // Not Linux: os.cpus() names the model.
  }
  return cpus()[0]?.model ?? "unknown CPU";
}

/** Where and how a section starting now is measured, less its duration. */
function provenanceNow(commandLine: string): Omit<Provenance, "durationMs"> {
  return {
    command: commandLine,
    startedAt: new Date().toISOString(),
    commit: command("git", ["-C", REPO_ROOT, "rev-parse", "--short", "HEAD"]),
    nodeVersion: process.version,
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg(),
  };
}

async function main(): Promise<void> {
  const options = new Command("npm run bench --")
    .description("Benchmarks for tap: program evaluation, type-check, test suite, artifact, deployment estimate, AWS input check, developer loop. Writes BENCHMARKS.md.")
    .option("--quick", "one run of everything and fewer region counts (a smoke run, about 4 minutes)")
    .option("--full", "more runs: 5 evaluations per region count (3 at 34), 3 of everything else (about 11 minutes)")
    .option("--only <sections>", `comma-separated sections to run (${SECTIONS.map((section) => section.number).join(", ")}); the others stay as they are`, sectionList)
    .option("--out <file>", "where to write the report", "BENCHMARKS.md")
    .parse()
    .opts<{ quick?: boolean; full?: boolean; only?: number[]; out: string }>();
  if (options.quick && options.full) throw new Error("--quick and --full contradict each other: pick one");
  const mode: RunMode = options.quick ? "quick" : options.full ? "full" : "standard";
  const selected = options.only ? SECTIONS.filter((section) => options.only?.includes(section.number)) : SECTIONS;
  const commandLine = ["npm run bench", ...(mode === "standard" && !options.only ? [] : ["--"]), ...(mode === "standard" ? [] : [`--${mode}`]), ...(options.only ? ["--only", options.only.join(",")] : [])].join(" ");
  const context: BenchContext = {
    mode,
    runs: RUNS[mode],
    regionCounts: mode === "quick" ? [1, 2, 8, ALL_REGIONS] : [1, 2, 4, 8, ALL_REGIONS],
    log: (line: string) => process.stderr.write(`${line}\n`),
  };
  ensureWorkDir();

  const fresh = new Map<number, string>();
  for (const section of selected) {
    context.log(`Section ${section.number}: ${section.name}`);
    const provenance = provenanceNow(commandLine);
    const started = performance.now();
    const markdown = await section.measure(context);
    fresh.set(section.number, withProvenance(markdown, { ...provenance, durationMs: performance.now() - started }));
    process.stdout.write(`${fresh.get(section.number)}\n`);
  }
  const out = path.resolve(REPO_ROOT, options.out);
  // A full run writes the report anew; --only keeps everything it did not measure.
  const previous = options.only && existsSync(out) ? readFileSync(out, "utf8") : "";
  writeFileSync(out, spliceSections(previous, fresh, REPORT_PREAMBLE));
  context.log(`Wrote section${fresh.size === 1 ? "" : "s"} ${[...fresh.keys()].join(", ")} to ${path.relative(process.cwd(), out) || out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
