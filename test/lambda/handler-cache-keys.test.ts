import fc from "fast-check";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { HEALTH_PATH, handler } from "../../lambda/handler";
import { API_CACHE_QUERY_STRINGS } from "../../lib/api-cache";
import { API_HEALTH_PATH } from "../../lib/serverless-api";
import { fixtureEvent, realisticContext, useDeployedEnvironment } from "../support/lambda";

/**
 * What the stage cache may ignore. API Gateway keys a cached answer only on
 * the resource path and the parameters a method declares by name; it has no
 * key for "every query string" (API Gateway developer guide, "Cache settings
 * for REST APIs"). tap's cache keys on the path alone (lib/api-cache.ts,
 * API_CACHE_QUERY_STRINGS is empty), which is right only while the handler's
 * GET answers do not depend on any query string or header. These properties
 * fail the day one does: then its name must join API_CACHE_QUERY_STRINGS.
 */

useDeployedEnvironment();

/** A GET for `path`, with the given query strings and extra headers, as API Gateway's proxy integration sends it. */
function getEvent(path: string, query: Record<string, string[]>, headers: Record<string, string>): APIGatewayProxyEvent {
  const event = fixtureEvent();
  const names = Object.keys(query);
  return {
    ...event,
    httpMethod: "GET",
    path,
    body: null,
    isBase64Encoded: false,
    headers: { ...event.headers, ...headers },
    multiValueHeaders: { ...event.multiValueHeaders, ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])) },
    queryStringParameters: names.length === 0 ? null : Object.fromEntries(names.map((name) => [name, query[name][query[name].length - 1]])),
    multiValueQueryStringParameters: names.length === 0 ? null : query,
    requestContext: { ...event.requestContext, httpMethod: "GET", path: `/dev${path}` },
  };
}

/** The answer without what differs between any two requests (the request id and the time). */
async function cacheableView(event: APIGatewayProxyEvent): Promise<unknown> {
  const result = await handler(event, realisticContext("00000000-0000-4000-8000-000000000000") as Context);
  const body = JSON.parse(result.body) as Record<string, unknown>;
  delete body.requestId;
  delete body.timestamp;
  return { statusCode: result.statusCode, headers: result.headers, body };
}

const paths = fc.oneof(
  fc.constant("/api"),
  fc.constant(HEALTH_PATH),
  fc.stringMatching(/^[a-z0-9-]{1,12}(\/[a-z0-9-]{1,12}){0,3}$/).map((rest) => `/api/${rest}`),
);
const queries = fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/), fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 }), { maxKeys: 4 });
const headers = fc.dictionary(fc.stringMatching(/^X-[A-Za-z]{1,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 });

describe("the handler's GET answers depend on the path alone", () => {
  it("the cache keys on no query string, because none changes an answer", () => {
    expect(API_CACHE_QUERY_STRINGS).toEqual([]);
  });

  it("the same path with any query strings and extra headers gets the same answer as without them", async () => {
    await fc.assert(
      fc.asyncProperty(paths, queries, headers, async (path, query, extra) => {
        expect(await cacheableView(getEvent(path, query, extra))).toEqual(await cacheableView(getEvent(path, {}, {})));
      }),
      { numRuns: 200 },
    );
  });

  it("the health route the API serves uncached is the handler's health route", () => {
    expect(`/${API_HEALTH_PATH}`).toBe(HEALTH_PATH);
  });
});
