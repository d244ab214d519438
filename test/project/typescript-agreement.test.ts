import { execFile } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { FIXTURES, REPO_ROOT } from "../support/paths";

/**
 * Two TypeScript compilers read this project's tsconfig files:
 *  - TypeScript 7 (npm alias `typescript-7`, the native compiler) runs `npm run typecheck`, the only
 *    type-check of the project;
 *  - TypeScript 5.9 (`typescript`) is what editors, the lint's typed parser, and the ts-node inside
 *    `pulumi up` (tsconfig.pulumi.json) load, because TypeScript 7 has no JavaScript API.
 * These tests show the two agree on what is an error, and that the tsconfig files stay valid for both.
 *
 * Speed: the compilers run in two child processes at once, started before the first test: TypeScript 7's command
 * line (twice), and one Node.js process that loads TypeScript 5.9 once for its three jobs (TYPESCRIPT_5_JOBS).
 */

const ROOT = REPO_ROOT;
const FIXTURE_DIR = path.join(FIXTURES, "typecheck");
const FIXTURE = path.join(FIXTURE_DIR, "errors.ts");
const TSC = {
  "5.9": path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
  "7": path.join(ROOT, "node_modules", "typescript-7", "bin", "tsc"),
} as const;

interface Diagnostic {
  line: number;
  code: number;
}

interface CommandLineRun {
  status: number | null;
  output: string;
}

/** Runs `args` with the machine's Node.js from the repository root; resolves to the exit status and stdout then stderr. */
function node(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandLineRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, encoding: "utf8", env }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ status, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs TypeScript 7's command line, as `npm run typecheck` does. */
function tsc7(args: string[]): Promise<CommandLineRun> {
  return node([TSC["7"], ...args]);
}

/** The arguments both compilers check the fixture with. */
const FIXTURE_ARGS = ["--noEmit", "--pretty", "false", "-p", FIXTURE_DIR];

/** What TYPESCRIPT_5_JOBS prints: each job's result, or the message of the error it failed with. */
interface TypeScript5Answers {
  fixture: CommandLineRun | { error: string };
  parsed: { version: string; configs: Record<string, { errors: string[]; module: string; moduleResolution: string; strict: boolean; noCheck: boolean; files: number }> } | { error: string };
  loader: { typescript: string; exports: string } | { error: string };
}

/**
 * TypeScript 5.9's three jobs, in one Node.js process with the real `typescript` package (jest.config.js maps the
 * name to an empty module inside tests), each reporting its own failure:
 *  - fixture: its command line on the fixture, through executeCommandLine, the function its bin/tsc runs, with the
 *    output and exit status captured instead of written;
 *  - parsed: tsconfig.json and tsconfig.pulumi.json as editors and the typed lint read them;
 *  - loader: cmd/run/run.js's TypeScript set-up for `pulumi up`, reduced to its steps (the SDK's own tsconfig
 *    reader and ts-node), loading the project's lib/config.ts. Last, since it registers ts-node for the process.
 */
const TYPESCRIPT_5_JOBS = `
  const ts = require("typescript");
  const attempt = (job) => { try { return job(); } catch (error) { return { error: String(error && error.stack || error) }; } };
  const fixture = attempt(() => {
    let output = "";
    let status = null;
    const system = { ...ts.sys, write: (text) => { output += text; }, exit: (code) => { status = code; } };
    ts.executeCommandLine(system, () => undefined, ${JSON.stringify(FIXTURE_ARGS)});
    return { status, output };
  });
  const parsed = attempt(() => {
    const configs = {};
    for (const file of ["tsconfig.json", "tsconfig.pulumi.json"]) {
      const config = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\\n")); } });
      configs[file] = {
        errors: config.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")),
        module: ts.ModuleKind[config.options.module],
        moduleResolution: ts.ModuleResolutionKind[ts.getEmitModuleResolutionKind(config.options)],
        strict: config.options.strict,
        noCheck: config.options.noCheck === true,
        files: config.fileNames.length,
      };
    }
    return { version: ts.version, configs };
  });
  const loader = attempt(() => {
    const tsutils = require("@pulumi/pulumi/tsutils");
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.pulumi.json");
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    require(tsnodeRequire).register({
      compiler: typescriptRequire, transpileOnly: compilerOptions.noCheck, project: "tsconfig.pulumi.json", skipProject: false,
      compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
    });
    const config = require("./lib/config.ts");
    return { typescript: require(typescriptRequire).version, exports: typeof config.tapStackArgsFromConfig };
  });
  process.stdout.write(JSON.stringify({ fixture, parsed, loader }));
`;

