import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../preflight/cli";
import { EXIT_CODES } from "../../preflight/rows";
import type { JsonReport } from "../../preflight/report";
import { AwsReply, LocalAwsEndpoint, SERVER_ERROR, callerIdentity, endpointEnvironment, noAwsFiles, queryError } from "../support/aws-endpoint";
import { REPO_ROOT } from "../support/paths";

/**
 * `npm run preflight` in bad environments, against a local endpoint on
 * 127.0.0.1 that the SDK reaches through AWS_ENDPOINT_URL, as it would reach
 * AWS: each gives one clear line or rows, never a stack trace, and ends in a
 * bounded time. main() runs in-process with its own environment (the program's
 * evaluation is replaced by an empty plan, except in the one end-to-end run
 * in a child process at the end, which evaluates the real program).
 */

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: JsonReport | undefined;
}

let home: string;

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "tap-preflight-"));
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function preflight(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const jsonFile = path.join(home, `run-${Math.random().toString(36).slice(2)}.json`);
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--json", jsonFile], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    projectDir: REPO_ROOT,
  }, { evaluate: async () => [] });
  const json = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, "utf8")) as JsonReport) : undefined;
  return { code, stdout, stderr, json };
}

/** Starts an endpoint answering with `answer`, runs `work`, and stops it. */
async function withEndpoint<T>(answer: (request: Parameters<ConstructorParameters<typeof LocalAwsEndpoint>[0]>[0], count: number) => AwsReply, work: (endpoint: LocalAwsEndpoint) => Promise<T>): Promise<T> {
  const endpoint = await new LocalAwsEndpoint(answer).start();
  try {
    return await work(endpoint);
  } finally {
    await endpoint.stop();
  }
}

/**
 * The SDK's retries, with waits of at most 1 ms (backoffDelay with a 1 ms base) instead of the SDK's own (up to 50 ms,
 * then 100 ms; 1 s, then 2 s after throttling), which an endpoint on 127.0.0.1 does not need: the same attempts.
 */
const QUICK_RETRIES = ["--backoff", "1"];

