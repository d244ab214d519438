import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ConfigChangeResult, planConfigChanges } from "../../../../offline/plan/update/config-changes";
import { PAGE_TEMPLATE, UPDATES_PAGE, renderUpdatesPage } from "../../../../offline/plan/update/docs";
import { createProgramEvaluator } from "../../../../offline/plan/update/evaluations";
import type { UpdateStep } from "../../../../offline/plan/update/plan";
import { loadReplacementRules } from "../../../../offline/plan/update/rules";
import { loadStackConfig } from "../../../../offline/stack-config/loader";
import { createSteps } from "../../../../offline/plan/export";
import { buildPlanModel } from "../../../../offline/plan/model";
import { runPlanCli, runPlanMain } from "../../../support/plan-cli";
import { REPO_ROOT } from "../../../support/paths";
import { sharedSetup } from "../../../support/shared-setup";

/**
 * What changing a config key does to the example dev stack, planned as an
 * update (`--from`): the cases the README calls safe and the ones that are
 * not, with the expected ops written by hand from the program's structure
 * and AWS's rules, and the table of docs/updates.md, which must agree with
 * the plan. Every configuration is evaluated once, in one module registry.
 */

let results: ConfigChangeResult[] = [];
sharedSetup(async () => {
  const evaluator = await createProgramEvaluator(join(REPO_ROOT, "index.ts"), "tap", "dev");
  results = await planConfigChanges(evaluator, REPO_ROOT, "dev", loadReplacementRules());
}, 120_000);

const resultOf = (key: string, change?: RegExp) => {
  const found = results.find((result) => result.change.key === key && (change === undefined || change.test(result.change.change)));
  if (!found) throw new Error(`no planned change for ${key}`);
  return found;
};
const cloudSteps = (steps: readonly UpdateStep[], op: string) => steps.filter((step) => step.op === op && step.type.startsWith("aws:"));
const opsOf = (result: ConfigChangeResult) => {
  const counts: Record<string, number> = {};
  for (const step of result.plan.steps) if (step.logical && step.op !== "same") counts[step.op] = (counts[step.op] ?? 0) + 1;
  return counts;
};

