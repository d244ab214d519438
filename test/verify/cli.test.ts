import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { noCredentialsMessage } from "../../verify/aws-clients";
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_PASSED, main } from "../../verify/cli";
import { HTTP_CHECKS } from "../../verify/checks";
import { parseFunctionName } from "../../verify/identity";
import { RegionNames } from "../../lib/naming";
import { pulumiMissingMessage } from "../../verify/outputs";
import { COMMERCIAL_REGION_NAMES } from "../../lib/regions";
import { REGIONS, ScriptedApi, contractReply } from "../support/verify-servers";

/**
 * The CLI, run in-process with captured output: exit codes, the exact
 * message for each bad input, and the table and JSON it prints.
 */

let dir: string;
let api: ScriptedApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tap-verify-"));
  api = await new ScriptedApi((region, route) => contractReply(region, route)).start();
});

afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], dependencies: Parameters<typeof main>[2] = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, dependencies);
  return { code, stdout, stderr };
}

/** Writes `content` (text as is, anything else as JSON) to a fresh file and returns its path. */
let fileCount = 0;
function writeOutputs(content: unknown): string {
  const path = join(dir, `outputs-${++fileCount}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** A stand-in `pulumi` executable: records its arguments, prints `stdout`/`stderr`, exits with `code`. */
function fakePulumi(stdout: string, stderr = "", code = 0): { command: string; argsFile: string } {
  const command = join(dir, `pulumi-${++fileCount}`);
  const argsFile = `${command}.args`;
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  writeFileSync(
    command,
    `#!/bin/sh\necho "$@" > ${quote(argsFile)}\nprintf '%s' ${quote(stdout)}\nprintf '%s' ${quote(stderr)} >&2\nexit ${code}\n`,
  );
  chmodSync(command, 0o755);
  return { command, argsFile };
}

const URL_EAST = "https://abc.execute-api.us-east-1.amazonaws.com/dev/api";

