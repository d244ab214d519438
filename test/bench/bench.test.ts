import type { RecordedResource } from "../../offline/mock-cloud";
import { CREATE_TIMES, DEFAULT_CREATE_TIME, createTimeOf } from "../../bench/support/create-times";
import { Task, criticalPath, defaultParallelism, simulateDeployment, tasksFromRecording, topologicalOrder } from "../../bench/sections/5-critical-path";
import { formatBytes, formatMs, formatSeconds, goalVerdict, growthExponent, markdownTable, median } from "../../bench/support/stats";
import { recommendedPulumiTsconfig, toRootImports } from "../../bench/sections/2-typecheck";
import { benchInvocation, zipLikePulumi } from "../../bench/sections/4-artifact";
import { fixtureEvent } from "../support/lambda";
import { unzipSync } from "fflate";
import { TYPES } from "../../offline/resource-types";

/**
 * The benchmark's pure parts: statistics, the import rewrite, the graph and
 * the deployment simulation. No figure the benchmark measures is asserted here.
 */

describe("stats", () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[2, 2, 9, 2], 2],
  ])("median of %j is %d", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("refuses the median of nothing", () => {
    expect(() => median([])).toThrow("median of no values");
  });

  it("growth exponent: 1 for linear, 2 for quadratic, 0 for constant", () => {
    expect(growthExponent(2, 10, 8, 40)).toBeCloseTo(1, 10);
    expect(growthExponent(2, 4, 8, 64)).toBeCloseTo(2, 10);
    expect(growthExponent(1, 5, 34, 5)).toBe(0);
    expect(() => growthExponent(2, 1, 2, 3)).toThrow("growthExponent needs two distinct positive sizes and positive times, got (2, 1) and (2, 3)");
  });

  it("formats times, sizes and verdicts", () => {
    expect(formatMs(0.0058)).toBe("5.8 µs");
    expect(formatMs(3.456)).toBe("3.46 ms");
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(12_345)).toBe("12.35 s");
    expect(formatSeconds(89)).toBe("89 s");
    expect(formatSeconds(686)).toBe("11 min 26 s");
    expect(formatBytes(2467)).toBe("2.4 KB");
    expect(formatBytes(655 * 1024 * 1024)).toBe("655 MB");
    expect(goalVerdict(400, 500, formatMs)).toBe("met (400 ms ≤ 500 ms)");
    expect(goalVerdict(750, 500, formatMs)).toBe("MISSED by 250 ms (750 ms > 500 ms, 1.50× the goal)");
  });

  it("renders a markdown table and rejects ragged rows", () => {
    expect(markdownTable(["a", "b"], [["1", "2"]])).toBe("| a | b |\n| --- | --- |\n| 1 | 2 |");
    expect(() => markdownTable(["a", "b"], [["1"]])).toThrow("table row has 1 cells, expected 2: 1");
  });
});

describe("root-import rewrite", () => {
  const namespaces = new Set(["ec2", "lambda", "apigateway"]);
  const isNamespace = (name: string) => namespaces.has(name);

  it("turns namespace and file submodule imports into root imports, leaving deeper paths", () => {
    const source = [
      'import * as ec2 from "@pulumi/aws/ec2";',
      'import * as aws_lambda from "@pulumi/aws/lambda";',
      'import { Provider } from "@pulumi/aws/provider";',
      'import type { GetRegionResult } from "@pulumi/aws/getRegion";',
      'import type * as inputs from "@pulumi/aws/types/input";',
      'import * as pulumi from "@pulumi/pulumi";',
    ].join("\n");
    expect(toRootImports(source, isNamespace)).toEqual({
      rewritten: 4,
      code: [
        'import { ec2 } from "@pulumi/aws";',
        'import { lambda as aws_lambda } from "@pulumi/aws";',
        'import { Provider } from "@pulumi/aws";',
        'import type { GetRegionResult } from "@pulumi/aws";',
        'import type * as inputs from "@pulumi/aws/types/input";',
        'import * as pulumi from "@pulumi/pulumi";',
      ].join("\n"),
    });
  });

  it("keeps the project's CommonJS settings in the recommended Pulumi tsconfig", () => {
    expect(recommendedPulumiTsconfig("./tsconfig.json")).toEqual({
      extends: "./tsconfig.json",
      compilerOptions: { noCheck: true, module: "commonjs", moduleResolution: "node", target: "ES2022" },
    });
  });
});

describe("artifact zip", () => {
  it("holds exactly the archive's files and is deterministic", () => {
    const files = { "index.js": "exports.handler = async () => ({ statusCode: 200, body: '' });\n".repeat(20) };
    const zip = zipLikePulumi(files);
    expect(new TextDecoder().decode(unzipSync(zip)["index.js"])).toBe(files["index.js"]);
    expect(Object.keys(unzipSync(zip))).toEqual(["index.js"]);
    expect(zipLikePulumi(files)).toEqual(zip);
    // Deflate does work on repetitive text.
    expect(zip.length).toBeLessThan(files["index.js"].length / 4);
  });
});

/** A recorded resource with only the fields the graph reads. */
function recorded(urn: string, type: string, options: { custom?: boolean; parent?: string; dependencies?: string[]; region?: string; inputs?: Record<string, unknown> } = {}): RecordedResource {
  return {
    urn,
    type,
    name: urn.split("::").pop() as string,
    inputs: options.inputs ?? {},
    state: {},
    id: `${urn}-id`,
    custom: options.custom ?? true,
    parent: options.parent,
    provider: undefined,
    dependencies: options.dependencies ?? [],
    region: options.region,
    options: { retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, protect: false, aliases: [] },
  };
}

