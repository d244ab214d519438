import { setTimeout as sleep } from "timers/promises";
import { redactCredentials } from "../common/printable";

/**
 * GET with a per-attempt timeout, a cap on the body and a bounded number of
 * retries. Only failures that another attempt can fix are retried: connection
 * errors, timeouts, 429 and 5xx answers. Anything else is final: a 4xx, a
 * redirect, a body over the cap, a URL fetch refuses.
 *
 * Redirects are not followed: the check is about the URL in the outputs, and
 * whatever another host answers says nothing about it. A 3xx is reported with
 * its Location.
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
  /**
   * Largest body read, in bytes. The handler's answers are a few hundred bytes;
   * past the cap the verifier stops reading, drops the connection and fails
   * the check, so a huge or endless body cannot exhaust its memory.
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const DEFAULT_HTTP_POLICY: HttpRetryPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  retryDelayMs: 250,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
};

/** The last attempt's answer, or why no attempt got one. */
export type HttpOutcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: Headers;
      readonly body: string;
      readonly attempts: number;
    }
  | {
      readonly kind: "error";
      readonly error: string;
      readonly attempts: number;
      /** Whether another attempt could succeed. */
      readonly retryable: boolean;
    };

/**
 * Error codes of failures another attempt can fix: the connection was refused,
 * reset or timed out, or DNS had a temporary failure. (ENOTFOUND, a TLS
 * certificate error or a malformed URL will fail the same way again.)
 */
const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function describeFetchError(error: unknown, timeoutMs: number): { error: string; retryable: boolean } {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (as under jest's VM).
  const { name, message, cause } = (typeof error === "object" && error !== null ? error : {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === "TimeoutError" || name === "AbortError") return { error: `timed out after ${timeoutMs} ms`, retryable: true };
  if (message === undefined) return { error: redactCredentials(String(error)), retryable: false };
  // undici says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const reason = cause?.code ?? cause?.message;
  return {
    // fetch echoes a URL with user:password@ in its message.
    error: redactCredentials(reason ? `${message} (${reason})` : message),
    retryable: cause?.code !== undefined && TRANSIENT_ERROR_CODES.has(cause.code),
  };
}

/** "1 MiB (1048576 bytes)" / "65536 bytes". */
function bytesText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB (${bytes} bytes)` : `${bytes} bytes`;
}

type BodyRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

/**
 * Reads the body as it streams in and stops at the cap: a Content-Length over
 * it is refused before reading, a body that grows past it is cancelled there.
 */
async function readCappedBody(response: Response, maxBytes: number): Promise<BodyRead> {
  const cap = `the ${bytesText(maxBytes)} body cap`;
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return { ok: false, problem: `the body (Content-Length ${declared}) is larger than ${cap}; not read` };
  }
  const reader = response.body?.getReader();
  if (!reader) return { ok: true, text: "" };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { ok: false, problem: `the body is larger than ${cap}; stopped reading after ${size} bytes` };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}

async function attemptGet(url: string, policy: HttpRetryPolicy, attempt: number): Promise<HttpOutcome> {
  const stop = new AbortController();
  try {
    // One signal for headers and body: a server that stalls mid-body times out too.
    const response = await fetch(url, {
      signal: AbortSignal.any([AbortSignal.timeout(policy.timeoutMs), stop.signal]),
      redirect: "manual",
      headers: { accept: "application/json", "user-agent": "tap-verify" },
    });
    const body = await readCappedBody(response, policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (!body.ok) {
      // Drop the connection too: the server must not keep streaming into a socket nobody reads.
      stop.abort();
      return { kind: "error", error: `status ${response.status}, but ${body.problem}`, attempts: attempt, retryable: false };
    }
    return { kind: "response", status: response.status, headers: response.headers, body: body.text, attempts: attempt };
  } catch (error) {
    return { kind: "error", ...describeFetchError(error, policy.timeoutMs), attempts: attempt };
  }
}

function isRetryable(outcome: HttpOutcome): boolean {
  return outcome.kind === "error" ? outcome.retryable : outcome.status === 429 || outcome.status >= 500;
}

/** GETs `url`, retrying connection errors, timeouts, 429 and 5xx answers, `policy.maxAttempts` attempts at most. */
export async function getWithRetry(url: string, policy: HttpRetryPolicy = DEFAULT_HTTP_POLICY): Promise<HttpOutcome> {
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  let outcome = await attemptGet(url, policy, 1);
  while (isRetryable(outcome) && outcome.attempts < maxAttempts) {
    await sleep(policy.retryDelayMs * 2 ** (outcome.attempts - 1));
    outcome = await attemptGet(url, policy, outcome.attempts + 1);
  }
  return outcome;
}

/** "1 attempt" / "3 attempts", for check details. */
export function attemptsText(attempts: number): string {
  return attempts === 1 ? "1 attempt" : `${attempts} attempts`;
}
