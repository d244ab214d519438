import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { CONFIG_KEY_TYPES, TapConfigError, resolveTapStackArgs } from "../../lib/config";
import { loadStackConfig, stackArgsFromValues } from "../../offline/stack-config/loader";
import { applyPulumiConfig, shellCommands, shellWords } from "../support/pulumi-config-cli";
import { REPO_ROOT } from "../support/paths";

/**
 * Every `pulumi config ...` hint a config error gives works when pasted: each
 * case writes a stack file the program refuses, takes the command from the
 * message, applies it to the file as the Pulumi CLI would
 * (test/support/pulumi-config-cli.ts models the CLI's typing rules) and loads
 * the result through the stack-config loader, which must then accept it.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tap-config-hints-"));
  copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STACK = "hint";
const stackFile = () => path.join(dir, `Pulumi.${STACK}.yaml`);

/** The stack's arguments as the program resolves them, or the TapConfigError it throws. */
function load(): ReturnType<typeof resolveTapStackArgs> | TapConfigError {
  const config = loadStackConfig(dir, STACK);
  try {
    return resolveTapStackArgs(stackArgsFromValues(config.project, config.values), STACK);
  } catch (error) {
    if (error instanceof TapConfigError) return error;
    throw error;
  }
}

/** The command a message tells the user to run: everything after "Set it with: ", to the end. */
function hintOf(message: string): string {
  const hint = /Set it with: (pulumi config .*)$/.exec(message)?.[1];
  if (hint === undefined) throw new Error(`no pulumi config hint at the end of: ${message}`);
  return hint;
}

/** Pastes `hint` into a shell in the project: applies each command to the stack file, in order. */
function paste(hint: string): void {
  for (const argv of shellCommands(hint)) writeFileSync(stackFile(), applyPulumiConfig(readFileSync(stackFile(), "utf8"), argv, "tap"));
}

describe("the list hints, pasted onto the stack file that drew them", () => {
  it.each<[string, string, "regions" | "allowedAccountIds", string[]]>([
    ["regions as a plain string", "tap:regions: us-east-1", "regions", ["us-east-1"]],
    ["regions as comma-separated text", "tap:regions: us-east-1,us-west-2", "regions", ["us-east-1"]],
    ["regions as a map (removed first)", "tap:regions:\n    first: us-east-1", "regions", ["us-east-1"]],
    ["regions as an empty list", "tap:regions: []", "regions", ["us-east-1"]],
    ["account IDs as a plain string", 'tap:allowedAccountIds: "111111111111"', "allowedAccountIds", ["111111111111"]],
    ["account IDs as a bare number", "tap:allowedAccountIds: 111111111111", "allowedAccountIds", ["111111111111"]],
    ["account IDs as a map (removed first)", "tap:allowedAccountIds:\n    prod: '111111111111'", "allowedAccountIds", ["111111111111"]],
    ["an account ID stored as a number (what --path without --type string writes)", "tap:allowedAccountIds: [123456789012]", "allowedAccountIds", ["123456789012"]],
    ["the second account ID stored as a number", "tap:allowedAccountIds: ['111111111111', 222222222222]", "allowedAccountIds", ["111111111111", "222222222222"]],
    ["an account ID that is not one", "tap:allowedAccountIds: [abc]", "allowedAccountIds", ["111111111111"]],
  ])("%s", (_case, line, key, expected) => {
    writeFileSync(stackFile(), `config:\n  tap:environmentSuffix: dev\n  ${line}\n`);
    const refused = load();
    expect(refused).toBeInstanceOf(TapConfigError);
    const message = (refused as TapConfigError).message;
    paste(hintOf(message));
    const accepted = load();
    expect(accepted).not.toBeInstanceOf(TapConfigError);
    expect((accepted as ReturnType<typeof resolveTapStackArgs>)[key]).toEqual(expected);
  });

  it("gives allowedAccountIds its own message, never the regions example", () => {
    writeFileSync(stackFile(), "config:\n  tap:allowedAccountIds: 111111111111\n");
    expect((load() as TapConfigError).message).toBe(
      'Invalid config "allowedAccountIds": "111111111111". Expected a list of 12-digit AWS account IDs, such as ["111111111111"]. ' +
        "Set it with: pulumi config set --path 'allowedAccountIds[0]' 111111111111 --type string",
    );
  });

  it("covers every list key of the config", () => {
    const listKeys = Object.entries(CONFIG_KEY_TYPES).filter(([, type]) => type === "array").map(([key]) => key);
    expect(listKeys).toEqual(["regions", "allowedAccountIds"]);
  });
});

describe("why the account ID hint needs --type string", () => {
  it("without it, --path stores the ID as an integer, which the program refuses with a hint that works", () => {
    writeFileSync(stackFile(), "config:\n  tap:environmentSuffix: dev\n");
    paste("pulumi config set --path 'allowedAccountIds[0]' 111111111111");
    expect(readFileSync(stackFile(), "utf8")).toContain("tap:allowedAccountIds:\n    - 111111111111\n");
    const refused = load() as TapConfigError;
    expect(refused.message).toBe(
      'Invalid config "allowedAccountIds[0]": number 111111111111. Expected a 12-digit AWS account ID as text, such as "111111111111" ' +
        "(quote it in YAML so leading zeros survive). Set it with: pulumi config set --path 'allowedAccountIds[0]' 111111111111 --type string",
    );
    paste(hintOf(refused.message));
    expect(readFileSync(stackFile(), "utf8")).toContain('tap:allowedAccountIds:\n    - "111111111111"\n');
    expect((load() as ReturnType<typeof resolveTapStackArgs>).allowedAccountIds).toEqual(["111111111111"]);
  });
});

describe("the model of the Pulumi CLI", () => {
  const set = (...words: string[]) => applyPulumiConfig("config: {}\n", ["pulumi", "config", "set", ...words], "tap");

  it.each<[string, string[], string]>([
    ["a top-level value is text, digits too (PR 18285)", ["count", "123"], 'tap:count: "123"'],
    ["--type int types a top-level value (PR 18287)", ["count", "123", "--type", "int"], "tap:count: 123"],
    ["--path: a whole number becomes an integer", ["--path", "ids[0]", "123"], "tap:ids:\n    - 123"],
    ["--path: a number with a leading 0 stays text", ["--path", "ids[0]", "0123"], 'tap:ids:\n    - "0123"'],
    ["--path: true becomes a boolean", ["--path", "flags[0]", "true"], "tap:flags:\n    - true"],
    ["--path --type string keeps digits as text", ["--path", "ids[0]", "123", "--type", "string"], 'tap:ids:\n    - "123"'],
  ])("%s", (_rule, words, yaml) => {
    expect(set(...words)).toBe(`config:\n  ${yaml}\n`);
  });

  it("refuses what the CLI refuses, and shell words a pasted hint must quote", () => {
    expect(() => applyPulumiConfig("config:\n  tap:ids:\n    a: b\n", shellWords("pulumi config set --path 'ids[0]' x"), "tap")).toThrow(
      "could not set config: an array was expected for index 0",
    );
    expect(() => applyPulumiConfig("config:\n  tap:ids: [a]\n", shellWords("pulumi config set --path 'ids[2]' x"), "tap")).toThrow("could not set config: array index out of range");
    expect(() => shellWords("pulumi config set --path regions[0] us-east-1")).toThrow("unquoted shell character [ in: pulumi config set --path regions[0] us-east-1");
  });
});
