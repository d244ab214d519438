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
 *    started, waits until each group is empty (SIGKILL after a grace period), then ends itself with the same
 *    signal, so its parent sees how it ended. A second signal kills the groups at once. Once a signal has
 *    arrived no new child is started.
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
const { constants } = require("node:os");

/** How long a signalled group gets to exit before SIGKILL. */
const GRACE_MS = 5000;
/** How often a signalled group is checked for being empty. */
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
 * Signals every running child's group and resolves once each group is empty, sending SIGKILL to any group
 * still running after `graceMs`.
 * @param {NodeJS.Signals} signal
 * @param {number} [graceMs]
 */
async function stopChildren(signal, graceMs = GRACE_MS) {
  const children = [...running];
  for (const child of children) signalGroup(child, signal);
  const deadline = Date.now() + graceMs;
  while (children.some((child) => signalGroup(child, 0)) && Date.now() < deadline) await pause(POLL_MS);
  for (const child of children) signalGroup(child, "SIGKILL");
  while (children.some((child) => signalGroup(child, 0))) await pause(POLL_MS);
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

module.exports = { startChild, forkChild, stopChildren, GRACE_MS };