/** A stack trace's frame line, as Node prints them. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe("credentials for the wrong account (-s prod allows only 111111111111)", () => {
  it("reports the account mismatch, calls nothing else, and exits 1", async () => {
    await withEndpoint((request) => (request.service === "sts" ? callerIdentity("222222222222") : SERVER_ERROR), async (endpoint) => {
      const run = await preflight(["-s", "prod"], endpointEnvironment(endpoint.url, home));
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.stdout).toContain("account  global  fail    These credentials are for account 222222222222 (arn:aws:iam::222222222222:user/preflight-test), but allowedAccountIds allows only 111111111111");
      expect(run.stdout).toContain("The other checks were not run: they would describe the wrong account.\n1 check: 0 ok, 1 failed, 0 unknown; pulumi up would fail (exit 1).");
      expect(run.stderr).toBe("");
      expect(endpoint.requests.map((request) => [request.service, request.region, request.action])).toEqual([["sts", "us-east-1", "GetCallerIdentity"]]);
      expect(run.json).toMatchObject({ stack: "prod", accountId: "222222222222", exitCode: 1, summary: { ok: 0, fail: 1, unknown: 0 }, error: null });
      expect(run.json?.rows.map((row) => [row.check, row.status])).toEqual([["account", "fail"]]);
    });
  });
});

describe("no credentials at all", () => {
  it("exits 7 with one line that names credentials, and calls nothing", async () => {
    await withEndpoint(() => SERVER_ERROR, async (endpoint) => {
      const run = await preflight(["-s", "dev"], { AWS_ENDPOINT_URL: endpoint.url, ...noAwsFiles(home) });
      expect(run.code).toBe(EXIT_CODES.unknown);
      expect(run.stdout).not.toContain("CHECK");
      expect(run.stderr.split("\n")).toEqual([
        "error: No AWS credentials found (Could not load credentials from any providers). Configure credentials as for the AWS CLI " +
          "(AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or aws sso login) and run preflight again.",
        "",
      ]);
      expect(endpoint.requests).toEqual([]);
      expect(run.json).toMatchObject({ exitCode: 7, accountId: null, rows: [], error: expect.stringMatching(/^No AWS credentials found/) });
    });
  }, 30_000);
});

describe("expired credentials", () => {
  it("exits 7 with one line that says so and how to refresh them", async () => {
    await withEndpoint(() => queryError(403, "ExpiredToken", "The security token included in the request is expired"), async (endpoint) => {
      const run = await preflight(["-s", "dev"], endpointEnvironment(endpoint.url, home));
      expect(run.code).toBe(EXIT_CODES.unknown);
      expect(run.stderr).toBe(
        "error: The AWS credentials have expired (ExpiredToken: The security token included in the request is expired). " +
          "Refresh them (aws sso login, or new keys) and run preflight again.\n",
      );
      // An expired token is not retried: the SDK's standard strategy retries only transient errors.
      expect(endpoint.requests).toHaveLength(1);
    });
  });
});

describe("an endpoint that answers 500 to everything", () => {
  it("exits 7: every check is unknown, retried by the SDK first, with no stack trace", async () => {
    await withEndpoint(() => SERVER_ERROR, async (endpoint) => {
      const run = await preflight(["-s", "dev", ...QUICK_RETRIES], endpointEnvironment(endpoint.url, home));
      expect(run.code).toBe(EXIT_CODES.unknown);
      expect(run.json?.rows.map((row) => `${row.check} ${row.region} ${row.status}`)).toEqual([
        "account global unknown",
        "region us-east-1 unknown", "region us-west-2 unknown",
        "apigateway-logging-role us-east-1 unknown", "apigateway-logging-role us-west-2 unknown",
        "lambda-concurrency us-east-1 unknown", "lambda-concurrency us-west-2 unknown",
        "vpc-quota us-east-1 unknown", "vpc-quota us-west-2 unknown",
      ]);
      expect(run.json?.rows[0].detail).toBe("AWS answered sts GetCallerIdentity with HTTP 500 to every attempt.");
      expect(run.stdout).not.toMatch(STACK_FRAME);
      expect(run.stderr).toBe("");
      // The SDK's standard retry strategy: 3 attempts per call.
      expect(endpoint.requests.filter((request) => request.service === "sts")).toHaveLength(3);
    });
  }, 60_000);
});

describe("throttling", () => {
  it("is retried with back-off by the SDK until AWS answers", async () => {
    const throttled = queryError(400, "Throttling", "Rate exceeded");
    await withEndpoint((request, count) => (request.service !== "sts" ? SERVER_ERROR : count <= 2 ? throttled : callerIdentity("123456789012")), async (endpoint) => {
      const run = await preflight(["-s", "dev", "--attempts", "3", ...QUICK_RETRIES], endpointEnvironment(endpoint.url, home));
      expect(run.json?.rows[0]).toMatchObject({ check: "account", status: "ok" });
      expect(endpoint.requests.slice(0, 3).map((request) => request.action)).toEqual(["GetCallerIdentity", "GetCallerIdentity", "GetCallerIdentity"]);
    });
  }, 60_000);
});

describe("a region endpoint that never answers", () => {
  it("bounds every call by the timeout, and reports each check unknown with what did not answer", async () => {
    await withEndpoint((request) => (request.service === "sts" ? callerIdentity("123456789012") : { status: 200, hang: true }), async (endpoint) => {
      const run = await preflight(["-s", "dev", "--timeout", "300", "--attempts", "2", ...QUICK_RETRIES], endpointEnvironment(endpoint.url, home));
      expect(run.code).toBe(EXIT_CODES.unknown);
      expect(run.json?.rows.filter((row) => row.check !== "account").map((row) => row.status)).toEqual(Array(8).fill("unknown"));
      expect(run.json?.rows.find((row) => row.check === "lambda-concurrency")?.detail).toMatch(/^No answer from lambda in us-east-1 \(TimeoutError: /);
      expect(run.stdout).not.toMatch(STACK_FRAME);
    });
  }, 60_000);
});

describe("bad input", () => {
  it("exits 2 with one line for a stack without a config file, before any AWS call", async () => {
    const run = await preflight(["-s", "nope"], noAwsFiles(home));
    expect(run.code).toBe(EXIT_CODES.badInput);
    expect(run.stderr).toMatch(/^error: Stack "nope" has no config file: Pulumi\.nope\.yaml does not exist in .*\n$/);
  });

  it("exits 2 with the program's own message for an invalid --config value", async () => {
    const run = await preflight(["-c", "lambdaReservedConcurrency=lots"], noAwsFiles(home));
    expect(run.code).toBe(EXIT_CODES.badInput);
    expect(run.stderr).toBe('error: Invalid config "lambdaReservedConcurrency": "lots". Expected a whole number from 0 to 10000.\n');
  });
});

describe("npm run preflight, end to end in its own process", () => {
  it("evaluates the real program for the caller's account, checks its names, and exits 7 when the rest of AWS errs", async () => {
    await withEndpoint((request) => (request.service === "sts" ? callerIdentity("123456789012") : SERVER_ERROR), async (endpoint) => {
      const jsonFile = path.join(home, "e2e.json");
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        // As `npm run preflight` runs it (package.json): node with tsx's loader.
        execFile(
          process.execPath,
          ["--import", "tsx", "preflight/cli.ts", "-s", "dev", "--json", jsonFile, ...QUICK_RETRIES],
          { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...endpointEnvironment(endpoint.url, home) } },
          (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      });
      expect(result.code).toBe(EXIT_CODES.unknown);
      expect(result.stdout).not.toMatch(STACK_FRAME);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      const report = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as JsonReport;
      expect(report.rows.find((row) => row.check === "account")).toMatchObject({ status: "ok" });
      // The names come from the program itself: the bucket's holds the caller's account (lib/naming.ts).
      const bucketRow = report.rows.find((row) => row.check === "name:bucket" && row.region === "us-east-1");
      const { RegionNames } = await import("../../lib/naming");
      const bucket = new RegionNames({ project: "iac-aws-nova", environment: "dev", stack: "dev" }, "us-east-1").artifactBucket("123456789012");
      expect(bucketRow?.detail).toBe(`${bucket}: AWS answered s3 HeadBucket with HTTP 500 to every attempt.`);
      expect(new Set(report.rows.map((row) => row.check))).toEqual(new Set([
        "account", "region", "apigateway-logging-role", "lambda-concurrency", "vpc-quota",
        "name:bucket", "name:function", "name:role", "name:log-group", "name:alarm", "name:topic", "name:dashboard",
      ]));
      expect(report.rows.filter((row) => row.check !== "account").every((row) => row.status === "unknown")).toBe(true);
    });
  }, 120_000);
});
