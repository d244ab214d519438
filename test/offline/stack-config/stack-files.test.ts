import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PlanConfigError, listStacks, loadStackConfig } from "../../../offline/stack-config/loader";
import { formatStartupError, readStackArgs } from "../../../offline/local/cli";
import { main as planMain } from "../../../offline/plan/cli";

/**
 * Stack files that are not what they seem: a directory, a link to something
 * else, a name the tools refuse. `npm run plan` and `npm run local` read them
 * through one loader, so they give the same message and exit status (2), and
 * an error never prints the file's content.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tap-stack-files-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: tap\nruntime: nodejs\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What `npm run plan -- --cwd <dir> <args>` prints and returns, in-process. */
async function plan(args: readonly string[]) {
  let stderr = "";
  const code = await planMain(["--cwd", dir, ...args], { stdout: { write: () => undefined }, stderr: { write: (text: string) => (stderr += text) }, env: {}, projectDir: dir });
  return { code, stderr };
}

describe("a stack file that is a directory", () => {
  it("is the same error, naming the file, for the plan (exit 2) and the local server", async () => {
    mkdirSync(path.join(dir, "Pulumi.dir.yaml"));
    const message = `Pulumi.dir.yaml: a directory, not a YAML file (in ${dir}); remove or rename it.`;
    expect(() => loadStackConfig(dir, "dir")).toThrow(new PlanConfigError(message));
    expect(await plan(["-s", "dir"])).toEqual({ code: 2, stderr: `error: ${message}\n` });
    // npm run local prints this line and exits 2 for any error before the server starts.
    let thrown: unknown;
    try {
      readStackArgs("dir", dir);
    } catch (error) {
      thrown = error;
    }
    expect(formatStartupError(thrown, "dir")).toBe(`error: ${message}`);
  });
});

describe("the stacks the missing-stack hint offers", () => {
  it("lists only files (or links to files) named with a stack name the tools accept", () => {
    writeFileSync(path.join(dir, "Pulumi.qa.yaml"), "config: {}\n");
    mkdirSync(path.join(dir, "Pulumi.dir.yaml"));
    writeFileSync(path.join(dir, "Pulumi.-dash.yaml"), "config: {}\n");
    writeFileSync(path.join(dir, "Pulumi..dot.yaml"), "config: {}\n");
    writeFileSync(path.join(dir, "Pulumi.old.yml"), "config: {}\n");
    symlinkSync(path.join(dir, "Pulumi.qa.yaml"), path.join(dir, "Pulumi.link.yaml"));
    symlinkSync(path.join(dir, "nowhere.yaml"), path.join(dir, "Pulumi.gone.yaml"));
    expect(listStacks(dir)).toEqual(["link", "qa"]);
    expect(() => loadStackConfig(dir, "staging")).toThrow(
      new PlanConfigError(
        `Stack "staging" has no config file: Pulumi.staging.yaml does not exist in ${dir}. Stacks with a config file: link, qa. ` +
          "Choose one with --stack <name>, or create Pulumi.staging.yaml with a config: map.",
      ),
    );
  });
});

describe("a stack file that is not YAML", () => {
  // What `ln -s ~/.aws/credentials Pulumi.creds.yaml` would hand the loader.
  const CREDENTIALS = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

  it("names the file, the line and the column, and quotes none of it, through a symlink too", () => {
    const credentials = path.join(dir, "credentials");
    writeFileSync(credentials, CREDENTIALS);
    symlinkSync(credentials, path.join(dir, "Pulumi.creds.yaml"));
    expect(() => loadStackConfig(dir, "creds")).toThrow(new PlanConfigError("Pulumi.creds.yaml: not valid YAML: something unexpected at line 2, column 1."));
  });

  it.each([
    ["an open flow sequence", "config: [\n", "bad indentation, or a flow collection ([...] or {...}) left open at line 2, column 1"],
    ["a block scalar header with more after it (which yaml would quote)", "config:\n  tap:x: |AKIA\n    text\n", "something unexpected at line 2, column 11"],
    ["a bad escape (the escape is source text)", 'config:\n  tap:projectName: "\\qAKIA"\n', "an escape sequence that is not valid in a double-quoted string at line 2, column 21"],
    ["a key twice", "config:\n  tap:a: 1\n  tap:a: 2\n", "a key that appears twice in one map at line 3, column 3"],
    ["an alias without its anchor (its name is source text)", "config:\n  tap:regions: *AKIAIOSFODNN7EXAMPLE\n", "an alias (*name) without its anchor (&name), or too many aliases"],
  ])("%s", (_case, yaml, problem) => {
    writeFileSync(path.join(dir, "Pulumi.bad.yaml"), yaml);
    let message = "";
    try {
      loadStackConfig(dir, "bad");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`Pulumi.bad.yaml: not valid YAML: ${problem}.`);
    expect(message).not.toContain("AKIA");
  });

  it("applies the same rule to Pulumi.yaml", () => {
    writeFileSync(path.join(dir, "Pulumi.yaml"), CREDENTIALS);
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
    expect(() => loadStackConfig(dir, "dev")).toThrow(new PlanConfigError("Pulumi.yaml: not valid YAML: something unexpected at line 2, column 1."));
  });
});
