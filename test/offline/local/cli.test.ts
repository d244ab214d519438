import { spawn } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { connect } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { TapConfigError, resolveTapStackArgs } from "../../../lib/config";
import { PlanConfigError } from "../../../offline/stack-config/loader";
import { DEFAULT_OUTPUTS_FILE, DEFAULT_PORT, LISTENING_MARKER, LocalCliOptions, formatRequestLine, formatStartupError, parseLocalCliArgs, readStackArgs, runLocal, startLocal } from "../../../offline/local/cli";
import { REPO_ROOT } from "../../support/paths";
import { descendants, isAlive } from "../../support/processes";


let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tap-local-cli-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: tap\nruntime: nodejs\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeStack(stack: string, yaml: string): void {
  writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml);
}

describe("reading Pulumi.<stack>.yaml (with the plan's loader)", () => {
  it("reads the repository's dev stack: Pulumi.yaml's defaults, then the stack file", () => {
    const { args, warnings } = readStackArgs("dev", REPO_ROOT);
    expect(resolveTapStackArgs(args, "dev")).toEqual(resolveTapStackArgs({ projectName: "iac-aws-nova", environmentSuffix: "dev", regions: ["us-east-1", "us-west-2"], manageApiGatewayAccount: true }, "dev"));
    expect(warnings).toEqual([]);
  });

  it("reads keys in the project's namespace, typed as the program types them, and ignores other namespaces", () => {
    writeStack("qa", ["config:", "  other:thing: 1", "  tap:environmentSuffix: qa", "  tap:lambdaMemoryMb: \"256\"", "  tap:enableFlowLogs: false", '  tap:regions: \'["eu-west-1"]\'', ""].join("\n"));
    expect(readStackArgs("qa", dir).args).toEqual({ environmentSuffix: "qa", lambdaMemoryMb: 256, enableFlowLogs: false, regions: ["eu-west-1"] });
  });

  it("gives no arguments (so the library defaults) for a stack file without config", () => {
    writeStack("empty", "");
    expect(readStackArgs("empty", dir)).toEqual({ args: {}, warnings: [] });
  });

  it("names the missing stack file and lists the stacks that have one", () => {
    writeStack("qa", "config: {}\n");
    writeStack("prod", "config: {}\n");
    expect(() => readStackArgs("staging", dir)).toThrow(
      new PlanConfigError(
        `Stack "staging" has no config file: Pulumi.staging.yaml does not exist in ${dir}. Stacks with a config file: prod, qa. ` +
          "Choose one with --stack <name>, or create Pulumi.staging.yaml with a config: map.",
      ),
    );
  });

  it("passes a value of the wrong type on, for the program's validation to reject with its message", () => {
    writeStack("bad", "config:\n  tap:lambdaMemoryMb: lots\n");
    expect(() => resolveTapStackArgs(readStackArgs("bad", dir).args, "bad")).toThrow(
      new TapConfigError("lambdaMemoryMb", "lots", "Expected a whole number from 128 to 10240."),
    );
  });

  it("names a file that is not YAML, and a config that is not a map", () => {
    writeStack("broken", "config: [\n");
    expect(() => readStackArgs("broken", dir)).toThrow(/^Pulumi\.broken\.yaml: /);
    writeStack("list", "config:\n  - tap:regions\n");
    expect(() => readStackArgs("list", dir)).toThrow(new PlanConfigError("Pulumi.list.yaml config must be a map of keys to values."));
  });

  it("needs Pulumi.yaml with a project name", () => {
    rmSync(path.join(dir, "Pulumi.yaml"));
    expect(() => readStackArgs("dev", dir)).toThrow(`No Pulumi.yaml in ${dir}: run this from the project's directory.`);
    writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
    expect(() => readStackArgs("dev", dir)).toThrow("Pulumi.yaml has no project name (the `name:` key).");
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

/** Runs `npm run local`'s command (node --import tsx offline/local/cli.ts, without npm) with `args` from the repository root. */
function runCli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "offline/local/cli.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // "close" comes after the output streams have ended: everything the command wrote has been read.
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  return { child, exited, closed, output };
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

async function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

describe("runLocal", () => {
  it("prints the loader's warnings: aws:region is ignored, a reservation of 0 throttles everything", async () => {
    writeFileSync(path.join(dir, "Pulumi.yaml"), readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
    writeStack("warn", "config:\n  aws:region: eu-west-1\n  tap:regions: [us-east-1]\n  tap:lambdaReservedConcurrency: 0\n");
    const errors: string[] = [];
    const server = await runLocal({ stack: "warn", port: 0, outputs: path.join(dir, "out.json") }, dir, () => undefined, (line) => errors.push(line));
    await server.close();
    expect(errors).toEqual([
      'warning: Config key "aws:region" (from Pulumi.warn.yaml) is ignored: the default AWS provider is disabled (pulumi:disable-default-providers in Pulumi.yaml), ' +
        'and every resource uses its region\'s own provider. Set the regions with "tap:regions".',
      'warning: Config "lambdaReservedConcurrency" is 0: Lambda throttles every invocation, so the API fails EVERY request in every region (us-east-1). ' +
        "Set it to -1 for no reservation, or reserve at least 1.",
    ]);
  }, 30_000);
});

describe("npm run local with a stack name that is a path", () => {
  // In-process: main() exits with startLocal's status; the end-to-end runs above and below start the real command.
  it("exits 2 with the plan's one-line error, before reading any file", async () => {
    const options = parseLocalCliArgs(["--stack", "/../../evil", "--port", "0", "--outputs", path.join(dir, "out.json")]) as LocalCliOptions;
    const stdout: string[] = [];
    const stderr: string[] = [];
    // A project directory that does not exist: reading Pulumi.yaml first would fail with "No Pulumi.yaml in ...".
    const started = await startLocal(options, path.join(dir, "no-such-project"), (line) => stdout.push(line), (line) => stderr.push(line));
    expect(started).toBe(2);
    expect({ stdout, stderr }).toEqual({
      stdout: [],
      stderr: ['error: --stack "/../../evil": expected a stack name of letters, digits, "-", "_" and "." (1 to 100 characters, starting with a letter or digit), such as "dev".'],
    });
    expect(readdirSync(dir)).toEqual(["Pulumi.yaml"]);
  });

  it("exits the real command with that status: 2 and the one line, nothing on stdout", async () => {
    const cli = runCli(["--stack", "/../../evil", "--port", "0"]);
    expect({ code: await cli.closed, ...cli.output() }).toEqual({
      code: 2,
      stdout: "",
      stderr: 'error: --stack "/../../evil": expected a stack name of letters, digits, "-", "_" and "." (1 to 100 characters, starting with a letter or digit), such as "dev".\n',
    });
  }, 30_000);
});

describe("npm run local under a process manager", () => {
  // npm forwards SIGTERM to the script's shell only. Before the fix the shell died and
  // left tsx and the server behind, reparented to init and still listening.
  it("stops the whole tree on SIGTERM to the npm process: the port closes and no child remains", async () => {
    const outputs = path.join(dir, "outputs.json");
    // Its own process group, so the finally block can clean up whatever the test leaves.
    const npm = spawn("npm", ["run", "local", "--", "--port", "0", "--outputs", outputs], { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    npm.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => npm.on("exit", (code, signal) => resolve(signal ?? code)));
    try {
      await new Promise<void>((resolve, reject) => {
        npm.stdout.on("data", () => stdout.includes(LISTENING_MARKER) && resolve());
        void exited.then((code) => reject(new Error(`exited ${code} before listening: ${stdout}`)));
      });
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
      const tree = descendants(npm.pid as number);
      expect(tree.length).toBeGreaterThanOrEqual(1); // the server, npm's own child (the script execs node)
      expect(await portAccepts(port)).toBe(true);

      process.kill(npm.pid as number, "SIGTERM");
      await exited;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (tree.some(isAlive) || (await portAccepts(port)))) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(tree.filter(isAlive)).toEqual([]);
      expect(await portAccepts(port)).toBe(false);
      expect(stdout).toContain("SIGTERM: stopping");
    } finally {
      try {
        process.kill(-(npm.pid as number), "SIGKILL");
      } catch {
        // the group is already gone
      }
    }
  }, 60_000);
});

