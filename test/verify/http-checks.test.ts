import { LocalServer, startLocalServer } from "../../offline/local/server";
import { CheckResult, GLOBAL_SCOPE, HTTP_CHECKS } from "../../verify/checks";
import { HttpRetryPolicy, getWithRetry } from "../../verify/http";
import { healthUrl } from "../../verify/http-checks";
import { StackOutputs } from "../../verify/outputs";
import { runVerification } from "../../verify/verify";
import { REGIONS, ScriptedApi, contractReply, withServer } from "../support/verify-servers";

/**
 * The HTTP checks against real servers on 127.0.0.1: the local stand-in for
 * the deployed APIs (offline/local/server.ts), which must pass, and scripted
 * servers that break one part of the handler contract at a time.
 */

const FAST: HttpRetryPolicy = { timeoutMs: 2000, maxAttempts: 3, retryDelayMs: 1 };

function notPassed(results: CheckResult[]) {
  return results.filter((result) => result.status !== "PASS").map(({ check, region, status, detail }) => ({ check, region, status, detail }));
}

function verifyHttp(outputs: StackOutputs, http: HttpRetryPolicy = FAST, flags: { environment?: string; project?: string } = {}) {
  return runVerification({ outputs, source: "test", httpOnly: true, http, ...flags });
}

describe("against the local server (offline/local/server.ts)", () => {
  let local: LocalServer;
  beforeAll(async () => {
    local = await startLocalServer({ args: { regions: REGIONS } });
  }, 60_000);
  afterAll(() => local.close());

  it("passes every HTTP check in every region, with the identity read from the function names", async () => {
    const results = await verifyHttp(local.outputs);
    expect(notPassed(results)).toEqual([]);
    expect(results.map(({ check, region }) => `${region} ${check}`)).toEqual(
      REGIONS.flatMap((region) => HTTP_CHECKS.map((check) => `${region} ${check}`)),
    );
    const detail = (check: string) => results.find((result) => result.check === check && result.region === "us-west-2")?.detail;
    expect(detail("api-environment")).toBe('"dev" (expected, from lambda_function_names)');
    expect(detail("api-project")).toBe('"iac-aws-nova" (expected, from lambda_function_names)');
    expect(detail("api-cors")).toBe("Access-Control-Allow-Origin: *");
  });

  it("passes with only the API URLs, comparing the identity across regions", async () => {
    const results = await verifyHttp({ api_urls: local.outputs.api_urls });
    expect(notPassed(results)).toEqual([]);
    expect(results.find((result) => result.check === "api-environment")?.detail).toBe(
      '"dev" (the same in all 2 regions; pass --environment to pin it)',
    );
  });

  it("fails api-environment and api-project in every region when the flags expect another stack", async () => {
    const results = await verifyHttp(local.outputs, FAST, { environment: "prod", project: "shop" });
    expect(notPassed(results)).toEqual(REGIONS.flatMap((region) => [
      { check: "api-environment", region, status: "FAIL", detail: '"dev", expected "prod" (from --environment)' },
      { check: "api-project", region, status: "FAIL", detail: '"iac-aws-nova", expected "shop" (from --project)' },
    ]));
  });
});

