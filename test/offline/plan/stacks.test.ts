import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCli, runPlanMain } from "../../support/plan-cli";
import { PlanConfigError, loadStackConfig } from "../../../offline/stack-config/loader";
import { ComparedResource, StackEvaluation, compareStacks } from "../../../offline/plan/stacks/compare";
import { accountFor, evaluateInChildProcess, evaluateStacks, parseStacksFlag, prepareStacks } from "../../../offline/plan/stacks/run";
import { REPO_ROOT } from "../../support/paths";
import { inProcessStackEvaluator } from "../../support/stack-evaluator";

/**
 * `npm run plan -- --stacks`: the comparison on hand-made stacks (exact
 * reports), the flag's parsing and account choice, and real neighbours: each
 * stack evaluated by the real program, in-process in a module registry of its
 * own (test/support/stack-evaluator.ts runs the child process's code), and
 * once in a real child process, which must answer the same.
 */

const ROOT = REPO_ROOT;
const PLACEHOLDER = "123456789012";

function resource(urn: string, type: string, inputs: Record<string, unknown>, region = "us-east-1", id = `${urn}-id`): ComparedResource {
  return { urn, type, inputs, region, id, custom: true, options: { retainOnDelete: false } };
}

/** A small stack: a role, a bucket, a log group, a REST API and its execution log group, a latency record, the account setting. */
function smallStack(label: string, accountId: string, overrides: { region?: string; setIdentifier?: string; retained?: boolean } = {}): StackEvaluation {
  const region = overrides.region ?? "us-east-1";
  return {
    label,
    stack: label,
    accountId,
    resources: [
      resource(`${label}-role`, "aws:iam/role:Role", { name: "app-role" }, region, "app-role"),
      resource(`${label}-bucket`, "aws:s3/bucket:Bucket", { bucket: "app-artifacts" }, region, "app-artifacts"),
      resource(`${label}-logs`, "aws:cloudwatch/logGroup:LogGroup", { name: "/aws/lambda/app" }, region),
      resource(`${label}-api`, "aws:apigateway/restApi:RestApi", { name: "app-api" }, region, `${label}apiid000`),
      resource(`${label}-exec-logs`, "aws:cloudwatch/logGroup:LogGroup", { name: `API-Gateway-Execution-Logs_${label}apiid000/dev` }, region),
      resource(`${label}-record`, "aws:route53/record:Record", { zoneId: "Z1", name: label === "a" ? "API.example.com." : "api.example.com", type: "A", setIdentifier: overrides.setIdentifier ?? region }, region),
      { ...resource(`${label}-account`, "aws:apigateway/account:Account", { cloudwatchRoleArn: `arn:aws:iam::${accountId}:role/app-role` }, region), options: { retainOnDelete: overrides.retained ?? false } },
    ],
  };
}

