import { ConfiguredRetryStrategy, StandardRetryStrategy } from "@smithy/util-retry";
import { AwsPolicy, DEFAULT_AWS_POLICY, backoffDelay, createAwsClients } from "../../preflight/aws";
import { main } from "../../preflight/cli";
import { EXIT_CODES } from "../../preflight/rows";
import { REPO_ROOT } from "../support/paths";

/**
 * `npm run preflight -- --backoff <ms>`: the longest wait before the SDK's first retry, doubling for each later
 * one, each wait a random time up to that (the SDK's own formula, with its base set). Without the flag the clients
 * keep the SDK's standard strategy and its waits. The tests against a local endpoint pass a small value.
 */

/** The policy main() hands to the clients for `args`, and its exit status (no credentials are found: exit 7). */
async function policyFor(args: string[]): Promise<{ policy: AwsPolicy | undefined; code: number; stderr: string }> {
  let policy: AwsPolicy | undefined;
  let stderr = "";
  const code = await main(args, { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {}, projectDir: REPO_ROOT }, {
    createClients: (given) => {
      policy = given;
      return { ...createAwsClients(given, {}), credentials: () => Promise.reject(Object.assign(new Error("none here"), { name: "CredentialsProviderError" })) };
    },
    evaluate: async () => [],
  });
  return { policy, code, stderr };
}

/** The retry strategy a client resolved from its configuration. */
async function strategyOf(client: { config: { retryStrategy: () => Promise<unknown> } }): Promise<unknown> {
  return client.config.retryStrategy();
}

describe("--backoff", () => {
  it("reaches the clients' policy; without it the policy has none, and every other value is the default", async () => {
    const given = await policyFor(["--backoff", "5"]);
    const omitted = await policyFor([]);
    expect([given.code, omitted.code]).toEqual([EXIT_CODES.unknown, EXIT_CODES.unknown]);
    expect(given.policy).toEqual({ ...DEFAULT_AWS_POLICY, backoffMs: 5 });
    expect(omitted.policy).toEqual({ ...DEFAULT_AWS_POLICY, backoffMs: undefined });
  });

  it.each(["-1", "20001", "1.5", "soon"])("refuses %s with exit 2 and one line naming the range", async (value) => {
    const run = await policyFor(["--backoff", value]);
    expect(run).toEqual({ policy: undefined, code: EXIT_CODES.badInput, stderr: `error: option '--backoff <ms>' argument '${value}' is invalid. Expected a whole number from 0 to 20000.\n` });
  });
});

describe("backoffDelay", () => {
  it.each([
    // [base, attempt, random, wait]
    [100, 1, 0.5, 50],
    [100, 2, 0.5, 100],
    [100, 3, 0.5, 200],
    [100, 3, 0.999_999, 399],
    [100, 3, 0, 0],
    [1, 1, 0.999_999, 0],
    [1, 2, 0.999_999, 1],
    // At most 20 s, however many attempts.
    [20_000, 1, 0.5, 10_000],
    [20_000, 2, 0.5, 10_000],
    [3_000, 9, 0.999_999, 19_999],
  ])("base %d ms, retry %d, random %d: waits %d ms", (base, attempt, random, wait) => {
    expect(backoffDelay(base, attempt, random)).toBe(wait);
  });
});

describe("the clients' retry strategy", () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("with backoffMs: the SDK's ConfiguredRetryStrategy, one per client, with maxAttempts", async () => {
    const clients = createAwsClients({ ...DEFAULT_AWS_POLICY, maxAttempts: 4, backoffMs: 100 }, {});
    const strategies = await Promise.all([strategyOf(clients.sts("us-east-1")), strategyOf(clients.ec2("us-east-1")), strategyOf(clients.ec2("us-west-2"))]);
    for (const strategy of strategies) expect(strategy).toBeInstanceOf(ConfiguredRetryStrategy);
    // Each holds its own retry quota, as the SDK's default strategies do.
    expect(new Set(strategies).size).toBe(3);
    expect(await (strategies[0] as ConfiguredRetryStrategy).maxAttempts()).toBe(4);
  });

  it("with backoffMs: waits backoffDelay before each retry, throttled or not, and still retries only what the SDK retries", async () => {
    jest.useFakeTimers();
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const strategy = (await strategyOf(createAwsClients({ ...DEFAULT_AWS_POLICY, maxAttempts: 3, backoffMs: 100 }, {}).s3("us-east-1"))) as ConfiguredRetryStrategy;
    /** Asks for retry number `attempt`'s token and reports the fake time at which it came, or that it was refused. */
    const retry = async (token: Awaited<ReturnType<ConfiguredRetryStrategy["acquireInitialRetryToken"]>>, errorType: "THROTTLING" | "TRANSIENT" | "CLIENT_ERROR") => {
      const asked = Date.now();
      let waited: number | string | undefined;
      const next = strategy.refreshRetryTokenForRetry(token, { errorType }).then(
        (granted) => {
          waited = Date.now() - asked;
          return granted;
        },
        (refusal: Error) => {
          waited = refusal.message;
          return undefined;
        },
      );
      await jest.advanceTimersByTimeAsync(1_000);
      return { waited, token: await next };
    };
    const first = await retry(await strategy.acquireInitialRetryToken("s3"), "THROTTLING");
    expect(first.waited).toBe(backoffDelay(100, 1, 0.5));
    const second = await retry(first.token as NonNullable<typeof first.token>, "TRANSIENT");
    expect(second.waited).toBe(backoffDelay(100, 2, 0.5));
    // The third attempt was the last of three.
    expect((await retry(second.token as NonNullable<typeof second.token>, "TRANSIENT")).waited).toBe("No retry token available");
    // A client error is not retried at all.
    expect((await retry(await strategy.acquireInitialRetryToken("s3"), "CLIENT_ERROR")).waited).toBe("No retry token available");
  });

  it("without backoffMs: the SDK's standard strategy, with maxAttempts", async () => {
    const clients = createAwsClients({ ...DEFAULT_AWS_POLICY, maxAttempts: 2 }, {});
    const strategy = await strategyOf(clients.sns("eu-west-1"));
    expect(strategy).toBeInstanceOf(StandardRetryStrategy);
    expect(strategy).not.toBeInstanceOf(ConfiguredRetryStrategy);
    expect(await (strategy as StandardRetryStrategy).maxAttempts()).toBe(2);
  });
});
