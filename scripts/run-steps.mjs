// `npm test`: runs npm scripts at the same time and keeps their output readable.
//   node scripts/run-steps.mjs typecheck lint test:unit
//   node scripts/run-steps.mjs --serial typecheck lint test:unit     (one after another: `npm run test:serial`)
// Each step's output (stdout and stderr, in the order written) is held back and printed whole, under a
// header line with its result and time, as soon as the step ends: no interleaved lines. The exit status
// is 0 only when every step passed. On 2 cores this overlaps the single-threaded lint with jest and the
// type-check instead of leaving a core idle (measured in BENCHMARKS.md, "Developer loop").
// Each step runs in a process group that SIGINT and SIGTERM end with this script (process-tree.cjs).
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import processTree from "./process-tree.cjs";

const { values: flags, positionals: steps } = parseArgs({ options: { serial: { type: "boolean", default: false } }, allowPositionals: true });
if (steps.length === 0) {
  console.error("usage: node scripts/run-steps.mjs [--serial] NPM_SCRIPT...");
  process.exit(2);
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
// Piped output loses colour detection; keep colours when the person running this sees a terminal.
const env = process.stdout.isTTY && !process.env.NO_COLOR ? { ...process.env, FORCE_COLOR: "1" } : process.env;

/** Runs one npm script; resolves to its result once it has ended and its output is printed. */
function runStep(step) {
  return new Promise((resolve) => {
    const begin = performance.now();
    const chunks = [];
    const child = processTree.startChild(npm, ["run", "--silent", step], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => chunks.push(chunk));
    child.stderr.on("data", (chunk) => chunks.push(chunk));
    const finish = (code, detail) => {
      const seconds = ((performance.now() - begin) / 1000).toFixed(1);
      const ok = code === 0;
      const output = Buffer.concat(chunks).toString("utf8").trimEnd();
      process.stdout.write(`\n── ${step}: ${ok ? "passed" : `FAILED (${detail})`} in ${seconds} s ──\n${output ? `${output}\n` : ""}`);
      resolve({ step, ok });
    };
    child.on("error", (error) => finish(1, error.message));
    child.on("close", (code, signal) => finish(code, signal ? `signal ${signal}` : `exit ${code}`));
  });
}

console.log(`Running ${steps.join(", ")} ${flags.serial ? "one after another" : "in parallel"}; each step's output follows when it ends.`);
const started = performance.now();
const results = [];
if (flags.serial) {
  // Like `a && b && c`: stop at the first step that fails.
  for (const step of steps) {
    results.push(await runStep(step));
    if (!results[results.length - 1].ok) break;
  }
} else {
  results.push(...(await Promise.all(steps.map(runStep))));
}
const failed = results.filter((result) => !result.ok).map((result) => result.step);
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${failed.length === 0 ? `All ${steps.length} steps passed` : `FAILED: ${failed.join(", ")}`} (${total} s).`);
process.exitCode = failed.length === 0 ? 0 : 1;
