import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCli, PlanCliRun } from "../../support/plan-cli";
import { shortHash } from "../../../lib/naming";

/**
 * `npm run plan -- -s prod` evaluates in the first of prod's tap:allowedAccountIds (111111111111 in
 * Pulumi.prod.yaml), as `--stacks dev,prod` does: bucket names hash the account, so the plan shows
 * the names prod will get. One evaluation, shared by the tests.
 */

interface PlanJson {
  offlinePlan: { placeholderAccountId: string; note: string };
  steps: { newState: { type: string; inputs: Record<string, unknown> } }[];
}

let run: PlanCliRun;
let json: PlanJson;

beforeAll(async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "tap-plan-account-"));
  const file = path.join(directory, "prod.json");
  run = await runPlanCli(["-s", "prod", "--json", file]);
  json = JSON.parse(fs.readFileSync(file, "utf8")) as PlanJson;
  fs.rmSync(directory, { recursive: true, force: true });
});

describe("npm run plan -- -s prod", () => {
  it("plans prod in the first of its allowed accounts and says so", () => {
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("IDs and ARNs are placeholders (account 111111111111, the first of tap:allowedAccountIds);");
    expect(json.offlinePlan.placeholderAccountId).toBe("111111111111");
    expect(json.offlinePlan.note).toContain("placeholders (account 111111111111, the first of tap:allowedAccountIds)");
  });

  it("names every bucket with that account's hash", () => {
    const buckets = json.steps.filter((step) => step.newState.type === "aws:s3/bucket:Bucket").map((step) => String(step.newState.inputs.bucket));
    // Pulumi.prod.yaml's three regions, one artifact bucket each.
    // The hash covers account/projectName/stack (lib/naming.ts artifactBucket); projectName is at its default.
    const hash = shortHash("111111111111/iac-aws-nova/prod");
    expect(buckets).toEqual(["us-east-1", "us-west-2", "eu-west-1"].map((region) => `iac-aws-nova-artifacts-${region}-prod-${hash}`));
  });
});
