import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ProgramError } from "../../../offline/plan/program-error";
import { createProgramEvaluator } from "../../../offline/plan/update/evaluations";

/**
 * The evaluator that runs the program once per configuration (the docs table
 * of config changes, the benchmark) reports a failing program exactly as
 * `npm run plan` does, because both run it through runner.ts's one loop: a
 * throw while the program loads is a ProgramError whose message is trimmed
 * (a blank one gives the error's name). (Unawaited rejections, which the same
 * loop collects, reach jest's own listener in a test, not the loop's.)
 */

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "program-failures-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function failureOf(source: string): Promise<unknown> {
  const program = join(directory, `program-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(program, source);
  const evaluator = await createProgramEvaluator(program, "tap", "dev");
  return evaluator.evaluate({}).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("a failing program, run by the per-configuration evaluator", () => {
  it.each([
    ["its message, trimmed", 'throw new TypeError("boom ");\n', ["boom"]],
    ["the error's name when the message is blank", 'throw new RangeError(" ");\n', ["RangeError"]],
  ])("a throw while the program loads: a ProgramError with %s", async (_label, source, failures) => {
    const failure = await failureOf(source);
    expect([failure instanceof ProgramError, (failure as ProgramError).failures]).toEqual([true, failures]);
  });

  it("a program that succeeds: its outputs, and nothing left from the failed runs", async () => {
    const program = join(directory, "ok.ts");
    writeFileSync(program, 'export const answer = 42;\nexport const missing = undefined;\n');
    const evaluation = await (await createProgramEvaluator(program, "tap", "dev")).evaluate({});
    expect(evaluation).toEqual({ resources: [], outputs: { answer: 42 } });
  });
});
