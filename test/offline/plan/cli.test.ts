import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import type { TapStackArgs } from "../../../lib";
import { COMMERCIAL_REGION_NAMES } from "../../../lib/regions";
import { RecordedResource, withoutStackTraces } from "../../../offline/mock-cloud";
import type { PreviewJson, PreviewStep } from "../../../offline/plan/export";
import { DEPENDENCY_EDGE_COLOR, PARENT_EDGE_COLOR } from "../../../offline/plan/export";
import { FIXTURES, REPO_ROOT } from "../../support/paths";

/**
 * `npm run plan` end to end: the CLI's main() runs in-process, each run in a
 * fresh module registry (the program is a module: it registers its resources
 * once per registry). Every plan is compared with a direct TapStack
 * evaluation under the mock cloud, so the plan shows exactly what the program
 * registers, whatever components the stack has by then.
 */

// Speed: each plan below loads the SDK into a fresh module registry (and runs without stack traces, see
// withoutStackTraces). jest.config.js stubs the TypeScript compiler, which the SDK loads for closure
// serialization and which is most of its load time under jest.

const ROOT = REPO_ROOT;
const PLAN_FIXTURES = path.join(FIXTURES, "plan");
const PROVIDER_TYPE = "pulumi:providers:aws";
const STACK_URN = "urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev";

interface PlanRun {
  code: number;
  stdout: string;
  stderr: string;
  json: PreviewJson | undefined;
  dot: string | undefined;
}

/** Runs the CLI's main() with `args` plus --json and --graph into a temp directory. */
async function plan(args: string[]): Promise<PlanRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tap-plan-"));
  const jsonFile = path.join(dir, "plan.json");
  const dotFile = path.join(dir, "plan.dot");
  let stdout = "";
  let stderr = "";
  let code = -1;
  await withoutStackTraces(() => jest.isolateModulesAsync(async () => {
    const { main } = await import("../../../offline/plan/cli");
    code = await main([...args, "--json", jsonFile, "--graph", dotFile], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      projectDir: ROOT,
    });
  }));
  const json = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, "utf8")) as PreviewJson) : undefined;
  const dot = fs.existsSync(dotFile) ? fs.readFileSync(dotFile, "utf8") : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, stdout, stderr, json, dot };
}

/**
 * The reference: TapStack built directly under the mock cloud, once per
 * argument set, in this file's own registry (as the component tests' harness
 * does), which no plan evaluates in.
 */
async function evaluateDirectly(argSets: readonly TapStackArgs[]): Promise<RecordedResource[][]> {
  const results: RecordedResource[][] = [];
  await withoutStackTraces(async () => {
    const { installMockCloud, waitForRegistrations } = await import("../../../offline/mock-cloud");
    const cloud = await installMockCloud("tap", "dev");
    const { TapStack } = await import("../../../lib");
    for (const args of argSets) {
      cloud.reset();
      new TapStack("tap", args);
      await waitForRegistrations();
      results.push([...cloud.resources]);
    }
  });
  return results;
}

/**
 * The CLI's main() in this file's own registry, for runs that stop before the
 * program is evaluated: they need no fresh registry (a run that did evaluate
 * would make the next one throw, as the program runs once per registry).
 */
async function planStoppingEarly(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const { main } = await import("../../../offline/plan/cli");
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    projectDir: ROOT,
  });
  return { code, stdout, stderr };
}

/** Runs a TypeScript file from the repository root as `npm run plan` does (package.json): node with tsx's loader. */
async function tsx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (failure: { code: number; stdout: string; stderr: string }) => ({ code: failure.code, stdout: failure.stdout, stderr: failure.stderr }),
  );
}

function stepsOf(run: PlanRun): PreviewStep[] {
  if (!run.json) throw new Error(`The plan wrote no JSON. stderr: ${run.stderr}`);
  return [...run.json.steps];
}

/** `<urn>::<id>` -> `<urn>` */
function providerUrn(reference: string | undefined): string | undefined {
  return reference?.slice(0, reference.lastIndexOf("::"));
}

