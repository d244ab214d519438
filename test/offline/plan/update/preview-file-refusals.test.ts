import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PREVIEW_COMMAND, checkPreviewDocument } from "../../../../offline/plan/update/check-preview";
import { REPO_ROOT } from "../../../support/paths";
import { runPlanMain } from "../../../support/plan-cli";

/**
 * `--check-preview` reads a real `pulumi preview --json` and nothing else: an
 * offline plan, a preview with no steps or without the stack's step (which
 * every real preview lists) is refused in one line that names the file and
 * the command that writes the right one; and the flags that choose a stack or
 * its config, which a preview already fixes, are refused rather than ignored.
 */

const STACK_URN = "urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev";
const stackStep = { op: "same", urn: STACK_URN, oldState: { urn: STACK_URN, type: "pulumi:pulumi:Stack", outputs: {} }, newState: { urn: STACK_URN, type: "pulumi:pulumi:Stack", outputs: {} } };
const fix = `write it with \`${PREVIEW_COMMAND}\``;

describe("checkPreviewDocument", () => {
  it.each([
    [
      "an offline plan (npm run plan -- --json)",
      { steps: [{ ...stackStep, op: "create" }], offlinePlan: { project: "tap", stack: "dev" } },
      `p.json: an offline plan (written by \`npm run plan -- --json\`), not a real preview; --check-preview reads a preview, ${fix} (an offline plan goes to --from).`,
    ],
    [
      "an offline update plan (--from --json)",
      { steps: [stackStep], offlineUpdatePlan: { note: "offline" } },
      `p.json: an offline plan (written by \`npm run plan -- --from ... --json\`), not a real preview; --check-preview reads a preview, ${fix} (an offline plan goes to --from).`,
    ],
    ["a document without steps", { config: {} }, `p.json: not a preview document (no "steps" list); ${fix}.`],
    ["an empty steps list", { steps: [] }, `p.json: a preview with no steps (every real preview lists at least the stack); ${fix}.`],
    [
      "steps without the stack's",
      { steps: [{ op: "update", urn: "urn:pulumi:dev::tap::aws:s3/bucket:Bucket::b", newState: { urn: "urn:pulumi:dev::tap::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket" } }] },
      `p.json: no step for the stack (pulumi:pulumi:Stack), which every real preview lists, so this preview is cut short or hand-made; ${fix}.`,
    ],
  ])("refuses %s", (_label, document, message) => {
    expect(() => checkPreviewDocument(document, "p.json")).toThrow(new Error(message));
  });

  it("accepts a preview whose only step is the stack's, found by its state's type or, without states, by its URN", () => {
    expect(() => checkPreviewDocument({ steps: [stackStep] }, "p.json")).not.toThrow();
    expect(() => checkPreviewDocument({ steps: [{ op: "same", urn: STACK_URN }] }, "p.json")).not.toThrow();
  });

  it("names the command the pull-request workflow and docs/updates.md run to write the preview", () => {
    const workflow = readFileSync(join(REPO_ROOT, ".github", "workflows", "pull-request.yml"), "utf8");
    expect(workflow).toContain('pulumi preview --stack "$STACK" --json --show-replacement-steps > preview.json');
    expect(PREVIEW_COMMAND).toBe("pulumi preview --json --show-replacement-steps > preview.json");
    expect(readFileSync(join(REPO_ROOT, "docs", "updates.md"), "utf8")).toContain(`\`${PREVIEW_COMMAND}\``);
  });
});

describe("npm run plan -- --check-preview", () => {
  let directory: string;
  let preview: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "preview-refusals-"));
    preview = join(directory, "preview.json");
    writeFileSync(preview, JSON.stringify({ steps: [stackStep] }));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const plan = runPlanMain;

  it.each([
    [["-s", "prod"], "-s/--stack would be ignored; drop it"],
    [["-c", "lambdaMemoryMb=256"], "-c/--config would be ignored; drop it"],
    [["--cwd", "."], "--cwd would be ignored; drop it"],
    [["--stack", "prod", "--config", "lambdaMemoryMb=256", "--cwd", "."], "-s/--stack, -c/--config, --cwd would be ignored; drop them"],
  ])("refuses %j in one line: the preview fixes the stack and its config", async (extra, middle) => {
    expect(await plan(["--check-preview", preview, ...extra])).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: --check-preview reads the stack and config from the preview, so ${middle}, and pass them to the \`pulumi preview\` that writes the file.\n`,
    });
  });

  it("refuses an offline plan in one line, exit 2, and reads a preview with only the stack's step (no changes: exit 0)", async () => {
    const offline = join(directory, "base.json");
    writeFileSync(offline, JSON.stringify({ steps: [{ ...stackStep, op: "create" }], offlinePlan: { project: "tap", stack: "dev" } }));
    const refused = await plan(["--check-preview", offline]);
    expect([refused.code, refused.stderr.split("\n").length, refused.stderr]).toEqual([2, 2, expect.stringContaining(`error: ${offline}: an offline plan`)]);
    expect((await plan(["--check-preview", preview])).code).toBe(0);
  });

  it("a missing file names the command that writes a preview", async () => {
    const missing = join(directory, "absent.json");
    expect(await plan(["--check-preview", missing])).toEqual({ code: 2, stdout: "", stderr: `error: --check-preview ${missing}: no such file; write it with \`${PREVIEW_COMMAND}\` first.\n` });
  });
});
