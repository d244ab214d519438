import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { resolveTapStackArgs } from "../lib/config";
import { concurrencyWarnings } from "../lib/config-warnings";
import { PlanConfigError, loadStackConfig, stackArgsFromValues } from "../offline/stack-config/loader";
import { checkOutputFile } from "../offline/plan/file-arguments";
import type { RecordedResource } from "../offline/mock-cloud";
import { AwsClients, AwsPolicy, DEFAULT_AWS_POLICY, createAwsClients } from "./aws";
import { formatJson, formatTable, summarize } from "./report";
import { EXIT_CODES, exitCodeOf } from "./rows";
import { runPreflight } from "./run";

/**
 * `npm run preflight -- [-s STACK] [-c key=value] [--json FILE]`: what only
 * the real account knows, checked with read-only AWS calls before
 * `pulumi up`. One row per check: ok, fail (with the fix) or unknown (with
 * the missing permission). Exit status: 0 all ok, 1 a check failed, 2 bad
 * input, 7 something could not be checked.
 */

/** Where preflight reads from and writes to; tests substitute their own. */
export interface PreflightEnvironment {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /**
   * The environment the AWS SDK sees (credentials, profiles, AWS_ENDPOINT_URL). The SDK reads `process.env`
   * itself, so main runs with this as `process.env` and puts the old one back when it returns.
   */
  readonly env: NodeJS.ProcessEnv;
  /** Directory holding Pulumi.yaml, the stack files and the program (index.ts). */
  readonly projectDir: string;
}

/** What tests may replace: the AWS clients, and the program's evaluation. */
export interface PreflightDependencies {
  readonly createClients?: (policy: AwsPolicy) => AwsClients;
  readonly evaluate?: (input: { project: string; stack: string; config: Readonly<Record<string, string>>; accountId: string | undefined }) => Promise<readonly RecordedResource[]>;
}

interface Flags {
  stack: string;
  config: string[];
  json?: string;
  timeout: number;
  attempts: number;
  backoff?: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return Number(value);
  };
}

function buildCommand(environment: PreflightEnvironment): Command {
  return new Command("npm run preflight --")
    .description(
      "Check, with read-only AWS calls and your usual credentials, what only the account knows before `pulumi up`: " +
        "the account, the regions, API Gateway's logging role, Lambda concurrency, VPC and Elastic IP quotas, the hosted zone, " +
        "and that every name the stack would create is free or already its own.",
    )
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml supplies the config", "dev")
    .option("-c, --config <key=value>", "set a config value for this run only, as pulumi preview --config does (repeatable; key or tap:key)", collect, [])
    .option("--json <file>", "also write the results as JSON")
    .option("--timeout <ms>", "limit for each AWS request attempt, once connected", wholeNumber(100, 120_000), DEFAULT_AWS_POLICY.requestTimeoutMs)
    .option("--attempts <n>", "attempts per AWS call, the first included (throttling and 5xx are retried with back-off)", wholeNumber(1, 10), DEFAULT_AWS_POLICY.maxAttempts)
    .option(
      "--backoff <ms>",
      "longest wait before the first retry, doubling for each later one, each a random time up to that (default: the AWS SDK's, 50 ms, or 1 s after throttling)",
      wholeNumber(0, 20_000),
    )
    .addHelpText(
      "after",
      [
        "",
        "Exit status: 0 every check passed, 1 a check failed (pulumi up would fail; each row says how to fix it),",
        "2 bad input (stack file, --config, flags), 7 something could not be checked (no credentials, a denied",
        "or unanswered call: the row names the missing IAM action). preflight/iam-policy.json is the policy it needs.",
        "",
        "Examples:",
        "  npm run preflight",
        "  npm run preflight -- -s prod --json preflight.json",
        "  AWS_PROFILE=prod npm run preflight -- -s prod -c enableNatGateway=true",
      ].join("\n"),
    )
    .exitOverride()
    .configureOutput({ writeOut: (text) => environment.stdout.write(text), writeErr: (text) => environment.stderr.write(text) });
}

