import { realpathSync } from "fs";
import { withoutStackTraces } from "../../offline/mock-cloud";
import type { EvaluateOptions } from "../../offline/plan/runner";
import type { ChildAnswer } from "../../offline/plan/stacks/evaluate-child";
import type { StackEvaluator } from "../../offline/plan/stacks/run";

/**
 * `npm run plan -- --stacks` evaluates each stack in a child process, because the program registers its resources
 * once per module registry. This evaluator runs the child's own code (evaluate-child.ts `answer`) in a fresh jest
 * module registry instead, one stack at a time (jest isolates one registry at a time), and hands back the answer
 * as the child's IPC message would arrive (JSON). Each set of options is evaluated once per evaluator: later
 * requests for the same program file (a symbolic link counts as the file it names), stack, config and account share
 * the first answer.
 */
export function inProcessStackEvaluator(): StackEvaluator {
  const answers = new Map<string, Promise<ChildAnswer>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (options: EvaluateOptions): Promise<ChildAnswer> => {
    const key = JSON.stringify([realProgramPath(options.programPath), options.project, options.stack, Object.entries(options.config).sort(), options.accountId]);
    const known = answers.get(key);
    if (known) return known;
    const answer = queue.then(() => evaluateInFreshRegistry(options));
    queue = answer.catch(() => undefined);
    answers.set(key, answer);
    return answer;
  };
}

/** The file a program path names, through symbolic links; the path itself when there is no such file (the evaluation then reports it). */
function realProgramPath(programPath: string): string {
  try {
    return realpathSync(programPath);
  } catch {
    return programPath;
  }
}

async function evaluateInFreshRegistry(options: EvaluateOptions): Promise<ChildAnswer> {
  let result: ChildAnswer | undefined;
  await withoutStackTraces(() => jest.isolateModulesAsync(async () => {
    const { answer } = await import("../../offline/plan/stacks/evaluate-child");
    result = await answer(options);
  }));
  if (!result) throw new Error(`no answer for stack ${options.stack}`);
  return JSON.parse(JSON.stringify(result)) as ChildAnswer;
}
