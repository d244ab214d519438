import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { loadStackConfig } from "../../offline/stack-config/loader";
import { evaluateProgram } from "../../offline/plan/runner";
import { REPO_ROOT, WORK_DIR, currentLoad, ensureWorkDir, runNode } from "../support/measure";
import { formatMs, markdownTable, median } from "../support/stats";

/**
 * Section 8 of `npm run bench`: what the update plan (`npm run plan -- --from`)
 * costs beside a plain `npm run plan`. For each change, the whole command is
 * run several times in fresh processes (medians of wall and CPU), and a child
 * process evaluates the program once and times the update planning itself
 * (matching, diffing, the rules, the hazards; the rules file is loaded on the
 * first run) over the median of 21 runs.
 *
 * The planning alone, by hand: `npx tsx bench/sections/8-update-plan.ts --child <base.json> [-c key=value ...]`.
 */

interface Change {
  readonly label: string;
  readonly config: readonly string[];
}

const CHANGES: readonly Change[] = [
  { label: "lambdaMemoryMb 128 -> 256 (2 updates)", config: ["lambdaMemoryMb=256"] },
  { label: "environmentSuffix dev -> staging (99 replacements, hazards)", config: ["environmentSuffix=staging"] },
];

interface PlanningMeasurement {
  readonly firstMs: number;
  readonly medianMs: number;
  readonly runs: number;
  readonly steps: number;
  readonly hazards: number;
}

export interface UpdatePlanResult {
  readonly change: Change;
  readonly plain: { readonly wallMs: number; readonly cpuMs: number | undefined };
  readonly update: { readonly wallMs: number; readonly cpuMs: number | undefined };
  readonly planning: PlanningMeasurement;
  readonly runs: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** In the child: evaluate once, then time planUpdate + findHazards against the base file. */
async function measureInProcess(argv: readonly string[]): Promise<PlanningMeasurement> {
  const [base, ...rest] = argv;
  const config = rest.filter((_, index) => rest[index - 1] === "-c");
  const stackConfig = loadStackConfig(REPO_ROOT, "dev", config);
  const evaluation = await evaluateProgram({ programPath: path.join(REPO_ROOT, "index.ts"), project: stackConfig.project, stack: stackConfig.stack, config: stackConfig.values });
  const { stackStateFromPlanJson } = await import("../../offline/plan/update/state");
  const { stackStateOfEvaluation } = await import("../../offline/plan/update/desired");
  const { planUpdate } = await import("../../offline/plan/update/plan");
  const { findHazards } = await import("../../offline/plan/update/hazards");
  const { loadReplacementRules } = await import("../../offline/plan/update/rules");
  const once = () => {
    const rules = loadReplacementRules();
    const deployed = stackStateFromPlanJson(JSON.parse(fs.readFileSync(base, "utf8")), base);
    const plan = planUpdate(deployed, stackStateOfEvaluation(stackConfig.project, stackConfig.stack, evaluation), rules);
    return { plan, hazards: findHazards({ steps: plan.steps, deployed: plan.deployed, oldOutputs: plan.oldOutputs, newOutputs: plan.newOutputs }, rules) };
  };
  const firstStart = performance.now();
  const first = once();
  const firstMs = performance.now() - firstStart;
  const times: number[] = [];
  for (let run = 0; run < 21; run++) {
    const start = performance.now();
    once();
    times.push(performance.now() - start);
  }
  return { firstMs, medianMs: median(times), runs: times.length, steps: first.plan.steps.length, hazards: first.hazards.length };
}

const cliPath = () => path.join(REPO_ROOT, "offline", "plan", "cli.ts");

async function medianRun(args: readonly string[], runs: number): Promise<{ wallMs: number; cpuMs: number | undefined }> {
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await runNode(["--import", "tsx", cliPath(), ...args], { env: { NO_COLOR: "1" } }));
  const cpu = results.map((result) => result.cpuMs);
  return { wallMs: median(results.map((result) => result.wallMs)), cpuMs: cpu.every((value): value is number => value !== undefined) ? median(cpu) : undefined };
}

export async function runUpdatePlan(runs: number, log: (line: string) => void): Promise<UpdatePlanResult[]> {
  ensureWorkDir();
  const base = path.join(WORK_DIR, "update-plan-base.json");
  await runNode(["--import", "tsx", cliPath(), "--json", base], { env: { NO_COLOR: "1" } });
  const results: UpdatePlanResult[] = [];
  for (const change of CHANGES) {
    log(`  ${change.label}`);
    const loadBefore = currentLoad();
    const overrides = change.config.flatMap((value) => ["-c", value]);
    const plain = await medianRun(overrides, runs);
    const update = await medianRun([...overrides, "--from", base, "--accept-hazards"], runs);
    const child = await runNode(["--import", "tsx", path.join(REPO_ROOT, "bench", "sections", "8-update-plan.ts"), "--child", base, ...overrides]);
    const planning = JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as PlanningMeasurement;
    results.push({ change, plain, update, planning, runs, loadBefore, loadAfter: currentLoad() });
  }
  return results;
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");

export function renderUpdatePlan(results: readonly UpdatePlanResult[]): string {
  const table = markdownTable(
    ["change", "`npm run plan` wall / CPU", "`--from base.json` wall / CPU", "--from ÷ plan (wall / CPU)", "planning alone: first / median", "steps", "hazards"],
    results.map(({ change, plain, update, planning, runs }) => [
      change.label,
      `${formatMs(plain.wallMs)} / ${plain.cpuMs === undefined ? "n/a" : formatMs(plain.cpuMs)} (${runs} runs)`,
      `${formatMs(update.wallMs)} / ${update.cpuMs === undefined ? "n/a" : formatMs(update.cpuMs)} (${runs} runs)`,
      `${ratio(update.wallMs, plain.wallMs)} / ${ratio(update.cpuMs, plain.cpuMs)}`,
      `${formatMs(planning.firstMs)} / ${formatMs(planning.medianMs)} (${planning.runs} runs)`,
      String(planning.steps),
      String(planning.hazards),
    ]),
  );
  return [
    "## 8. Update plan",
    "",
    "`npm run plan -- --from base.json` plans the program as an update of an earlier `--json` (docs/updates.md). Each change: the plain plan and the update plan " +
      "with the same config, each in fresh processes (medians, CPU of the whole process tree); and, in one child that evaluated the program once, the update " +
      "planning alone (read the base file, match, diff, apply the rules, find the hazards), first run and median of 21. The update plan skips the policy pack, " +
      "the AWS input check and the cost estimate, which a plain plan runs.",
    "",
    table,
    "",
    `Load average (1 min) before/after each change: ${results.map((result) => `${result.loadBefore} / ${result.loadAfter}`).join(", ")}.`,
    "",
    "**What it cannot see.** No real provider diff: the ops come from AWS's CloudFormation metadata and the provider's and engine's rules written in " +
      "offline/plan/update (cfn-map.ts, rules.ts), not from the provider's own Diff, so a normalisation or computed default the table does not know only shows in a " +
      "real preview (`--check-preview`). No drift: the deployed side is an earlier plan, not the stack's state, so changes made in AWS or in the state since then are invisible.",
    "",
  ].join("\n");
}

if (require.main === module && process.argv[2] === "--child") {
  measureInProcess(process.argv.slice(3)).then(
    (measurement) => process.stdout.write(`${JSON.stringify(measurement)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