describe("against a server that breaks the contract", () => {
  it("a wrong region in the body fails api-region only", () =>
    withServer(
      (region, route) => (region === "us-west-2" && route === "api" ? contractReply("eu-west-9", route) : contractReply(region, route)),
      async (api) => {
        expect(notPassed(await verifyHttp(api.outputs()))).toEqual([
          { check: "api-region", region: "us-west-2", status: "FAIL", detail: '"eu-west-9", expected "us-west-2" (the outputs\' key)' },
        ]);
      },
    ));

  it("a missing CORS header fails api-cors only", () =>
    withServer(
      (region, route) => ({ ...contractReply(region, route), headers: { "Content-Type": "application/json" } }),
      async (api) => {
        expect(notPassed(await verifyHttp(api.outputs(["us-east-1"])))).toEqual([
          { check: "api-cors", region: "us-east-1", status: "FAIL", detail: "no Access-Control-Allow-Origin header" },
        ]);
      },
    ));

  it("a 500 on health fails health only, after the bounded retries", () =>
    withServer(
      (region, route) => (route === "health" ? { status: 500, body: "Internal Server Error" } : contractReply(region, route)),
      async (api) => {
        expect(notPassed(await verifyHttp(api.outputs(["us-east-1"])))).toEqual([
          { check: "health", region: "us-east-1", status: "FAIL", detail: "status 500 after 3 attempts: Internal Server Error" },
        ]);
        expect(api.requests.get("us-east-1 health")).toBe(3);
        expect(api.requests.get("us-east-1 api")).toBe(1);
      },
    ));

  it("a health body whose status is not ok fails health only", () =>
    withServer(
      (region, route) => (route === "health" ? { status: 200, headers: {}, body: { status: "degraded" } } : contractReply(region, route)),
      async (api) => {
        expect(notPassed(await verifyHttp(api.outputs(["us-east-1"])))).toEqual([
          { check: "health", region: "us-east-1", status: "FAIL", detail: 'status is "degraded", expected "ok"' },
        ]);
      },
    ));

  it("a body that is not JSON fails api-response, and the checks that read the body do not run", () =>
    withServer(
      (region, route) => (route === "api" ? { status: 200, headers: { "Access-Control-Allow-Origin": "*" }, body: "<html>hello</html>" } : contractReply(region, route)),
      async (api) => {
        const region = "us-east-1";
        expect(notPassed(await verifyHttp(api.outputs([region])))).toEqual([
          { check: "api-response", region, status: "FAIL", detail: "status 200 but the body is not JSON: <html>hello</html>" },
          { check: "api-region", region, status: "SKIP", detail: "not run: api-response failed" },
          { check: "api-environment", region, status: "SKIP", detail: "not run: api-response failed" },
          { check: "api-project", region, status: "SKIP", detail: "not run: api-response failed" },
        ]);
      },
    ));

  it("JSON without the handler's fields fails api-response", () =>
    withServer(
      (region, route) => (route === "api" ? { ...contractReply(region, route), body: { message: "hi", region } } : contractReply(region, route)),
      async (api) => {
        const failures = notPassed(await verifyHttp(api.outputs(["us-east-1"])));
        expect(failures[0]).toEqual({
          check: "api-response", region: "us-east-1", status: "FAIL",
          detail: "the JSON body lacks the string field(s) environment, project, requestId, timestamp",
        });
        expect(failures.slice(1).map((failure) => `${failure.check} ${failure.status}`)).toEqual([
          "api-region SKIP", "api-environment SKIP", "api-project SKIP",
        ]);
      },
    ));

  it("a 404 fails api-response without a retry", () =>
    withServer(
      (region, route) => (route === "api" ? { status: 404, body: { message: "Missing Authentication Token" } } : contractReply(region, route)),
      async (api) => {
        const [first] = notPassed(await verifyHttp(api.outputs(["us-east-1"])));
        expect(first).toEqual({
          check: "api-response", region: "us-east-1", status: "FAIL",
          detail: 'status 404 after 1 attempt: {"message":"Missing Authentication Token"}',
        });
        expect(api.requests.get("us-east-1 api")).toBe(1);
      },
    ));

  it("regions that report different environments fail api-environment when nothing pins it", () =>
    withServer(
      (region, route) => contractReply(region, route, region === "us-west-2" ? "prod" : "dev"),
      async (api) => {
        const detail = 'differs between regions: us-east-1="dev", us-west-2="prod"';
        expect(notPassed(await verifyHttp(api.outputs()))).toEqual([
          { check: "api-environment", region: "us-east-1", status: "FAIL", detail },
          { check: "api-environment", region: "us-west-2", status: "FAIL", detail },
        ]);
      },
    ));
});

