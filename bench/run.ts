import { execFileSync } from "child_process";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { cpus, loadavg, totalmem } from "os";
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
import { formatMs } from "./support/stats";
import { renderTestSuite, runTestSuite } from "./sections/3-test-suite";
import { renderTypecheck, runTypecheck } from "./sections/2-typecheck";

/** Heading of BENCHMARKS.md's hand-written mutation-testing section (`npm run test:mutation`), which a bench run keeps. */
// Kept last in BENCHMARKS.md: everything from this heading to the end is carried over.
const MUTATION_SECTION_HEADING = "## 8. Mutation testing";

/**
 * `npm run bench`: measures the five things issue 7 asks about, and what the
 * plan's AWS input check costs (issue 11), and the developer loop (npm test and its steps before and
 * after issue 12), prints them and writes BENCHMARKS.md. Figures are never asserted anywhere: the machine
 * is shared, and a timing assertion would only measure the neighbours.
 *
 *   npm run bench                   # medians of 3 (2 for the slow parts): about 7 minutes on 2 cores
 *   npm run bench -- --quick        # one run of everything, fewer region counts: about 4 minutes
 *   npm run bench -- --full         # the runs BENCHMARKS.md was made with (5 / 3): about 11 minutes
 *   npm run bench -- --only 1,4     # some sections
 */

const SECTIONS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
type Section = (typeof SECTIONS)[number];

function sectionList(text: string): Section[] {
  const parts = text.split(",").map((part) => Number(part.trim()));
  for (const part of parts) {
    if (!(SECTIONS as readonly number[]).includes(part)) throw new InvalidArgumentError(`sections are ${SECTIONS.join(", ")}; got "${text}"`);
  }
  return [...new Set(parts)].sort() as Section[];
}

type RunMode = "quick" | "standard" | "full";

/** Runs per measurement. Each evaluation run is a fresh process; the 34-region ones are the slowest. */
const RUNS: Readonly<Record<RunMode, { evaluation: number; evaluationAllRegions: number; typecheck: number; testSuite: number; artifact: number; plan: number }>> = {
  quick: { evaluation: 1, evaluationAllRegions: 1, typecheck: 1, testSuite: 1, artifact: 3, plan: 1 },
  standard: { evaluation: 3, evaluationAllRegions: 2, typecheck: 2, testSuite: 1, artifact: 5, plan: 3 },
  full: { evaluation: 5, evaluationAllRegions: 3, typecheck: 3, testSuite: 3, artifact: 7, plan: 5 },
};

function command(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** What the figures were measured on. */
function describeMachine(): string {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match) cpuModel = match[1];
  } catch {
    // Not Linux: os.cpus() already named the model.
  }
  const free = command("free", ["-h"]);
  const memory = free ? `\n\n\`free -h\`:\n\n\`\`\`\n${free}\n\`\`\`` : `; memory ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const commit = command("git", ["-C", REPO_ROOT, "rev-parse", "--short", "HEAD"]) ?? "unknown";
  return [
    `- date: ${new Date().toISOString()}`,
    `- \`nproc\`: ${command("nproc", []) ?? cpus().length}; CPU: ${cpuModel}`,
    `- Node.js ${process.version}, ${process.platform}/${process.arch}; commit ${commit} (with the working tree as it was)`,
    `- load average at the start (1/5/15 min): ${loadavg().map((value) => value.toFixed(1)).join(" / ")}`,
    "- **The machine is shared and noisy**: other jobs ran alongside (see the load averages per section). Wall times " +
      "swing with them; CPU times (user + system) much less, so the ratios and goals are given on both.",
  ].join("\n") + memory;
}

async function main(): Promise<void> {
  const options = new Command()
    .description("Benchmarks for tap: program evaluation, type-check, test suite, artifact, deployment estimate, AWS input check. Writes BENCHMARKS.md.")
    .option("--quick", "one run of everything and fewer region counts (a smoke run, about 4 minutes)")
    .option("--full", "more runs: 5 evaluations per region count (3 at 34), 3 of everything else (about 11 minutes)")
    .option("--only <sections>", "comma-separated sections to run (1-7)", sectionList)
    .option("--out <file>", "where to write the report", "BENCHMARKS.md")
    .parse()
    .opts<{ quick?: boolean; full?: boolean; only?: Section[]; out: string }>();
  if (options.quick && options.full) throw new Error("--quick and --full contradict each other: pick one");
  const mode: RunMode = options.quick ? "quick" : options.full ? "full" : "standard";
  const runs = RUNS[mode];
  const sections = options.only ?? [...SECTIONS];
  const allRegions = COMMERCIAL_REGION_NAMES.length;
  const regionCounts = mode === "quick" ? [1, 2, 8, allRegions] : [1, 2, 4, 8, allRegions];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  ensureWorkDir();

  const started = performance.now();
  const parts: string[] = [
    "# Benchmarks",
    "",
    `Produced by \`npm run bench${mode === "standard" ? "" : ` -- --${mode}`}\` (bench/run.ts). Nothing here is asserted by a test.`,
    "",
    "## Machine",
    "",
    describeMachine(),
    "",
  ];
  const emit = (markdown: string) => {
    parts.push(markdown);
    process.stdout.write(`${markdown}\n`);
  };
  process.stdout.write(`${parts.join("\n")}\n`);

  if (sections.includes(1)) {
    log(`Section 1: program evaluation (${regionCounts.join(", ")} regions)`);
    emit(renderEvaluation(await runEvaluation({ regionCounts, runs: (n) => (n >= allRegions ? runs.evaluationAllRegions : runs.evaluation) }, log)));
  }
  if (sections.includes(2)) {
    log("Section 2: type-check and pulumi start-up");
    emit(renderTypecheck(await runTypecheck(runs.typecheck, log)));
  }
  if (sections.includes(3)) {
    log("Section 3: test suite, cold");
    emit(renderTestSuite(await runTestSuite(runs.testSuite, log)));
  }
  if (sections.includes(4)) {
    log("Section 4: deployed artifact");
    emit(renderArtifact(await runArtifact(runs.artifact, 20_000, log)));
  }
  if (sections.includes(5)) {
    log("Section 5: deployment critical path");
    emit(renderCriticalPath(await runCriticalPath(regionCounts, log)));
  }
  if (sections.includes(6)) {
    log("Section 6: AWS input constraint check");
    emit(renderConstraintCheck(await runConstraintCheck(runs.plan, log)));
  }
  if (sections.includes(7)) {
    log("Section 7: developer loop (npm test and its steps, before and after issue 12)");
    emit(renderDevLoop(await runDevLoop(log)));
  }
  if (sections.includes(8)) {
    log("Section 8: update plan");
    emit(renderUpdatePlan(await runUpdatePlan(runs.plan, log)));
  }
  const total = performance.now() - started;
  emit(`_Total bench time: ${formatMs(total)}._\n`);
  const out = path.resolve(REPO_ROOT, options.out);
  // The mutation-testing section is measured by Stryker, not by this script: carry it over unchanged.
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
  const mutationSection = previous.indexOf(MUTATION_SECTION_HEADING);
  if (mutationSection >= 0) emit(previous.slice(mutationSection));
  writeFileSync(out, parts.join("\n"));
  log(`Wrote ${path.relative(process.cwd(), out) || out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
