import { parse, stringify } from "yaml";

/**
 * A model of what `pulumi config set` and `pulumi config rm` do to a stack
 * file, so that a test can paste a hint from an error message the way a user
 * would, with no Pulumi CLI on the machine. Only what the hints use is
 * modelled; anything else throws, so a new kind of hint fails its test until
 * the model learns it.
 *
 * The rules, from the CLI's own documentation and source:
 * - Without `--path`, or with a one-segment path, the value is stored as
 *   text ("Top level values are always written to the configuration as
 *   string": https://github.com/pulumi/pulumi/pull/18285).
 * - With a longer `--path`, `true`/`false` become booleans, whole numbers that
 *   do not start with 0 become integers, everything else text (same PR; the
 *   code is adjustObjectValue in sdk/go/common/resource/config/map.go).
 * - `--type string|int|bool|float` forces the type, at the top level too
 *   (https://github.com/pulumi/pulumi/pull/18287, Pulumi CLI 3.150).
 * - Setting `key[N]` replaces a top-level plain value, sets or appends to a
 *   list (N up to its length), and fails on a map: "an array was expected for
 *   index N" (Map.Set in the same file).
 */

/**
 * The words of one shell command: single and double quotes, as a POSIX shell
 * splits them. An unquoted character the shell would treat specially (a glob
 * such as `[0]`, which zsh refuses when nothing matches; `$`, `;`...) is
 * refused, because a pasted hint must mean the same in every shell.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < command.length; index++) {
    const char = command[index];
    if (char === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'" || char === '"') {
      const end = command.indexOf(char, index + 1);
      if (end < 0) throw new Error(`unclosed ${char} in: ${command}`);
      word = (word ?? "") + command.slice(index + 1, end);
      index = end;
    } else if (/[\\$`|;&<>()*?[\]{}~#!]/.test(char)) {
      throw new Error(`unquoted shell character ${char} in: ${command}`);
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `cmd1 && cmd2`, as the shell runs it: each command's words, in order. */
export function shellCommands(line: string): string[][] {
  return line.split(" && ").map(shellWords);
}

type PathSegment = string | number;

/** `regions[0]` -> ["regions", 0]; `a.b` -> ["a", "b"]. */
function parsePath(key: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([A-Za-z_][\w-]*)|\[(\d+)\]|\.([A-Za-z_][\w-]*)/y;
  let end = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(key)) !== null) {
    segments.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3]));
    end = pattern.lastIndex;
  }
  if (segments.length === 0 || end !== key.length) throw new Error(`the model cannot parse the config path ${key}`);
  return segments;
}

function typed(value: string, type: string | undefined, path: boolean): unknown {
  switch (type) {
    case "string":
      return value;
    case "int":
      if (!/^[+-]?\d+$/.test(value)) throw new Error(`--type int: ${value} is not an integer`);
      return Number(value);
    case "float":
      return Number(value);
    case "bool":
      return value === "true";
    case undefined:
      if (!path) return value;
      if (value === "true" || value === "false") return value === "true";
      if (value.length > 1 && value.startsWith("0")) return value;
      return /^[+-]?\d+$/.test(value) ? Number(value) : value;
    default:
      throw new Error(`invalid type "${type}"; must be one of string, int, bool, or float`);
  }
}

/** The stack file (YAML text) after one `pulumi config ...` command, whose words are `argv`. */
export function applyPulumiConfig(stackYaml: string, argv: readonly string[], project: string): string {
  if (argv[0] !== "pulumi" || argv[1] !== "config" || (argv[2] !== "set" && argv[2] !== "rm")) throw new Error(`the model knows pulumi config set and rm only: ${argv.join(" ")}`);
  let path = false;
  let type: string | undefined;
  const positional: string[] = [];
  for (let index = 3; index < argv.length; index++) {
    const word = argv[index];
    if (word === "--path") path = true;
    else if (word === "--type") type = argv[++index];
    else if (word.startsWith("--")) throw new Error(`the model does not know ${word}`);
    else positional.push(word);
  }
  const [key, value] = positional;
  if (key === undefined || (argv[2] === "set" && (value === undefined || positional.length !== 2)) || (argv[2] === "rm" && positional.length !== 1)) {
    throw new Error(`wrong arguments: ${argv.join(" ")}`);
  }
  const document = (parse(stackYaml) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, unknown> = document.config ?? {};
  const segments = path ? parsePath(key) : [key];
  const root = String(segments[0]).includes(":") ? String(segments[0]) : `${project}:${segments[0]}`;

  if (argv[2] === "rm") {
    if (segments.length !== 1) throw new Error("the model removes whole keys only");
    delete config[root];
  } else if (segments.length === 1) {
    config[root] = typed(value, type, false);
  } else {
    if (segments.length !== 2 || typeof segments[1] !== "number") throw new Error(`the model sets list entries (key[N]) only: ${key}`);
    const index = segments[1];
    const existing = config[root];
    // A plain value at the top is replaced; a list is set or appended to; anything else is refused.
    const list = existing === undefined || (typeof existing !== "object" && !Array.isArray(existing)) ? [] : existing;
    if (!Array.isArray(list)) throw new Error(`could not set config: an array was expected for index ${index}`);
    if (index > list.length) throw new Error("could not set config: array index out of range");
    list[index] = typed(value, type, true);
    config[root] = list;
  }
  return stringify({ ...document, config });
}
