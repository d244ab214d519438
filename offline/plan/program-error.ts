/**
 * How the plan tells a failed program from bad config, apart from the runner (runner.ts) that evaluates the program:
 * the command and --stacks' parent report both kinds of failure without ever loading the Pulumi SDK the runner needs.
 */

/** The program failed while it ran (not a config error): the plan is incomplete. Exit status 3. */
export class ProgramError extends Error {
  constructor(readonly failures: readonly string[]) {
    super(`The program failed while it was evaluated, so the plan would be incomplete:\n${failures.map((failure) => `  - ${failure}`).join("\n")}`);
    this.name = "ProgramError";
  }
}

/** True for the program's own validation error (lib/config.ts TapConfigError), matched by name so any copy of the class counts. */
export function isTapConfigError(error: unknown): error is Error {
  return error instanceof Error && error.name === "TapConfigError";
}