function task(urn: string, seconds: number, dependsOn: string[] = [], type = "test:index:Thing", region = "r1"): Task {
  return { urn, type, name: urn, region, seconds, dependsOn };
}

describe("deployment graph", () => {
  it("drops providers and components, and expands a dependency on a component to its cloud descendants", () => {
    const resources = [
      recorded("stack", TYPES.tapStack, { custom: false }),
      recorded("provider", TYPES.provider, { parent: "stack" }),
      recorded("network", TYPES.regionalNetwork, { custom: false, parent: "stack" }),
      recorded("vpc", TYPES.vpc, { parent: "network", dependencies: ["provider"] }),
      recorded("subnet", TYPES.subnet, { parent: "network", dependencies: ["vpc"] }),
      recorded("fn", TYPES.function, { parent: "stack", dependencies: ["network"], inputs: { vpcConfig: { subnetIds: ["x"] } } }),
    ];
    const tasks = tasksFromRecording(resources);
    expect(tasks.map((t) => [t.urn, t.seconds, t.dependsOn])).toEqual([
      ["vpc", CREATE_TIMES[TYPES.vpc].seconds, []],
      ["subnet", CREATE_TIMES[TYPES.subnet].seconds, ["vpc"]],
      ["fn", 75, ["vpc", "subnet"]],
    ]);
  });

  it("rejects a dependency that is not in the recording", () => {
    expect(() => tasksFromRecording([recorded("a", TYPES.vpc, { dependencies: ["ghost"] })])).toThrow("Dependency ghost is not in the recording");
  });

  it("times a Lambda outside a VPC without the ENI wait, and falls back for unknown types", () => {
    expect(createTimeOf(TYPES.function, { vpcConfig: { subnetIds: ["s"] } }).seconds).toBe(75);
    expect(createTimeOf(TYPES.function, {}).seconds).toBe(10);
    expect(createTimeOf("aws:new/thing:Thing", {})).toBe(DEFAULT_CREATE_TIME);
  });

  it("orders tasks after their dependencies and names a cycle", () => {
    expect(topologicalOrder([task("b", 1, ["a"]), task("a", 1)]).map((t) => t.urn)).toEqual(["a", "b"]);
    expect(() => topologicalOrder([task("a", 1, ["b"]), task("b", 1, ["a"])])).toThrow("Dependency cycle: a -> b -> a");
  });

  it("finds the longest weighted chain", () => {
    const tasks = [task("vpc", 3), task("sg", 3, ["vpc"]), task("bucket", 2), task("fn", 75, ["sg"]), task("alarm", 1, ["fn", "bucket"])];
    const { seconds, chain } = criticalPath(tasks);
    expect(seconds).toBe(82);
    expect(chain.map((t) => t.urn)).toEqual(["vpc", "sg", "fn", "alarm"]);
  });
});

describe("deployment simulation", () => {
  const twoRegions = [task("a1", 10, [], "t", "r1"), task("b1", 5, ["a1"], "t", "r1"), task("a2", 10, [], "t", "r2"), task("b2", 5, ["a2"], "t", "r2")];

  it("with enough workers, independent regions take as long as one", () => {
    expect(simulateDeployment(twoRegions, { parallelism: Infinity, quotaScope: "none" })).toBe(15);
    expect(simulateDeployment(twoRegions, { parallelism: 2, quotaScope: "none" })).toBe(15);
  });

  it("with one worker, the work is serialized", () => {
    expect(simulateDeployment(twoRegions, { parallelism: 1, quotaScope: "none" })).toBe(30);
  });

  it("spaces rate-limited creates per region or across the account", () => {
    const deployments = ["r1", "r2", "r3"].map((region) => task(`dep-${region}`, 2, [], TYPES.deployment, region));
    // CreateDeployment: one per 5 s. Per region, the three regions do not wait for each other.
    expect(simulateDeployment(deployments, { parallelism: Infinity, quotaScope: "region" })).toBe(2);
    // Account-wide: starts at 0, 5 and 10 s.
    expect(simulateDeployment(deployments, { parallelism: Infinity, quotaScope: "account" })).toBe(12);
  });

  it("rejects a parallelism below 1", () => {
    expect(() => simulateDeployment(twoRegions, { parallelism: 0, quotaScope: "none" })).toThrow("parallelism must be at least 1, got 0");
  });

  it("uses 4 workers per CPU by default", () => {
    expect(defaultParallelism(2)).toBe(8);
  });
});

describe("the artifact section's request", () => {
  it("is the recorded API Gateway event's request: POST /api/orders/42 with its query and JSON body, on the dev stage", () => {
    const { event } = benchInvocation();
    const recorded = fixtureEvent();
    const request = (e: typeof event) => ({
      resource: e.resource,
      path: e.path,
      httpMethod: e.httpMethod,
      pathParameters: e.pathParameters,
      queryStringParameters: e.queryStringParameters,
      multiValueQueryStringParameters: e.multiValueQueryStringParameters,
      body: JSON.parse(e.body ?? "null"),
      isBase64Encoded: e.isBase64Encoded,
      contentType: e.headers["Content-Type"],
      stagePath: e.requestContext.path,
      sourceIp: e.requestContext.identity.sourceIp,
    });
    expect(request(event)).toEqual(request(recorded));
  });

  it("goes to the default stack's us-east-1 function, with its memory and timeout", () => {
    const { context } = benchInvocation();
    expect([context.functionName, context.memoryLimitInMB, context.invokedFunctionArn]).toEqual([
      "iac-aws-nova-api-us-east-1-dev-2f69835b",
      "128",
      "arn:aws:lambda:us-east-1:123456789012:function:iac-aws-nova-api-us-east-1-dev-2f69835b",
    ]);
  });
});
