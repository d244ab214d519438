// `npm run test:mutation [-- GROUP...]`: Stryker on lib/ and lambda/, one group of source files at a time, each
// with only the test files that exercise it. Prints each file's score and its surviving mutants, and writes
// reports/mutation/GROUP.{json,html} and reports/mutation/summary.md.
//   npm run test:mutation                 every group, one after another
//   npm run test:mutation -- network      one group (names below)
//   node scripts/mutation.mjs --list      the groups, as JSON, without running anything
//
// Why groups instead of one `stryker run`: with every unit suite selected, each mutant loads every test file (a
// fresh Pulumi SDK per file), and the mutants Stryker still calls "static" (module-level code, and what the
// `index.ts` import in test/lib/serverless-api.test.ts builds in its beforeAll) run every test: hours here. The map
// below names the test files that exercise each source file, and a group's mutants run only those; inside them,
// sharedSetup (test/support/shared-setup.ts) lets per-test coverage pick the tests. A mutant that only a test
// file outside its group would kill counts as survived, so a score is a lower bound.
// @ts-check
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { calculateMetrics } from "mutation-testing-metrics";
import processTree from "./process-tree.cjs";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Source files → the test files (paths under test/, without .test.ts) that assert what those files produce.
 * Every .ts file under lib/ and lambda/ is in exactly one group (checked below and by test/project/mutation-groups.test.ts).
 * `pure`: the tests build no stacks, so a mutant that runs far longer than the dry run is a hang (a regex mutant
 * that backtracks without end), and 10 s instead of stryker.config.mjs's 60 s is enough to call it a timeout.
 * @type {{ name: string, mutate: string[], tests: string[], pure?: boolean }[]}
 */
export const GROUPS = [
  { name: "config", mutate: ["lib/config.ts"], tests: ["lib/config", "lib/config-hints", "project/pulumi-yaml", "lib/rollout-spec"], pure: true },
  { name: "config-warnings", mutate: ["lib/config-warnings.ts"], tests: ["offline/plan/parts", "lib/config-warnings"], pure: true },
  { name: "naming", mutate: ["lib/naming.ts"], tests: ["lib/naming"], pure: true },
  { name: "regions", mutate: ["lib/regions.ts"], tests: ["lib/regions", "lib/config", "lib/naming"], pure: true },
  { name: "dashboard", mutate: ["lib/dashboard.ts"], tests: ["lib/dashboard"], pure: true },
  { name: "iam-policies", mutate: ["lib/iam-policies.ts"], tests: ["lib/iam-policies"], pure: true },
  { name: "global-routing-spec", mutate: ["lib/global-routing-spec.ts"], tests: ["lib/global-routing", "lib/config"] },
  { name: "alarms", mutate: ["lib/alarm-specs.ts", "lib/alarm-policies.ts"], tests: ["lib/monitoring", "lib/dashboard", "lib/rollback-alarms"] },
  { name: "handler", mutate: ["lambda/handler.ts"], tests: ["lambda/handler", "lambda/handler-cache-keys"], pure: true },
  { name: "lambda-artifact", mutate: ["lib/lambda-artifact.ts", "lib/esbuild-bundle.ts"], tests: ["lib/lambda-artifact", "lib/serverless-api", "lib/release-provider"] },
  { name: "network", mutate: ["lib/network.ts"], tests: ["lib/stack-foundation", "lib/lifecycle", "lib/component-outputs", "lib/urn-snapshot"] },
  { name: "storage", mutate: ["lib/storage.ts"], tests: ["lib/stack-foundation", "lib/lifecycle", "lib/data-retention", "lib/component-outputs", "lib/urn-snapshot"] },
  {
    name: "monitoring",
    mutate: ["lib/monitoring.ts"],
    tests: ["lib/monitoring", "lib/stack-foundation", "lib/global-provider", "lib/component-outputs", "lib/urn-snapshot", "lib/rollout", "lib/rollback-alarms"],
  },
  { name: "rollback-alarms", mutate: ["lib/rollback-alarms.ts"], tests: ["lib/rollback-alarms", "lib/rollout", "lib/urn-snapshot"] },
  {
    name: "compute",
    mutate: ["lib/serverless-api.ts", "lib/function-identity.ts", "lib/api-cache.ts"],
    tests: ["lib/serverless-api", "lib/api-cache", "lambda/handler-cache-keys", "lib/lifecycle", "lib/component-outputs", "lib/urn-snapshot", "lib/rollout", "lib/live-alias-inputs"],
  },
  {
    name: "global",
    mutate: ["lib/global-routing.ts", "lib/global-layer.ts", "lib/edge-protection.ts"],
    tests: ["lib/global-routing", "lib/global-provider", "lib/component-outputs", "lib/urn-snapshot"],
  },
  { name: "account-checks", mutate: ["lib/account-checks.ts", "lib/logging-role-gate.ts"], tests: ["lib/account-checks", "lib/account-gate", "lib/every-option-stack"] },
  {
    name: "stack",
    mutate: ["lib/tap-stack.ts", "lib/index.ts", "lib/providers.ts"],
    tests: [
      "lib/stack-foundation", "lib/serverless-api", "lib/monitoring", "lib/global-routing", "lib/global-provider", "lib/provider-identity",
      "lib/safe-changes", "lib/lifecycle", "lib/component-outputs", "lib/urn-snapshot", "lib/rollout",
    ],
  },
  { name: "rollout-spec", mutate: ["lib/rollout-spec.ts"], tests: ["lib/rollout-spec", "lib/release-deployment", "lib/release-preconditions"], pure: true },
  {
    name: "release",
    mutate: ["lib/release-deployment.ts", "lib/release-provider.ts"],
    tests: ["lib/release-deployment", "lib/release-provider", "lib/release-alarm-history", "lib/release-preconditions", "lib/release-refresh"],
    pure: true,
  },
  {
    name: "rollout",
    mutate: ["lib/regional-rollout.ts", "lib/release-wave.ts", "lib/release.ts"],
    tests: ["lib/rollout", "lib/release-provider", "lib/component-outputs", "lib/urn-snapshot", "lib/rollback-alarms"],
  },
];

