import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { loadavg } from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { startChild } from "../../scripts/process-tree.cjs";

/**
 * Runs commands as child processes and measures them: wall time, CPU time of
 * the whole process tree, and the peak RSS of its largest Node.js process.
 *
 * The machine the benchmark is meant for is small and shared, so wall time
 * alone says as much about the neighbours as about us. CPU time (user +
 * system, children included) barely depends on them, so every figure is
 * reported both ways.
 */

/** Repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Scratch space for recordings and generated helper scripts; inside node_modules so it is never committed. */
export const WORK_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "tap-bench");

export function ensureWorkDir(): string {
  mkdirSync(WORK_DIR, { recursive: true });
  return WORK_DIR;
}

/** Linux reports times in /proc in clock ticks; USER_HZ is 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (ms) of this process's children that have been waited for, and of
 * their own waited-for children: fields cutime + cstime of /proc/self/stat.
 * Undefined where /proc is not available.
 */
function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces; it ends at the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name, field 3 is at index 0, so cutime (16) and cstime (17) are at 13 and 14.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Preloaded into measured Node.js processes (with --require): at exit, each
 * process writes its own resource usage, peak RSS included, to a file named
 * after its pid. Forked children (jest workers) inherit --require, so they
 * report too.
 */
const RUSAGE_PRELOAD = `"use strict";
const dir = process.env.TAP_BENCH_RUSAGE_DIR;
if (dir) {
  process.on("exit", () => {
    try {
      require("fs").writeFileSync(require("path").join(dir, process.pid + ".json"), JSON.stringify(process.resourceUsage()));
    } catch {}
  });
}
`;

function rusagePreload(): string {
  const file = path.join(ensureWorkDir(), "rusage-preload.js");
  if (!existsSync(file) || readFileSync(file, "utf8") !== RUSAGE_PRELOAD) writeFileSync(file, RUSAGE_PRELOAD);
  return file;
}

export interface ChildResult {
  readonly wallMs: number;
  /** CPU time of the whole process tree, ms; undefined without /proc. */
  readonly cpuMs: number | undefined;
  /** Peak RSS of the largest Node.js process in the tree, bytes; undefined when none reported. */
  readonly peakRssBytes: number | undefined;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Fail (throw) when the exit status is not 0. @default true */
  readonly check?: boolean;
}

/**
 * Runs `command args` and waits for it. Node.js processes in the tree report
 * their peak RSS through NODE_OPTIONS=--require; the measured command's own
 * NODE_OPTIONS are kept.
 */
export async function runMeasured(command: string, args: readonly string[], options: RunOptions = {}): Promise<ChildResult> {
  const rusageDir = mkdtempSync(path.join(ensureWorkDir(), "rusage-"));
  const preload = `--require=${rusagePreload()}`;
  const env = {
    ...process.env,
    ...options.env,
    TAP_BENCH_RUSAGE_DIR: rusageDir,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, options.env?.NODE_OPTIONS, preload].filter(Boolean).join(" "),
  };
  // GNU time's "Maximum resident set size" covers processes that are not Node.js (TypeScript 7's native tsc).
  const timeFile = existsSync(GNU_TIME) ? path.join(rusageDir, "gnu-time.txt") : undefined;
  const [file, fileArgs] = timeFile ? [GNU_TIME, ["-f", "%M", "-o", timeFile, command, ...args]] : [command, [...args]];
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const { status, stdout, stderr } = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // In a process group that ends with the bench on SIGINT and SIGTERM (scripts/process-tree.cjs).
    const child = startChild(file, fileArgs, { cwd: options.cwd ?? REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
  const wallMs = performance.now() - start;
  const cpuAfter = childrenCpuMs();
  const peakRssBytes = maxDefined(readPeakRss(rusageDir), timeFile ? readGnuTimeRss(timeFile) : undefined);
  rmSync(rusageDir, { recursive: true, force: true });
  if ((options.check ?? true) && status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with status ${status}:\n${tail(stderr || stdout)}`);
  }
  return {
    wallMs,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    peakRssBytes,
    status,
    stdout,
    stderr,
  };
}

const GNU_TIME = "/usr/bin/time";

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** GNU time's %M: the largest resident set of any process it waited for, in KB. */
function readGnuTimeRss(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const kb = Number(lines[lines.length - 1]);
  return Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
}

function readPeakRss(dir: string): number | undefined {
  const sizes = readdirSync(dir).filter((file) => file.endsWith(".json")).map((file) => (JSON.parse(readFileSync(path.join(dir, file), "utf8")) as NodeJS.ResourceUsage).maxRSS * 1024);
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

/** The last lines of a command's output, for error messages. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** The figures of one measured command. */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
  readonly peakRssBytes: number | undefined;
  /** Exit status; non-zero means the command failed (the figures then describe a failing run). */
  readonly status: number | null;
}

export function toSample(result: ChildResult): Sample {
  return { wallMs: result.wallMs, cpuMs: result.cpuMs, peakRssBytes: result.peakRssBytes, status: result.status };
}

/** Runs a Node.js script (or a package's bin file) with this Node.js. */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<ChildResult> {
  return runMeasured(process.execPath, args, options);
}

/** The 1-minute load average, rounded: how busy the shared machine was. */
export function currentLoad(): number {
  return Math.round(loadavg()[0] * 10) / 10;
}

/** Path of a package's file inside the repository's node_modules. */
export function modulePath(...parts: string[]): string {
  return path.join(REPO_ROOT, "node_modules", ...parts);
}
