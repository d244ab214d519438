// @ts-check
"use strict";
/**
 * How every long-running tool of this project (npm run plan, bench, test, test:mutation, verify) ends its whole
 * process tree on SIGINT and SIGTERM. Two halves:
 *
 * 1. package.json starts each tool with `exec`, so npm's child is the tool's own node process. npm forwards
 *    SIGINT and SIGTERM to its child only; without `exec` that child is a shell (dash), which dies alone and
 *    leaves the tool running under init.
 * 2. The tool starts its own children through this module. Each child gets a process group of its own
 *    (`detached`), so one kill(-pgid) reaches everything the child starts in turn: npm's shell, jest's workers,
 *    esbuild's service, Stryker's runners. On the first SIGINT or SIGTERM the tool signals every group it
 *    started, waits until no process of any group runs (SIGKILL after a grace period of 5 s, or of
 *    TAP_STOP_GRACE_MS milliseconds), then ends itself with the same signal, so its parent sees how it ended.
 *    A second signal kills the groups at once. Once a signal has arrived no new child is started.
 *
 * While no child runs, the tool keeps Node's default handling (a signal ends it at once: nothing is left).
 * The handlers are installed with the first child and removed with the last one.
 *
 * Hand-written because the npm libraries for the job walk the tree with `ps` (tree-kill) and race with
 * processes being forked, or are ES modules only (execa), which the CommonJS tools and jest cannot require;
 * process groups make it a few lines of Node.js. CommonJS (with a .d.cts beside it) so that both the
 * TypeScript tools and the plain .mjs scripts load the same code.
 */
const { fork, spawn } = require("node:child_process");
const { readFileSync, readdirSync } = require("node:fs");
const { constants } = require("node:os");

/** The environment variable that sets the grace period, in milliseconds (tests set it short). */
const GRACE_VARIABLE = "TAP_STOP_GRACE_MS";
/** How long a signalled group gets to exit before SIGKILL, unless TAP_STOP_GRACE_MS says otherwise. */
const DEFAULT_GRACE_MS = 5000;

/**
 * The grace period `env` asks for: TAP_STOP_GRACE_MS as a whole number of milliseconds, DEFAULT_GRACE_MS when unset.
 * A value that is not one is a tuning knob set wrong, not a reason to stop the tool: `warn` gets one line naming
 * the variable, the value and what to set instead, and the default applies.
 * @param {NodeJS.ProcessEnv} env
 * @param {(line: string) => void} [warn]
 * @returns {number}
 */
function graceFromEnvironment(env, warn = (line) => process.stderr.write(`${line}\n`)) {
  const value = env[GRACE_VARIABLE];
  if (value === undefined || value === "") return DEFAULT_GRACE_MS;
  if (!/^\d{1,7}$/.test(value)) {
    warn(
      `warning: ${GRACE_VARIABLE}=${JSON.stringify(value)} is not a whole number of milliseconds (0 to 9999999), so the ` +
        `default of ${DEFAULT_GRACE_MS} ms applies. Unset it, or set it as in ${GRACE_VARIABLE}=${DEFAULT_GRACE_MS}.`,
    );
    return DEFAULT_GRACE_MS;
  }
  return Number(value);
}

/** @type {number | undefined} */
let graceMs;
/**
 * How long a signalled group gets to exit before SIGKILL: read from the environment when the tool starts its first
 * child (so a wrong value is reported once, before any child runs, and a tool that never starts one never reads it).
 */
function currentGrace() {
  graceMs ??= graceFromEnvironment(process.env);
  return graceMs;
}
/** How long the stop waits for killed groups to be gone before it gives up on them. */
const KILLED_WAIT_MS = 2000;
/** How often a signalled group is checked for a process that still runs. */
const POLL_MS = 50;
const STOP_SIGNALS = /** @type {const} */ (["SIGINT", "SIGTERM"]);
// Process groups and kill(-pgid) are POSIX; on Windows a child is stopped on its own.
const GROUPS = process.platform !== "win32";

/** @type {Set<import("node:child_process").ChildProcess>} */
const running = new Set();
/** @type {NodeJS.Signals | undefined} the signal being handled, once one has arrived */
let stopping;

/**
 * spawn(), in a process group of its own that ends with this process.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import("node:child_process").SpawnOptions} [options]
 */
function startChild(command, args, options = {}) {
  refuseWhileStopping(command);
  currentGrace();
  return track(spawn(command, [...args], { ...options, detached: GROUPS }));
}

/**
 * fork(), in a process group of its own that ends with this process.
 * @param {string} modulePath
 * @param {readonly string[]} args
 * @param {import("node:child_process").ForkOptions} [options]
 */
function forkChild(modulePath, args, options = {}) {
  refuseWhileStopping(modulePath);
  currentGrace();
  return track(fork(modulePath, [...args], { ...options, detached: GROUPS }));
}

