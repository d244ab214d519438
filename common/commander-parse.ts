import { Command, CommanderError } from "commander";

/** Where a command-line tool writes: the process's streams, or a test's buffers. */
export interface CommandOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Parses `argv` (the arguments after the script) with `command`, sending commander's help and errors to `io` and
 * never calling process.exit, so a tool's `main` stays testable in-process. Returns undefined when the command is
 * to run, 0 after --help, and 2 after a usage error, which commander has already printed in one line. commander
 * does this when told (exitOverride, configureOutput); these lines only make every tool tell it the same way.
 */
export function parseCommand(command: Command, argv: readonly string[], io: CommandOutput): 0 | 2 | undefined {
  command.exitOverride().configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  try {
    command.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return undefined;
}