describe("bad outputs files exit 2 with a message naming the problem", () => {
  it.each<[string, unknown, (file: string) => string]>([
    ["a JSON array", [1, 2], (f) => `Invalid outputs (file "${f}"): expected a JSON object of stack outputs, got [1,2].`],
    ["no api_urls", { vpc_ids: {} },
      (f) => `Invalid outputs (file "${f}"): "api_urls" is missing; expected an object mapping each region to its API URL (http or https, without user:password@).`],
    ["api_urls as a string", { api_urls: URL_EAST },
      (f) => `Invalid outputs (file "${f}"): "api_urls" is "${URL_EAST}"; expected an object mapping each region to its API URL (http or https, without user:password@).`],
    ["an empty api_urls", { api_urls: {} }, (f) => `Invalid outputs (file "${f}"): "api_urls" is empty; expected at least one region.`],
    ["a key that is not a region", { api_urls: { useast1: URL_EAST } },
      (f) => `Invalid outputs (file "${f}"): "api_urls" has the key "useast1", which is not a region code such as us-east-1.`],
    ["a URL that is a number", { api_urls: { "us-east-1": 42 } },
      (f) => `Invalid outputs (file "${f}"): "api_urls.us-east-1" is 42; expected its API URL (http or https, without user:password@).`],
    ["an ftp URL", { api_urls: { "us-east-1": "ftp://host/api" } },
      (f) => `Invalid outputs (file "${f}"): "api_urls.us-east-1" is "ftp://host/api"; expected its API URL (http or https, without user:password@).`],
    ["a made-up region code, shaped like one", { api_urls: { "xx-test-1": URL_EAST } },
      (f) => `Invalid outputs (file "${f}"): "api_urls" has the key "xx-test-1", which is not an AWS commercial region tap deploys to. Known regions: ${COMMERCIAL_REGION_NAMES.join(", ")}.`],
    ["a URL with credentials, which the message redacts", { api_urls: { "us-east-1": "https://admin:hunter2@abc.example/api" } },
      (f) => `Invalid outputs (file "${f}"): "api_urls.us-east-1" is "https://***@abc.example/api"; expected its API URL (http or https, without user:password@).`],
    ["an empty bucket name", { api_urls: { "us-east-1": URL_EAST }, s3_buckets: { "us-east-1": "" } },
      (f) => `Invalid outputs (file "${f}"): "s3_buckets.us-east-1" is ""; expected a non-empty string.`],
    ["alarm_names as a string", { api_urls: { "us-east-1": URL_EAST }, alarm_names: { "us-east-1": "errors" } },
      (f) => `Invalid outputs (file "${f}"): "alarm_names.us-east-1" is "errors"; expected an array of alarm names.`],
    ["a global_url that is not a URL", { api_urls: { "us-east-1": URL_EAST }, global_url: "api.example.com" },
      (f) => `Invalid outputs (file "${f}"): "global_url" is "api.example.com"; expected an http(s) URL without user:password@.`],
  ])("%s", async (_, content, message) => {
    const file = writeOutputs(content);
    expect(await run(["--outputs", file, "--http-only"])).toEqual({ code: EXIT_BAD_INPUT, stdout: "", stderr: `error: ${message(file)}\n` });
  });

  it("a file that does not exist", async () => {
    const file = join(dir, "nope.json");
    expect(await run(["--outputs", file])).toEqual({
      code: EXIT_BAD_INPUT, stdout: "", stderr: `error: Cannot read the outputs file "${file}": no such file.\n`,
    });
  });

  it("a file that is not JSON", async () => {
    const file = writeOutputs("api_urls: {}");
    const parserMessage = (() => {
      try {
        JSON.parse("api_urls: {}");
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(parserMessage).not.toBe("");
    expect(await run(["--outputs", file])).toEqual({
      code: EXIT_BAD_INPUT, stdout: "", stderr: `error: The outputs file "${file}" is not valid JSON: ${parserMessage}.\n`,
    });
  });
});

describe("bad flags and missing prerequisites exit 2", () => {
  const complete = () => {
    const perRegion = (value: (region: string) => unknown) => Object.fromEntries(REGIONS.map((region) => [region, value(region)]));
    return {
      ...api.outputs(),
      s3_buckets: perRegion((region) => `bucket-${region}`),
      vpc_ids: perRegion((region) => `vpc-${region}`),
      lambda_function_names: perRegion((region) => `iac-aws-nova-api-${region}-dev`),
      alarm_topic_arns: perRegion((region) => `arn:aws:sns:${region}:123456789012:alarms`),
      alarm_names: perRegion((region) => [`a-${region}`]),
      dashboard_name: "iac-aws-nova-dashboard-dev",
    };
  };

  it.each<[string, string[], string]>([
    ["neither --stack nor --outputs", [], 'Pass --stack NAME (runs "pulumi stack output --json") or --outputs FILE.'],
    ["both --stack and --outputs", ["--stack", "dev", "--outputs", "x.json"], "Pass only one of --stack and --outputs."],
    ["a --timeout that is not a number", ["--timeout", "abc"],
      "option '--timeout <ms>' argument 'abc' is invalid. Expected a whole number from 1 to 600000."],
    ["an --attempts of 0", ["--attempts", "0"], "option '--attempts <n>' argument '0' is invalid. Expected a whole number from 1 to 10."],
    ["an unknown option", ["--bogus"], "unknown option '--bogus'"],
  ])("%s", async (_, argv, message) => {
    expect(await run(argv)).toEqual({ code: EXIT_BAD_INPUT, stdout: "", stderr: `error: ${message}\n` });
  });

  it("a --region that is not in the outputs", async () => {
    const file = writeOutputs(api.outputs());
    expect(await run(["--outputs", file, "--http-only", "--region", "us-west-2", "--region", "eu-west-1"])).toEqual({
      code: EXIT_BAD_INPUT, stdout: "", stderr: 'error: Region "eu-west-1" is not in the outputs; they have: us-east-1, us-west-2.\n',
    });
  });

  it("AWS checks on outputs without the AWS keys point at --http-only", async () => {
    const file = writeOutputs(api.outputs());
    expect(await run(["--outputs", file])).toEqual({
      code: EXIT_BAD_INPUT, stdout: "",
      stderr: `error: Invalid outputs (file "${file}"): "s3_buckets" is missing; the AWS checks need it (pass --http-only to run only the HTTP checks).\n`,
    });
  });

  it("AWS checks on outputs that lack a region's entry name it", async () => {
    const outputs = complete();
    const file = writeOutputs({ ...outputs, vpc_ids: { "us-east-1": "vpc-1" } });
    expect((await run(["--outputs", file])).stderr).toBe(
      `error: Invalid outputs (file "${file}"): "vpc_ids" has no entry for region "us-west-2"; ` +
        "the AWS checks need it (pass --http-only to run only the HTTP checks).\n",
    );
  });

  it("AWS checks without credentials point at --http-only, before any check runs", async () => {
    const file = writeOutputs(complete());
    const requests = () => [...api.requests.values()].reduce((sum, count) => sum + count, 0);
    const before = requests();
    const result = await run(["--outputs", file], {
      credentials: async () => { throw new Error("Could not load credentials from any providers"); },
    });
    expect(result).toEqual({
      code: EXIT_BAD_INPUT, stdout: "", stderr: `error: ${noCredentialsMessage("Could not load credentials from any providers")}\n`,
    });
    expect(noCredentialsMessage("x")).toContain("pass --http-only to run only the HTTP checks");
    expect(requests()).toBe(before);
  });

  it("--stack without the Pulumi CLI says to install it or use --outputs", async () => {
    const command = join(dir, "no-such-pulumi");
    expect(await run(["--stack", "dev"], { pulumiCommand: command })).toEqual({
      code: EXIT_BAD_INPUT, stdout: "", stderr: `error: ${pulumiMissingMessage(command)}\n`,
    });
    expect(pulumiMissingMessage("pulumi")).toBe(
      'The Pulumi CLI was not found (no "pulumi" on PATH). Install it (https://www.pulumi.com/docs/iac/download-install/) ' +
        'or pass --outputs FILE with the output of "pulumi stack output --json".',
    );
  });

  it("--stack when pulumi fails passes its error on", async () => {
    const { command } = fakePulumi("", "error: no stack named 'nope' found", 255);
    expect(await run(["--stack", "nope"], { pulumiCommand: command })).toEqual({
      code: EXIT_BAD_INPUT, stdout: "",
      stderr: `error: "${command} stack output --json --stack nope" failed (exit code 255): error: no stack named 'nope' found\n`,
    });
  });

  it("--stack when pulumi prints something that is not JSON", async () => {
    const { command } = fakePulumi("Current stack outputs (0):");
    const { code, stderr } = await run(["--stack", "dev"], { pulumiCommand: command });
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(stderr).toMatch(new RegExp(`^error: "${command} stack output --json --stack dev" printed something that is not JSON: .+\\.\\n$`));
  });
});

describe("runs", () => {
  it("--stack reads the outputs with pulumi stack output --json and checks them", async () => {
    const { command, argsFile } = fakePulumi(JSON.stringify(api.outputs()));
    const { code, stderr } = await run(["--stack", "dev", "--http-only"], { pulumiCommand: command });
    expect({ code, stderr }).toEqual({ code: EXIT_PASSED, stderr: "" });
    expect(readFileSync(argsFile, "utf8")).toBe("stack output --json --stack dev\n");
  });

  it("prints one table row per check and exits 0 when every check passes", async () => {
    const file = writeOutputs(api.outputs());
    const { code, stdout, stderr } = await run(["--outputs", file, "--http-only", "--region", "us-west-2"]);
    expect({ code, stderr }).toEqual({ code: EXIT_PASSED, stderr: "" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CHECK +REGION +STATUS +DETAIL$/);
    expect(lines.slice(1, 1 + HTTP_CHECKS.length).map((line) => line.split(/ +/).slice(0, 3).join(" "))).toEqual(
      HTTP_CHECKS.map((check) => `${check} us-west-2 PASS`),
    );
    expect(lines.slice(1 + HTTP_CHECKS.length)).toEqual(["", "6 checks: 6 passed, 0 failed, 0 not run; all checks passed"]);
  });

  it("exits 1 and shows the failing row when a check fails", async () => {
    const broken = await new ScriptedApi((region, route) => ({ ...contractReply(region, route), headers: {} })).start();
    try {
      const file = writeOutputs(broken.outputs(["us-east-1"]));
      const { code, stdout } = await run(["--outputs", file, "--http-only"]);
      expect(code).toBe(EXIT_FAILED);
      expect(stdout).toMatch(/^api-cors +us-east-1 +FAIL +no Access-Control-Allow-Origin header$/m);
      expect(stdout).toMatch(/5 passed, 1 failed, 0 not run; verification FAILED\n$/);
    } finally {
      await broken.stop();
    }
  });

  // Node's server refuses ESC in a header value, but sends a C1 control (0x9b, CSI on many terminals) as a latin-1 byte.
  it("escapes control characters from the server in the table and the JSON: no ESC reaches the terminal", async () => {
    const hostile = await new ScriptedApi((_region, route) => (route === "api"
      ? { status: 200, headers: { "Access-Control-Allow-Origin": "\u009b2J*" }, body: "<html>\u001b[31mred\u001b[0m\rOK \u009b2J\u202egnp.exe</html>" }
      : { status: 500, body: "\u001b[2Jdown" })).start();
    try {
      const file = writeOutputs(hostile.outputs(["us-east-1"]));
      // Any control character but the newlines between rows.
      // eslint-disable-next-line no-control-regex
      const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
      const table = await run(["--outputs", file, "--http-only", "--attempts", "1"]);
      expect(table.code).toBe(EXIT_FAILED);
      expect(table.stdout).not.toMatch(CONTROL);
      expect(table.stdout).toMatch(/^api-response +us-east-1 +FAIL +status 200 but the body is not JSON: <html>\\u001b\[31mred\\u001b\[0m OK \\u009b2J\\u202egnp\.exe<\/html>$/m);
      expect(table.stdout).toMatch(/^api-cors +us-east-1 +PASS +Access-Control-Allow-Origin: \\u009b2J\*$/m);
      expect(table.stdout).toMatch(/^health +us-east-1 +FAIL +status 500 after 1 attempt: \\u001b\[2Jdown$/m);
      const json = await run(["--outputs", file, "--http-only", "--attempts", "1", "--json"]);
      expect(json.stdout).not.toMatch(CONTROL);
      const health = (JSON.parse(json.stdout) as { results: { check: string; detail: string }[] }).results.find((result) => result.check === "health");
      expect(health?.detail).toBe("status 500 after 1 attempt: \\u001b[2Jdown");
    } finally {
      await hostile.stop();
    }
  });

  it("--json prints the results as JSON, and --environment pins the expected environment", async () => {
    const file = writeOutputs(api.outputs());
    const { code, stdout } = await run(["--outputs", file, "--http-only", "--json", "--environment", "prod", "--attempts", "1"]);
    expect(code).toBe(EXIT_FAILED);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual({ passed: 10, failed: 2, skipped: 0 });
    expect(report.results).toHaveLength(12);
    expect(report.results.filter((result: { status: string }) => result.status === "FAIL")).toEqual(
      REGIONS.map((region) => ({
        check: "api-environment", region, status: "FAIL", detail: '"dev", expected "prod" (from --environment)',
      })),
    );
  });

  it("--help prints the usage and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(EXIT_PASSED);
    expect(stdout).toMatch(/^Usage: npm run verify -- \[options\]\n/);
    for (const flag of ["--stack", "--outputs", "--region", "--http-only", "--json", "--timeout", "--attempts"]) {
      expect(stdout).toContain(flag);
    }
  });
});

describe("parseFunctionName", () => {
  it.each<[string, string, { project: string; environment: string } | undefined]>([
    [new RegionNames({ project: "iac-aws-nova", environment: "dev", stack: "dev" }, "us-east-1").lambdaFunction, "us-east-1", { project: "iac-aws-nova", environment: "dev" }],
    ["shop-api-eu-west-1-prod-2-0a1b2c3d", "eu-west-1", { project: "shop", environment: "prod-2" }],
    ["shop-api-eu-west-1-prod-0a1b2c3d", "us-east-1", undefined],
    // Without the stack hash it is not a name tap builds.
    ["shop-api-eu-west-1-prod", "eu-west-1", undefined],
    ["shop-api-eu-west-1-prod-0A1B2C3D", "eu-west-1", undefined],
    ["-api-us-east-1-dev-0a1b2c3d", "us-east-1", undefined],
    ["shop-api-us-east-1--0a1b2c3d", "us-east-1", undefined],
    ["custom-function-name", "us-east-1", undefined],
    // 64 characters: possibly shortened by fitName, so its tail may not be the environment.
    [new RegionNames({ project: "a".repeat(24), environment: "b".repeat(16), stack: "s" }, "ap-southeast-7").lambdaFunction, "ap-southeast-7", undefined],
  ])("%s in %s", (name, region, expected) => {
    expect(parseFunctionName(name, region)).toEqual(expected);
  });
});
