import { execFileSync, spawnSync } from "child_process";
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

/** Runs one compiler's command line (with the machine's Node.js), as `npm run typecheck` does. */
function tsc(version: keyof typeof TSC, args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [TSC[version], ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

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
  const results = {
    "5.9": tsc("5.9", ["--noEmit", "--pretty", "false", "-p", FIXTURE_DIR]),
    "7": tsc("7", ["--noEmit", "--pretty", "false", "-p", FIXTURE_DIR]),
  };

  test("the fixture marks one error of each strict option and two plain ones", () => {
    expect(expected.map((d) => d.code)).toEqual([2322, 7006, 2532, 6133, 2366, 7030, 7029, 2345]);
  });

  test.each(["5.9", "7"] as const)("TypeScript %s rejects the fixture with exactly its marked errors", (version) => {
    expect(results[version].status).not.toBe(0);
    expect(diagnostics(results[version].output)).toEqual(expected);
  });

  test("both print the same diagnostics, message for message", () => {
    expect(results["7"].output).toBe(results["5.9"].output);
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
    const run = tsc("7", ["--showConfig", "-p", "."]);
    expect(run.output).not.toMatch(/error TS/);
    expect(run.status).toBe(0);
  });

  // The real `typescript` package: jest.config.js maps the name to an empty module inside tests.
  const parsed = JSON.parse(
    execFileSync(
      process.execPath,
      [
        "-e",
        `const ts = require("typescript");
         const out = {};
         for (const file of ["tsconfig.json", "tsconfig.pulumi.json"]) {
           const config = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\\n")); } });
           out[file] = {
             errors: config.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")),
             module: ts.ModuleKind[config.options.module],
             moduleResolution: ts.ModuleResolutionKind[ts.getEmitModuleResolutionKind(config.options)],
             strict: config.options.strict,
             noCheck: config.options.noCheck === true,
             files: config.fileNames.length,
           };
         }
         process.stdout.write(JSON.stringify({ version: ts.version, configs: out }));`,
      ],
      { cwd: ROOT, encoding: "utf8" },
    ),
  ) as { version: string; configs: Record<string, { errors: string[]; module: string; moduleResolution: string; strict: boolean; noCheck: boolean; files: number }> };

  test("TypeScript 5.9 (editors, typed lint) parses tsconfig.json with no errors, CommonJS, strict", () => {
    expect(parsed.version).toMatch(/^5\.9\./);
    expect(parsed.configs["tsconfig.json"]).toMatchObject({ errors: [], module: "CommonJS", strict: true, noCheck: false });
    expect(parsed.configs["tsconfig.json"].files).toBeGreaterThan(50);
  });

  test("TypeScript 5.9 parses tsconfig.pulumi.json (pulumi up's ts-node) with no errors: CommonJS, Node resolution, no check", () => {
    expect(parsed.configs["tsconfig.pulumi.json"]).toMatchObject({ errors: [], module: "CommonJS", moduleResolution: "Node10", noCheck: true });
  });

  test("pulumi up's loader (the SDK's ts-node set-up with tsconfig.pulumi.json) loads the project's TypeScript", () => {
    // cmd/run/run.js's TypeScript set-up, reduced to its steps: the SDK's own tsconfig reader and ts-node.
    const output = execFileSync(
      process.execPath,
      [
        "-e",
        `const tsutils = require("@pulumi/pulumi/tsutils");
         const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.pulumi.json");
         const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
         require(tsnodeRequire).register({
           compiler: typescriptRequire, transpileOnly: compilerOptions.noCheck, project: "tsconfig.pulumi.json", skipProject: false,
           compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
         });
         const config = require("./lib/config.ts");
         process.stdout.write(JSON.stringify({ typescript: require(typescriptRequire).version, exports: typeof config.tapStackArgsFromConfig }));`,
      ],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, TS_NODE_PROJECT: "" } },
    );
    expect(JSON.parse(output)).toEqual({ typescript: parsed.version, exports: "function" });
  });
});
