import * as cloudwatch from "@aws-sdk/client-cloudwatch";
import * as codedeploy from "@aws-sdk/client-codedeploy";
import * as lambda from "@aws-sdk/client-lambda";
import * as sts from "@aws-sdk/client-sts";

/**
 * The AWS CLI commands an error message tells its reader to run, checked the
 * way a reader would paste them: the service and operation must exist, every
 * option must be a member of the operation's input (a flag without a value a
 * boolean one, a structure one a JSON object of its members in single
 * quotes), and every required member must be given. The model is the
 * AWS SDK's own (the `Operation$` and `...Input$` schemas each v3 client
 * exports), so the check runs offline wherever the SDK is installed.
 */

/** The CLI's service names -> the SDK clients that model them. */
const CLI_SERVICES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  deploy: codedeploy,
  sts,
  lambda,
  cloudwatch,
};

/** Options every CLI command takes, with a value. */
const GLOBAL_OPTIONS = new Set(["--region", "--profile", "--output"]);

/** Schema member kinds (smithy schema-serde simple schemas): 0 string, 2 boolean; 3 leads a structure's schema. */
const STRING_MEMBER = 0;
const BOOLEAN_MEMBER = 2;
const STRUCTURE_SCHEMA = 3;

/** A member's kind: a number, a [kind, traits] pair (a string bound to the URL path, say), or a structure's schema (lazily, as a function). */
function memberKind(kind: unknown): { simple: number } | { structure: readonly string[] } | undefined {
  if (typeof kind === "number") return { simple: kind };
  const resolved = typeof kind === "function" ? (kind as () => unknown)() : kind;
  if (!Array.isArray(resolved)) return undefined;
  if (resolved[0] === STRUCTURE_SCHEMA && Array.isArray(resolved[4])) return { structure: resolved[4] as string[] };
  return typeof resolved[0] === "number" && resolved.length === 2 ? { simple: resolved[0] } : undefined;
}

/** What is wrong with a structure given as '{"Member": ...}'; empty when its keys are the structure's members. */
function structureValueProblems(option: string, value: string, members: readonly string[]): string[] {
  const json = /^'(.*)'$/.exec(value)?.[1];
  if (json === undefined) return [`${option} takes a JSON object in single quotes`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [`${option} is not valid JSON: ${json}`];
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [`${option} takes a JSON object`];
  return Object.keys(parsed).filter((key) => !members.includes(key)).map((key) => `${option} has no member ${key}`);
}

export interface CliCommand {
  readonly text: string;
  readonly service: string;
  readonly operation: string;
  /** Option -> its value, or true for a flag. */
  readonly options: ReadonlyMap<string, string | true>;
}

/** Every `aws <service> <operation> [--option [value]]...` in `text`. */
export function awsCliCommandsIn(text: string): CliCommand[] {
  const pattern = /\baws ([a-z0-9-]+) ([a-z0-9-]+)((?: --[a-z0-9-]+(?: (?!--)[^\s()]+)?)*)/g;
  return [...text.matchAll(pattern)].map((match) => {
    const options = new Map<string, string | true>();
    const tokens = match[3].trim().split(/\s+/).filter((token) => token !== "");
    for (let index = 0; index < tokens.length; index++) {
      const next = tokens[index + 1];
      if (next !== undefined && !next.startsWith("--")) {
        options.set(tokens[index], next.replace(/[.,;]+$/, ""));
        index++;
      } else {
        options.set(tokens[index], true);
      }
    }
    return { text: match[0], service: match[1], operation: match[2], options };
  });
}

const pascal = (kebab: string) => kebab.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
const camel = (kebab: string) => pascal(kebab).charAt(0).toLowerCase() + pascal(kebab).slice(1);

type Schema = readonly unknown[];

/** What is wrong with `command`; empty when it would run. */
export function awsCliCommandProblems(command: CliCommand): string[] {
  const sdk = CLI_SERVICES[command.service];
  if (sdk === undefined) return [`unknown CLI service "${command.service}"`];
  const operation = sdk[`${pascal(command.operation)}$`] as Schema | undefined;
  if (!Array.isArray(operation)) return [`${command.service} has no operation ${command.operation}`];
  const input = (operation[4] as () => Schema)();
  const members = (input[4] ?? []) as readonly string[];
  const kinds = (input[5] ?? []) as readonly unknown[];
  const required = members.slice(0, typeof input[6] === "number" ? input[6] : 0);
  const problems: string[] = [];
  for (const [option, value] of command.options) {
    if (GLOBAL_OPTIONS.has(option)) {
      if (value === true) problems.push(`${option} needs a value`);
      continue;
    }
    // Some models name members in camelCase (CodeDeploy's deploymentId), others in PascalCase (Lambda's FunctionName).
    const index = [camel(option.slice(2)), pascal(option.slice(2))].map((name) => members.indexOf(name)).find((found) => found >= 0) ?? -1;
    if (index < 0) {
      problems.push(`${option} is not a parameter of ${command.operation}`);
      continue;
    }
    const kind = memberKind(kinds[index]);
    if (kind !== undefined && "structure" in kind) {
      problems.push(...(value === true ? [`${option} is not a flag`] : structureValueProblems(option, value, kind.structure)));
      continue;
    }
    const expected = value === true ? BOOLEAN_MEMBER : STRING_MEMBER;
    if (kind?.simple !== expected) problems.push(`${option} ${value === true ? "is not a flag" : "takes no value"}`);
  }
  for (const member of required) {
    const option = `--${member.replace(/[A-Z]/g, (letter, at: number) => `${at === 0 ? "" : "-"}${letter.toLowerCase()}`)}`;
    if (!command.options.has(option)) problems.push(`${option} is required`);
  }
  return problems;
}
