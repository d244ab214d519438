import * as path from "path";
import type { RecordedResource } from "../../../offline/mock-cloud";
import { DEFAULT_LIFECYCLE_OPTIONS, withoutStackTraces } from "../../../offline/mock-cloud";
import { runPlanCli } from "../../support/plan-cli";
import { DestroyNode, destroyStepNumbers, destroySteps, mustGoBefore } from "../../../offline/plan/destroy/order";
import { renderDestroy } from "../../../offline/plan/destroy/render";
import { buildPlanModel } from "../../../offline/plan/model";
import { PLAIN } from "../../../offline/plan/style";
import { REPO_ROOT } from "../../support/paths";

/**
 * `npm run plan -- --destroy`: the destroy order on hand-made graphs (exact
 * steps), and the lifecycle invariants on the real program's graph: what a
 * resource needs while AWS deletes it must still exist, so it must be deleted
 * in a later step.
 */

const ROOT = REPO_ROOT;

function node(urn: string, fields: Partial<DestroyNode> = {}): DestroyNode {
  return { urn, type: "t:m:T", name: urn, dependencies: [], ...fields };
}

/** The steps as lists of URNs. */
function stepUrns(nodes: readonly DestroyNode[]): string[][] {
  return destroySteps(nodes).map((step) => step.resources.map((resource) => resource.urn));
}

describe("destroySteps on hand-made graphs", () => {
  it("deletes a chain from its end: the resource that depends on the others goes first", () => {
    const nodes = [node("a"), node("b", { dependencies: ["a"] }), node("c", { dependencies: ["b"] })];
    expect(stepUrns(nodes)).toEqual([["c"], ["b"], ["a"]]);
  });

  it("deletes a component after its children", () => {
    const nodes = [node("comp"), node("x", { parent: "comp" }), node("y", { parent: "comp", dependencies: ["x"] })];
    expect(stepUrns(nodes)).toEqual([["y"], ["x"], ["comp"]]);
  });

  it("deletes a diamond's two middle resources in one step", () => {
    const nodes = [node("a"), node("b", { dependencies: ["a"] }), node("c", { dependencies: ["a"] }), node("d", { dependencies: ["b", "c"] })];
    expect(stepUrns(nodes)).toEqual([["d"], ["b", "c"], ["a"]]);
  });

  it("runs independent chains side by side, each resource in the first step it can go", () => {
    const nodes = [
      node("a1"), node("a2", { dependencies: ["a1"] }), node("a3", { dependencies: ["a2"] }),
      node("b1"), node("b2", { dependencies: ["b1"] }),
      node("lone"),
    ];
    expect(stepUrns(nodes)).toEqual([["a3", "b2", "lone"], ["a2", "b1"], ["a1"]]);
  });

  it("deletes a provider after every resource bound to it, and the provider's parent after the provider", () => {
    const nodes = [
      node("stack"),
      node("top", { parent: "stack" }),
      node("provider", { parent: "top" }),
      node("vpc", { parent: "top", provider: "provider" }),
      node("subnet", { parent: "top", provider: "provider", dependencies: ["vpc"] }),
    ];
    expect(stepUrns(nodes)).toEqual([["subnet"], ["vpc"], ["provider"], ["top"], ["stack"]]);
  });

  it("takes a dependsOn and an Output dependency alike, and ignores URNs outside the graph", () => {
    const nodes = [node("role"), node("policy", { dependencies: ["role", "urn:elsewhere"] }), node("fn", { dependencies: ["policy", "role"] })];
    expect(mustGoBefore(nodes)).toEqual(new Map([["role", ["fn", "policy"]], ["policy", ["fn"]], ["fn", []]]));
    expect([...destroyStepNumbers(nodes)]).toEqual([["fn", 1], ["policy", 2], ["role", 3]]);
  });

  it("sorts a step by type, then name", () => {
    const nodes = [node("u1", { type: "b:m:B", name: "a" }), node("u2", { type: "a:m:A", name: "z" }), node("u3", { type: "a:m:A", name: "m" })];
    expect(stepUrns(nodes)).toEqual([["u3", "u2", "u1"]]);
  });

  it("refuses a cycle, naming it", () => {
    const nodes = [node("a", { dependencies: ["c"] }), node("b", { dependencies: ["a"] }), node("c", { dependencies: ["b"] })];
    expect(() => destroySteps(nodes)).toThrow("The dependency graph has a cycle, so there is no destroy order: a -> b -> c -> a");
  });

  it("has no steps for an empty graph", () => {
    expect(destroySteps([])).toEqual([]);
  });
});

