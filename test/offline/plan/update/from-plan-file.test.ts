import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { checkPlanIdentity } from "../../../../offline/plan/update/command";
import { runPlanMain } from "../../../support/plan-cli";

/**
 * `npm run plan -- --from <plan.json>` before it evaluates anything: a plan
 * file written for another stack or project is refused in one line naming
 * both (every URN would differ, so every resource would be planned as
 * replaced), and the config's warnings (a misspelled key) are printed on
 * stderr as `npm run plan` prints them.
 */

const planOf = (project: string, stack: string) => {
  const urn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  return { steps: [{ op: "create", urn, newState: { urn, type: "pulumi:pulumi:Stack", outputs: {} } }], offlinePlan: { project, stack, placeholderAccountId: "123456789012" } };
};

describe("checkPlanIdentity", () => {
  it.each([
    ["the same stack", { project: "tap", stack: "dev" }],
    ["a file that does not say (not written by --json)", undefined],
  ])("accepts %s", (_label, identity) => {
    expect(() => checkPlanIdentity(identity, { project: "tap", stack: "dev" }, "/tmp/base.json")).not.toThrow();
  });

  it.each([
    [
      "another stack of the project",
      { project: "tap", stack: "prod" },
      "--from /tmp/base.json: a plan of stack prod (project tap), but this run plans stack dev (project tap), so every URN would differ and every resource would be replaced; " +
        "pass -s prod to plan the stack it describes, or write a plan of dev with `npm run plan -- -s dev --json base.json`.",
    ],
    [
      "another project",
      { project: "other", stack: "dev" },
      "--from /tmp/base.json: a plan of stack dev (project other), but this run plans stack dev (project tap), so every URN would differ and every resource would be replaced; " +
        "run it in the project it describes (--cwd), or write a plan of this project with `npm run plan -- -s dev --json base.json`.",
    ],
  ])("refuses a plan of %s, naming both", (_label, identity, message) => {
    expect(() => checkPlanIdentity(identity, { project: "tap", stack: "dev" }, "/tmp/base.json")).toThrow(new Error(message));
  });
});

describe("npm run plan -- --from, before the evaluation", () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "from-plan-file-"));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const plan = runPlanMain;

  it("prints a misspelled config key's warning on stderr, then refuses a plan of prod compared with dev in one line (exit 2)", async () => {
    const file = join(directory, "prod.json");
    writeFileSync(file, JSON.stringify(planOf("tap", "prod")));
    const run = await plan(["-c", "tap:lambaMemoryMb=256", "--from", file]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'warning: Config key "tap:lambaMemoryMb" (from --config) is not declared in Pulumi.yaml, so the program does not read it. Check the spelling.\n' +
        `error: --from ${file}: a plan of stack prod (project tap), but this run plans stack dev (project tap), so every URN would differ and every resource would be replaced; ` +
        "pass -s prod to plan the stack it describes, or write a plan of dev with `npm run plan -- -s dev --json prod.json`.\n",
    });
  });
});
