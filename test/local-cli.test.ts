import { spawn } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { TapConfigError } from "../lib/config";
import { DEFAULT_OUTPUTS_FILE, DEFAULT_PORT, LISTENING_MARKER, formatRequestLine, formatStartupError, parseLocalCliArgs, readStackArgs } from "../offline/local";

const REPO_ROOT = path.resolve(__dirname, "..");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tap-local-cli-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: tap\nruntime: nodejs\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeStack(stack: string, yaml: string): void {
  writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml);
}

describe("reading Pulumi.<stack>.yaml", () => {
  it("reads the repository's dev stack", () => {
    expect(readStackArgs("dev", REPO_ROOT)).toEqual({ projectName: "iac-aws-nova", environmentSuffix: "dev", regions: ["us-east-1", "us-west-2"], manageApiGatewayAccount: true });
  });

  it("reads keys in the project's namespace, typed as the program types them, and ignores other namespaces", () => {
    writeStack("qa", ["config:", "  aws:region: us-east-1", "  tap:environmentSuffix: qa", "  tap:lambdaMemoryMb: \"256\"", "  tap:enableFlowLogs: false", '  tap:regions: \'["eu-west-1"]\'', ""].join("\n"));
    expect(readStackArgs("qa", dir)).toEqual({ environmentSuffix: "qa", lambdaMemoryMb: 256, enableFlowLogs: false, regions: ["eu-west-1"] });
  });

  it("gives no arguments (so the library defaults) for a stack file without config", () => {
    writeStack("empty", "");
    expect(readStackArgs("empty", dir)).toEqual({});
  });

  it("names the missing stack file and lists the stacks that have one", () => {
    writeStack("qa", "config: {}\n");
    writeStack("prod", "config: {}\n");
    expect(() => readStackArgs("staging", dir)).toThrow(
      `No config file Pulumi.staging.yaml for stack "staging" in ${dir}. Stacks with a config file: prod, qa. Pass --stack NAME, or create Pulumi.staging.yaml with a config: map.`,
    );
  });

  it("rejects a value of the wrong type with the program's message", () => {
    writeStack("bad", "config:\n  tap:lambdaMemoryMb: lots\n");
    expect(() => readStackArgs("bad", dir)).toThrow(new TapConfigError("lambdaMemoryMb", "lots", "Expected a whole number."));
  });

  it("names a file that is not YAML, and a config that is not a map", () => {
    writeStack("broken", "config: [\n");
    expect(() => readStackArgs("broken", dir)).toThrow(new RegExp(`^${path.join(dir, "Pulumi.broken.yaml").replace(/[.]/g, "\\.")} is not valid YAML: `));
    writeStack("list", "config:\n  - tap:regions\n");
    expect(() => readStackArgs("list", dir)).toThrow(`${path.join(dir, "Pulumi.list.yaml")}: "config" must be a map of keys such as "tap:regions", got ["tap:regions"].`);
  });

  it("needs Pulumi.yaml with a project name", () => {
    rmSync(path.join(dir, "Pulumi.yaml"));
    expect(() => readStackArgs("dev", dir)).toThrow(`No Pulumi.yaml in ${dir}: run this from the project's root directory.`);
    writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
    expect(() => readStackArgs("dev", dir)).toThrow(`${path.join(dir, "Pulumi.yaml")} has no project name (the "name" key).`);
  });
});

describe("command line", () => {
  it("defaults to the dev stack, port 3000 and .local-outputs.json", () => {
    expect(parseLocalCliArgs([])).toEqual({ stack: "dev", port: 3000, outputs: ".local-outputs.json" });
    expect([DEFAULT_PORT, DEFAULT_OUTPUTS_FILE]).toEqual([3000, ".local-outputs.json"]);
  });

  it("takes --stack, --port and --outputs", () => {
    expect(parseLocalCliArgs(["--stack", "prod", "--port", "0", "--outputs", "out.json"])).toEqual({ stack: "prod", port: 0, outputs: "out.json" });
  });

  it("reports a startup failure on one line, tracing a bad config value to its stack file", () => {
    expect(formatStartupError(new TapConfigError("regions[0]", "mars-1", "Not a region."), "qa")).toBe('error: Pulumi.qa.yaml: Invalid config "regions[0]": "mars-1". Not a region.');
    expect(formatStartupError(new Error("Port 3000 on 127.0.0.1 is already in use."), "qa")).toBe("error: Port 3000 on 127.0.0.1 is already in use.");
  });

  it("logs one line per request", () => {
    expect(formatRequestLine({ method: "GET", url: "/us-east-1/dev/api/health", statusCode: 200, durationMs: 1.234 })).toBe("GET /us-east-1/dev/api/health -> 200 (1.2 ms)");
  });
});

/** Runs `npm run local` (tsx offline/local.ts) with `args` from the repository root. */
function runCli(args: string[]) {
  const child = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "tsx"), ["offline/local.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  return { child, exited, output };
}

describe("npm run local", () => {
  it("serves the dev stack, writes the outputs file, and exits 0 on SIGINT", async () => {
    const outputs = path.join(dir, "outputs.json");
    const cli = runCli(["--port", "0", "--outputs", outputs]);
    try {
      await new Promise<void>((resolve, reject) => {
        cli.child.stdout.on("data", () => cli.output().stdout.includes(LISTENING_MARKER) && resolve());
        void cli.exited.then((code) => reject(new Error(`exited ${code} before listening: ${JSON.stringify(cli.output())}`)));
      });
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.output().stdout)?.[1]);
      const written = JSON.parse(readFileSync(outputs, "utf8")) as { api_urls: Record<string, string> };
      expect(written.api_urls).toEqual({
        "us-east-1": `http://127.0.0.1:${port}/us-east-1/dev/api`,
        "us-west-2": `http://127.0.0.1:${port}/us-west-2/dev/api`,
      });
      const health = (await (await fetch(`${written.api_urls["us-west-2"]}/health`)).json()) as { region: string };
      expect(health.region).toBe("us-west-2");
      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
      expect(cli.output().stdout).toContain("GET /us-west-2/dev/api/health -> 200");
      expect(cli.output().stdout).toContain("SIGINT: stopping");
    } finally {
      cli.child.kill("SIGKILL");
    }
  }, 30_000);
});