describe("renderDestroy", () => {
  const prefix = "urn:pulumi:dev::p::";
  const urns = {
    provider: `${prefix}pulumi:providers:aws::prov`,
    role: `${prefix}aws:iam/role:Role::role`,
    account: `${prefix}aws:apigateway/account:Account::account`,
  };
  const recorded = (fields: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">): RecordedResource => ({
    inputs: {}, state: {}, id: `${fields.name}-id`, custom: true, parent: undefined, provider: urns.provider, dependencies: [], region: "eu-west-1", options: DEFAULT_LIFECYCLE_OPTIONS, ...fields,
  });
  const model = buildPlanModel({
    project: "p",
    stack: "dev",
    outputs: {},
    placeholderAccountId: "123456789012",
    resources: [
      recorded({ urn: urns.provider, type: "pulumi:providers:aws", name: "prov", provider: undefined, inputs: { region: "eu-west-1" } }),
      recorded({ urn: urns.role, type: "aws:iam/role:Role", name: "role", inputs: { namePrefix: "p-apigw-logs-" } }),
      recorded({ urn: urns.account, type: "aws:apigateway/account:Account", name: "account", dependencies: [urns.role], options: { ...DEFAULT_LIFECYCLE_OPTIONS, retainOnDelete: true } }),
    ],
  });

  it("prints each step with the type, the AWS name (else the logical name) and the region, and marks what is retained", () => {
    expect(renderDestroy(model, destroySteps(model.resources), PLAIN)).toBe([
      "Destroy order of stack dev (project p): 4 resources in 4 steps",
      "What `pulumi destroy` would do, from the dependency graph the program registers (offline: nothing was sent to AWS).",
      "A step's resources are deleted in parallel; a step starts when the one before it has finished. A resource goes",
      "after everything that depends on it (dependsOn and Output properties), after its children, and a provider after",
      "every resource bound to it. Names are AWS names (prefix* when AWS adds a random suffix), or the Pulumi name of a",
      "resource that has none.",
      "Evaluated in account 123456789012 (placeholder): bucket names hash the account.",
      "",
      "  step 1: 1 resource",
      "    - aws:apigateway:Account  account         eu-west-1  retained, not deleted",
      "  step 2: 1 resource",
      "    - aws:iam:Role            p-apigw-logs-*  eu-west-1",
      "  step 3: 1 resource",
      "    - pulumi:providers:aws    prov            eu-west-1",
      "  step 4: 1 resource",
      "    - pulumi:pulumi:Stack     p-dev",
      "",
      "Retained: 1 resource sets retainOnDelete, so Pulumi forgets it and AWS keeps it:",
      "  aws:apigateway:Account account (eu-west-1)",
      "",
    ].join("\n"));
  });
});

/** The real program's graph, as `npm run plan -- --destroy` computes it. */
interface DestroyGraph {
  resources: RecordedResource[];
  step: ReadonlyMap<string, number>;
  lastStep: number;
}

/** The default stack's graph, kept for the CLI test to compare its count with. */
let defaultGraph: DestroyGraph | undefined;