describe("compareStacks on hand-made stacks", () => {
  it("reports every name two stacks in one account and region share, once, with both claims, and the account setting both write", () => {
    const report = compareStacks([smallStack("a", "111111111111"), smallStack("b", "111111111111", { retained: true })]);
    expect(report.sharedNames).toEqual([
      { type: "aws:cloudwatch/logGroup:LogGroup", name: "/aws/lambda/app", scope: "account 111111111111 us-east-1", note: "one log group name per account and region", claims: [{ stack: "a", urn: "a-logs" }, { stack: "b", urn: "b-logs" }] },
      { type: "aws:iam/role:Role", name: "app-role", scope: "account 111111111111", note: "IAM is global: one name per account, in every region", claims: [{ stack: "a", urn: "a-role" }, { stack: "b", urn: "b-role" }] },
      {
        type: "aws:route53/record:Record", name: "api.example.com A us-east-1", scope: "hosted zone Z1", note: "a record is keyed by name, type and set identifier within its zone",
        claims: [{ stack: "a", urn: "a-record" }, { stack: "b", urn: "b-record" }],
      },
      { type: "aws:s3/bucket:Bucket", name: "app-artifacts", scope: "all accounts", note: "bucket names are unique across every account", claims: [{ stack: "a", urn: "a-bucket" }, { stack: "b", urn: "b-bucket" }] },
    ]);
    expect(report.settingConflicts).toEqual([{
      setting: "API Gateway CloudWatch Logs role",
      scope: "account 111111111111 us-east-1",
      writes: [
        { stack: "a", urn: "a-account", type: "aws:apigateway/account:Account", setting: "API Gateway CloudWatch Logs role", scope: "account 111111111111 us-east-1", value: "arn:aws:iam::111111111111:role/app-role", retained: false },
        { stack: "b", urn: "b-account", type: "aws:apigateway/account:Account", setting: "API Gateway CloudWatch Logs role", scope: "account 111111111111 us-east-1", value: "arn:aws:iam::111111111111:role/app-role", retained: true },
      ],
    }]);
    expect(report.settings.map((write) => write.stack)).toEqual(["a", "b"]);
    // REST API names are not keys in AWS; names built from a generated ID cannot collide.
    expect(report.uncompared).toEqual([
      { stack: "a", type: "aws:cloudwatch/logGroup:LogGroup", name: "API-Gateway-Execution-Logs_aapiid000/dev", reason: "embeds the generated ID aapiid000 of a resource of the same stack" },
      { stack: "b", type: "aws:cloudwatch/logGroup:LogGroup", name: "API-Gateway-Execution-Logs_bapiid000/dev", reason: "embeds the generated ID bapiid000 of a resource of the same stack" },
    ]);
  });

  it("keeps account-scoped names apart in two accounts, but not bucket names, which every account shares", () => {
    const report = compareStacks([smallStack("a", "111111111111"), smallStack("b", "222222222222")]);
    expect(report.sharedNames.map((shared) => [shared.type, shared.scope])).toEqual([
      ["aws:route53/record:Record", "hosted zone Z1"],
      ["aws:s3/bucket:Bucket", "all accounts"],
    ]);
    expect(report.settingConflicts).toEqual([]);
    expect(report.settings).toHaveLength(2);
  });

  it("keeps regional names apart in two regions, and records with different set identifiers apart in one zone", () => {
    const report = compareStacks([smallStack("a", "111111111111"), smallStack("b", "111111111111", { region: "eu-west-1" })]);
    expect(report.sharedNames.map((shared) => `${shared.type} ${shared.name}`)).toEqual(["aws:iam/role:Role app-role", "aws:s3/bucket:Bucket app-artifacts"]);
    expect(report.settingConflicts).toEqual([]);
  });

  it("finds nothing between one stack and nothing", () => {
    const report = compareStacks([smallStack("a", "111111111111")]);
    expect([report.sharedNames, report.settingConflicts]).toEqual([[], []]);
  });
});

describe("parseStacksFlag", () => {
  it("reads stacks and optional accounts", () => {
    expect(parseStacksFlag("dev, prod@111111111111")).toEqual([{ stack: "dev", account: undefined }, { stack: "prod", account: "111111111111" }]);
  });

  it.each([
    ["dev", "--stacks dev: name at least two stacks to compare, such as --stacks dev,prod."],
    ["dev,,prod", "--stacks dev,,prod: an entry has no stack name; list stacks separated by commas, such as --stacks dev,prod."],
    ["dev,@111111111111", "--stacks dev,@111111111111: an entry has no stack name; list stacks separated by commas, such as --stacks dev,prod."],
    ["dev,prod@1234", '--stacks dev,prod@1234: "prod@1234" names account "1234"; an AWS account ID is 12 digits, such as prod@111111111111.'],
  ])("refuses %s", (value, message) => {
    expect(() => parseStacksFlag(value)).toThrow(new PlanConfigError(message));
  });
});