/** Every .ts file Stryker can mutate (stryker.config.mjs's `mutate`), relative to the project. */
export function mutableFiles() {
  return ["lib", "lambda"].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => `${dir}/${file.split(path.sep).join("/")}`),
  ).sort();
}

/** Problems with GROUPS: a file in no group or in two, a missing file, a test file that does not exist. */
export function groupProblems() {
  const problems = [];
  const seen = new Map();
  for (const group of GROUPS) {
    for (const file of group.mutate) {
      if (seen.has(file)) problems.push(`${file} is in groups "${seen.get(file)}" and "${group.name}"`);
      seen.set(file, group.name);
      if (!existsSync(path.join(root, file))) problems.push(`group "${group.name}": ${file} does not exist`);
    }
    for (const test of group.tests) {
      if (!existsSync(path.join(root, "test", `${test}.test.ts`))) problems.push(`group "${group.name}": test/${test}.test.ts does not exist`);
    }
  }
  for (const file of mutableFiles()) {
    if (!seen.has(file)) problems.push(`${file} is in no group: add it to GROUPS in scripts/mutation.mjs`);
  }
  return problems;
}

/** One row per source file of a Stryker JSON report, scored by Stryker's own metrics library. */
export function scoreReport(report) {
  const result = calculateMetrics(report.files);
  return result.childResults.flatMap(function rows(node) {
    if (node.childResults.length > 0) return node.childResults.flatMap(rows);
    const survivors = (node.file?.mutants ?? [])
      .filter((mutant) => mutant.status === "Survived" || mutant.status === "NoCoverage")
      .map((mutant) => `${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} → ${mutant.replacement}${mutant.status === "NoCoverage" ? " (no coverage)" : ""}`);
    const m = node.metrics;
    return [{
      file: node.file?.name ?? node.name,
      mutants: m.totalMutants,
      killed: m.killed,
      timeout: m.timeout,
      survived: m.survived,
      noCoverage: m.noCoverage,
      errors: m.compileErrors + m.runtimeErrors,
      ignored: m.ignored,
      score: m.mutationScore,
      survivors,
    }];
  });
}

/**
 * Runs one group's Stryker and waits for it. Stryker runs in a process group that SIGINT and SIGTERM end with
 * this script (process-tree.cjs); spawnSync would block this process's signal handling until Stryker ended.
 * @returns {Promise<{ status: number | null, signal: NodeJS.Signals | null, error?: Error }>}
 */