async function destroyGraph(overrides: string[]): Promise<DestroyGraph> {
  let graph: DestroyGraph | undefined;
  await withoutStackTraces(() => jest.isolateModulesAsync(async () => {
    const { loadStackConfig } = await import("../../../offline/stack-config/loader");
    const { evaluateProgram } = await import("../../../offline/plan/runner");
    const config = loadStackConfig(ROOT, "dev", overrides);
    const evaluation = await evaluateProgram({ programPath: path.join(ROOT, "index.ts"), project: config.project, stack: config.stack, config: config.values });
    const model = buildPlanModel({ project: config.project, stack: config.stack, resources: evaluation.resources, outputs: {}, placeholderAccountId: "123456789012" });
    const step = destroyStepNumbers(model.resources);
    graph = { resources: [...evaluation.resources], step, lastStep: Math.max(...step.values()) };
  }));
  if (!graph) throw new Error("the program was not evaluated");
  return graph;
}

const EVERY_OPTION = [
  "enableNatGateway=true",
  "enableFlowLogs=true",
  "domainName=api.example.com",
  "hostedZoneId=Z0123456789ABCDEFGHIJ",
  "enableWaf=true",
  "enableApiCache=true",
  "lambdaReservedConcurrency=10",
  "lambdaProvisionedConcurrency=2",
  "apiLoggingLevel=INFO",
  "alarmEmail=ops@example.com",
  'regions=["us-east-1","eu-west-1","ap-southeast-2"]',
];

const ofType = (graph: DestroyGraph, type: string) => graph.resources.filter((resource) => resource.type === type);
const label = (resource: RecordedResource) => `${resource.type.split(":").pop()} ${resource.name}`;

/** Every IAM resource that gives the role with this ARN its permissions: the role, its inline policies, attachments and attached managed policies. */
function roleResources(graph: DestroyGraph, roleArn: unknown): RecordedResource[] {
  const role = ofType(graph, "aws:iam/role:Role").find((candidate) => candidate.state.arn === roleArn);
  if (!role) throw new Error(`No role with ARN ${String(roleArn)}`);
  const refersToRole = (value: unknown) => value === role.id || value === role.state.name || value === role.state.arn;
  const inline = ofType(graph, "aws:iam/rolePolicy:RolePolicy").filter((policy) => refersToRole(policy.inputs.role));
  const attachments = ofType(graph, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((attachment) => refersToRole(attachment.inputs.role));
  const managed = ofType(graph, "aws:iam/policy:Policy").filter((policy) => attachments.some((attachment) => attachment.inputs.policyArn === policy.state.arn));
  return [role, ...inline, ...attachments, ...managed];
}

/** The EC2 actions Lambda needs to create and delete a function's network interfaces. */
const INTERFACE_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces"];
/** AWS managed policies that grant them. */
const INTERFACE_MANAGED_POLICIES = [/:policy\/service-role\/AWSLambdaVPCAccessExecutionRole$/, /:policy\/AWSLambdaENIManagementAccess$/];

function grantsInterfaceActions(document: unknown): boolean {
  if (typeof document !== "string") return false;
  const statements = ([] as { Effect?: string; Action?: string | string[] }[]).concat((JSON.parse(document) as { Statement: [] }).Statement);
  return statements.some((statement) => statement.Effect === "Allow" && ([] as string[]).concat(statement.Action ?? []).some((action) => INTERFACE_ACTIONS.includes(action) || action === "ec2:*"));
}

/**
 * The role with this ARN and those of its policies that let Lambda manage
 * network interfaces: what Lambda needs to release a function's interfaces.
 */
function interfaceGrants(graph: DestroyGraph, roleArn: unknown): RecordedResource[] {
  return roleResources(graph, roleArn).filter((resource) => {
    switch (resource.type) {
      case "aws:iam/role:Role":
        return true;
      case "aws:iam/rolePolicy:RolePolicy":
      case "aws:iam/policy:Policy":
        return grantsInterfaceActions(resource.inputs.policy);
      case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
        return INTERFACE_MANAGED_POLICIES.some((pattern) => pattern.test(String(resource.inputs.policyArn))) ||
          ofType(graph, "aws:iam/policy:Policy").some((policy) => policy.state.arn === resource.inputs.policyArn && grantsInterfaceActions(policy.inputs.policy));
      default:
        return false;
    }
  });
}

/** The resources whose ID is one of `ids`, of the given types. */
function byIds(graph: DestroyGraph, types: readonly string[], ids: unknown): RecordedResource[] {
  const wanted = Array.isArray(ids) ? ids : [];
  return graph.resources.filter((resource) => types.includes(resource.type) && wanted.includes(resource.id));
}

const SUBNET = "aws:ec2/subnet:Subnet";
const SECURITY_GROUPS = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];

