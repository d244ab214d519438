import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";
import { Command, InvalidArgumentError } from "commander";
import { parse as parseYaml } from "yaml";
import { TapConfigError, TapStackArgs, tapStackArgsFromConfig } from "../lib/config";
import { buildHandlerBundle } from "../lib/lambda-artifact";
import { LocalServer, RequestRecord, startLocalServer, writeLocalOutputs } from "./local-server";

/**
 * `npm run local`: serves the packaged handler for every region of a stack on
 * 127.0.0.1 (see offline/local-server.ts), writes a stack-outputs file that
 * points at it, and runs until Ctrl+C (SIGINT) or SIGTERM.
 *
 *   npm run local -- [--stack dev] [--port 3000] [--outputs .local-outputs.json]
 *
 * The regions, project name and environment come from `Pulumi.<stack>.yaml`
 * and are validated exactly as `pulumi up` would validate them.
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

/** Parses the command line (`argv` without the node and script entries). Commander prints usage errors and exits. */
export function parseLocalCliArgs(argv: readonly string[]): LocalCliOptions {
  const program = new Command()
    .name("npm run local --")
    .description("Serve the packaged Lambda handler for every region of a stack on 127.0.0.1, like the deployed APIs.")
    .option("--stack <name>", "stack whose Pulumi.<stack>.yaml holds the regions, project name and environment", parseStackName, "dev")
    .option("--port <number>", "port on 127.0.0.1 (0 picks a free one)", parsePort, DEFAULT_PORT)
    .option("--outputs <file>", "where to write the stack outputs (the shape of `pulumi stack output --json`)", DEFAULT_OUTPUTS_FILE)
    .showHelpAfterError()
    .parse([...argv], { from: "user" });
  return program.opts<LocalCliOptions>();
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`Expected a whole number from 0 to 65535 (0 picks a free port), got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

function parseStackName(value: string): string {
  // The name becomes part of a file name: no separators or other path tricks.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value)) {
    throw new InvalidArgumentError(`Expected a stack name of letters, digits, "-", "_" and ".", such as "dev", got ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * Reads the stack's config from `Pulumi.<stack>.yaml` in `projectDir`, under
 * the project's namespace (`name` in Pulumi.yaml, e.g. `tap:regions`), into
 * the same TapStackArgs the program builds from `pulumi.Config`.
 * @throws Error naming the file when a file is missing or not YAML; TapConfigError for a value of the wrong type.
 */
export function readStackArgs(stack: string, projectDir: string): TapStackArgs {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  if (!existsSync(projectFile)) {
    throw new Error(`No Pulumi.yaml in ${projectDir}: run this from the project's root directory.`);
  }
  const project = readYaml(projectFile) as { name?: unknown } | null;
  if (typeof project?.name !== "string" || project.name === "") {
    throw new Error(`${projectFile} has no project name (the "name" key).`);
  }
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackFile)) {
    const stacks = readdirSync(projectDir)
      .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
    throw new Error(
      `No config file Pulumi.${stack}.yaml for stack "${stack}" in ${projectDir}. ` +
        `Stacks with a config file: ${stacks.length > 0 ? stacks.join(", ") : "none"}. Pass --stack NAME, or create Pulumi.${stack}.yaml with a config: map.`,
    );
  }
  const document = readYaml(stackFile) as { config?: unknown } | null;
  const config = document?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${stackFile}: "config" must be a map of keys such as "${project.name}:regions", got ${JSON.stringify(config)}.`);
  }
  const values = config as Record<string, unknown>;
  return tapStackArgsFromConfig((key) => values[`${project.name}:${key}`]);
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
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
  const args = readStackArgs(options.stack, projectDir);
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

async function main(): Promise<void> {
  const options = parseLocalCliArgs(process.argv.slice(2));
  let server: LocalServer;
  try {
    server = await runLocal(options, process.cwd(), console.log, console.error);
  } catch (error) {
    console.error(formatStartupError(error, options.stack));
    // 2 = bad input (as npm run plan and verify use it): the server never started.
    process.exit(2);
  }
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`error: closing the server failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  // `once`: a second Ctrl+C falls back to Node's default and ends the process at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) void main();