describe("timeouts and retries", () => {
  it("a server that never answers fails on the timeout, after exactly maxAttempts requests", () =>
    withServer(
      () => ({ hang: true }),
      async (api) => {
        // Long enough that, even on a loaded machine, each attempt reaches the in-process server before it times out.
        const policy = { timeoutMs: 800, maxAttempts: 2, retryDelayMs: 1 };
        const [response, , , , cors, health] = await verifyHttp(api.outputs(["us-east-1"]), policy);
        expect(response).toEqual({ check: "api-response", region: "us-east-1", status: "FAIL", detail: "timed out after 800 ms (2 attempts)" });
        expect(cors).toEqual({ check: "api-cors", region: "us-east-1", status: "SKIP", detail: "not run: api-response failed" });
        expect(health).toEqual({ check: "health", region: "us-east-1", status: "FAIL", detail: "timed out after 800 ms (2 attempts)" });
        expect(api.requests.get("us-east-1 api")).toBe(2);
        expect(api.requests.get("us-east-1 health")).toBe(2);
      },
    ));

  it("a server that answers 503 twice, then 200, passes on the third attempt", () =>
    withServer(
      (region, route, requestNumber) => (requestNumber <= 2 ? { status: 503, body: "busy" } : contractReply(region, route)),
      async (api) => {
        const results = await verifyHttp(api.outputs(["us-east-1"]));
        expect(notPassed(results)).toEqual([]);
        expect(results[0].detail).toBe("200 JSON in 3 attempts");
        expect(api.requests.get("us-east-1 api")).toBe(3);
        expect(api.requests.get("us-east-1 health")).toBe(3);
      },
    ));

  it("gives up after maxAttempts 503s and reports the last answer", () =>
    withServer(
      () => ({ status: 503, body: "busy" }),
      async (api) => {
        const outcome = await getWithRetry(`${api.origin}/us-east-1/dev/api`, { timeoutMs: 1000, maxAttempts: 4, retryDelayMs: 1 });
        expect(outcome).toMatchObject({ kind: "response", status: 503, body: "busy", attempts: 4 });
        expect(api.requests.get("us-east-1 api")).toBe(4);
      },
    ));

  it("reports a refused connection by its code, after retrying it", async () => {
    const api = await new ScriptedApi((region, route) => contractReply(region, route)).start();
    const url = `${api.origin}/us-east-1/dev/api`;
    await api.stop();
    expect(await getWithRetry(url, { timeoutMs: 1000, maxAttempts: 2, retryDelayMs: 1 })).toEqual({
      kind: "error", error: "fetch failed (ECONNREFUSED)", attempts: 2, retryable: true,
    });
  });

  it("retries a 429 like a 5xx: it can pass on the next attempt", () =>
    withServer(
      (region, route, requestNumber) => (requestNumber === 1 ? { status: 429, body: "slow down" } : contractReply(region, route)),
      async (api) => {
        const results = await verifyHttp(api.outputs(["us-east-1"]));
        expect(notPassed(results)).toEqual([]);
        expect(results[0].detail).toBe("200 JSON in 2 attempts");
        expect(api.requests.get("us-east-1 api")).toBe(2);
      },
    ));

  it("does not retry an error that cannot pass (a URL fetch refuses), and redacts its credentials", async () => {
    const api = await new ScriptedApi((region, route) => contractReply(region, route)).start();
    try {
      const url = `${api.origin.replace("http://", "http://admin:hunter2@")}/us-east-1/dev/api`;
      const outcome = await getWithRetry(url, { timeoutMs: 1000, maxAttempts: 3, retryDelayMs: 1 });
      expect(outcome).toEqual({
        kind: "error",
        error: `Request cannot be constructed from a URL that includes credentials: ${api.origin.replace("http://", "http://***@")}/us-east-1/dev/api`,
        attempts: 1,
        retryable: false,
      });
      expect(api.requests.size).toBe(0);
    } finally {
      await api.stop();
    }
  });
});

