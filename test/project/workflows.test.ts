import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildSync } from "esbuild";
import { parse } from "yaml";
import type { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow, WorkflowTemplate } from "@actions/workflow-parser";
import { REPO_ROOT } from "../support/paths";

/**
 * The GitHub Actions workflows, checked with GitHub's own workflow parser
 * (@actions/workflow-parser: the schema the Actions service and the VS Code
 * extension validate against), plus the structural promises the README makes
 * about them.
 */

interface WorkflowParser {
  parseWorkflow: typeof parseWorkflow;
  convertWorkflowTemplate: typeof convertWorkflowTemplate;
  NoOperationTraceWriter: typeof NoOperationTraceWriter;
}

/**
 * The parser ships as ES modules that import JSON without import attributes:
 * bundlers accept that, Node 20 and jest's CommonJS runtime do not. esbuild
 * (a project dependency) bundles it into one CommonJS file, loaded once.
 */
function loadParser(): WorkflowParser {
  const bundle = buildSync({
    stdin: { contents: 'export * from "@actions/workflow-parser";', resolveDir: REPO_ROOT, loader: "js" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    write: false,
  });
  const directory = mkdtempSync(join(tmpdir(), "workflow-parser-"));
  try {
    const file = join(directory, "workflow-parser.cjs");
    writeFileSync(file, bundle.outputFiles[0].text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a generated CommonJS bundle, loaded at run time
    return require(file) as WorkflowParser;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const parser = loadParser();

/** Every error GitHub's parser finds in a workflow: schema, expressions, then the model conversion. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
  const parseErrors = result.context.errors.getErrors().map((error) => error.message);
  if (parseErrors.length > 0 || !result.value) return parseErrors;
  const template = await parser.convertWorkflowTemplate(result.context, result.value);
  return (template.errors ?? []).map((error) => error.Message);
}

/** A workflow as GitHub's parser models it (after the schema check and the model conversion). */
async function workflowTemplate(name: string, content: string): Promise<WorkflowTemplate> {
  const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
  if (!result.value) throw new Error(`${name}: ${result.context.errors.getErrors().map((error) => error.message).join("; ")}`);
  return parser.convertWorkflowTemplate(result.context, result.value);
}

/** A token of the parser's model as plain data: mappings as objects, sequences as arrays, expressions as `${{ … }}`. */
function plain(token: { toJSON(): unknown } | undefined): unknown {
  const json = token?.toJSON();
  if (json !== null && typeof json === "object") {
    if ("map" in json) return Object.fromEntries((json as { map: { Key: { toJSON(): unknown }; Value: { toJSON(): unknown } }[] }).map.map(({ Key, Value }) => [plain(Key), plain(Value)]));
    if ("seq" in json) return (json as { seq: { toJSON(): unknown }[] }).seq.map(plain);
    if ("expr" in json) return `\${{ ${(json as { expr: string }).expr} }}`;
  }
  return json;
}

const WORKFLOWS = join(REPO_ROOT, ".github", "workflows");
const read = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  env?: Record<string, string>;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (file: string) => parse(read(file)) as Workflow;
const stepIndex = (job: Job, match: (step: Step) => boolean) => job.steps.findIndex(match);
const runs = (command: string) => (step: Step) => step.run?.trim() === command;
const usesAction = (action: string) => (step: Step) => step.uses?.split("@")[0] === action;

describe("GitHub's workflow parser", () => {
  test.each(["pull-request.yml", "main.yml"])("accepts %s with no errors", async (file) => {
    expect(await workflowErrors(file, read(file))).toEqual([]);
  });

  test.each([
    ["an unknown trigger", "on: pusj\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n", ["bad.yml (Line: 1, Col: 5): Unexpected value 'pusj'"]],
    ["an unknown job key", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    bogus: 1\n    steps:\n      - run: echo\n", ["bad.yml (Line: 5, Col: 5): Unexpected value 'bogus'"]],
    ["a job without runs-on", "on: push\njobs:\n  a:\n    steps:\n      - run: echo\n", ["bad.yml (Line: 4, Col: 5): Required property is missing: runs-on"]],
    // Why the workflows gate on env: secrets are not available in `if:`.
    ["secrets in a step condition", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - if: ${{ secrets.TOKEN != '' }}\n        run: echo\n", ["bad.yml (Line: 6, Col: 13): Unrecognized named-value: 'secrets'"]],
  ])("rejects %s", async (_what, content, expected) => {
    expect(await workflowErrors("bad.yml", content)).toEqual(expected);
  });
});

/**
 * The major version of every action the workflows call: the current one (checked against each action's
 * releases in November 2026; all of them run on the Actions runtime's Node 24). A new action, or a bump,
 * must be added here on purpose.
 */
const ACTION_MAJORS: Record<string, string> = {
  "actions/checkout": "v7",
  "actions/setup-node": "v7",
  "actions/upload-artifact": "v7",
  "aws-actions/configure-aws-credentials": "v6",
  "pulumi/actions": "v7",
  "marocchino/sticky-pull-request-comment": "v2",
};

describe.each(["pull-request.yml", "main.yml"])("%s toolchain", (file) => {
  const jobs = Object.entries(workflow(file).jobs);

  test("calls every action at its current major version", () => {
    const uses = jobs.flatMap(([, job]) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) {
      const [action, version] = ref.split("@");
      expect({ action, version }).toEqual({ action, version: ACTION_MAJORS[action] });
    }
  });

  test("tests on Node 24 (the Lambda runtime's major) and Node 26 (the current LTS): the test job's matrix, as GitHub's parser reads it", async () => {
    const template = await workflowTemplate(file, read(file));
    const strategies = Object.fromEntries(template.jobs.map((job) => [job.id.value, plain(job.strategy)]));
    expect(strategies).toEqual({ ...Object.fromEntries(jobs.map(([id]) => [id, undefined])), test: { "fail-fast": false, matrix: { node: [24, 26] } } });
    const setup = workflow(file).jobs.test.steps.find(usesAction("actions/setup-node"));
    expect(setup?.with).toEqual({ "node-version": "${{ matrix.node }}", cache: "npm" });
  });

  test("every other job that sets up Node.js uses Node 24 (the Lambda runtime's major; the Pulumi SDK needs >= 22)", () => {
    const setups = jobs.filter(([id]) => id !== "test").flatMap(([, job]) => job.steps.filter(usesAction("actions/setup-node")));
    expect(setups.length).toBeGreaterThan(0);
    for (const step of setups) expect(step.with).toEqual({ "node-version": 24, cache: "npm" });
  });
});

describe("pull-request.yml", () => {
  const pr = workflow("pull-request.yml");
  const job = pr.jobs["plan-and-preview"];

  test("runs on pull requests to main, read-only by default", () => {
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.on.pull_request).toEqual({ branches: ["main"] });
    expect(pr.permissions).toEqual({ contents: "read" });
  });

  test("tests with the workflow's read-only token: installs, then runs npm test", () => {
    const test = pr.jobs.test;
    expect(test.permissions).toBeUndefined();
    const order = [usesAction("actions/checkout"), usesAction("actions/setup-node"), runs("npm ci"), runs("npm test")].map((match) => stepIndex(test, match));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(test.steps).toHaveLength(4);
  });

  test("plans and previews once the tests pass on every Node version: installs, plans, then previews, in that order", () => {
    expect(job.needs).toBe("test");
    const order = [
      stepIndex(job, usesAction("actions/checkout")),
      stepIndex(job, usesAction("actions/setup-node")),
      stepIndex(job, runs("npm ci")),
      stepIndex(job, (s) => s.run?.includes("npm run --silent plan -- --json plan.json --graph plan.dot") === true),
      stepIndex(job, usesAction("pulumi/actions")),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stepIndex(job, runs("npm test"))).toBe(-1);
  });

  test("uploads the plan and posts it as a sticky comment, even when the plan fails", () => {
    const upload = job.steps.find(usesAction("actions/upload-artifact"));
    expect(upload?.with?.path).toBe("plan.txt\nplan.json\nplan.dot\nbase.json\nupdate-plan.txt\nupdate.json\n");
    expect(upload?.if).toContain("!cancelled()");
    const comment = job.steps.find(usesAction("marocchino/sticky-pull-request-comment"));
    expect(comment?.with).toEqual({ header: "offline-plan", path: "plan-comment.md" });
    expect(comment?.if).toContain("!cancelled()");
    expect(job.permissions?.["pull-requests"]).toBe("write");
  });

  test("runs pulumi preview with the policy pack only when both secrets are set", () => {
    expect(job.env?.CLOUD_CREDENTIALS_CONFIGURED).toBe("${{ secrets.PULUMI_ACCESS_TOKEN != '' && secrets.AWS_ROLE_TO_ASSUME != '' }}");
    const preview = job.steps.find(usesAction("pulumi/actions"));
    expect(preview?.uses).toBe("pulumi/actions@v7");
    expect(preview?.with).toMatchObject({ command: "preview", policyPacks: "${{ github.workspace }}/policy", "comment-on-pr": true });
    expect(preview?.env).toEqual({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
    const credentials = job.steps.find(usesAction("aws-actions/configure-aws-credentials"));
    expect(credentials?.with?.["role-to-assume"]).toBe("${{ secrets.AWS_ROLE_TO_ASSUME }}");
    for (const step of [preview, credentials]) {
      expect(step?.if).toBe("${{ success() && env.CLOUD_CREDENTIALS_CONFIGURED == 'true' }}");
    }
    expect(job.permissions?.["id-token"]).toBe("write");
  });
});

describe("pull-request.yml update plan", () => {
  const job = workflow("pull-request.yml").jobs["plan-and-preview"];
  const runsWith = (text: string) => (step: Step) => step.run?.includes(text) === true;

  test("plans the base branch in a worktree of its commit, then the head with --from, and comments the update plan first", () => {
    const base = job.steps.find((step) => step.run?.includes("git worktree add --detach") === true);
    expect(base?.env).toEqual({ BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
    expect(base?.run).toContain('npm run --silent plan -- --json "$GITHUB_WORKSPACE/base.json"');
    const update = job.steps.find((step) => step.run?.includes("npm run --silent plan -- --from base.json --json update.json") === true);
    expect(update?.if).toBe("${{ !cancelled() && steps.base-plan.outcome == 'success' }}");
    const order = [stepIndex(job, runsWith("--json plan.json --graph plan.dot")), stepIndex(job, (step) => step === base), stepIndex(job, (step) => step === update), stepIndex(job, runsWith("> plan-comment.md"))];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const comment = job.steps[order[3]].run ?? "";
    expect(comment.indexOf("### Update plan")).toBeLessThan(comment.indexOf("### Offline plan"));
  });

  test("checks the real preview's JSON for the same hazards only when both secrets are set", () => {
    const check = job.steps.find(runsWith("--check-preview preview.json"));
    expect(check?.if).toBe("${{ success() && env.CLOUD_CREDENTIALS_CONFIGURED == 'true' }}");
    expect(check?.run).toContain('pulumi preview --stack "$STACK" --json --show-replacement-steps > preview.json');
    expect(stepIndex(job, runsWith("--check-preview preview.json"))).toBeGreaterThan(stepIndex(job, usesAction("pulumi/actions")));
  });
});

describe("main.yml", () => {
  const main = workflow("main.yml");

  test("runs on pushes to main, one deployment at a time, never cancelling one", () => {
    expect(main.on).toEqual({ push: { branches: ["main"] } });
    expect(main.concurrency).toEqual({ group: "deploy-${{ vars.PULUMI_STACK || 'dev' }}", "cancel-in-progress": false });
  });

  test("tests first, then deploys", () => {
    const test = main.jobs.test;
    expect([stepIndex(test, runs("npm ci")), stepIndex(test, runs("npm test"))].every((index) => index >= 0)).toBe(true);
    expect(stepIndex(test, runs("npm ci"))).toBeLessThan(stepIndex(test, runs("npm test")));
    expect(main.jobs.deploy.needs).toBe("test");
  });

  test("uploads one plan per Node version, under names that do not collide", () => {
    const upload = main.jobs.test.steps.find(usesAction("actions/upload-artifact"));
    expect(upload?.with?.name).toBe("offline-plan-node${{ matrix.node }}");
    expect(upload?.with?.path).toBe("plan.json\nplan.dot\n");
  });

  test("deploys with pulumi up and the policy pack, through a protected environment and OIDC credentials", () => {
    const deploy = main.jobs.deploy;
    expect(deploy.environment).toBe("production");
    expect(deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
    const credentials = deploy.steps.find(usesAction("aws-actions/configure-aws-credentials"));
    expect(credentials?.with?.["role-to-assume"]).toBe("${{ secrets.AWS_ROLE_TO_ASSUME }}");
    const up = deploy.steps.find((step) => usesAction("pulumi/actions")(step) && step.with?.command === "up");
    expect(up?.uses).toBe("pulumi/actions@v7");
    expect(up?.with).toEqual({ command: "up", "stack-name": "${{ vars.PULUMI_STACK || 'dev' }}", policyPacks: "${{ github.workspace }}/policy" });
    expect(stepIndex(deploy, usesAction("aws-actions/configure-aws-credentials"))).toBeLessThan(stepIndex(deploy, usesAction("pulumi/actions")));
    // No long-lived AWS keys anywhere.
    expect(read("main.yml")).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });
});

describe("main.yml previews before it deploys", () => {
  // pulumi/actions runs `up` through the Automation API's stack.up, `pulumi up --yes --skip-preview`
  // (@pulumi/pulumi automation/stack.ts): only an explicit preview stops a failing program before anything changes.
  test("pulumi preview with the same stack and policy pack, after preflight and before pulumi up, with nothing that lets it fail quietly", () => {
    const deploy = workflow("main.yml").jobs.deploy;
    const actions = deploy.steps.filter(usesAction("pulumi/actions"));
    expect(actions.map((step) => step.with?.command)).toEqual(["preview", "up"]);
    const [preview, up] = actions;
    expect(preview.with).toEqual({ ...up.with, command: "preview" });
    expect(preview.env).toEqual(up.env);
    expect(preview.if).toBeUndefined();
    expect(stepIndex(deploy, runs("npm run preflight -- -s ${{ vars.PULUMI_STACK || 'dev' }}"))).toBeLessThan(deploy.steps.indexOf(preview));
  });
});

describe("preflight runs before pulumi does, wherever there are AWS credentials", () => {
  const PREFLIGHT = "npm run preflight -- -s ${{ vars.PULUMI_STACK || 'dev' }}";

  test("main.yml: after the OIDC credentials and before pulumi up, for the stack pulumi up deploys; a failing step stops the deploy", () => {
    const deploy = workflow("main.yml").jobs.deploy;
    const preflight = stepIndex(deploy, runs(PREFLIGHT));
    expect(preflight).toBeGreaterThan(stepIndex(deploy, usesAction("aws-actions/configure-aws-credentials")));
    expect(preflight).toBeLessThan(stepIndex(deploy, usesAction("pulumi/actions")));
    expect(deploy.steps[preflight].if).toBeUndefined();
    expect(deploy.steps.find(usesAction("pulumi/actions"))?.with?.["stack-name"]).toBe("${{ vars.PULUMI_STACK || 'dev' }}");
  });

  test("pull-request.yml: only when the secrets are set, after the credentials and before the preview", () => {
    const job = workflow("pull-request.yml").jobs["plan-and-preview"];
    const preflight = stepIndex(job, runs(PREFLIGHT));
    expect(job.steps[preflight].if).toBe("${{ success() && env.CLOUD_CREDENTIALS_CONFIGURED == 'true' }}");
    expect(preflight).toBeGreaterThan(stepIndex(job, usesAction("aws-actions/configure-aws-credentials")));
    expect(preflight).toBeLessThan(stepIndex(job, usesAction("pulumi/actions")));
  });
});
