import { runPlanCli, PlanCliRun } from "../../support/plan-cli";
import { shortHash } from "../../../lib/naming";

/**
 * `npm run plan -- -s prod` evaluates in the first of prod's tap:allowedAccountIds (111111111111 in
 * Pulumi.prod.yaml), as `--stacks dev,prod` does: bucket names hash the account, so the plan shows
 * the names prod will get. With `--json -` the JSON is stdout's only content and the report goes to
 * stderr. One evaluation, shared by the tests.
 */

interface PlanJson {
  offlinePlan: { placeholderAccountId: string; note: string };
  steps: { newState: { type: string; inputs: Record<string, unknown> } }[];
}

let run: PlanCliRun;
let json: PlanJson;

beforeAll(async () => {
  run = await runPlanCli(["-s", "prod", "--json", "-"]);
  json = JSON.parse(run.stdout) as PlanJson;
});

describe("npm run plan -- -s prod --json -", () => {
  it("writes the JSON alone on stdout, and the report, ending with where the JSON went, on stderr", () => {
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith("{\n")).toBe(true);
    expect(run.stderr.startsWith('Offline plan of stack "prod" (project tap): nothing is sent to AWS.\n')).toBe(true);
    expect(run.stderr.endsWith('Wrote the plan as preview JSON (policy results under "policyViolations") to stdout\n')).toBe(true);
  });

  it("plans prod in the first of its allowed accounts and says so", () => {
    expect(run.stderr).toContain("IDs and ARNs are placeholders (account 111111111111, the first of tap:allowedAccountIds);");
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

describe("npm run plan -- --json - --graph -", () => {
  it("refuses two documents on one stdout in one line (exit 2), before the evaluation", async () => {
    const refused = await runPlanCli(["--json", "-", "--graph", "-"]);
    expect(refused).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --json - and --graph - would both write to stdout; write one of them to a file, such as --graph plan.dot.\n",
    });
  });
});