/** Every pair (earlier, later) that breaks "`later` is deleted in a later step than `earlier`", as labels. */
function outOfOrder(graph: DestroyGraph, pairs: readonly (readonly [RecordedResource, RecordedResource])[]): string[] {
  return pairs
    .filter(([earlier, later]) => (graph.step.get(later.urn) ?? 0) <= (graph.step.get(earlier.urn) ?? 0))
    .map(([earlier, later]) => `${label(later)} (step ${graph.step.get(later.urn)}) is not deleted after ${label(earlier)} (step ${graph.step.get(earlier.urn)})`);
}

const pairs = (earlier: readonly RecordedResource[], later: readonly RecordedResource[]) => earlier.flatMap((e) => later.map((l) => [e, l] as const));

/** Who writes to each log group: the resource and the log group it writes to. */
function logWriters(graph: DestroyGraph): { logGroup: RecordedResource; writer: RecordedResource }[] {
  const logGroups = ofType(graph, "aws:cloudwatch/logGroup:LogGroup");
  const found: { logGroup: RecordedResource; writer: RecordedResource }[] = [];
  for (const logGroup of logGroups) {
    const add = (writers: RecordedResource[]) => writers.forEach((writer) => found.push({ logGroup, writer }));
    add(ofType(graph, "aws:lambda/function:Function").filter((fn) => fn.inputs.loggingConfig?.logGroup === logGroup.inputs.name));
    add(ofType(graph, "aws:ec2/flowLog:FlowLog").filter((flowLog) => flowLog.inputs.logDestination === logGroup.state.arn));
    add(ofType(graph, "aws:apigateway/stage:Stage").filter((stage) =>
      stage.inputs.accessLogSettings?.destinationArn === logGroup.state.arn ||
      logGroup.inputs.name === `API-Gateway-Execution-Logs_${stage.inputs.restApi}/${stage.inputs.stageName}`));
    add(ofType(graph, "aws:apigateway/methodSettings:MethodSettings").filter((settings) =>
      settings.inputs.settings?.loggingLevel !== "OFF" &&
      logGroup.inputs.name === `API-Gateway-Execution-Logs_${settings.inputs.restApi}/${settings.inputs.stageName}`));
  }
  return found;
}