/** Checks the plan against the direct evaluation: same URNs (plus the root stack), same parents, same providers. */
function expectSameResources(run: PlanRun, direct: readonly RecordedResource[]): void {
  const steps = stepsOf(run);
  expect(steps.map((step) => step.urn).sort()).toEqual([STACK_URN, ...direct.map((resource) => resource.urn)].sort());
  const byUrn = new Map(steps.map((step) => [step.urn, step]));
  for (const resource of direct) {
    const step = byUrn.get(resource.urn);
    expect([resource.urn, step?.newState.parent]).toEqual([resource.urn, resource.parent ?? STACK_URN]);
    expect([resource.urn, providerUrn(step?.newState.provider)]).toEqual([resource.urn, resource.provider]);
    expect([resource.urn, step?.newState.custom]).toEqual([resource.urn, resource.custom]);
  }
}

/**
 * Every resource bound to a provider is bound to the provider of the region
 * its logical name carries; resources without a region in their name (the
 * global ones, such as the dashboard) to the account-wide provider, in us-east-1.
 */
function expectRegionalProviders(run: PlanRun, regions: readonly string[]): void {
  const steps = stepsOf(run);
  const providers = steps.filter((step) => step.newState.type === PROVIDER_TYPE);
  const regionOfProvider = new Map(providers.map((step) => [step.urn, String(step.newState.inputs?.region)]));
  const global = providers.filter((step) => step.urn.endsWith("::tap-global-provider"));
  expect(global.map((step) => regionOfProvider.get(step.urn))).toEqual(["us-east-1"]);
  expect(providers.filter((step) => !global.includes(step)).map((step) => regionOfProvider.get(step.urn)).sort()).toEqual([...regions].sort());
  const bound = steps.filter((step) => step.newState.provider !== undefined);
  expect(bound.length).toBeGreaterThan(0);
  for (const step of bound) {
    const logicalName = step.urn.slice(step.urn.lastIndexOf("::") + 2);
    const regional = regions.find((region) => logicalName.includes(`-${region}-`));
    const provider = providerUrn(step.newState.provider) ?? "";
    // [region of its provider, whether that is the account-wide provider]
    const expected = regional === undefined ? ["us-east-1", true] : [regional, false];
    expect([logicalName, regionOfProvider.get(provider), provider === global[0].urn]).toEqual([logicalName, ...expected]);
    expect(step.provider).toBe(step.newState.provider);
  }
}

/** Rows of the printed summary table: type -> the numbers on its row. */
function summaryRow(stdout: string, type: string): number[] {
  const line = stdout.split("\n").find((candidate) => candidate.trimStart().startsWith(`${type} `));
  if (!line) throw new Error(`No summary row for ${type}`);
  return line.trim().split(/\s+/).slice(1).map(Number);
}

const THREE_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

/** The plans and references the first two groups share: computed once, because each costs a full program run. */
let defaults: PlanRun;
let natInThreeRegions: PlanRun;
let everythingPaid: PlanRun;
let directDefaults: RecordedResource[];
let directNatInThreeRegions: RecordedResource[];
let directEverythingPaid: RecordedResource[];

/** The global layer with every option that costs money. */
const PAID_OPTIONS = {
  domainName: "api.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  enableWaf: true,
  enableApiCache: true,
  lambdaProvisionedConcurrency: 2,
  lambdaMemoryMb: 512,
} satisfies TapStackArgs;

beforeAll(async () => {
  defaults = await plan([]);
  natInThreeRegions = await plan(["--config", "tap:enableNatGateway=true", "-c", `regions=${JSON.stringify(THREE_REGIONS)}`]);
  everythingPaid = await plan(Object.entries(PAID_OPTIONS).flatMap(([key, value]) => ["-c", `${key}=${value}`]));
  // What Pulumi.dev.yaml sets beyond the library defaults (the plan reads it; TapStack is built with it directly).
  const devStack = { manageApiGatewayAccount: true } satisfies TapStackArgs;
  [directDefaults, directNatInThreeRegions, directEverythingPaid] = await evaluateDirectly([
    devStack,
    { ...devStack, enableNatGateway: true, regions: THREE_REGIONS },
    { ...devStack, ...PAID_OPTIONS },
  ]);
}, 120_000);