/** The program under the mock cloud, for the caller's account: what `pulumi up` would register (offline/plan/runner.ts). */
async function evaluateInProcess(projectDir: string, input: Parameters<NonNullable<PreflightDependencies["evaluate"]>>[0]): Promise<readonly RecordedResource[]> {
  // Loaded here: the plan's runner pulls in the Pulumi SDK, which only this step needs.
  const { evaluateProgram } = await import("../offline/plan/runner");
  const evaluation = await evaluateProgram({ programPath: path.join(projectDir, "index.ts"), ...input });
  return evaluation.resources;
}

/** Runs `work` with `env` as process.env (the AWS SDK reads it there). */
async function withProcessEnv<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
  const saved = process.env;
  process.env = env;
  try {
    return await work();
  } finally {
    process.env = saved;
  }
}

/** The whole command. Resolves to the exit status; never calls process.exit, so tests run it in-process. */
export async function main(argv: readonly string[], environment: PreflightEnvironment, dependencies: PreflightDependencies = {}): Promise<number> {
  const error = (message: string) => environment.stderr.write(`error: ${message}\n`);
  let flags: Flags;
  try {
    flags = buildCommand(environment).parse([...argv], { from: "user" }).opts<Flags>();
  } catch (parseError) {
    // --help ends here with exit code 0; a bad flag has already been reported by commander.
    if (parseError instanceof CommanderError) return parseError.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.badInput;
    throw parseError;
  }

  let stackConfig;
  let config;
  try {
    stackConfig = loadStackConfig(environment.projectDir, flags.stack, flags.config);
    config = resolveTapStackArgs(stackArgsFromValues(stackConfig.project, stackConfig.values), stackConfig.stack);
    // As `npm run plan` shows them: a misspelled key is otherwise silently not read, and checked as its default.
    // Not the concurrency warnings, which advise running preflight: its Lambda check measures them against the account.
    const measuredHere = new Set(concurrencyWarnings(config));
    for (const warning of stackConfig.warnings.filter((text) => !measuredHere.has(text))) environment.stderr.write(`warning: ${warning}\n`);
    if (flags.json) checkOutputFile("--json", flags.json, "preflight.json");
  } catch (failure) {
    if (failure instanceof PlanConfigError || (failure instanceof Error && failure.name === "TapConfigError")) {
      error(failure.message);
      return EXIT_CODES.badInput;
    }
    throw failure;
  }

  const { project, stack, values } = stackConfig;
  const policy: AwsPolicy = { ...DEFAULT_AWS_POLICY, requestTimeoutMs: flags.timeout, maxAttempts: flags.attempts, backoffMs: flags.backoff };
  const result = await withProcessEnv(environment.env, () => runPreflight({
    config,
    aws: (dependencies.createClients ?? createAwsClients)(policy),
    evaluate: (accountId) => (dependencies.evaluate ?? ((input) => evaluateInProcess(environment.projectDir, input)))({ project, stack, config: values, accountId }),
  }));

  const exitCode = result.fatal !== undefined ? EXIT_CODES.unknown : exitCodeOf(result.rows);
  if (result.fatal !== undefined) error(result.fatal);
  else environment.stdout.write(formatTable(result.rows, exitCode, result.stopped));
  if (flags.json) {
    fs.writeFileSync(flags.json, formatJson({
      stack,
      accountId: result.accountId ?? null,
      exitCode,
      summary: summarize(result.rows),
      stopped: result.stopped ?? null,
      error: result.fatal ?? null,
      rows: result.rows,
    }));
    environment.stdout.write(`Wrote the results as JSON to ${flags.json}\n`);
  }
  return exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, projectDir: path.resolve(__dirname, "..") }).then(
    (code) => {
      process.exitCode = code;
    },
    (failure: unknown) => {
      // Only a bug gets here: every expected failure is a row or one line above.
      process.stderr.write(`error: ${failure instanceof Error ? failure.message : String(failure)}\n`);
      process.exitCode = EXIT_CODES.unknown;
    },
  );
}