describe.each([
  ["the default stack", [] as string[]],
  ["every option on, three regions", EVERY_OPTION],
])("the destroy order of %s", (_title, overrides) => {
  let graph: DestroyGraph;
  beforeAll(async () => {
    graph = await destroyGraph(overrides);
    if (overrides.length === 0) defaultGraph = graph;
  }, 120_000);

  it("records the dependencies that come only from Output properties: each function depends on its subnets and security groups", () => {
    const functions = ofType(graph, "aws:lambda/function:Function");
    expect(functions).toHaveLength(overrides.length === 0 ? 2 : 3);
    for (const fn of functions) {
      const network = [
        ...byIds(graph, [SUBNET], fn.inputs.vpcConfig.subnetIds),
        ...byIds(graph, SECURITY_GROUPS, fn.inputs.vpcConfig.securityGroupIds),
        ...byIds(graph, SECURITY_GROUPS, fn.inputs.replacementSecurityGroupIds),
      ];
      expect(network.map((resource) => resource.type).sort()).toEqual([
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:ec2/securityGroup:SecurityGroup", SUBNET, SUBNET,
      ]);
      expect(network.filter((resource) => !fn.dependencies.includes(resource.urn)).map(label)).toEqual([]);
    }
  });

  it("deletes the function's role and its network-interface permissions only after every subnet and security group the function used", () => {
    for (const fn of ofType(graph, "aws:lambda/function:Function")) {
      const iam = interfaceGrants(graph, fn.inputs.role);
      expect(iam.map((resource) => resource.type).filter((type) => type !== "aws:iam/role:Role").length).toBeGreaterThanOrEqual(1);
      const network = [...byIds(graph, [SUBNET], fn.inputs.vpcConfig.subnetIds), ...byIds(graph, SECURITY_GROUPS, fn.inputs.vpcConfig.securityGroupIds)];
      expect(network).toHaveLength(3);
      expect(outOfOrder(graph, pairs(network, iam))).toEqual([]);
    }
  });

  it("keeps everything a function needs while it is deleted (role, policies, replacement security group, subnets) until after it", () => {
    for (const fn of ofType(graph, "aws:lambda/function:Function")) {
      const needed = [
        ...roleResources(graph, fn.inputs.role),
        ...byIds(graph, SECURITY_GROUPS, fn.inputs.replacementSecurityGroupIds),
        ...byIds(graph, SECURITY_GROUPS, fn.inputs.vpcConfig.securityGroupIds),
        ...byIds(graph, [SUBNET], fn.inputs.vpcConfig.subnetIds),
      ];
      expect(needed.length).toBeGreaterThanOrEqual(6);
      expect(outOfOrder(graph, pairs([fn], needed))).toEqual([]);
    }
  });

  it("deletes each log group after every resource that writes to it: the function, the flow log, the stage's access and execution logging", () => {
    const writers = logWriters(graph);
    const logGroups = ofType(graph, "aws:cloudwatch/logGroup:LogGroup");
    // Per region: the function's, the access log's and the execution log's group, and the flow logs' (on in both cases).
    expect(logGroups).toHaveLength(4 * ofType(graph, "aws:ec2/vpc:Vpc").length);
    expect(logGroups.filter((logGroup) => !writers.some((found) => found.logGroup === logGroup)).map(label)).toEqual([]);
    expect(new Set(writers.map((found) => found.writer.type))).toEqual(new Set([
      "aws:lambda/function:Function", "aws:ec2/flowLog:FlowLog", "aws:apigateway/stage:Stage", "aws:apigateway/methodSettings:MethodSettings",
    ]));
    expect(outOfOrder(graph, writers.map(({ writer, logGroup }) => [writer, logGroup] as const))).toEqual([]);
  });

  it("keeps a flow log's role and its policy until after the flow log, so it can write until it is gone", () => {
    const flowLogs = ofType(graph, "aws:ec2/flowLog:FlowLog");
    expect(flowLogs).toHaveLength(ofType(graph, "aws:ec2/vpc:Vpc").length);
    for (const flowLog of flowLogs) {
      const iam = roleResources(graph, flowLog.inputs.iamRoleArn);
      expect(iam.length).toBeGreaterThanOrEqual(2);
      expect(outOfOrder(graph, pairs([flowLog], iam))).toEqual([]);
    }
  });

  it("keeps the API Gateway account setting and its role until after every stage of its region that logs", () => {
    const accounts = ofType(graph, "aws:apigateway/account:Account");
    expect(accounts).toHaveLength(ofType(graph, "aws:ec2/vpc:Vpc").length);
    for (const stage of ofType(graph, "aws:apigateway/stage:Stage")) {
      const account = accounts.filter((candidate) => candidate.region === stage.region);
      expect(account).toHaveLength(1);
      expect(outOfOrder(graph, pairs([stage], [...account, ...roleResources(graph, account[0].inputs.cloudwatchRoleArn)]))).toEqual([]);
    }
  });

  it("retains whatever a retained resource depends on, so what AWS keeps still works (the account setting keeps its role)", () => {
    const byUrn = new Map(graph.resources.map((resource) => [resource.urn, resource]));
    const retained = graph.resources.filter((resource) => resource.options.retainOnDelete);
    // In each region: the API Gateway account setting, its role and the role's policy attachment; the artifacts bucket and its settings.
    expect(retained.map((resource) => resource.type).sort()).toEqual(ofType(graph, "aws:ec2/vpc:Vpc").flatMap(() => [
      "aws:apigateway/account:Account", "aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:s3/bucket:Bucket", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketVersioning:BucketVersioning",
    ]).sort());
    const deletedUnderneath = retained.flatMap((resource) => resource.dependencies
      .map((urn) => byUrn.get(urn))
      .filter((dependency): dependency is RecordedResource => dependency !== undefined && dependency.custom && !dependency.options.retainOnDelete)
      .map((dependency) => `${label(resource)} is retained but depends on ${label(dependency)}, which is deleted`));
    expect(deletedUnderneath).toEqual([]);
  });

  it("deletes every provider after every resource bound to it, every component after its children, and the stack last, alone", () => {
    const stackUrn = `urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev`;
    expect(graph.step.get(stackUrn)).toBe(graph.lastStep);
    expect([...graph.step].filter(([, step]) => step === graph.lastStep).map(([urn]) => urn)).toEqual([stackUrn]);
    const byUrn = new Map(graph.resources.map((resource) => [resource.urn, resource]));
    const broken: string[] = [];
    for (const resource of graph.resources) {
      for (const outliving of [resource.provider, resource.parent]) {
        const other = outliving ? byUrn.get(outliving) : undefined;
        if (other) broken.push(...outOfOrder(graph, [[resource, other]]));
      }
    }
    expect(broken).toEqual([]);
    expect(ofType(graph, "pulumi:providers:aws").length).toBeGreaterThanOrEqual(overrides.length === 0 ? 2 : 3);
  });
});

