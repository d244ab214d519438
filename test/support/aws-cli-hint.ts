import * as cloudwatch from "@aws-sdk/client-cloudwatch";
import * as codedeploy from "@aws-sdk/client-codedeploy";
import * as lambda from "@aws-sdk/client-lambda";
import * as sts from "@aws-sdk/client-sts";

/**
 * The AWS CLI commands an error message tells its reader to run, checked the
 * way a reader would paste them: the service and operation must exist, every
 * option must be a member of the operation's input (a flag without a value a
 * boolean one), and every required member must be given. The model is the
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

/** Schema member kinds (smithy schema-serde simple schemas): 0 string, 2 boolean. */
const STRING_MEMBER = 0;
const BOOLEAN_MEMBER = 2;

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
    const index = members.indexOf(camel(option.slice(2)));
    if (index < 0) {
      problems.push(`${option} is not a parameter of ${command.operation}`);
      continue;
    }
    const expected = value === true ? BOOLEAN_MEMBER : STRING_MEMBER;
    if (kinds[index] !== expected) problems.push(`${option} ${value === true ? "is not a flag" : "takes no value"}`);
  }
  for (const member of required) {
    const option = `--${member.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    if (!command.options.has(option)) problems.push(`${option} is required`);
  }
  return problems;
}
