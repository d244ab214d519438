import { GREETING_MESSAGE, HealthBody } from "../lambda/handler";
import {
  CheckResult,
  GLOBAL_SCOPE,
  HttpCheckName,
  fail,
  pass,
  skipAfter,
  verdict,
} from "./checks";
import { HttpOutcome, HttpRetryPolicy, attemptsText, getWithRetry } from "./http";
import type { ExpectedIdentity, ExpectedValue } from "./identity";

/**
 * The HTTP checks of each region's API: the handler's contract (lambda/handler.ts;
 * docs/design.md, "The function") seen from outside. Probing and judging are
 * separate so the verdicts are pure.
 */

/** What a healthy region's /health answers in `status`. */
const HEALTHY: HealthBody["status"] = "ok";
/** Fields of the handler's body that must be strings. */
const HANDLER_STRING_FIELDS = ["message", "region", "environment", "project", "requestId", "timestamp"] as const;

/** What one region's API answered. */
export interface RegionProbe {
  readonly api: HttpOutcome;
  readonly health: HttpOutcome;
}

/** `{api_url}/health`, whether or not the API URL ends with a slash. */
export function healthUrl(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, "")}/health`;
}

export async function probeRegion(apiUrl: string, policy: HttpRetryPolicy): Promise<RegionProbe> {
  const [api, health] = await Promise.all([getWithRetry(apiUrl, policy), getWithRetry(healthUrl(apiUrl), policy)]);
  return { api, health };
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

type JsonVerdict = { ok: true; body: Record<string, unknown> } | { ok: false; detail: string };

/** A 200 whose body is a JSON object, or why the outcome is not one. */
function jsonObjectResponse(outcome: HttpOutcome): JsonVerdict {
  const tries = attemptsText(outcome.attempts);
  if (outcome.kind === "error") return { ok: false, detail: `${outcome.error} (${tries})` };
  if (outcome.status >= 300 && outcome.status < 400) {
    // Not followed (verify/http.ts): what another URL answers says nothing about this one.
    const location = outcome.headers.get("location");
    const target = location === null ? "no Location header" : `Location: ${snippet(location)}`;
    return { ok: false, detail: `status ${outcome.status} after ${tries}: a redirect (${target}), which verify does not follow` };
  }
  if (outcome.status !== 200) {
    return { ok: false, detail: `status ${outcome.status} after ${tries}: ${snippet(outcome.body)}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(outcome.body);
  } catch {
    return { ok: false, detail: `status 200 but the body is not JSON: ${snippet(outcome.body)}` };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, detail: `status 200 but the body is not a JSON object: ${snippet(outcome.body)}` };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** The API answer's verdict: a 200 JSON object with the handler's fields. */
function apiBody(outcome: HttpOutcome): JsonVerdict {
  const json = jsonObjectResponse(outcome);
  if (!json.ok) return json;
  const missing = HANDLER_STRING_FIELDS.filter((field) => typeof json.body[field] !== "string");
  if (missing.length > 0) return { ok: false, detail: `the JSON body lacks the string field(s) ${missing.join(", ")}` };
  if (json.body.message !== GREETING_MESSAGE) {
    return { ok: false, detail: `message is ${JSON.stringify(json.body.message)}, expected ${JSON.stringify(GREETING_MESSAGE)}` };
  }
  return json;
}

/**
 * Judges one identity field (`environment` or `project`) of one region: against
 * the expected value when there is one, else against the other regions' values.
 * `seen` holds the field's value in each region whose API answered.
 */
function identityCheck(
  check: HttpCheckName,
  field: "environment" | "project",
  region: string,
  seen: ReadonlyMap<string, string>,
  expected: ExpectedValue | undefined,
): CheckResult {
  const value = seen.get(region);
  if (value === undefined) return skipAfter(check, region, "api-response");
  if (expected !== undefined) {
    return value === expected.value
      ? pass(check, region, `${JSON.stringify(value)} (expected, from ${expected.source})`)
      : fail(check, region, `${JSON.stringify(value)}, expected ${JSON.stringify(expected.value)} (from ${expected.source})`);
  }
  if (new Set(seen.values()).size === 1) {
    const scope = seen.size === 1 ? "no other region to compare with" : `the same in all ${seen.size} regions`;
    return pass(check, region, `${JSON.stringify(value)} (${scope}; pass --${field} to pin it)`);
  }
  const values = [...seen].map(([other, otherValue]) => `${other}=${JSON.stringify(otherValue)}`).join(", ");
  return fail(check, region, `differs between regions: ${values}`);
}