describe("npm run plan -- --destroy", () => {
  const run = runPlanCli;

  it("prints every resource of the dev stack once, in numbered steps whose counts add up, the stack alone in the last", async () => {
    const { code, stdout, stderr } = await run(["--destroy"]);
    expect([code, stderr]).toEqual([0, ""]);
    const lines = stdout.split("\n");
    const header = /^Destroy order of stack dev \(project tap\): (\d+) resources in (\d+) steps$/.exec(lines[0]);
    expect(header).not.toBeNull();
    const [total, stepCount] = [Number(header?.[1]), Number(header?.[2])];
    // Every resource the program registers, plus the stack.
    expect(total).toBe((defaultGraph?.resources.length ?? Number.NaN) + 1);
    const stepHeaders = lines.map((line, index) => [index, /^ {2}step (\d+): (\d+) resources? ?(in parallel)?$|^ {2}step (\d+): 1 resource$/.exec(line)] as const).filter(([, match]) => match);
    expect(stepHeaders.map(([, match]) => Number(match?.[1] ?? match?.[4]))).toEqual(Array.from({ length: stepCount }, (_, index) => index + 1));
    let listed = 0;
    stepHeaders.forEach(([index, match], position) => {
      const end = position + 1 < stepHeaders.length ? stepHeaders[position + 1][0] : lines.indexOf("", index);
      const rows = lines.slice(index + 1, end);
      expect(rows.every((row) => row.startsWith("    - "))).toBe(true);
      expect(rows).toHaveLength(match?.[2] ? Number(match[2]) : 1);
      listed += rows.length;
    });
    expect(listed).toBe(total);
    expect(lines.at(stepHeaders[stepHeaders.length - 1][0] + 1)).toBe("    - pulumi:pulumi:Stack                             tap-dev");
  }, 60_000);

  it("refuses --json with --destroy (exit 2) before evaluating anything", async () => {
    const { code, stdout, stderr } = await run(["--destroy", "--json", "plan.json"]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe("error: --destroy prints the destroy order only; run the plan without --destroy to write --json or --graph.\n");
  });

  it("refuses a stack without a config file (exit 2) with the message the plan gives", async () => {
    const { code, stdout, stderr } = await run(["--destroy", "--stack", "staging"]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      `error: Stack "staging" has no config file: Pulumi.staging.yaml does not exist in ${ROOT}. Stacks with a config file: dev, prod. ` +
        "Choose one with --stack <name>, or create Pulumi.staging.yaml with a config: map.\n",
    );
  });
});
