import { main, parseArguments } from "../../bench/manual/local-memory";

// The module's own exports object: an ES import gives a namespace whose properties jest cannot replace.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const processTree = require("../../scripts/process-tree.cjs") as typeof import("../../scripts/process-tree.cjs");

/**
 * The manual memory run of the local server (bench/manual/local-memory.ts):
 * a bad argument is one line and exit 2 before the server starts, and its
 * client process is started through scripts/process-tree.cjs, so SIGINT or
 * SIGTERM ends it with the run.
 */

// The tool calls process-tree's export at call time, so a spy on the module's exports sees each child it starts.
const startChild = jest.spyOn(processTree, "startChild");
afterAll(() => startChild.mockRestore());

function io() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: { write: (text: string) => (out.stdout += text) }, stderr: { write: (text: string) => (out.stderr += text) }, settleMs: 0 } };
}

describe("parseArguments", () => {
  it.each([
    [[], { count: 100, mib: 10 }],
    [["4"], { count: 4, mib: 10 }],
    [["4", "0.5"], { count: 4, mib: 0.5 }],
  ])("%j -> %j", (argv, expected) => {
    expect(parseArguments(argv, io().io)).toEqual(expected);
  });

  it.each([
    [["0"], "error: command-argument value '0' is invalid for argument 'count'. Expected a whole number from 1 to 1000.\n"],
    [["many"], "error: command-argument value 'many' is invalid for argument 'count'. Expected a whole number from 1 to 1000.\n"],
    [["4", "-1"], "error: command-argument value '-1' is invalid for argument 'mib'. Expected a number of MiB above 0 and at most 100, such as 10 or 0.5.\n"],
    [["4", "1e3"], "error: command-argument value '1e3' is invalid for argument 'mib'. Expected a number of MiB above 0 and at most 100, such as 10 or 0.5.\n"],
    [["4", "10", "extra"], "error: too many arguments. Expected 2 arguments but got 3.\n"],
  ])("%j: exit 2 with one line", (argv, message) => {
    const { out, io: streams } = io();
    expect([parseArguments(argv, streams), out.stdout, out.stderr]).toEqual([2, "", message]);
  });
});

describe("a run", () => {
  it("a bad argument starts nothing", async () => {
    const { io: streams } = io();
    expect(await main(["0"], streams)).toBe(2);
    expect(startChild).not.toHaveBeenCalled();
  });

  it("starts its client through process-tree.cjs and prints the statuses and the server's RSS", async () => {
    const { out, io: streams } = io();
    expect(await main(["2", "0.01"], streams)).toBe(0);
    expect(startChild.mock.calls.map(([command, args]) => [command, args[0]])).toEqual([[process.execPath, "-e"]]);
    expect(out.stdout).toMatch(/^2 concurrent POSTs of 0\.01 MiB: statuses \{"\d{3}":2\} in \d+\.\d s\nserver RSS: before \d+ MB, peak \d+ MB, 0 s after \d+ MB\n$/);
    expect(out.stderr).toBe("");
  }, 30_000);
});
