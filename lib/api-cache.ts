/**
 * The stage cache's rules (`enableApiCache`), as pure data and functions:
 * what keys a cached answer, which methods are cached, and how long.
 *
 * API Gateway keys a cached answer on the method's resource path, and on a
 * request parameter (a path parameter, a query string, a header) only when the
 * method declares that parameter and the integration lists it in
 * `cacheKeyParameters` (API Gateway developer guide, "Cache settings for REST
 * APIs", section "Use method or integration parameters as cache keys":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
 * For `/api/{proxy+}` the resource path is the template, so without the
 * `proxy` path parameter as a key every path under /api shared one entry.
 *
 * Query strings can only be keys by name (`method.request.querystring.NAME`);
 * API Gateway has no "every query string" key. The handler's answers do not
 * depend on any query string (test/lambda/handler-cache-keys.test.ts checks
 * it), so API_CACHE_QUERY_STRINGS is empty: the cache keys on the path alone,
 * which is correct for these answers. A handler that starts reading a query
 * string must add its name there, or its answers would be shared across values.
 */

/** Seconds a cached answer is served: API Gateway's default (the maximum is 3600). */
export const API_CACHE_TTL_SECONDS = 300;

/**
 * Query-string names that key the cache (each one declared on the cached
 * methods). Empty: no answer of the handler depends on a query string.
 */
export const API_CACHE_QUERY_STRINGS: readonly string[] = [];

/** A route as the cache sees it: its resource path below the stage and its method. */
export interface CacheRoute {
  readonly path: string;
  readonly httpMethod: string;
}

/** The path parameters of a resource path, in order: `api/{proxy+}` -> `["proxy"]`. */
export function pathParameters(resourcePath: string): string[] {
  return [...resourcePath.matchAll(/\{([^{}+]+)\+?\}/g)].map((match) => match[1]);
}

/** What a cached method declares and its integration keys on. */
export interface CacheKeys {
  /** Method request parameters: path parameters are required (true), query strings optional (false). */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  /** The integration's `cacheKeyParameters`: every declared parameter. */
  readonly cacheKeyParameters: readonly string[];
}

/** Cache keys of a cached route: each path parameter of its resource path, then each query string named in `queryStrings`. */
export function cacheKeys(resourcePath: string, queryStrings: readonly string[] = API_CACHE_QUERY_STRINGS): CacheKeys {
  const required = pathParameters(resourcePath).map((name) => [`method.request.path.${name}`, true] as const);
  const optional = queryStrings.map((name) => [`method.request.querystring.${name}`, false] as const);
  const entries = [...required, ...optional];
  return { requestParameters: Object.fromEntries(entries), cacheKeyParameters: entries.map(([key]) => key) };
}

/**
 * A method's key in the stage's method settings, `{resource_path}/{http_method}`
 * with no leading slash (MethodSettings' `methodPath`); `*\/*` is every method.
 */
export function methodSettingsPath(route: CacheRoute): string {
  return `${route.path.replace(/^\/+/, "")}/${route.httpMethod}`;
}

/**
 * Settings of each cached method. Encrypted (Security Hub APIGateway.5). A
 * client may ask for a fresh answer with `Cache-Control: max-age=0`; unless
 * authorization is required, any client can, and so can make every request
 * miss the cache (developer guide, "Invalidate an API Gateway cache entry").
 * The API has no authorization, so no client is authorized: the header is ignored.
 * API Gateway does not read the integration's own `Cache-Control` response
 * header (the handler's `no-store` included): these settings alone decide.
 */
export const CACHED_METHOD_SETTINGS = {
  cachingEnabled: true,
  cacheDataEncrypted: true,
  cacheTtlInSeconds: API_CACHE_TTL_SECONDS,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITHOUT_RESPONSE_HEADER",
} as const;

/**
 * Stage-wide (`*\/*`) cache settings while the stage has a cache: caching off
 * for every method that has no override of its own, so only the methods
 * declared cached are; encryption stays on for anything cached.
 */
export const STAGE_WIDE_CACHE_SETTINGS = {
  cachingEnabled: false,
  cacheDataEncrypted: true,
} as const;
