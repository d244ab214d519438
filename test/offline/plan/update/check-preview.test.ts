import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { readPreview } from "../../../../offline/plan/update/check-preview";
import { findHazards } from "../../../../offline/plan/update/hazards";
import { loadReplacementRules } from "../../../../offline/plan/update/rules";
import { runPlanCli } from "../../../support/plan-cli";

/**
 * `--check-preview`: the hazard rules on a real `pulumi preview --json`. The
 * documents are written by hand in the shape Pulumi documents for it
 * (display.PreviewDigest: `steps` of display.PreviewStep with `op`, `urn`,
 * `provider`, `oldState`/`newState` as apitype.ResourceV3, `diffReasons`,
 * `replaceReasons`, `detailedDiff` of {kind, inputDiff}; `changeSummary`).
 */

const rules = loadReplacementRules();
const prefix = "urn:pulumi:dev::tap::";
const EAST = `${prefix}tap:index:TapStack$pulumi:providers:aws::east`;
const WEST = `${prefix}tap:index:TapStack$pulumi:providers:aws::west`;
const DASHBOARD = `${prefix}tap:monitoring:GlobalDashboard$aws:cloudwatch/dashboard:Dashboard::tap-dashboard-dashboard`;
const BUCKET = `${prefix}tap:storage:ArtifactBucket$aws:s3/bucket:Bucket::tap-us-west-2-storage-bucket`;
const FUNCTION = `${prefix}tap:compute:ServerlessApi$aws:lambda/function:Function::tap-us-east-1-api-function`;

const dashboardState = (provider: string) => ({
  urn: DASHBOARD,
  custom: true,
  id: "iac-aws-nova-dashboard-dev",
  type: "aws:cloudwatch/dashboard:Dashboard",
  inputs: { dashboardName: "iac-aws-nova-dashboard-dev", dashboardBody: "{}" },
  outputs: { dashboardName: "iac-aws-nova-dashboard-dev", dashboardBody: "{}", dashboardArn: "arn:aws:cloudwatch::111111111111:dashboard/iac-aws-nova-dashboard-dev" },
  provider,
});
const dashboardStep = (op: string) => ({
  op,
  urn: DASHBOARD,
  provider: `${WEST}::0f7c`,
  oldState: dashboardState(`${EAST}::4a1e`),
  newState: dashboardState(`${WEST}::0f7c`),
  replaceReasons: ["provider"],
  detailedDiff: null,
});
const bucketState = (retainOnDelete: boolean) => ({
  urn: BUCKET,
  custom: true,
  id: "iac-aws-nova-artifacts-us-west-2-dev-1a2b3c4d",
  type: "aws:s3/bucket:Bucket",
  inputs: { bucket: "iac-aws-nova-artifacts-us-west-2-dev-1a2b3c4d", forceDestroy: false },
  outputs: { bucket: "iac-aws-nova-artifacts-us-west-2-dev-1a2b3c4d", arn: "arn:aws:s3:::iac-aws-nova-artifacts-us-west-2-dev-1a2b3c4d" },
  provider: `${WEST}::0f7c`,
  ...(retainOnDelete ? { retainOnDelete: true } : {}),
});
const functionUpdate = {
  op: "update",
  urn: FUNCTION,
  oldState: { urn: FUNCTION, custom: true, type: "aws:lambda/function:Function", inputs: { memorySize: 128 }, outputs: { memorySize: 128 } },
  newState: { urn: FUNCTION, custom: true, type: "aws:lambda/function:Function", inputs: { memorySize: 256 }, outputs: { memorySize: 256 } },
  diffReasons: ["memorySize"],
  detailedDiff: { memorySize: { kind: "update", inputDiff: true } },
};

/** Region reorder as `pulumi preview --json --show-replacement-steps` lists it: the dashboard created first, deleted at the end. */
const reorderPreview = {
  config: { "tap:regions": '["us-west-2","us-east-1"]' },
  steps: [dashboardStep("create-replacement"), dashboardStep("replace"), functionUpdate, dashboardStep("delete-replaced"), { op: "delete", urn: BUCKET, oldState: bucketState(true) }],
  changeSummary: { replace: 1, update: 1, delete: 1 },
};

describe("hazards on a real preview", () => {
  it("reads the create-first order from the replacement steps: a dashboard replaced under its name is a hazard; a retained bucket's delete is not", () => {
    const { plan, hazardInput } = readPreview(reorderPreview, "preview.json", rules);
    expect(plan.changeSummary).toEqual({ replace: 1, update: 1, delete: 1 });
    expect(plan.steps.find((step) => step.op === "replace")?.replacement).toMatchObject({ order: "create-first", because: ["provider changes"] });
    expect(findHazards(hazardInput, rules).map((hazard) => [hazard.kind, hazard.name])).toEqual([["fixed-name-create-first", "tap-dashboard-dashboard"]]);
  });

  it("delete-replaced before create-replacement is delete first: no hazard", () => {
    const steps = [dashboardStep("delete-replaced"), dashboardStep("replace"), dashboardStep("create-replacement")];
    const { plan, hazardInput } = readPreview({ steps }, "preview.json", rules);
    expect(plan.steps.find((step) => step.op === "replace")?.replacement?.order).toBe("delete-first");
    expect(findHazards(hazardInput, rules)).toEqual([]);
  });

  it("without replacement steps the order is inferred (a set bucket name: delete first) and a replaced bucket still loses its data", () => {
    const replaced = { op: "replace", urn: BUCKET, oldState: bucketState(false), newState: { ...bucketState(false), inputs: { bucket: "renamed" } }, replaceReasons: ["bucket"], detailedDiff: { bucket: { kind: "update-replace", inputDiff: true } } };
    const { plan, hazardInput } = readPreview({ steps: [replaced] }, "preview.json", rules);
    expect(plan.steps[0].replacement).toMatchObject({ order: "delete-first", orderInferred: true });
    expect(findHazards(hazardInput, rules).map((hazard) => hazard.kind)).toEqual(["data-loss"]);
  });

  it("npm run plan -- --check-preview prints the hazard line and exits 6; --accept-hazards exits 0; a file that is not a preview exits 2", async () => {
    const directory = mkdtempSync(join(tmpdir(), "check-preview-"));
    try {
      const file = join(directory, "preview.json");
      // A real preview always lists the stack's step (pulumi's ShowPreviewDigest keeps the root stack).
      const stack = { op: "same", urn: `${prefix}pulumi:pulumi:Stack::tap-dev`, newState: { urn: `${prefix}pulumi:pulumi:Stack::tap-dev`, type: "pulumi:pulumi:Stack" } };
      writeFileSync(file, JSON.stringify({ ...reorderPreview, steps: [stack, ...reorderPreview.steps] }));
      const refused = await runPlanCli(["--check-preview", file]);
      expect(refused.code).toBe(6);
      expect(refused.stdout).toContain("Hazards: 1\n  ! aws:cloudwatch:Dashboard tap-dashboard-dashboard: replaced create-first under the same name");
      const accepted = await runPlanCli(["--check-preview", file, "--accept-hazards"]);
      expect([accepted.code, accepted.stdout.includes("1 hazard(s) accepted (--accept-hazards): exit 0.")]).toEqual([0, true]);
      writeFileSync(file, "{}");
      const bad = await runPlanCli(["--check-preview", file]);
      expect([bad.code, bad.stderr]).toEqual([2, `error: ${file}: not a preview document (no "steps" list); write it with \`pulumi preview --json --show-replacement-steps > preview.json\`.\n`]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
