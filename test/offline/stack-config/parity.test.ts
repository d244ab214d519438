import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { API_CACHE_SIZES_GB } from "../../../lib/config";
import { withoutStackTraces } from "../../../offline/mock-cloud";
import { readStackArgs } from "../../../offline/local/cli";
import { startLocalServer } from "../../../offline/local/server";
import type { PreviewJson } from "../../../offline/plan/export";
import { REPO_ROOT } from "../../support/paths";

/**
 * `npm run plan` and `npm run local` must read a stack file the same way: the
 * same files go to both, and both must accept them with the same values or
 * refuse them with the same message. The plan runs the real program (a
 * project folder whose index.ts is the repository's), local reads the stack
 * and starts its server.
 */

const ROOT = REPO_ROOT;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tap-parity-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, "index.ts"), `export * from ${JSON.stringify(path.join(ROOT, "index"))};\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function plan(stack: string): Promise<{ code: number; stderr: string; json?: PreviewJson }> {
  const jsonFile = path.join(dir, `${stack}.json`);
  let stderr = "";
  let code = -1;
  await withoutStackTraces(() => jest.isolateModulesAsync(async () => {
    const { main } = await import("../../../offline/plan/cli");
    code = await main(["--cwd", dir, "--stack", stack, "--json", jsonFile], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      projectDir: ROOT,
    });
  }));
  const json = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, "utf8")) as PreviewJson) : undefined;
  return { code, stderr, json };
}

/** What local does with the stack: the startup error's message, or the served config. */
async function local(stack: string): Promise<{ error?: string; lambdaMemoryMb?: number; apiCacheSizeGb?: string }> {
  try {
    const server = await startLocalServer({ args: readStackArgs(stack, dir).args, stackName: stack });
    await server.close();
    return { lambdaMemoryMb: server.config.lambdaMemoryMb, apiCacheSizeGb: server.config.apiCacheSizeGb };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function writeStack(stack: string, lines: string[]): void {
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), ["config:", ...lines, ""].join("\n"));
}

describe("the same stack file through plan and local", () => {
  it.each<[string, string[], string]>([
    // Before: plan read the YAML number as "6.1" (accepted), local as the number 6.1 (refused).
    ["cache", ["  tap:apiCacheSizeGb: 6.10"],
      `Invalid config "apiCacheSizeGb": "6.10". Allowed values: ${API_CACHE_SIZES_GB.map((size) => JSON.stringify(size)).join(", ")}.`],
    // Before: plan refused it, local served the default project name.
    ["nullname", ["  tap:projectName:"],
      'Pulumi.nullname.yaml: config key "tap:projectName" has no value. Give it a value or remove the line.'],
    ["memory", ["  tap:lambdaMemoryMb: 1.5"],
      'Invalid config "lambdaMemoryMb": "1.5". Expected a whole number from 128 to 10240.'],
    ["huge", ["  tap:lambdaMemoryMb: 99999999999999999999999"],
      'Invalid config "lambdaMemoryMb": "99999999999999999999999". It is out of range: expected a whole number from 128 to 10240.'],
  ])("stack %s: both refuse it with the same message", async (stack, lines, message) => {
    writeStack(stack, lines);
    const planned = await plan(stack);
    expect([planned.code, planned.stderr]).toEqual([2, `error: ${message}\n`]);
    expect(await local(stack)).toEqual({ error: message });
  }, 60_000);

  it("both accept YAML numbers that are valid, with the same values", async () => {
    writeStack("numbers", ["  tap:lambdaMemoryMb: 256", "  tap:apiCacheSizeGb: 6.1", "  tap:enableApiCache: true"]);
    const planned = await plan("numbers");
    expect(planned.code).toBe(0);
    const inputs = (type: string) => planned.json?.steps.filter((step) => step.newState.type === type).map((step) => step.newState.inputs) ?? [];
    expect(inputs("aws:lambda/function:Function").map((function_) => function_?.memorySize)).toEqual([256, 256]);
    expect(inputs("aws:apigateway/stage:Stage").map((stage) => stage?.cacheClusterSize)).toEqual(["6.1", "6.1"]);
    expect(await local("numbers")).toEqual({ lambdaMemoryMb: 256, apiCacheSizeGb: "6.1" });
  }, 120_000);
});