describe("the account a stack is evaluated in", () => {
  const dev = loadStackConfig(ROOT, "dev");
  const withAllowed = loadStackConfig(ROOT, "dev", ['allowedAccountIds=["333333333333","444444444444"]']);

  it("is the placeholder by default, the first allowed account when the stack lists some, and the command line's when given", () => {
    expect(accountFor(dev, { stack: "dev", account: undefined }, PLACEHOLDER)).toEqual({ accountId: PLACEHOLDER, source: "placeholder" });
    expect(accountFor(withAllowed, { stack: "dev", account: undefined }, PLACEHOLDER)).toEqual({ accountId: "333333333333", source: "tap:allowedAccountIds" });
    expect(accountFor(withAllowed, { stack: "dev", account: "444444444444" }, PLACEHOLDER)).toEqual({ accountId: "444444444444", source: "--stacks" });
    expect(accountFor(dev, { stack: "dev", account: "555555555555" }, PLACEHOLDER)).toEqual({ accountId: "555555555555", source: "--stacks" });
  });

  it("refuses an account the stack does not allow", () => {
    expect(() => accountFor(withAllowed, { stack: "dev", account: "555555555555" }, PLACEHOLDER)).toThrow(new PlanConfigError(
      "--stacks: dev@555555555555: account 555555555555 is not in the stack's tap:allowedAccountIds (333333333333, 444444444444), so the stack could not deploy there.",
    ));
  });

  it("refuses one stack twice in one account: a stack in an account is one deployment", () => {
    expect(() => prepareStacks({ projectDir: ROOT, stacks: "dev,prod,dev", overrides: [], placeholderAccountId: PLACEHOLDER })).toThrow(new PlanConfigError(
      "--stacks dev,prod,dev: stack dev is listed twice for account 123456789012 (dev, dev); one stack in one account is one deployment. " +
        "To check it in another account, write dev@<account ID>.",
    ));
    expect(() => prepareStacks({ projectDir: ROOT, stacks: `dev,dev@${PLACEHOLDER}`, overrides: [], placeholderAccountId: PLACEHOLDER })).toThrow(
      `stack dev is listed twice for account ${PLACEHOLDER} (dev, dev@${PLACEHOLDER})`,
    );
  });
});

/** The names a stack claims in shared namespaces: what a second copy of it would collide on. */
function claimedNames(evaluation: StackEvaluation): number {
  const copy = { ...evaluation, label: `${evaluation.label} (copy)` };
  return compareStacks([evaluation, copy]).sharedNames.length;
}

const ofType = (evaluation: StackEvaluation, type: string, input: string) =>
  evaluation.resources.filter((resource) => resource.type === type).map((resource) => String(resource.inputs[input])).sort();

/**
 * A project directory with the repository's Pulumi.yaml and Pulumi.dev.yaml, more stacks, and the program: a
 * symbolic link to the repository's index.ts, so its dev stack is the repository's, evaluated once for both.
 */