/** A job's result, or the test fails with the error the job reported. */
function resultOf<T extends object>(job: T | { error: string }): T {
  if ("error" in job) throw new Error(`TypeScript 5.9's job failed: ${job.error}`);
  return job;
}

let typescript7: { fixture: CommandLineRun; showConfig: CommandLineRun };
let typescript5: TypeScript5Answers;

beforeAll(async () => {
  const [fixture, showConfig, jobs] = await Promise.all([
    tsc7(FIXTURE_ARGS),
    tsc7(["--showConfig", "-p", "."]),
    node(["-e", TYPESCRIPT_5_JOBS], { ...process.env, TS_NODE_PROJECT: "" }),
  ]);
  typescript7 = { fixture, showConfig };
  if (jobs.status !== 0) throw new Error(`TypeScript 5.9's jobs exited with ${jobs.status}: ${jobs.output}`);
  typescript5 = JSON.parse(jobs.output) as TypeScript5Answers;
}, 120_000);

/** `file(line,col): error TSnnnn: ...` lines of `--pretty false` output, for the fixture. */
function diagnostics(output: string): Diagnostic[] {
  return [...output.matchAll(/^(.+?)\((\d+),\d+\): error TS(\d+): /gm)].map((match) => {
    expect(path.resolve(ROOT, match[1])).toBe(FIXTURE);
    return { line: Number(match[2]), code: Number(match[3]) };
  });
}

/** The errors the fixture promises: every line that ends in a `// TSnnnn` comment. */
const expected: Diagnostic[] = readFileSync(FIXTURE, "utf8")
  .split("\n")
  .flatMap((text, index) => {
    const match = /\/\/ TS(\d+)\b/.exec(text);
    return match ? [{ line: index + 1, code: Number(match[1]) }] : [];
  });

describe("TypeScript 7 (npm run typecheck) and TypeScript 5.9 agree", () => {
  const fixtureRun = (version: "5.9" | "7"): CommandLineRun => (version === "7" ? typescript7.fixture : resultOf(typescript5.fixture));

  test("the fixture marks one error of each strict option and two plain ones", () => {
    expect(expected.map((d) => d.code)).toEqual([2322, 7006, 2532, 6133, 2366, 7030, 7029, 2345]);
  });

  test.each(["5.9", "7"] as const)("TypeScript %s rejects the fixture with exactly its marked errors", (version) => {
    // TypeScript 5.9's ExitStatus.DiagnosticsPresent_OutputsGenerated (2: --noEmit skips no output because of the
    // errors); TypeScript 7's native compiler exits 1 on any error.
    expect(fixtureRun(version).status).toBe(version === "5.9" ? 2 : 1);
    expect(diagnostics(fixtureRun(version).output)).toEqual(expected);
  });

  test("both print the same diagnostics, message for message", () => {
    expect(fixtureRun("7").output).toBe(fixtureRun("5.9").output);
  });

  test("the packages are the versions package.json pins, under their own names", () => {
    const version = (name: string) => (JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    expect(version("typescript")).toMatch(/^5\.9\./);
    expect(version("typescript-7")).toMatch(/^7\./);
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    // Two checkers: this machine has 2 cores; the default (4) took more memory and no less time here.
    expect(scripts.typecheck).toBe("exec node node_modules/typescript-7/bin/tsc --noEmit -p . --checkers 2");
  });
});

describe("the tsconfig files stay valid for both compilers", () => {
  test("TypeScript 7 reads tsconfig.json without an option error (no removed moduleResolution node10)", () => {
    const run = typescript7.showConfig;
    expect(run.output).not.toMatch(/error TS/);
    expect(run.status).toBe(0);
  });

  test("TypeScript 5.9 (editors, typed lint) parses tsconfig.json with no errors, CommonJS, strict", () => {
    const parsed = resultOf(typescript5.parsed);
    expect(parsed.version).toMatch(/^5\.9\./);
    expect(parsed.configs["tsconfig.json"]).toMatchObject({ errors: [], module: "CommonJS", strict: true, noCheck: false });
    expect(parsed.configs["tsconfig.json"].files).toBeGreaterThan(50);
  });

  test("TypeScript 5.9 parses tsconfig.pulumi.json (pulumi up's ts-node) with no errors: CommonJS, Node resolution, no check", () => {
    const parsed = resultOf(typescript5.parsed);
    expect(parsed.configs["tsconfig.pulumi.json"]).toMatchObject({ errors: [], module: "CommonJS", moduleResolution: "Node10", noCheck: true });
  });

  test("pulumi up's loader (the SDK's ts-node set-up with tsconfig.pulumi.json) loads the project's TypeScript", () => {
    expect(resultOf(typescript5.loader)).toEqual({ typescript: resultOf(typescript5.parsed).version, exports: "function" });
  });
});
