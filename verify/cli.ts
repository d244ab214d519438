import { Command, CommanderError, InvalidArgumentError } from "commander";
import { VerifyInputError, allPassed } from "./checks";
import { DEFAULT_HTTP_POLICY } from "./http";
import { StackOutputs, readOutputsFile, readPulumiOutputs } from "./outputs";
import { printable } from "../common/printable";
import { formatJson, formatTable } from "./report";
import { VerifyDependencies, runVerification } from "./verify";

/**
 * `npm run verify -- (--stack NAME | --outputs FILE) [options]`: checks a
 * deployed stack and prints one row per check.
 * Exit codes: 0 every check passed, 1 a check failed, 2 bad input.
 */

export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Where the CLI writes; the tests capture it. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface CliDependencies extends VerifyDependencies {
  /**
   * The Pulumi executable that --stack runs.
   * @default "pulumi"
   */
  readonly pulumiCommand?: string;
}

interface CliFlags {
  stack?: string;
  outputs?: string;
  region: string[];
  environment?: string;
  project?: string;
  httpOnly?: boolean;
  json?: boolean;
  timeout: number;
  attempts: number;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}

function buildProgram(io: CliIo): Command {
  return new Command("npm run verify --")
    .description(
      "Check a deployed tap stack: each region's API over HTTP and, with AWS credentials, " +
        "its bucket, function, alarms, VPC and the dashboard. Exit code 0: all passed, 1: a check failed, 2: bad input.",
    )
    .option("--stack <name>", 'read the outputs with "pulumi stack output --json --stack <name>"')
    .option("--outputs <file>", 'read the outputs from a file written by "pulumi stack output --json"')
    .option("--region <region>", "check only this region (repeat for more)", (value, all: string[]) => [...all, value], [])
    .option("--environment <name>", "expected environment (default: from lambda_function_names, else the same in every region)")
    .option("--project <name>", "expected project name (default: from lambda_function_names, else the same in every region)")
    .option("--http-only", "run only the HTTP checks (no AWS credentials needed)")
    .option("--json", "print the results as JSON")
    .option("--timeout <ms>", "limit per HTTP attempt and per AWS request", wholeNumber(1, 600_000), DEFAULT_HTTP_POLICY.timeoutMs)
    .option("--attempts <n>", "attempts per HTTP and AWS call, the first included", wholeNumber(1, 10), DEFAULT_HTTP_POLICY.maxAttempts)
    .helpOption("-h, --help")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

async function loadOutputs(flags: CliFlags, pulumiCommand: string | undefined): Promise<{ outputs: StackOutputs; source: string }> {
  if (flags.stack !== undefined && flags.outputs !== undefined) {
    throw new VerifyInputError("Pass only one of --stack and --outputs.");
  }
  if (flags.outputs !== undefined) {
    return { outputs: await readOutputsFile(flags.outputs), source: `file "${flags.outputs}"` };
  }
  if (flags.stack !== undefined) {
    return { outputs: await readPulumiOutputs(flags.stack, { command: pulumiCommand }), source: `stack "${flags.stack}"` };
  }
  throw new VerifyInputError('Pass --stack NAME (runs "pulumi stack output --json") or --outputs FILE.');
}

/** Runs the CLI with `argv` (the arguments after the script name); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  dependencies: CliDependencies = {},
): Promise<number> {
  const program = buildProgram(io);
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    // Commander has already printed the error or the help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_PASSED : EXIT_BAD_INPUT;
    throw error;
  }
  const flags = program.opts<CliFlags>();
  try {
    const { outputs, source } = await loadOutputs(flags, dependencies.pulumiCommand);
    const results = await runVerification(
      {
        outputs,
        source,
        regions: flags.region,
        httpOnly: flags.httpOnly ?? false,
        environment: flags.environment,
        project: flags.project,
        http: { ...DEFAULT_HTTP_POLICY, timeoutMs: flags.timeout, maxAttempts: flags.attempts },
        aws: { requestTimeoutMs: flags.timeout, maxAttempts: flags.attempts },
      },
      dependencies,
    );
    io.stdout(`${flags.json ? formatJson(results) : formatTable(results)}\n`);
    return allPassed(results) ? EXIT_PASSED : EXIT_FAILED;
  } catch (error) {
    if (error instanceof VerifyInputError) {
      io.stderr(`error: ${printable(error.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
