import { ChildProcess, spawn } from "child_process";
import { readFileSync, readdirSync } from "fs";
import { randomUUID } from "crypto";

/**
 * Watching real process trees (Linux /proc): what a command started, and
 * whether any of it outlives a signal.
 */

/** Every process below `pid`, deepest last. */
export function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** True while `pid` runs (a zombie waiting for its parent does not count). */
export function isAlive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** The environment variable startWatched sets to mark every process of one command's tree. */
const MARKER_VARIABLE = "TAP_TEST_PROCESS_TREE";

/**
 * Live processes whose environment carries `marker`: everything a watched
 * command started, however deep, even in process groups and sessions of its
 * own, and even after its parent died.
 */
export function processesMarked(marker: string): number[] {
  const needle = `${MARKER_VARIABLE}=${marker}\0`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").includes(needle) && isAlive(pid);
      } catch {
        return false;
      }
    });
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; resolves to whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** A command started in a process group of its own, with its output collected and its end awaited. */
export interface WatchedCommand {
  readonly child: ChildProcess;
  /** Marks every process the command starts (see processesMarked). */
  readonly marker: string;
  readonly output: () => string;
  /** Resolves to the exit code, or the signal that ended it. */
  readonly ended: Promise<number | NodeJS.Signals | null>;
  /** SIGKILL to every process the command started: the clean-up of a test that failed half way. */
  readonly killAll: () => void;
}

/** Starts `command` in `cwd` with this process's environment plus `env`. */
export function startWatched(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): WatchedCommand {
  const marker = randomUUID();
  const child = spawn(command, [...args], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env, [MARKER_VARIABLE]: marker } });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<number | NodeJS.Signals | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const killAll = () => {
    for (const pid of processesMarked(marker)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  return { child, marker, output: () => output, ended, killAll };
}
