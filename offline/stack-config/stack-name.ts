/**
 * The one rule for the stack names `npm run plan` and `npm run local` accept.
 * The name becomes part of a file name, `Pulumi.<stack>.yaml`, so it must not
 * carry a path: `--stack '/../../evil'` would otherwise read a YAML file
 * outside the project.
 *
 * Pulumi's own rule for a stack name is letters, digits, `-`, `_` and `.`, at
 * most 100 characters. tap accepts exactly that, and also asks for a letter or
 * digit first (so `.` and `..` are out). A qualified name (`org/project/stack`)
 * is refused with a hint: the config file is named after the last part only,
 * so that is what these tools need.
 */

/** Pulumi's longest stack name. */
export const MAX_STACK_NAME_LENGTH = 100;

const STACK_NAME = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${MAX_STACK_NAME_LENGTH - 1}}$`);

/** What is wrong with `name` as a stack name, without naming the flag; undefined when it is valid. */
export function stackNameRuleProblem(name: string): string | undefined {
  if (STACK_NAME.test(name)) return undefined;
  const rule =
    `expected a stack name of letters, digits, "-", "_" and "." (1 to ${MAX_STACK_NAME_LENGTH} characters, ` +
    `starting with a letter or digit), such as "dev"`;
  const parts = name.split("/");
  const last = parts[parts.length - 1];
  // org/project/stack: the config file is Pulumi.<stack>.yaml, so the short name is what is needed.
  const hint = parts.length === 3 && parts.every((part) => STACK_NAME.test(part)) ? `; pass the short name "${last}"` : "";
  return `${rule}${hint}`;
}

/** What is wrong with `name` given as `--stack <name>`, or undefined when it is valid. */
export function stackNameProblem(name: string): string | undefined {
  const problem = stackNameRuleProblem(name);
  return problem === undefined ? undefined : `--stack ${JSON.stringify(name)}: ${problem}.`;
}
