import fc from "fast-check";
import * as path from "path";
import { MAX_STACK_NAME_LENGTH, stackNameProblem } from "../../../offline/stack-config/stack-name";

/** The stack-name rule both `npm run plan` and `npm run local` apply (offline/stack-config/stack-name.ts). */

const RULE = `expected a stack name of letters, digits, "-", "_" and "." (1 to ${MAX_STACK_NAME_LENGTH} characters, starting with a letter or digit), such as "dev"`;

describe("stackNameProblem", () => {
  it.each(["dev", "prod", "Prod-EU_1.blue", "1st", "a".repeat(MAX_STACK_NAME_LENGTH)])("accepts %j", (name) => {
    expect(stackNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["/../../evil", `--stack "/../../evil": ${RULE}.`],
    ["../evil", `--stack "../evil": ${RULE}.`],
    ["..", `--stack "..": ${RULE}.`],
    [".hidden", `--stack ".hidden": ${RULE}.`],
    ["", `--stack "": ${RULE}.`],
    ["dev prod", `--stack "dev prod": ${RULE}.`],
    ["dev\n", `--stack "dev\\n": ${RULE}.`],
    ["a".repeat(MAX_STACK_NAME_LENGTH + 1), `--stack "${"a".repeat(MAX_STACK_NAME_LENGTH + 1)}": ${RULE}.`],
    ["acme/tap/dev", `--stack "acme/tap/dev": ${RULE}; pass the short name "dev".`],
  ])("refuses %j in one line", (name, message) => {
    expect(stackNameProblem(name)).toBe(message);
  });

  it("never lets an accepted name lead the stack file out of the project directory", () => {
    const project = path.resolve("/project");
    fc.assert(
      // Arbitrary text, and names built from the allowed characters plus "/" (most of which pass).
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.stringMatching(/^[A-Za-z0-9_./-]{1,12}$/)), (name) => {
        if (stackNameProblem(name) !== undefined) return;
        const file = path.join(project, `Pulumi.${name}.yaml`);
        expect(path.dirname(file)).toBe(project);
        expect(path.basename(file)).toBe(`Pulumi.${name}.yaml`);
      }),
      { numRuns: 2000 },
    );
  });
});