function runStryker(group) {
  const windows = process.platform === "win32";
  const timeout = group.pure ? ["--timeoutMS", "10000"] : [];
  return new Promise((resolve) => {
    const child = processTree.startChild(windows ? "npx.cmd" : "npx", ["stryker", "run", "--mutate", group.mutate.join(","), ...timeout], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      // Node.js refuses to spawn a .cmd file without a shell.
      shell: windows,
      // ESBUILD_WORKER_THREADS=0: esbuild's synchronous calls (the jest transform, the Lambda bundle) spawn a process
      // that exits after each call, instead of a service that outlives every module registry of a test runner.
      // JEST_CONTEXT_PER_FILE=1: Stryker's runners keep one jest process for many mutants; each test file gets a VM
      // context of its own there (test/jest/environment.js), so no mutant's module state can reach another file.
      env: { ...process.env, STRYKER_TESTS: group.tests.join(","), STRYKER_REPORT: group.name, ESBUILD_WORKER_THREADS: "0", JEST_CONTEXT_PER_FILE: "1" },
    });
    child.once("error", (error) => resolve({ status: null, signal: null, error }));
    child.once("close", (status, signal) => resolve({ status, signal }));
  });
}

async function run(groupNames) {
  const unknown = groupNames.filter((name) => !GROUPS.some((group) => group.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown mutation group(s): ${unknown.join(", ")}. Groups: ${GROUPS.map((group) => group.name).join(", ")}.`);
    return 2;
  }
  const selected = groupNames.length === 0 ? GROUPS : GROUPS.filter((group) => groupNames.includes(group.name));
  const summary = [];
  let failed = false;
  for (const group of selected) {
    const started = Date.now();
    console.log(`\n== ${group.name}: ${group.mutate.join(", ")} (tests: ${group.tests.join(", ")}) ==`);
    const result = await runStryker(group);
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    const reportFile = path.join(root, "reports", "mutation", `${group.name}.json`);
    if (result.status !== 0 || !existsSync(reportFile)) {
      console.error(`Stryker failed for group ${group.name} (${result.error ? result.error.message : `exit ${result.status ?? result.signal}`}).`);
      failed = true;
      continue;
    }
    for (const row of scoreReport(JSON.parse(readFileSync(reportFile, "utf8")))) summary.push({ group: group.name, minutes, ...row });
  }
  const lines = [
    "| group | file | mutants | killed + timeout | survived | no coverage | errors | score | wall (min) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...summary.map((row) =>
      `| ${row.group} | \`${row.file}\` | ${row.mutants} | ${row.killed} + ${row.timeout} | ${row.survived} | ${row.noCoverage} | ${row.errors} | ${Number.isNaN(row.score) ? "n/a" : `${row.score.toFixed(2)}%`} | ${row.minutes} |`),
    "",
    ...summary.filter((row) => row.survivors.length > 0).flatMap((row) => [`Survivors in ${row.file}:`, ...row.survivors.map((line) => `- ${line}`), ""]),
  ];
  mkdirSync(path.join(root, "reports", "mutation"), { recursive: true });
  writeFileSync(path.join(root, "reports", "mutation", "summary.md"), `${lines.join("\n")}\n`);
  console.log(`\n${lines.join("\n")}\nWritten to reports/mutation/summary.md.`);
  return failed ? 1 : 0;
}

/** The text of `--help`. */
export function usage() {
  return [
    "Usage: npm run test:mutation -- [GROUP...]",
    "       node scripts/mutation.mjs [--list | --help] [GROUP...]",
    "",
    "Runs Stryker on lib/ and lambda/, one group of source files at a time, each with only the test files that",
    "exercise it; prints each file's score and surviving mutants and writes reports/mutation/summary.md.",
    "With no GROUP, runs every group, one after another.",
    "",
    "Options:",
    "  --list      print the groups (files and test files) as JSON, without running anything",
    "  -h, --help  print this text",
    "",
    `Groups: ${GROUPS.map((group) => group.name).join(", ")}`,
  ].join("\n");
}

/**
 * Parses the command line; a flag it does not know is an error, never a group name.
 * @param {string[]} args
 * @returns {{ help: boolean, list: boolean, groups: string[] } | { error: string }}
 */
export function parseCommandLine(args) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { help: { type: "boolean", short: "h", default: false }, list: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true,
    });
    return { help: Boolean(values.help), list: Boolean(values.list), groups: positionals };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const command = parseCommandLine(process.argv.slice(2));
  if ("error" in command) {
    console.error(`${command.error}\n\n${usage()}`);
    process.exit(2);
  }
  if (command.help) {
    console.log(usage());
    process.exit(0);
  }
  const problems = groupProblems();
  if (problems.length > 0) {
    console.error(`scripts/mutation.mjs: the groups do not match the project:\n${problems.map((line) => `  - ${line}`).join("\n")}`);
    process.exit(2);
  }
  if (command.list) {
    console.log(JSON.stringify(GROUPS, null, 2));
    process.exit(0);
  }
  process.exitCode = await run(command.groups);
}
