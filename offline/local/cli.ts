import { Command, CommanderError, InvalidArgumentError } from "commander";
import { TapConfigError, TapStackArgs } from "../../lib/config";
import { buildHandlerBundle } from "../../lib/lambda-artifact";
import { LocalServer, RequestRecord, startLocalServer, writeLocalOutputs } from "./server";
import { loadStackConfig, stackArgsFromValues } from "../stack-config/loader";

/**
 * `npm run local`: serves the packaged handler for every region of a stack on
 * 127.0.0.1 (see offline/local/server.ts), writes a stack-outputs file that
 * points at it, and runs until Ctrl+C (SIGINT) or SIGTERM.
 *
 *   npm run local -- [-s|--stack dev] [--port 3000] [--outputs .local-outputs.json]
 *
 * The config comes from Pulumi.yaml and `Pulumi.<stack>.yaml`, read by the
 * same loader as `npm run plan`, and is validated exactly as `pulumi up`
 * would validate it.
 */

/** @default port of `npm run local`. */
export const DEFAULT_PORT = 3000;
/** @default outputs file of `npm run local` (gitignored). */
export const DEFAULT_OUTPUTS_FILE = ".local-outputs.json";
/** The line a caller can wait for: the server is up and the outputs file is written. */
export const LISTENING_MARKER = "tap local server listening on";

export interface LocalCliOptions {
  /** Stack whose `Pulumi.<stack>.yaml` is read. */
  stack: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Where the outputs file goes, relative to the working directory. */
  outputs: string;
}

/** Exit status of a usage error (an unknown option, a bad --port) and of a bad config: 2, as plan, preflight and verify use it. */
export const USAGE_ERROR_EXIT = 2;

/** Where commander writes --help (out) and usage errors (err). */
export interface CommandLineOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Parses the command line (`argv` without the node and script entries): the options, or the exit status
 * when there is nothing to run (0 after --help, USAGE_ERROR_EXIT after a usage error commander has printed).
 */
export function parseLocalCliArgs(argv: readonly string[], output?: CommandLineOutput): LocalCliOptions | number {
  const program = new Command()
    .name("npm run local --")
    .description("Serve the packaged Lambda handler for every region of a stack on 127.0.0.1, like the deployed APIs.")
    .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml holds the regions, project name and environment", "dev")
    .option("--port <number>", "port on 127.0.0.1 (0 picks a free one)", parsePort, DEFAULT_PORT)
    .option("--outputs <file>", "where to write the stack outputs (the shape of `pulumi stack output --json`)", DEFAULT_OUTPUTS_FILE)
    .showHelpAfterError()
    .exitOverride();
  if (output) program.configureOutput(output);
  try {
    return program.parse([...argv], { from: "user" }).opts<LocalCliOptions>();
  } catch (error) {
    // Commander has printed the usage error or the help; its own exit status for an error is 1.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT;
    throw error;
  }
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`Expected a whole number from 0 to 65535 (0 picks a free port), got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

/** The stack's arguments and the config warnings, read by the plan's loader (offline/stack-config/loader.ts). */
export interface LocalStack {
  readonly args: TapStackArgs;
  readonly warnings: readonly string[];
}

/**
 * Reads the stack's config from Pulumi.yaml and `Pulumi.<stack>.yaml` in
 * `projectDir` with the same loader as `npm run plan` (declared defaults, then
 * the stack file, values as the engine's text), into the TapStackArgs the
 * program builds from `pulumi.Config`.
 * @throws PlanConfigError for a bad stack name, a missing or broken file or a value without one; TapConfigError for a bad value.
 */
export function readStackArgs(stack: string, projectDir: string): LocalStack {
  const config = loadStackConfig(projectDir, stack);
  return { args: stackArgsFromValues(config.project, config.values), warnings: config.warnings };
}

/** One access-log line per request. */
export function formatRequestLine(record: RequestRecord): string {
  return `${record.method} ${record.url} -> ${record.statusCode} (${record.durationMs.toFixed(1)} ms)`;
}

/**
 * Starts the server for `options`, writes the outputs file, and prints the
 * URLs, ending with the LISTENING_MARKER line.
 */
export async function runLocal(options: LocalCliOptions, projectDir: string, log: (line: string) => void, logError: (line: string) => void): Promise<LocalServer> {
  const { args, warnings } = readStackArgs(options.stack, projectDir);
  for (const warning of warnings) logError(`warning: ${warning}`);
  const bundle = buildHandlerBundle();
  const server = await startLocalServer({
    args,
    stackName: options.stack,
    port: options.port,
    handlerCode: bundle.code,
    onRequest: (record) => {
      log(formatRequestLine(record));
      if (record.error) logError(record.error);
    },
  });
  await writeLocalOutputs(options.outputs, server.outputs);
  log(`Serving index.js (${bundle.bytes} bytes, sha256 ${bundle.sha256.slice(0, 12)}) for stack "${options.stack}":`);
  for (const [region, url] of Object.entries(server.urls)) log(`  ${region.padEnd(15)} ${url}`);
  log(`Wrote the stack outputs to ${options.outputs}`);
  log(`${LISTENING_MARKER} http://127.0.0.1:${server.port} (Ctrl+C stops it)`);
  return server;
}

/** The one line printed when the server cannot start; a bad config value is traced to its file. */
export function formatStartupError(error: unknown, stack: string): string {
  const prefix = error instanceof TapConfigError ? `Pulumi.${stack}.yaml: ` : "";
  return `error: ${prefix}${error instanceof Error ? error.message : String(error)}`;
}

/**
 * runLocal, or, when the server cannot start (a bad stack name, a missing or broken stack file, a bad config
 * value, a port in use), the one line formatStartupError prints and USAGE_ERROR_EXIT: `npm run local` exits
 * with it, as npm run plan and verify do for bad input.
 */
export async function startLocal(options: LocalCliOptions, projectDir: string, log: (line: string) => void, logError: (line: string) => void): Promise<LocalServer | typeof USAGE_ERROR_EXIT> {
  try {
    return await runLocal(options, projectDir, log, logError);
  } catch (error) {
    logError(formatStartupError(error, options.stack));
    return USAGE_ERROR_EXIT;
  }
}

async function main(): Promise<void> {
  const options = parseLocalCliArgs(process.argv.slice(2));
  if (typeof options === "number") {
    process.exitCode = options;
    return;
  }
  // The handlers go in before the server starts listening: the listening line is what a caller
  // waits for, and a SIGTERM sent right after it must find them installed, not Node's default
  // (which ends the process without closing the server or saying why).
  let server: LocalServer | undefined;
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: stopping`);
    if (server === undefined) process.exit(0); // still starting: nothing is listening yet
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`error: closing the server failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  // SIGTERM reaches this process because package.json runs the script with `exec node`: npm
  // signals only its own child, and a shell (dash) would die alone, leaving this server
  // running (scripts/process-tree.cjs says how every long-running tool does it).
  // `once`: a second Ctrl+C falls back to Node's default and ends the process at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const started = await startLocal(options, process.cwd(), console.log, console.error);
  if (typeof started === "number") {
    // The server never started: nothing to close.
    process.exit(started);
  } else {
    server = started;
  }
}

if (require.main === module) void main();