let dir: string;
const STACK_FILES: Record<string, string> = {
    // A new stack with no config of its own.
    "Pulumi.prod2.yaml": "config: {}\n",
    // Two developers' stacks that both chose the environment "dev"; alice owns the account setting, bob leaves it.
    "Pulumi.alice-dev.yaml": "config:\n  tap:environmentSuffix: dev\n  tap:manageApiGatewayAccount: true\n",
    "Pulumi.bob-dev.yaml": "config:\n  tap:environmentSuffix: dev\n",
    // Stack names that sanitize alike; both (wrongly) claim the account setting.
    "Pulumi.dev_1.yaml": "config:\n  tap:manageApiGatewayAccount: true\n",
    "Pulumi.dev-1.yaml": "config:\n  tap:manageApiGatewayAccount: true\n",
  // Config the program itself refuses (lib/config.ts), found in the child process.
  "Pulumi.tiny.yaml": "config:\n  tap:lambdaMemoryMb: 64\n",
  "Pulumi.tiny2.yaml": "config:\n  tap:lambdaMemoryMb: 64\n",
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tap-stacks-"));
  for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  for (const [file, text] of Object.entries(STACK_FILES)) fs.writeFileSync(path.join(dir, file), text);
  // The program itself, from the repository (its imports resolve there, from the file the link names).
  fs.symlinkSync(path.join(ROOT, "index.ts"), path.join(dir, "index.ts"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every in-process evaluation of this file: each stack, config and account once. */
const evaluateStack = inProcessStackEvaluator();

describe("real neighbours, each stack evaluated by the program in a module registry of its own", () => {
  const byLabel = new Map<string, StackEvaluation>();

  beforeAll(async () => {
    const stacks = prepareStacks({
      projectDir: dir,
      // dev_1 and dev-1 are compared through the command line below (exit 5), not evaluated twice here.
      stacks: "dev,prod2,alice-dev,bob-dev,dev@111111111111",
      overrides: [],
      placeholderAccountId: PLACEHOLDER,
    });
    for (const evaluation of await evaluateStacks(dir, stacks, evaluateStack)) byLabel.set(evaluation.label, evaluation);
  }, 600_000);

  const get = (label: string): StackEvaluation => {
    const evaluation = byLabel.get(label);
    if (!evaluation) throw new Error(`stack ${label} was not evaluated`);
    return evaluation;
  };

  it("evaluates each stack in the account chosen for it", () => {
    expect([...byLabel.keys()]).toEqual(["dev", "prod2", "alice-dev", "bob-dev", "dev@111111111111"]);
    expect([...byLabel.values()].map((evaluation) => evaluation.accountId)).toEqual([...Array(4).fill(PLACEHOLDER), "111111111111"]);
    const roleArns = ofType(get("dev@111111111111"), "aws:apigateway/account:Account", "cloudwatchRoleArn");
    expect(roleArns).toHaveLength(2);
    expect(roleArns.every((arn) => arn.startsWith("arn:aws:iam::111111111111:role/"))).toBe(true);
  });

  it("detects a full overlap: the same stack twice in one account shares every name it claims", () => {
    const dev = get("dev");
    const report = compareStacks([dev, { ...dev, label: "dev (copy)" }]);
    // Per region: two named roles (the function's, the flow logs'), a bucket, a function, three log groups (the
    // execution log group's name holds the REST API's generated ID), four alarms, a topic, a security group; and the dashboard.
    expect(report.sharedNames).toHaveLength(2 * 13 + 1);
    expect(claimedNames(dev)).toBe(2 * 13 + 1);
    expect(report.uncompared.map((entry) => entry.name.replace(/_[a-z0-9]+\//, "_<id>/"))).toEqual(Array(4).fill("API-Gateway-Execution-Logs_<id>/dev"));
    const types = new Set(report.sharedNames.map((shared) => shared.type));
    expect(types).toEqual(new Set([
      "aws:iam/role:Role", "aws:s3/bucket:Bucket", "aws:lambda/function:Function", "aws:cloudwatch/logGroup:LogGroup",
      "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic", "aws:ec2/securityGroup:SecurityGroup", "aws:cloudwatch/dashboard:Dashboard",
      ...ofType(dev, "aws:iam/policy:Policy", "name").length > 0 ? ["aws:iam/policy:Policy"] : [],
    ]));
    expect(report.settingConflicts.map((conflict) => conflict.scope)).toEqual([`account ${PLACEHOLDER} us-east-1`, `account ${PLACEHOLDER} us-west-2`]);
  });

  it("a new stack with no config next to dev: no shared name; only dev writes the account setting", () => {
    const report = compareStacks([get("dev"), get("prod2")]);
    expect(report.sharedNames.map((shared) => `${shared.type} ${shared.name} (${shared.scope})`)).toEqual([]);
    expect(report.settings.map((write) => `${write.stack} ${write.scope} retained=${write.retained}`)).toEqual([
      `dev account ${PLACEHOLDER} us-east-1 retained=true`, `dev account ${PLACEHOLDER} us-west-2 retained=true`,
    ]);
    expect(report.settingConflicts).toEqual([]);
  });

  it("two stacks with the same environmentSuffix (alice-dev, bob-dev): no shared name, and one writer of the setting", () => {
    const report = compareStacks([get("alice-dev"), get("bob-dev")]);
    expect(report.sharedNames.map((shared) => `${shared.type} ${shared.name} (${shared.scope})`)).toEqual([]);
    expect(report.settings.map((write) => `${write.stack} ${write.scope}`)).toEqual([`alice-dev account ${PLACEHOLDER} us-east-1`, `alice-dev account ${PLACEHOLDER} us-west-2`]);
    expect(report.settingConflicts).toEqual([]);
  });

  it("the same stack in two accounts (the placeholder and 111111111111): bucket names differ, account-scoped names repeat, nothing is shared", () => {
    const [first, second] = [get("dev"), get("dev@111111111111")];
    const buckets = [ofType(first, "aws:s3/bucket:Bucket", "bucket"), ofType(second, "aws:s3/bucket:Bucket", "bucket")];
    expect(buckets[0]).toHaveLength(2);
    expect(buckets[0].filter((bucket) => buckets[1].includes(bucket))).toEqual([]);
    // Roles are per account: the same names in two accounts are no conflict, and the comparison must not say so.
    expect(ofType(first, "aws:iam/role:Role", "name")).toEqual(ofType(second, "aws:iam/role:Role", "name"));
    const report = compareStacks([first, second]);
    expect(report.sharedNames).toEqual([]);
    // Both write the setting, each in its own account.
    expect(report.settings.map((write) => write.scope)).toEqual([
      `account ${PLACEHOLDER} us-east-1`, `account ${PLACEHOLDER} us-west-2`, "account 111111111111 us-east-1", "account 111111111111 us-west-2",
    ]);
    expect(report.settingConflicts).toEqual([]);
  });
});

describe("the command's child process (evaluate-child.ts, started by evaluateInChildProcess)", () => {
  it("answers for the dev stack exactly as the in-process evaluation does", async () => {
    const options = {
      programPath: path.join(dir, "index.ts"),
      project: "tap",
      stack: "dev",
      config: loadStackConfig(dir, "dev").values,
      accountId: PLACEHOLDER,
    };
    const [child, inProcess] = await Promise.all([evaluateInChildProcess(options), evaluateStack(options)]);
    expect(child.kind).toBe("ok");
    expect(child).toEqual(inProcess);
  }, 120_000);
});

describe("npm run plan -- --stacks", () => {
  // --stacks runs evaluate each stack in-process (the same evaluator as above); the single-stack runs need a fresh registry.
  const run = (args: readonly string[]) => runPlanCli(args, args.includes("--stacks") ? { evaluateStack } : {});

  it("compares dev and prod (prod in its allowed account): lists each stack, no shared name and each stack's account settings; exits 0", async () => {
    const { code, stdout, stderr } = await run(["--stacks", "dev,prod"]);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Neighbour check of 2 stacks of project tap");
    const counted = "\\d+ resources: \\d+ AWS resources, \\d+ providers, \\d+ components and the stack";
    expect(lines.filter((line) => new RegExp(`^ {2}dev +account 123456789012 \\(placeholder\\) +${counted}$`).test(line))).toHaveLength(1);
    expect(lines.filter((line) => new RegExp(`^ {2}prod +account 111111111111 \\(the first of tap:allowedAccountIds\\) +${counted}$`).test(line))).toHaveLength(1);
    expect(stdout).toContain("Shared physical names: none.\n");
    const settings = (stack: string, account: string) =>
      lines.filter((line) => new RegExp(`^ {2}${stack} +aws:apigateway:Account +API Gateway CloudWatch Logs role +account ${account} [a-z0-9-]+ += arn:aws:iam::${account}:role/[a-z0-9-]+-\\* +retained on destroy$`).test(line));
    // dev deploys to two regions, prod to three.
    expect([settings("dev", PLACEHOLDER).length, settings("prod", "111111111111").length]).toEqual([2, 3]);
    expect(stdout).toContain("Settings written by more than one stack: none.\n");
    expect(code).toBe(0);
  }, 300_000);

  it("stack names that sanitize alike (dev_1, dev-1): no shared name, but both write the account setting in both regions, so exit 5", async () => {
    const { code, stdout, stderr } = await run(["--cwd", dir, "--stacks", "dev_1,dev-1"]);
    expect([code, stderr]).toEqual([5, ""]);
    expect(stdout).toContain("Shared physical names: none.\n");
    expect(stdout).toContain([
      "Settings written by more than one stack: 2",
      "  API Gateway CloudWatch Logs role  account 123456789012 us-east-1  dev_1, dev-1",
      "  API Gateway CloudWatch Logs role  account 123456789012 us-west-2  dev_1, dev-1",
      "",
    ].join("\n"));
  }, 300_000);

  it("reports the program's own config error from a stack's child process as the single-stack plan does, naming the stack (exit 2)", async () => {
    const single = await run(["--cwd", dir, "--stack", "tiny"]);
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(/^error: .*lambdaMemoryMb.*\n$/);
    const several = await run(["--cwd", dir, "--stacks", "tiny,tiny2"]);
    expect(several).toEqual({ code: 2, stdout: "", stderr: single.stderr.replace(/^error: /, "error: stack tiny: ") });
  }, 120_000);

  it.each([
    ["a stack without a config file", "staging"],
    ["a stack name that is not a file name", "../etc/x"],
  ])("refuses %s with the single-stack plan's message and exit status, naming --stacks instead of --stack", async (_title, stack) => {
    // Refused before any evaluation: no fresh module registry needed.
    const single = await runPlanMain(["--stack", stack]);
    const several = await run(["--stacks", `dev,${stack}`]);
    expect(single.code).toBe(2);
    const asStacks = single.stderr
      .replace("Choose one with --stack <name>", "List only stacks with a config file in --stacks")
      .replace(`--stack ${JSON.stringify(stack)}:`, `--stacks dev,${stack}: ${JSON.stringify(stack)}:`);
    expect(asStacks).not.toBe(single.stderr);
    expect(several).toEqual({ code: 2, stdout: "", stderr: asStacks });
    expect(several.stderr).not.toContain("--stack ");
    expect(single.stderr.split("\n")).toHaveLength(2);
  });

  it("refuses a missing stack file with one line naming it", async () => {
    const { code, stderr } = await run(["--stacks", "dev,staging"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: Stack "staging" has no config file: Pulumi.staging.yaml does not exist in ${ROOT}. Stacks with a config file: dev, prod. ` +
        "List only stacks with a config file in --stacks, or create Pulumi.staging.yaml with a config: map.\n",
    );
  });

  it.each([
    [["--stacks", "dev,dev"], "error: --stacks dev,dev: stack dev is listed twice for account 123456789012 (dev, dev); one stack in one account is one deployment. To check it in another account, write dev@<account ID>.\n"],
    [["--stacks", "dev,prod", "--destroy", "--stack", "dev"], "error: --stacks compares stacks only; it does not combine with --stack, --destroy.\n"],
    [["--stacks", "dev,prod@12"], 'error: --stacks dev,prod@12: "prod@12" names account "12"; an AWS account ID is 12 digits, such as prod@111111111111.\n'],
  ])("refuses %j with exit 2 and one line", async (args, message) => {
    expect(await run(args)).toEqual({ code: 2, stdout: "", stderr: message });
  });
});
