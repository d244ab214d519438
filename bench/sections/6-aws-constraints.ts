import * as path from "path";
import { performance } from "perf_hooks";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";
import { loadStackConfig } from "../../offline/stack-config/loader";
import { evaluateProgram } from "../../offline/plan/runner";
import { REPO_ROOT, currentLoad, runNode } from "../support/measure";
import { formatMs, markdownTable, median } from "../support/stats";

/**
 * Section 6 of `npm run bench`: what the plan's AWS input check
 * (offline/aws-constraints/check.ts) costs. For each scenario a child process
 * evaluates the program once, as `npm run plan` does, then times the check
 * over the recorded resources: the first call (loads the rules file, compiles
 * the patterns) and the median of the calls after it. The whole
 * `npm run plan` is timed beside it for scale (not for 34 regions: a minute
 * per run on 2 cores).
 *
 * One scenario by hand: `npx tsx bench/sections/6-aws-constraints.ts --child [-s stack] [-c key=value ...] [--runs N]`.
 */

export interface Scenario {
  readonly label: string;
  readonly args: readonly string[];
  /** Time the whole plan too. */
  readonly timePlan: boolean;
}

const EVERY_OPTION = ["-s", "prod", "-c", "enableWaf=true", "-c", "enableApiCache=true", "-c", "enableNatGateway=true", "-c", "alarmEmail=ops@example.com", "-c", "lambdaProvisionedConcurrency=2"];

export const SCENARIOS: readonly Scenario[] = [
  { label: "default (`-s dev`)", args: [], timePlan: true },
  { label: "every option (`-s prod` + WAF, cache, NAT, alarm email, provisioned concurrency; 3 regions)", args: EVERY_OPTION, timePlan: true },
  { label: `every option, all ${COMMERCIAL_REGION_NAMES.length} regions`, args: [...EVERY_OPTION, "-c", `regions=${JSON.stringify(COMMERCIAL_REGION_NAMES)}`], timePlan: false },
];

interface CheckMeasurement {
  readonly resources: number;
  readonly fieldsChecked: number;
  readonly violations: number;
  /** Loading offline/aws-constraints/check.ts, its rules file and the table (tsx transpiles on first use). */
  readonly loadMs: number;
  /** The first check: compiles the patterns. */
  readonly firstMs: number;
  readonly medianMs: number;
  readonly runs: number;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly check: CheckMeasurement;
  /** Medians of whole `npm run plan` runs, when timed. */
  readonly plan?: { readonly wallMs: number; readonly cpuMs: number | undefined; readonly runs: number };
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** In the child: evaluate once, then time the check. */
async function measureInProcess(argv: readonly string[]): Promise<CheckMeasurement> {
  let stack = "dev";
  let runs = 21;
  const config: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-s") stack = argv[++i];
    else if (argv[i] === "-c") config.push(argv[++i]);
    else if (argv[i] === "--runs") runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const stackConfig = loadStackConfig(REPO_ROOT, stack, config);
  const evaluation = await evaluateProgram({ programPath: path.join(REPO_ROOT, "index.ts"), project: stackConfig.project, stack: stackConfig.stack, config: stackConfig.values });

  const loadStart = performance.now();
  const { checkAwsConstraints } = await import("../../offline/aws-constraints/check");
  const loadMs = performance.now() - loadStart;
  const firstStart = performance.now();
  const report = checkAwsConstraints(evaluation.resources);
  const firstMs = performance.now() - firstStart;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    checkAwsConstraints(evaluation.resources);
    times.push(performance.now() - start);
  }
  return { resources: evaluation.resources.length, fieldsChecked: report.fieldsChecked, violations: report.violations.length, loadMs, firstMs, medianMs: median(times), runs };
}

export async function runConstraintCheck(planRuns: number, log: (line: string) => void): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    log(`  ${scenario.label}`);
    const loadBefore = currentLoad();
    const child = await runNode(["--import", "tsx", path.join(REPO_ROOT, "bench", "sections", "6-aws-constraints.ts"), "--child", ...scenario.args]);
    const check = JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as CheckMeasurement;
    let plan: ScenarioResult["plan"];
    if (scenario.timePlan) {
      const runs = [];
      for (let run = 0; run < planRuns; run++) runs.push(await runNode(["--import", "tsx", path.join(REPO_ROOT, "offline", "plan", "cli.ts"), ...scenario.args], { env: { NO_COLOR: "1" } }));
      const cpu = runs.map((run) => run.cpuMs);
      plan = {
        wallMs: median(runs.map((run) => run.wallMs)),
        cpuMs: cpu.every((value): value is number => value !== undefined) ? median(cpu) : undefined,
        runs: planRuns,
      };
    }
    results.push({ scenario, check, plan, loadBefore, loadAfter: currentLoad() });
  }
  return results;
}

export function renderConstraintCheck(results: readonly ScenarioResult[]): string {
  const table = markdownTable(
    ["scenario", "resources", "fields checked", "violations", "load", "first check", "later checks (median)", "`npm run plan` wall / CPU (median)", "(load + first) ÷ plan CPU"],
    results.map(({ scenario, check, plan }) => [
      scenario.label,
      String(check.resources),
      String(check.fieldsChecked),
      String(check.violations),
      formatMs(check.loadMs),
      formatMs(check.firstMs),
      `${formatMs(check.medianMs)} (${check.runs} runs)`,
      plan ? `${formatMs(plan.wallMs)} / ${plan.cpuMs === undefined ? "n/a" : formatMs(plan.cpuMs)} (${plan.runs} runs)` : "not timed",
      plan?.cpuMs ? `${(((check.loadMs + check.firstMs) / plan.cpuMs) * 100).toFixed(1)}%` : "",
    ]),
  );
  const loads = results.map((result) => `${result.loadBefore} / ${result.loadAfter}`).join(", ");
  return [
    "## 6. AWS input constraint check",
    "",
    "`npm run plan` checks every name, description, tag and enum value against botocore's rules (offline/aws-constraints/check.ts). " +
      "Each scenario: one child process evaluates the program as the plan does, then times `checkAwsConstraints` over the recorded resources " +
      "(`npx tsx bench/sections/6-aws-constraints.ts --child <plan args>`): loading the module (with its rules file and table), the first check (compiles the patterns) " +
      "and the median of 21 more. A plan pays load + first check once; the last column compares that with the CPU of a whole `npm run plan` (wall times, measured in the same process, against CPU of the whole process tree).",
    "",
    table,
    "",
    `Load average (1 min) before/after each scenario: ${loads}.`,
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
