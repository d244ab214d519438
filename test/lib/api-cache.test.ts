import { API_CACHE_QUERY_STRINGS, cacheKeys, methodSettingsPath, pathParameters } from "../../lib/api-cache";
import { API_ROUTES, apiRoutes, deploymentTrigger } from "../../lib/serverless-api";
import type { RecordedResource, Recording } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";
import { createHash } from "crypto";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * The stage cache (`enableApiCache`) keys each answer on the path asked for,
 * and never caches `/api/health`.
 *
 * API Gateway puts a request parameter in the cache key only when the method
 * declares it and the integration lists it in `cacheKeyParameters`; otherwise
 * the key is the method's resource path, which for `/api/{proxy+}` is the
 * template (API Gateway developer guide, "Cache settings for REST APIs", "Use
 * method or integration parameters as cache keys":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
 * Before, every path under /api shared one entry for 300 s, and the Route 53
 * health checks could read a cached 200 for up to 300 s after the function
 * failed. Stage-level caching applies to GET methods; method settings
 * (`{resource_path}/{http_method}`, or `*\/*` for all) override it per method.
 */

const REGION = "us-east-1";

describe("cache keys, from a method's resource path (pure)", () => {
  it.each([
    ["api", []],
    ["api/{proxy+}", ["proxy"]],
    ["users/{id}/orders/{rest+}", ["id", "rest"]],
  ])("path parameters of %s", (path, expected) => {
    expect(pathParameters(path)).toEqual(expected);
  });

  it("a greedy path keys on its path parameter, which the method must declare (required, as a path parameter is)", () => {
    expect(cacheKeys("api/{proxy+}")).toEqual({
      requestParameters: { "method.request.path.proxy": true },
      cacheKeyParameters: ["method.request.path.proxy"],
    });
  });

  it("a named query string is declared optional and keys too; API Gateway has no key for every query string", () => {
    expect(cacheKeys("api/{proxy+}", ["page", "sort"])).toEqual({
      requestParameters: { "method.request.path.proxy": true, "method.request.querystring.page": false, "method.request.querystring.sort": false },
      cacheKeyParameters: ["method.request.path.proxy", "method.request.querystring.page", "method.request.querystring.sort"],
    });
  });

  it("no query string keys today: no answer of the handler depends on one (test/lambda/handler-cache-keys.test.ts)", () => {
    expect(API_CACHE_QUERY_STRINGS).toEqual([]);
  });

  it("a method's settings key is {resource_path}/{http_method}, without a leading slash", () => {
    expect(methodSettingsPath({ path: "api/{proxy+}", httpMethod: "GET" })).toBe("api/{proxy+}/GET");
    expect(methodSettingsPath({ path: "/api", httpMethod: "GET" })).toBe("api/GET");
  });
});

describe("the deployment trigger", () => {
  it("is unchanged for a stack without the cache, so upgrading does not redeploy it: SHA-256 of the two routes as before", () => {
    const before = JSON.stringify([
      { path: "api", httpMethod: "ANY", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST" },
      { path: "api/{proxy+}", httpMethod: "ANY", authorization: "NONE", integrationType: "AWS_PROXY", integrationHttpMethod: "POST" },
    ]);
    expect(deploymentTrigger(apiRoutes(false))).toBe(createHash("sha256").update(before).digest("hex"));
    expect(apiRoutes(false)).toBe(API_ROUTES);
  });

  it("changes with the cache, so the new methods reach the stage", () => {
    expect(deploymentTrigger(apiRoutes(true))).not.toBe(deploymentTrigger(apiRoutes(false)));
  });
});

describe("a stage with the cache (one region, with the global layer's health check)", () => {
  let harness: StackHarness;
  let recorded: Recording;
  const ofType = (type: string) => recorded.inRegion(REGION, type);

  beforeAll(async () => {
    harness = await setupHarness("dev");
  });
  sharedSetup(async () => {
    await harness.build({ regions: [REGION], enableApiCache: true, domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    recorded = harness.cloud.snapshot();
  });

  /** A resource's path below the stage, from its pathPart and its parents'. */
  function pathOf(resourceId: string): string {
    const resource = ofType(TYPES.apiResource).find((r) => r.id === resourceId);
    if (resource === undefined) return "";
    const parent = pathOf(resource.inputs.parentId);
    return parent === "" ? resource.inputs.pathPart : `${parent}/${resource.inputs.pathPart}`;
  }
  const methods = () => ofType(TYPES.method).map((m) => ({ path: pathOf(m.inputs.resourceId), httpMethod: m.inputs.httpMethod as string, resource: m }));
  const integrationOf = (method: RecordedResource) => ofType(TYPES.integration).filter((i) => i.inputs.resourceId === method.inputs.resourceId && i.inputs.httpMethod === method.inputs.httpMethod);
  const settingsAt = (methodPath: string) => ofType(TYPES.methodSettings).filter((m) => m.inputs.methodPath === methodPath).map((m) => m.inputs.settings);

  it("has a GET beside each ANY of /api and /api/{proxy+}, and /api/health as a resource of its own with ANY only", () => {
    expect(methods().map((m) => `${m.path} ${m.httpMethod}`).sort()).toEqual(["api ANY", "api GET", "api/health ANY", "api/{proxy+} ANY", "api/{proxy+} GET"]);
  });

  it("the GET of /api/{proxy+} declares the proxy path parameter, and its integration keys the cache on it", () => {
    const get = methods().find((m) => m.path === "api/{proxy+}" && m.httpMethod === "GET")?.resource as RecordedResource;
    expect(get.inputs.requestParameters).toEqual({ "method.request.path.proxy": true });
    expect(integrationOf(get).map((i) => i.inputs.cacheKeyParameters)).toEqual([["method.request.path.proxy"]]);
  });

  it("the GET of /api is its own resource path, the only key it needs: no parameters declared", () => {
    const get = methods().find((m) => m.path === "api" && m.httpMethod === "GET")?.resource as RecordedResource;
    expect(get.inputs.requestParameters).toBeUndefined();
    expect(integrationOf(get).map((i) => i.inputs.cacheKeyParameters)).toEqual([undefined]);
  });

  it("caching is on for exactly the two GET methods: 300 s, encrypted, and no client can force a miss with Cache-Control: max-age=0", () => {
    const cached = ofType(TYPES.methodSettings).filter((m) => m.inputs.settings.cachingEnabled === true).map((m) => m.inputs.methodPath).sort();
    expect(cached).toEqual(["api/GET", "api/{proxy+}/GET"]);
    for (const methodPath of cached) {
      expect(settingsAt(methodPath)).toEqual([{
        cachingEnabled: true,
        cacheDataEncrypted: true,
        cacheTtlInSeconds: 300,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITHOUT_RESPONSE_HEADER",
        // The stage-wide settings, repeated: a cached method logs, measures and throttles as the others do.
        metricsEnabled: true,
        loggingLevel: "ERROR",
        dataTraceEnabled: false,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 50,
      }]);
    }
  });

  it("stage-wide, caching is off (so every other method, ANY included, is never cached) and encryption is on", () => {
    expect(settingsAt("*/*")).toEqual([{ cachingEnabled: false, cacheDataEncrypted: true, metricsEnabled: true, loggingLevel: "ERROR", dataTraceEnabled: false, throttlingRateLimit: 100, throttlingBurstLimit: 50 }]);
  });

  it("the path the Route 53 health check calls is the uncached /api/health resource, whose only method no setting caches", () => {
    const checks = recorded.customResources(TYPES.healthCheck);
    expect(checks).toHaveLength(1);
    const [check] = checks;
    expect(check.inputs.resourcePath).toBe("/dev/api/health");
    const health = methods().filter((m) => `/dev/${m.path}` === check.inputs.resourcePath);
    expect(health.map((m) => m.httpMethod)).toEqual(["ANY"]);
    expect(settingsAt("api/health/ANY")).toEqual([]);
    expect(settingsAt("*/*").map((s) => s.cachingEnabled)).toEqual([false]);
  });

  it("the deployment waits for every method and integration, the new ones included", () => {
    const [deployment] = ofType(TYPES.deployment);
    const routeParts = [...ofType(TYPES.method), ...ofType(TYPES.integration)].map((r) => r.urn);
    expect(routeParts).toHaveLength(10);
    for (const urn of routeParts) expect(deployment.dependencies).toContain(urn);
    expect(deployment.inputs.triggers.routes).toBe(deploymentTrigger(apiRoutes(true)));
  });
});