/** @param {string} what */
function refuseWhileStopping(what) {
  if (stopping) throw new Error(`not starting ${what}: stopping on ${stopping}`);
}

/**
 * @template {import("node:child_process").ChildProcess} T
 * @param {T} child
 * @returns {T}
 */
function track(child) {
  // No pid: the spawn failed, and the child's "error" event says why; there is nothing to stop.
  if (child.pid === undefined) return child;
  running.add(child);
  if (running.size === 1) installHandlers();
  child.once("exit", () => {
    running.delete(child);
    if (running.size === 0 && !stopping) removeHandlers();
  });
  return child;
}

/**
 * Sends `signal` to the child's whole process group; false when the group is gone.
 * @param {import("node:child_process").ChildProcess} child
 * @param {NodeJS.Signals | 0} signal
 */
function signalGroup(child, signal) {
  if (child.pid === undefined) return false;
  try {
    if (GROUPS) process.kill(-child.pid, signal);
    else if (signal === 0) return child.exitCode === null && child.signalCode === null;
    else child.kill(signal);
    return true;
  } catch (error) {
    // EPERM: a member exists but belongs to someone else (setuid); it still counts as running.
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

/**
 * True while a process of the child's group still runs. A member that has exited but is not reaped yet (a zombie)
 * does not count: it holds nothing but its process ID. The group's grandchildren are orphaned when their parent
 * dies and are reaped by PID 1, which on some machines (a VM's or container's own init) takes more than a second;
 * kill(-pgid, 0) succeeds until then. On Linux, /proc says which members are zombies; elsewhere the kill answers.
 * @param {import("node:child_process").ChildProcess} child
 */
function groupRunning(child) {
  if (!signalGroup(child, 0)) return false;
  if (!GROUPS || child.pid === undefined) return true;
  return groupHasRunningMember(child.pid);
}

/**
 * Whether group `pgid`, which kill(-pgid, 0) says exists, still has a process that is not a zombie. False only when
 * /proc lists members of the group and every one has exited; true when /proc cannot be read (not Linux) or shows
 * no member at all (a /proc of another PID namespace, or hidepid), where the kill's answer stands.
 * @param {number} pgid
 * @param {string} [procRoot] where /proc is mounted (tests point it at a directory of their own)
 */
function groupHasRunningMember(pgid, procRoot = "/proc") {
  let sawExitedMember = false;
  let entries;
  try {
    entries = readdirSync(procRoot);
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`${procRoot}/${entry}/stat`, "latin1");
    } catch {
      continue; // gone since the listing
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after its last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) !== pgid) continue;
    if (state !== "Z" && state !== "X") return true;
    sawExitedMember = true;
  }
  return !sawExitedMember;
}

/**
 * Signals every running child's group and resolves once no process of any group runs, sending SIGKILL to any
 * group still running after `graceMs` and waiting at most KILLED_WAIT_MS more.
 * @param {NodeJS.Signals} signal
 * @param {number} [graceMs]
 */
async function stopChildren(signal, graceMs = currentGrace()) {
  const children = [...running];
  for (const child of children) signalGroup(child, signal);
  const deadline = Date.now() + graceMs;
  while (children.some(groupRunning) && Date.now() < deadline) await pause(POLL_MS);
  for (const child of children) signalGroup(child, "SIGKILL");
  // SIGKILL cannot be caught: whatever still counts as running after KILLED_WAIT_MS is a process the kernel has not
  // finished tearing down, or a zombie this /proc cannot show (a /proc of another PID namespace). Waiting on it
  // without a limit would hang the stop.
  const killedDeadline = Date.now() + KILLED_WAIT_MS;
  while (children.some(groupRunning) && Date.now() < killedDeadline) await pause(POLL_MS);
}

/** @param {number} ms */
function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @param {NodeJS.Signals} signal */
function onSignal(signal) {
  const exitCode = 128 + constants.signals[signal];
  if (stopping) {
    // A second Ctrl+C: do not wait any longer.
    for (const child of running) signalGroup(child, "SIGKILL");
    process.exit(exitCode);
  }
  stopping = signal;
  process.stderr.write(`${signal}: stopping ${running.size} child process${running.size === 1 ? "" : "es"} and everything they started\n`);
  void stopChildren(signal).finally(() => {
    removeHandlers();
    // With no listener left Node's default applies, and the process ends by the signal, as a shell expects.
    process.kill(process.pid, signal);
    process.exit(exitCode);
  });
}

function killAllOnExit() {
  for (const child of running) signalGroup(child, "SIGKILL");
}

function installHandlers() {
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  // A tool that exits while children run (an uncaught error, process.exit) takes them along.
  process.on("exit", killAllOnExit);
}

function removeHandlers() {
  for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
  process.removeListener("exit", killAllOnExit);
}

module.exports = { startChild, forkChild, stopChildren, groupHasRunningMember, graceFromEnvironment, GRACE_VARIABLE, DEFAULT_GRACE_MS };