describe("servers that answer something hostile", () => {
  it("stops reading a body past the cap, drops the connection, and fails naming the cap, without a retry", () =>
    withServer(
      // 256 MiB on offer: read whole, it would take the verifier's memory with it.
      (region, route) => (route === "api" ? { status: 200, headers: { "Content-Type": "application/json" }, streamBytes: 256 * 1024 * 1024 } : contractReply(region, route)),
      async (api) => {
        const policy = { ...FAST, maxBodyBytes: 1024 * 1024 };
        const rssBefore = process.memoryUsage().rss;
        const [response] = await verifyHttp(api.outputs(["us-east-1"]), policy);
        expect(response).toMatchObject({ check: "api-response", region: "us-east-1", status: "FAIL" });
        expect(response.detail).toMatch(/^status 200, but the body is larger than the 1 MiB \(1048576 bytes\) body cap; stopped reading after \d+ bytes \(1 attempt\)$/);
        expect(api.requests.get("us-east-1 api")).toBe(1);
        const [stream] = await Promise.all(api.streams);
        // The client hung up: the server could not push the rest of the 256 MiB into the socket.
        expect(stream.abandoned).toBe(true);
        expect(stream.written).toBeLessThan(32 * 1024 * 1024);
        expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
      },
    ), 30_000);

  it("refuses a declared Content-Length over the cap without reading the body", () =>
    withServer(
      (region, route) => (route === "api" ? { status: 200, headers: { "Content-Length": String(5 * 1024 * 1024) }, streamBytes: 5 * 1024 * 1024 } : contractReply(region, route)),
      async (api) => {
        const [response] = await verifyHttp(api.outputs(["us-east-1"]), { ...FAST, maxBodyBytes: 65536 });
        expect(response.detail).toBe("status 200, but the body (Content-Length 5242880) is larger than the 65536 bytes body cap; not read (1 attempt)");
        expect((await Promise.all(api.streams))[0].abandoned).toBe(true);
      },
    ));

  it("does not follow a redirect to another host: it fails api-response with the status and the Location", async () => {
    const elsewhere = await new ScriptedApi((region, route) => contractReply(region, route)).start();
    try {
      await withServer(
        (region, route) => ({ status: 302, headers: { Location: `${elsewhere.origin}/${region}/dev/api${route === "health" ? "/health" : ""}` } }),
        async (api) => {
          const results = await verifyHttp(api.outputs(["us-east-1"]));
          expect(results.find((result) => result.check === "api-response")).toEqual({
            check: "api-response", region: "us-east-1", status: "FAIL",
            detail: `status 302 after 1 attempt: a redirect (Location: ${elsewhere.origin}/us-east-1/dev/api), which verify does not follow`,
          });
          expect(results.find((result) => result.check === "health")?.status).toBe("FAIL");
          expect(elsewhere.requests.size).toBe(0);
          expect(api.requests.get("us-east-1 api")).toBe(1);
        },
      );
    } finally {
      await elsewhere.stop();
    }
  });
});

describe("the global URL", () => {
  it.each([
    ["us-west-2", { check: "global-api", region: GLOBAL_SCOPE, status: "PASS", detail: "answered from us-west-2" }],
    ["eu-west-9", {
      check: "global-api", region: GLOBAL_SCOPE, status: "FAIL",
      detail: 'answered from "eu-west-9", which is not a deployed region (us-east-1, us-west-2)',
    }],
  ])("answered from %s", (answeringRegion, expected) =>
    withServer(
      (region, route) => contractReply(region === "global" ? answeringRegion : region, route),
      async (api) => {
        const outputs = { ...api.outputs(), global_url: `${api.origin}/global/dev/api` };
        const results = await verifyHttp(outputs);
        expect(results.filter((result) => result.region === GLOBAL_SCOPE)).toEqual([expected]);
      },
    ));
});

describe("healthUrl", () => {
  it.each([
    ["https://abc.execute-api.us-east-1.amazonaws.com/dev/api", "https://abc.execute-api.us-east-1.amazonaws.com/dev/api/health"],
    ["https://abc.execute-api.us-east-1.amazonaws.com/dev/api/", "https://abc.execute-api.us-east-1.amazonaws.com/dev/api/health"],
  ])("%s -> %s", (apiUrl, expected) => {
    expect(healthUrl(apiUrl)).toBe(expected);
  });
});