describe("npm run plan on the dev stack (Pulumi.dev.yaml)", () => {
  let run: PlanRun;
  let direct: RecordedResource[];

  beforeAll(() => {
    run = defaults;
    direct = directDefaults;
  });

  it("exits 0 with nothing on stderr", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("plans exactly the resources TapStack registers, with the same parents and providers", () => {
    expectSameResources(run, direct);
  });

  it("binds every regional resource to its own region's provider", () => {
    expectRegionalProviders(run, ["us-east-1", "us-west-2"]);
  });

  it("says the IDs are placeholders and prints one section per region", () => {
    expect(run.stdout).toContain("IDs and ARNs are placeholders (account 123456789012)");
    expect(run.stdout).toMatch(/^ {2}us-east-1 {2}US East \(N\. Virginia\) {2}· {2}\d+ resources/m);
    expect(run.stdout).toMatch(/^ {2}us-west-2 {2}US West \(Oregon\) {2}· {2}\d+ resources/m);
    expect(run.stdout).toContain("aws:ec2:Vpc");
    expect(run.stdout).toContain("iac-aws-nova-vpc-us-east-1-dev");
    expect(run.stdout).toContain("cidr 10.0.0.0/16");
  });

  it("counts resources per type and region in the summary, and the total matches the JSON", () => {
    const steps = stepsOf(run);
    const vpcs = direct.filter((resource) => resource.type === "aws:ec2/vpc:Vpc").length;
    expect(vpcs).toBe(2);
    expect(summaryRow(run.stdout, "aws:ec2:Vpc")).toEqual([1, 1, 2]);
    // us-east-1 holds its regional provider and the account-wide one.
    expect(summaryRow(run.stdout, "pulumi:providers:aws")).toEqual([2, 1, 3]);
    expect(summaryRow(run.stdout, "Total").at(-1)).toBe(steps.length);
    expect(run.stdout).toContain(`Resources: + ${steps.length} to create in us-east-1, us-west-2 and global`);
  });

  it("writes preview JSON in pulumi preview --json's shape", () => {
    const json = run.json as PreviewJson;
    const steps = stepsOf(run);
    const urns = new Set(steps.map((step) => step.urn));
    expect(Object.keys(json).sort()).toEqual(["awsInputConstraints", "changeSummary", "config", "costEstimate", "diagnostics", "offlinePlan", "policyViolations", "steps"]);
    expect(json.changeSummary).toEqual({ create: steps.length });
    // The AWS input check (test/offline/aws-constraints/check.test.ts covers it): nothing the dev stack sends breaks a model rule.
    expect((json as PreviewJson & { awsInputConstraints: { violations: unknown[] } }).awsInputConstraints.violations).toEqual([]);
    expect(run.stdout).toMatch(/^AWS input constraints: \d+ fields checked, 0 violations \(rules from botocore 1\.29\.27's API models\)$/m);
    expect(json.config["tap:regions"]).toBe('["us-east-1","us-west-2"]');
    expect(json.config["tap:enableNatGateway"]).toBe("false");
    expect(steps[0].newState).toMatchObject({ urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false });
    // The program's exports, less global_url: Pulumi drops undefined exports, and the global layer is off.
    expect(Object.keys(steps[0].newState.outputs ?? {}).sort()).toEqual([
      "alarm_names", "alarm_topic_arns", "api_urls", "dashboard_name", "dashboard_url",
      "lambda_arns", "lambda_function_names", "s3_buckets", "vpc_ids",
    ]);
    for (const step of steps) {
      expect(step.op).toBe("create");
      expect(step.newState.urn).toBe(step.urn);
      expect(step.detailedDiff).toBeNull();
      if (step.urn !== STACK_URN) expect(urns.has(step.newState.parent ?? "")).toBe(true);
      for (const dependency of step.newState.dependencies ?? []) expect(urns.has(dependency)).toBe(true);
      if (step.newState.provider) expect(step.newState.provider).toMatch(/^urn:pulumi:dev::tap::.*pulumi:providers:aws::[^:]+::[^:]+$/);
    }
    expect(json.diagnostics[0]).toMatchObject({ urn: STACK_URN, severity: "info", prefix: "info: " });
    expect(json.diagnostics[0].message).toContain("placeholders (account 123456789012)");
    expect(json.policyViolations).toEqual([]);
  });

  it("writes the graph as pulumi stack graph's DOT: one node per resource, one edge per dependency and per parent", () => {
    const steps = stepsOf(run);
    const lines = (run.dot as string).trimEnd().split("\n");
    expect(lines[0]).toBe("strict digraph {");
    expect(lines.at(-1)).toBe("}");
    const nodes = lines.slice(1, -1).filter((line) => /^ {4}Resource\d+ \[label="[^"]+"\];$/.test(line));
    const edges = lines.slice(1, -1).filter((line) => /^ {4}Resource\d+ -> Resource\d+ \[color = "#[0-9A-F]{6}"\];$/.test(line));
    expect(nodes.length + edges.length).toBe(lines.length - 2);
    expect(nodes.map((line) => /label="([^"]+)"/.exec(line)?.[1]).sort()).toEqual(steps.map((step) => step.urn).sort());
    const dependencyCount = steps.reduce((sum, step) => sum + (step.newState.dependencies?.length ?? 0), 0);
    expect(dependencyCount).toBeGreaterThan(0);
    expect(edges.filter((line) => line.includes(DEPENDENCY_EDGE_COLOR))).toHaveLength(dependencyCount);
    expect(edges.filter((line) => line.includes(PARENT_EDGE_COLOR))).toHaveLength(steps.length - 1);
    const ids = new Set(nodes.map((line) => line.trim().split(" ")[0]));
    for (const edge of edges) {
      const [from, , to] = edge.trim().split(" ");
      expect([ids.has(from), ids.has(to)]).toEqual([true, true]);
    }
  });
});

describe("npm run plan with --config overrides", () => {
  const regions = THREE_REGIONS;
  let run: PlanRun;
  let direct: RecordedResource[];

  beforeAll(() => {
    run = natInThreeRegions;
    direct = directNatInThreeRegions;
  });

  it("plans exactly what TapStack registers for three regions with NAT, each region on its own provider", () => {
    expect(run.code).toBe(0);
    expectSameResources(run, direct);
    expectRegionalProviders(run, regions);
    expect(summaryRow(run.stdout, "aws:ec2:NatGateway")).toEqual([1, 1, 1, 3]);
    expect(run.stdout).toContain("Config: tap:enableNatGateway=true  tap:environmentSuffix=dev  tap:manageApiGatewayAccount=true  tap:projectName=iac-aws-nova  tap:regions=[\"us-east-1\",\"eu-west-1\",\"ap-southeast-2\"]");
  });

  it("prices one NAT gateway and its public IPv4 per region: $36.50 a region", () => {
    const costs = (run.json as PreviewJson).costEstimate;
    for (const region of regions) {
      const lines = costs.lines.filter((line) => line.region === region && (line.item === "NAT gateway" || line.item.startsWith("Public IPv4")));
      expect(lines.map((line) => [line.item, line.quantity, line.monthlyUsd]).sort()).toEqual([
        ["NAT gateway", 1, 32.85],
        ["Public IPv4 address (Elastic IP)", 1, 3.65],
      ]);
    }
    expect(run.stdout).toMatch(/NAT gateway: 3 x \$0\.045\/h x 730 h\s+\$32\.85\s+\$32\.85\s+\$32\.85\s+\$98\.55/);
    expect(run.stdout).toMatch(/Public IPv4 address \(Elastic IP\): 3 x \$0\.005\/h x 730 h\s+\$3\.65\s+\$3\.65\s+\$3\.65\s+\$10\.95/);
  });

  it("prices no NAT gateway or public IPv4 with the defaults", () => {
    const items = (defaults.json as PreviewJson).costEstimate.lines.map((line) => line.item);
    expect(items.filter((item) => item === "NAT gateway" || item.startsWith("Public IPv4"))).toEqual([]);
  });
});

describe("npm run plan with the global layer and every paid option", () => {
  it("plans exactly what TapStack registers, with the same parents and providers", () => {
    expect(everythingPaid.code).toBe(0);
    expectSameResources(everythingPaid, directEverythingPaid);
  });

  it("prices the stage cache, provisioned concurrency, WAF and the HTTPS health checks from the price table", () => {
    const costs = (everythingPaid.json as PreviewJson).costEstimate;
    const byItem = (item: string) => costs.lines.filter((line) => line.item === item).map((line) => [line.region, line.quantity, line.monthlyUsd]);
    const rulesPerAcl = directEverythingPaid.filter((resource) => resource.type === "aws:wafv2/webAcl:WebAcl").map((acl) => (acl.inputs.rules as unknown[]).length);
    expect(rulesPerAcl).toHaveLength(2);
    // 0.5 GB cache: $0.02/h x 730 h.
    expect(byItem("API Gateway cache (0.5 GB)")).toEqual([["us-east-1", 1, 14.6], ["us-west-2", 1, 14.6]]);
    // 2 instances x 0.5 GB x 730 h x 3600 s x $0.0000033334/GB-s (arm64).
    expect(byItem("Lambda provisioned concurrency (512 MB, arm64)")).toEqual([["us-east-1", 2, 8.76], ["us-west-2", 2, 8.76]]);
    expect(byItem("WAF web ACLs")).toEqual([["us-east-1", 1, 5], ["us-west-2", 1, 5]]);
    expect(byItem("WAF rules")).toEqual([["us-east-1", rulesPerAcl[0], rulesPerAcl[0]], ["us-west-2", rulesPerAcl[1], rulesPerAcl[1]]]);
    // Route 53 is global: both health checks go through the account-wide provider, in us-east-1.
    expect(byItem("Route 53 health checks")).toEqual([["us-east-1", 2, 1.5]]);
    expect(byItem("Route 53 health-check options (HTTPS)")).toEqual([["us-east-1", 2, 4]]);
    expect(everythingPaid.stdout).toContain("ACM: public certificates are free.");
  });
});

describe("npm run plan warnings", () => {
  it("warns loudly, in the text and the JSON, that a reserved concurrency of 0 throttles every request", async () => {
    const run = await plan(["--config", "lambdaReservedConcurrency=0"]);
    expect(run.code).toBe(0);
    const warning =
      'Config "lambdaReservedConcurrency" is 0: Lambda throttles every invocation, so the API fails EVERY request in every region (us-east-1, us-west-2). ' +
      "Set it to -1 for no reservation, or reserve at least 1.";
    expect(run.stdout).toContain(`warning: ${warning}`);
    expect(run.json?.diagnostics?.map((diagnostic) => diagnostic.message)).toContain(warning);
  }, 60_000);
});

describe("npm run plan failures", () => {
  it("exits 2 with the program's own config error, and no stack trace, for an unknown region", async () => {
    const run = await plan(["--config", 'regions=["us-east-9"]']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `error: Invalid config "regions[0]": "us-east-9". Not an AWS commercial region tap supports. Allowed: ${COMMERCIAL_REGION_NAMES.join(", ")}.\n`,
    );
    expect(run.json).toBeUndefined();
  }, 30_000);

  it("exits 2, before evaluating anything, when --json or --graph points into a folder that does not exist", async () => {
    const { code, stdout, stderr } = await planStoppingEarly(["--graph", "/no/such/folder/plan.dot"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("error: --graph /no/such/folder/plan.dot: the folder /no/such/folder does not exist; create it or choose another path.\n");
  });

  it("exits 2 with one line, before reading any file, for a stack name that is a path", async () => {
    const run = await planStoppingEarly(["--stack", "/../../evil"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      'error: --stack "/../../evil": expected a stack name of letters, digits, "-", "_" and "." (1 to 100 characters, starting with a letter or digit), such as "dev".\n',
    );
  }, 30_000);

  it("exits 2 naming the missing stack file and the stacks that exist", async () => {
    const run = await planStoppingEarly(["--stack", "staging"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: Stack "staging" has no config file: Pulumi.staging.yaml does not exist in ${ROOT}. Stacks with a config file: dev, prod. ` +
        "Choose one with --stack <name>, or create Pulumi.staging.yaml with a config: map.\n",
    );
  }, 30_000);

  it("exits 1 on a mandatory policy violation and lists it in the text and the JSON", async () => {
    const run = await plan(["--cwd", path.join(PLAN_FIXTURES, "violation")]);
    expect(run.code).toBe(1);
    const blockUrn = "urn:pulumi:dev::fixture-violation::aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::fixture-public-access-block";
    const violation = (run.json as PreviewJson).policyViolations.find((found) => found.policy === "s3-public-access-block-all-flags");
    expect(violation).toMatchObject({ enforcementLevel: "mandatory", urn: blockUrn });
    expect(violation?.message).toContain("blockPublicPolicy, restrictPublicBuckets");
    expect(run.stdout).toMatch(/mandatory: \d+ violations?/);
    expect(run.stdout).toContain("[s3-public-access-block-all-flags] aws:s3:BucketPublicAccessBlock fixture-public-access-block (us-east-1)");
  }, 30_000);

  it("as a real process: exits 3 naming the lookup the mock cloud does not answer, instead of planning without the resource that needed it", async () => {
    // In a child process: the failing program leaves unhandled rejections behind, which jest would claim in-process.
    const run = await tsx(["offline/plan/cli.ts", "--cwd", "test/fixtures/plan/unknown-lookup"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error: The program failed while it was evaluated, so the plan would be incomplete:\n");
    expect(run.stderr).toContain(
      // The mock's refusal reaches the program through the SDK (as the error's details) and is reported as such.
      "Mock not implemented: aws:index/getBillingServiceAccount:getBillingServiceAccount\n",
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
