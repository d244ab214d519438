import { setTimeout as sleep } from "timers/promises";

/**
 * GET with a per-attempt timeout and a bounded number of retries. Only
 * failures that another attempt can fix are retried: network errors, timeouts
 * and 5xx answers. A 4xx or a 200 with a bad body is final.
 */

export interface HttpRetryPolicy {
  /**
   * Limit for one attempt, from connecting to the last byte of the body.
   * @default 10000
   */
  readonly timeoutMs: number;
  /**
   * Attempts in total, the first included. At least 1.
   * @default 3
   */
  readonly maxAttempts: number;
  /**
   * Wait before the first retry; it doubles for each later one.
   * @default 250
   */
  readonly retryDelayMs: number;
}

export const DEFAULT_HTTP_POLICY: HttpRetryPolicy = { timeoutMs: 10_000, maxAttempts: 3, retryDelayMs: 250 };

/** The last attempt's answer, or why no attempt got one. */
export type HttpOutcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: Headers;
      readonly body: string;
      readonly attempts: number;
    }
  | { readonly kind: "error"; readonly error: string; readonly attempts: number };

function describeFetchError(error: unknown, timeoutMs: number): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (as under jest's VM).
  const { name, message, cause } = (typeof error === "object" && error !== null ? error : {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === "TimeoutError" || name === "AbortError") return `timed out after ${timeoutMs} ms`;
  if (message === undefined) return String(error);
  // undici says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const reason = cause?.code ?? cause?.message;
  return reason ? `${message} (${reason})` : message;
}

async function attemptGet(url: string, timeoutMs: number, attempt: number): Promise<HttpOutcome> {
  try {
    // One signal for headers and body: a server that stalls mid-body times out too.
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json", "user-agent": "tap-verify" },
    });
    const body = await response.text();
    return { kind: "response", status: response.status, headers: response.headers, body, attempts: attempt };
  } catch (error) {
    return { kind: "error", error: describeFetchError(error, timeoutMs), attempts: attempt };
  }
}

function isRetryable(outcome: HttpOutcome): boolean {
  return outcome.kind === "error" || outcome.status >= 500;
}

/** GETs `url`, retrying network errors, timeouts and 5xx answers, `policy.maxAttempts` attempts at most. */
export async function getWithRetry(url: string, policy: HttpRetryPolicy = DEFAULT_HTTP_POLICY): Promise<HttpOutcome> {
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  let outcome = await attemptGet(url, policy.timeoutMs, 1);
  while (isRetryable(outcome) && outcome.attempts < maxAttempts) {
    await sleep(policy.retryDelayMs * 2 ** (outcome.attempts - 1));
    outcome = await attemptGet(url, policy.timeoutMs, outcome.attempts + 1);
  }
  return outcome;
}

/** "1 attempt" / "3 attempts", for check details. */
export function attemptsText(attempts: number): string {
  return attempts === 1 ? "1 attempt" : `${attempts} attempts`;
}
