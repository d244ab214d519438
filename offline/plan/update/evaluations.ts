import * as fs from "fs";
import * as path from "path";
import { transformSync } from "esbuild";
import { MockCloud, installMockCloud } from "../../mock-cloud";
import { Evaluation, evaluateUnderMockCloud } from "../runner";

/**
 * Evaluates the program (index.ts) once per configuration, all in one module
 * registry: the docs table of config changes, its test and the benchmark plan
 * a dozen configurations, and loading the Pulumi SDK and the library again for
 * each (a fresh process, or jest.isolateModulesAsync) would cost several
 * times the evaluation itself. The program's text is compiled once with
 * esbuild and run as a fresh module each time; what it imports (the library,
 * the SDK) is shared, as the mock cloud is, which is reset in between.
 * `evaluateProgram` (runner.ts) stays the path of `npm run plan`; both run
 * the program through runner.ts's `evaluateUnderMockCloud`, so a failure
 * reads the same on either path.
 */

export interface ProgramEvaluator {
  /** Runs the program with this engine-shaped config (`tap:key` -> text) and returns what it registered. */
  evaluate(config: Readonly<Record<string, string>>): Promise<Evaluation>;
}

type ModuleFunction = (exports: Record<string, unknown>, require: (id: string) => unknown, module: { exports: Record<string, unknown> }, filename: string, dirname: string) => void;

export async function createProgramEvaluator(programPath: string, project: string, stack: string): Promise<ProgramEvaluator> {
  const cloud: MockCloud = await installMockCloud(project, stack, false);
  const { code } = transformSync(fs.readFileSync(programPath, "utf8"), { loader: "ts", format: "cjs", target: "node20", sourcefile: programPath });
  const run = new Function("exports", "require", "module", "__filename", "__dirname", code) as ModuleFunction;
  const directory = path.dirname(programPath);
  // Relative imports resolve from the program's folder; packages from this repository's node_modules, as the program's would.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is CommonJS once compiled
  const programRequire = (id: string): unknown => require(id.startsWith(".") ? path.resolve(directory, id) : id);

  return {
    evaluate: (config) =>
      evaluateUnderMockCloud(
        async () => {
          cloud.reset();
          return cloud;
        },
        config,
        async () => {
          const module = { exports: {} as Record<string, unknown> };
          run(module.exports, programRequire, module, programPath, directory);
          return module.exports;
        },
      ),
  };
}