describe("changing a config key on a live stack", () => {
  it("lambdaMemoryMb 128 -> 256: one in-place update per function (AWS::Lambda::Function MemorySize: no interruption), no hazard", () => {
    const memory = resultOf("lambdaMemoryMb");
    expect(opsOf(memory)).toEqual({ update: 2 });
    expect(cloudSteps(memory.plan.steps, "update").map((step) => [step.name, step.detailedDiff])).toEqual([
      ["tap-us-east-1-api-function", { memorySize: { kind: "update", inputDiff: true } }],
      ["tap-us-west-2-api-function", { memorySize: { kind: "update", inputDiff: true } }],
    ]);
    expect(memory.hazards).toEqual([]);
  });

  it("adding a region creates only that region's resources; the dashboard's body gains its widgets in place; no hazard", () => {
    const added = resultOf("regions", /add a region/);
    const creates = added.plan.steps.filter((step) => step.op === "create");
    // Every new resource belongs to eu-west-1: its provider, or a resource or component named for the region.
    expect(creates.filter((step) => !step.urn.includes("eu-west-1"))).toEqual([]);
    expect(creates.filter((step) => step.type === "pulumi:providers:aws").map((step) => step.name)).toEqual(["tap-eu-west-1-provider"]);
    expect(cloudSteps(added.plan.steps, "update").map((step) => [step.type, Object.keys(step.detailedDiff ?? {})])).toEqual([["aws:cloudwatch/dashboard:Dashboard", ["dashboardBody"]]]);
    expect(Object.keys(opsOf(added)).sort()).toEqual(["create", "update"]);
    expect(added.hazards).toEqual([]);
  });

  it("reordering the regions has no hazard", () => {
    expect(resultOf("regions", /reorder/).hazards.map((hazard) => hazard.kind)).toEqual([]);
  });

  // The dashboard and everything else that belongs to the account go through the account-wide provider, whose URN
  // and region (us-east-1) do not depend on the order of `regions`; each regional resource keeps its region's
  // provider. What a reorder changes is the order of the dashboard's widgets (one row per region, in region order).
  it("reordering the regions updates the dashboard's body in place and replaces, creates or deletes nothing", () => {
    const reorder = resultOf("regions", /reorder/);
    expect(opsOf(reorder)).toEqual({ update: 1 });
    const updated = reorder.plan.steps.filter((step) => step.op === "update");
    expect(updated.map((step) => [step.type, step.name, step.detailedDiff])).toEqual([
      ["aws:cloudwatch/dashboard:Dashboard", "tap-dashboard-dashboard", { dashboardBody: { kind: "update", inputDiff: true } }],
    ]);
    expect(updated[0].new?.provider?.startsWith("urn:pulumi:dev::tap::tap:index:TapStack$pulumi:providers:aws::tap-global-provider::")).toBe(true);
  });

  // environmentSuffix is in every physical name and is the stage's name; the providers' logical names no longer
  // carry it (each keeps its URN), but their default tags do (Environment). So named resources are replaced, while
  // the providers and what carries the environment only in a tag or a description are updated in place.
  it("environmentSuffix dev -> staging: the providers keep their URNs, named resources are replaced, and the log groups' events, the Lambda network and the API URLs make it a hazard", () => {
    const renamed = resultOf("environmentSuffix");
    const steps = renamed.plan.steps.filter((step) => step.logical);
    // The providers: updated in place (their default tags carry the environment), none created or deleted.
    expect(steps.filter((step) => step.type === "pulumi:providers:aws").map((step) => [step.op, step.name, step.diffReasons])).toEqual([
      ["update", "tap-us-east-1-provider", ["defaultTags"]],
      ["update", "tap-us-west-2-provider", ["defaultTags"]],
      ["update", "tap-global-provider", ["defaultTags"]],
    ]);
    const opOf = (name: string) => steps.find((step) => step.name === name)?.op;
    // Named by the environment, so replaced: the bucket, the function, the stage (its name is the environment).
    expect(["tap-us-east-1-storage-bucket", "tap-us-east-1-api-function", "tap-us-east-1-api-stage"].map(opOf)).toEqual(["replace", "replace", "replace"]);
    // Only tagged or described with it, so updated: the VPC and a subnet (Name tags), the KMS key (description).
    expect(["tap-us-east-1-network-vpc", "tap-us-east-1-network-private-1", "tap-us-east-1-monitoring-key"].map(opOf)).toEqual(["update", "update", "update"]);
    // The bucket is kept (retainOnDelete), so its replacement loses nothing; every log group's name carries the
    // environment (the execution logs' through the stage name), so all four per region go, with their events.
    expect(renamed.hazards.filter((hazard) => hazard.kind === "data-loss").map((hazard) => hazard.name).sort()).toEqual(
      ["us-east-1", "us-west-2"].flatMap((region) => ["api-access-logs", "api-execution-logs", "api-function-logs", "network-flow-logs"].map((part) => `tap-${region}-${part}`)).sort(),
    );
    // The Lambda security group's name carries the environment; the subnets keep theirs (only tags change).
    expect(renamed.hazards.filter((hazard) => hazard.kind === "lambda-network").map((hazard) => hazard.name)).toEqual(["tap-us-east-1-network-lambda-sg", "tap-us-west-2-network-lambda-sg"]);
    // A new stage name changes each region's invoke URL.
    expect(renamed.hazards.filter((hazard) => hazard.kind === "client-url").map((hazard) => hazard.name)).toEqual(["api_urls[us-east-1]", "api_urls[us-west-2]"]);
  });

  it("dropping the second region deletes its log groups and its alarm key: a hazard; its bucket is kept, not deleted", () => {
    const dropped = resultOf("regions", /drop/);
    expect(cloudSteps(dropped.plan.steps, "replace")).toEqual([]);
    expect(dropped.hazards.filter((hazard) => hazard.kind === "data-loss").map((hazard) => hazard.name).sort()).toEqual([
      "tap-us-west-2-api-access-logs",
      "tap-us-west-2-api-execution-logs",
      "tap-us-west-2-api-function-logs",
      "tap-us-west-2-monitoring-key",
      "tap-us-west-2-network-flow-logs",
    ]);
    // retainOnDelete: Pulumi forgets the bucket and AWS keeps it, with its data.
    const bucket = dropped.plan.steps.find((step) => step.name === "tap-us-west-2-storage-bucket");
    expect([bucket?.op, bucket?.old?.retainOnDelete]).toEqual(["delete", true]);
  });

  it("an edit to the handler updates each function's code in place", () => {
    const edited = resultOf("handler");
    expect(cloudSteps(edited.plan.steps, "update").map((step) => [step.name, Object.keys(step.detailedDiff ?? {})])).toEqual([
      ["tap-us-east-1-api-function", ["code"]],
      ["tap-us-west-2-api-function", ["code"]],
    ]);
    expect(opsOf(edited)).toEqual({ update: 2 });
  });

  it("docs/updates.md has a row for every config key, and its table is what the plan says (npm run updates-doc:generate)", () => {
    const project = loadStackConfig(REPO_ROOT, "dev");
    const keys = Object.keys(project.values).filter((key) => key.startsWith("tap:")).map((key) => key.slice(4));
    expect(keys.filter((key) => !results.some((result) => result.change.key === key))).toEqual([]);
    expect(readFileSync(UPDATES_PAGE, "utf8")).toBe(renderUpdatesPage(readFileSync(PAGE_TEMPLATE, "utf8"), results));
  });
});

