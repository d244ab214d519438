import type { RecordedResource } from "../../../offline/mock-cloud";
import type { EvaluateOptions } from "../../../offline/plan/runner";
import type { ChildAnswer } from "../../../offline/plan/stacks/evaluate-child";
import { REPO_ROOT } from "../../support/paths";

/**
 * The parent of `npm run plan -- --stacks` reads each stack's config, hands it to one evaluation per stack (a child
 * process, here a hand-written evaluator) and compares the answers: it never runs the program, so it never loads the
 * Pulumi SDK, which takes seconds of start-up. Every require of the SDK's packages from this file's module registry
 * goes through the factories below, which record it; the file imports nothing else of the project before the command
 * runs (type imports are erased), so a record means the command loaded the package.
 */

const SDK_PACKAGES = ["@pulumi/pulumi", "@pulumi/aws"];
const loaded: string[] = [];
for (const name of SDK_PACKAGES) {
  jest.doMock(name, () => {
    loaded.push(name);
    return jest.requireActual(name);
  });
}

/** What each stack's evaluation answers: one bucket of the same name, which every account shares. */
function bucketNamed(bucket: string): RecordedResource {
  return {
    urn: "urn:pulumi:any::tap::aws:s3/bucketV2:BucketV2::artifacts",
    type: "aws:s3/bucketV2:BucketV2",
    name: "artifacts",
    inputs: { bucket },
    state: { bucket },
    id: bucket,
    custom: true,
    parent: undefined,
    provider: undefined,
    dependencies: [],
    region: "us-east-1",
    options: { retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, protect: false, aliases: [] },
  };
}

describe("npm run plan -- --stacks dev,prod, the parent process", () => {
  it("compares the stacks' answers without loading @pulumi/pulumi or @pulumi/aws", async () => {
    const asked: { stack: string; accountId: string | undefined }[] = [];
    const evaluateStack = async (options: EvaluateOptions): Promise<ChildAnswer> => {
      asked.push({ stack: options.stack, accountId: options.accountId });
      return { kind: "ok", resources: [bucketNamed("tap-shared-artifacts")] };
    };
    let stdout = "";
    let stderr = "";
    const { main } = await import("../../../offline/plan/cli");
    const code = await main(["--stacks", "dev,prod"], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      projectDir: REPO_ROOT,
      evaluateStack,
    });

    expect(asked).toEqual([
      { stack: "dev", accountId: "123456789012" },
      { stack: "prod", accountId: "111111111111" },
    ]);
    expect([code, stderr]).toEqual([5, ""]);
    expect(stdout).toContain("Shared physical names: 1\n  aws:s3:BucketV2  tap-shared-artifacts  all accounts  dev, prod  (bucket names are unique across every account)\n");
    expect(loaded).toEqual([]);
  });
});

describe("npm run plan's refusals of a missing input file", () => {
  it.each([
    ["--check-preview", "pulumi preview --json --show-replacement-steps > preview.json"],
    ["--from", "npm run plan -- --json absent.json"],
  ])("%s refuses it in one line, exit 2, without loading the Pulumi SDK", async (flag, writeIt) => {
    const file = `${REPO_ROOT}/absent.json`;
    let stdout = "";
    let stderr = "";
    const { main } = await import("../../../offline/plan/cli");
    const code = await main([flag, file], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      projectDir: REPO_ROOT,
    });
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: "", stderr: `error: ${flag} ${file}: no such file; write it with \`${writeIt}\` first.\n` });
    expect(loaded).toEqual([]);
  });
});
