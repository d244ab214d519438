import { Command, InvalidArgumentError } from "commander";
import { parseCommand } from "../../common/commander-parse";
import { startChild } from "../../scripts/process-tree.cjs";
import { MAX_REQUEST_BYTES, startLocalServer } from "../../offline/local/server";

/**
 * Manual memory run for the local server's request limits (a 10 MiB body cap
 * and 4 requests at a time, docs/local.md), not part of `npm run bench`: N
 * concurrent POSTs of a JSON body of `mib` MiB each, sent by a child
 * process so that only the server's memory is measured here.
 * Prints the server process's RSS before, at its peak (sampled every 20 ms)
 * and 2 s after the last answer, and the answers' status codes.
 *
 *   npx tsx bench/manual/local-memory.ts [count=100] [mib=10]
 *
 * The client is started through scripts/process-tree.cjs, as every
 * long-running tool's children are: SIGINT or SIGTERM ends it with this run.
 */

/** What one run sends. */
export interface MemoryRun {
  /** Requests sent at once. */
  readonly count: number;
  /** Each request's body, in MiB. */
  readonly mib: number;
}

/** Where the run prints; tests substitute their own. */
export interface MemoryRunIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** How long to wait after the last answer before the last RSS reading. @default 2000 */
  readonly settleMs?: number;
}

const MAX_COUNT = 1000;
const MAX_MIB = 100;

function wholeNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_COUNT) throw new InvalidArgumentError(`Expected a whole number from 1 to ${MAX_COUNT}.`);
  return Number(text);
}

function mebibytes(text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || value > MAX_MIB) throw new InvalidArgumentError(`Expected a number of MiB above 0 and at most ${MAX_MIB}, such as 10 or 0.5.`);
  return value;
}

/** The run the arguments ask for, or the exit status when they are bad (2, reported in one line) or --help (0). */
export function parseArguments(argv: readonly string[], io: MemoryRunIo): MemoryRun | number {
  const command = new Command("npx tsx bench/manual/local-memory.ts")
    .description("Send COUNT concurrent POSTs of MIB MiB each to the local server and print its RSS before, at its peak and after.")
    .argument("[count]", `requests sent at once (1 to ${MAX_COUNT})`, wholeNumber, 100)
    .argument("[mib]", `each body's size in MiB (above 0, at most ${MAX_MIB}; the server refuses more than 10)`, mebibytes, 10);
  const parsed = parseCommand(command, argv, io);
  if (parsed !== undefined) return parsed;
  const [count, mib] = command.processedArgs as [number, number];
  return { count, mib };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The client's source: one JSON body, sent `count` times at once; prints the status counts as JSON. */
function clientSource(run: MemoryRun, port: number, pathname: string): string {
  const bodyBytes = run.mib === 10 ? MAX_REQUEST_BYTES : Math.round(run.mib * 1024 * 1024);
  return `
    const http = require("http");
    const pad = "x".repeat(Math.max(0, ${bodyBytes} - 10));
    const body = Buffer.from('{"pad":"' + pad + '"}');
    const statuses = {};
    let left = ${run.count};
    const done = (key) => { statuses[key] = (statuses[key] || 0) + 1; if (--left === 0) console.log(JSON.stringify(statuses)); };
    for (let i = 0; i < ${run.count}; i++) {
      const request = http.request({ host: "127.0.0.1", port: ${port}, path: ${JSON.stringify(pathname)}, method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length } }, (response) => {
        response.resume().on("end", () => done(response.statusCode));
      });
      request.on("error", (error) => done(error.code));
      request.end(body);
    }`;
}

/** Runs `source` in a child node process (in its own process group, ended with this one) and resolves to its stdout. */
function runClient(source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = startChild(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
    const out: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.once("error", reject);
    child.once("close", (code, signal) => (code === 0 ? resolve(Buffer.concat(out).toString("utf8")) : reject(new Error(`the client ended with ${signal ?? `exit code ${code}`}`))));
  });
}

/** The whole run. Resolves to the exit status; never calls process.exit. */
export async function main(argv: readonly string[], io: MemoryRunIo): Promise<number> {
  const run = parseArguments(argv, io);
  if (typeof run === "number") return run;
  const server = await startLocalServer({ args: { regions: ["us-east-1"] } });
  try {
    const url = new URL(server.urls["us-east-1"]);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = Date.now();
    let statuses: string;
    let seconds: number;
    let after: number;
    try {
      statuses = (await runClient(clientSource(run, server.port, url.pathname))).trim();
      seconds = (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, io.settleMs ?? 2000));
      global.gc?.();
      after = process.memoryUsage().rss;
    } finally {
      clearInterval(sampler);
    }
    io.stdout.write(`${run.count} concurrent POSTs of ${run.mib} MiB: statuses ${statuses} in ${seconds.toFixed(1)} s\n`);
    io.stdout.write(`server RSS: before ${mb(before)}, peak ${mb(peak)}, ${((io.settleMs ?? 2000) / 1000).toFixed(0)} s after ${mb(after)}\n`);
    return 0;
  } finally {
    await server.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