/** The HTTP verdicts of every probed region, in HTTP_CHECKS order per region. */
export function evaluateHttpChecks(
  probes: ReadonlyMap<string, RegionProbe>,
  expected: ExpectedIdentity,
): CheckResult[] {
  const judged = [...probes].map(([region, probe]) => ({ region, probe, answer: apiBody(probe.api) }));
  const bodies = new Map<string, Record<string, unknown>>();
  for (const { region, answer } of judged) if (answer.ok) bodies.set(region, answer.body);
  const environments = new Map([...bodies].map(([region, body]) => [region, String(body.environment)]));
  const projects = new Map([...bodies].map(([region, body]) => [region, String(body.project)]));

  return judged.flatMap(({ region, probe: { api, health }, answer }) => {
    const responseResult = answer.ok
      ? pass("api-response", region, `200 JSON in ${attemptsText(api.attempts)}`)
      : fail("api-response", region, answer.detail);
    const body = bodies.get(region);
    const regionResult =
      body === undefined
        ? skipAfter("api-region", region, "api-response")
        : verdict("api-region", region, body.region === region,
            body.region === region
              ? JSON.stringify(region)
              : `${JSON.stringify(body.region)}, expected ${JSON.stringify(region)} (the outputs' key)`);
    const allowOrigin = api.kind === "response" ? api.headers.get("access-control-allow-origin") : null;
    const corsResult =
      api.kind === "error"
        ? skipAfter("api-cors", region, "api-response")
        : verdict("api-cors", region, allowOrigin !== null,
            allowOrigin !== null
              ? `Access-Control-Allow-Origin: ${allowOrigin}`
              : "no Access-Control-Allow-Origin header");
    const healthJson = jsonObjectResponse(health);
    const healthResult = !healthJson.ok
      ? fail("health", region, healthJson.detail)
      : verdict("health", region, healthJson.body.status === HEALTHY,
          healthJson.body.status === HEALTHY
            ? `200 JSON, status ${JSON.stringify(HEALTHY)}, in ${attemptsText(health.attempts)}`
            : `status is ${JSON.stringify(healthJson.body.status)}, expected ${JSON.stringify(HEALTHY)}`);
    return [
      responseResult,
      regionResult,
      identityCheck("api-environment", "environment", region, environments, expected.environment),
      identityCheck("api-project", "project", region, projects, expected.project),
      corsResult,
      healthResult,
    ];
  });
}

/** Probes every region's API in parallel and judges the answers. */
export async function runHttpChecks(
  apiUrls: Readonly<Record<string, string>>,
  regions: readonly string[],
  expected: ExpectedIdentity,
  policy: HttpRetryPolicy,
): Promise<CheckResult[]> {
  const probes = await Promise.all(regions.map((region) => probeRegion(apiUrls[region], policy)));
  return evaluateHttpChecks(new Map(regions.map((region, index) => [region, probes[index]])), expected);
}

/**
 * The global URL (Route 53 in front of the regional APIs) answers like a
 * regional API, from one of `deployedRegions`.
 */
export async function checkGlobalApi(
  globalUrl: string,
  deployedRegions: readonly string[],
  policy: HttpRetryPolicy,
): Promise<CheckResult> {
  const body = apiBody(await getWithRetry(globalUrl, policy));
  if (!body.ok) return fail("global-api", GLOBAL_SCOPE, body.detail);
  const region = String(body.body.region);
  return verdict("global-api", GLOBAL_SCOPE, deployedRegions.includes(region),
    deployedRegions.includes(region)
      ? `answered from ${region}`
      : `answered from ${JSON.stringify(region)}, which is not a deployed region (${deployedRegions.join(", ")})`);
}
