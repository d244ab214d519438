import * as fs from "fs";
import * as path from "path";
import { transformSync } from "esbuild";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud, installMockCloud, valueOf, waitForRegistrations, withoutStackTraces } from "../../mock-cloud";
import { withDescribedAssets } from "../assets";
import { Evaluation, ProgramError, isTapConfigError } from "../runner";

/**
 * Evaluates the program (index.ts) once per configuration, all in one module
 * registry: the docs table of config changes, its test and the benchmark plan
 * a dozen configurations, and loading the Pulumi SDK and the library again for
 * each (a fresh process, or jest.isolateModulesAsync) would cost several
 * times the evaluation itself. The program's text is compiled once with
 * esbuild and run as a fresh module each time; what it imports (the library,
 * the SDK) is shared, as the mock cloud is, which is reset in between.
 * `evaluateProgram` (runner.ts) stays the path of `npm run plan`.
 */

export interface ProgramEvaluator {
  /** Runs the program with this engine-shaped config (`tap:key` -> text) and returns what it registered. */
  evaluate(config: Readonly<Record<string, string>>): Promise<Evaluation>;
}

type ModuleFunction = (exports: Record<string, unknown>, require: (id: string) => unknown, module: { exports: Record<string, unknown> }, filename: string, dirname: string) => void;

async function resolveExport(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) return (await pulumi.isSecret(value)) ? "[secret]" : valueOf(value);
  return value instanceof Promise ? await value : value;
}

export async function createProgramEvaluator(programPath: string, project: string, stack: string): Promise<ProgramEvaluator> {
  const cloud: MockCloud = await installMockCloud(project, stack, false);
  const { code } = transformSync(fs.readFileSync(programPath, "utf8"), { loader: "ts", format: "cjs", target: "node20", sourcefile: programPath });
  const run = new Function("exports", "require", "module", "__filename", "__dirname", code) as ModuleFunction;
  const directory = path.dirname(programPath);
  // Relative imports resolve from the program's folder; packages from this repository's node_modules, as the program's would.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is CommonJS once compiled
  const programRequire = (id: string): unknown => require(id.startsWith(".") ? path.resolve(directory, id) : id);

  return {
    async evaluate(config) {
      cloud.reset();
      pulumi.runtime.setAllConfig({ ...config }, []);
      const failures: unknown[] = [];
      const record = (reason: unknown) => failures.push(reason);
      process.on("unhandledRejection", record);
      try {
        const exports = await withoutStackTraces(async () => {
          const module = { exports: {} as Record<string, unknown> };
          try {
            run(module.exports, programRequire, module, programPath, directory);
          } catch (error) {
            if (isTapConfigError(error)) throw error;
            throw new ProgramError([error instanceof Error ? error.message : String(error)]);
          }
          await waitForRegistrations();
          return module.exports;
        });
        const outputs: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(exports)) {
          if (name === "default" || name === "__esModule") continue;
          const resolved = await resolveExport(value);
          if (resolved !== undefined) outputs[name] = resolved;
        }
        await new Promise((resolve) => setImmediate(resolve));
        const configError = failures.find(isTapConfigError);
        if (configError) throw configError;
        if (failures.length > 0) throw new ProgramError(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))));
        return { resources: await Promise.all(cloud.resources.map(withDescribedAssets)), outputs };
      } finally {
        process.off("unhandledRejection", record);
      }
    },
  };
}