describe("npm run plan -- --from", () => {
  it("plans the memory change against a saved plan: two updates, exit 0, and the same in preview's JSON shape", async () => {
    const directory = mkdtempSync(join(tmpdir(), "update-plan-"));
    try {
      const base = join(directory, "base.json");
      const memory = resultOf("lambdaMemoryMb");
      // The deployed side as `--json` writes it, rebuilt from the shared evaluation's states.
      const steps = [
        { op: "create", urn: "urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev", newState: { urn: "urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev", custom: false, type: "pulumi:pulumi:Stack", outputs: memory.plan.oldOutputs } },
        ...memory.plan.deployed.map((state) => ({ op: "create", urn: state.urn, newState: state })),
      ];
      writeFileSync(base, JSON.stringify({ steps, offlinePlan: { project: "tap", stack: "dev" } }));
      const out = join(directory, "update.json");
      const run = await runPlanCli(["-c", "lambdaMemoryMb=256", "--from", base, "--json", out]);
      expect([run.code, run.stderr]).toEqual([0, ""]);
      // 113 unchanged: the stack, its components, the three providers (two regions and the account-wide one) and every other resource.
      expect(run.stdout).toContain("Replacements: none\n\nHazards: none\n\nChanges: 2 to update, 113 unchanged\n");
      const written = JSON.parse(readFileSync(out, "utf8")) as { steps: Array<{ op: string; urn: string; detailedDiff: unknown }>; changeSummary: unknown };
      expect(written.changeSummary).toEqual({ same: 113, update: 2 });
      expect(written.steps.filter((step) => step.op === "update").map((step) => step.detailedDiff)).toEqual([
        { memorySize: { kind: "update", inputDiff: true } },
        { memorySize: { kind: "update", inputDiff: true } },
      ]);
      // Refused before the program is evaluated, so in this file's registry (no fresh one to load).
      const missing = await runPlanMain(["--from", join(directory, "nope.json")]);
      expect(missing.code).toBe(2);
      // Keep the model helpers honest: a plan's create steps carry each resource's ID for the next --from.
      expect(createSteps(buildPlanModel({ project: "p", stack: "s", resources: [], outputs: {}, placeholderAccountId: "1" }))[0].newState.type).toBe("pulumi:pulumi:Stack");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
