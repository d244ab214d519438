import * as os from "os";
import * as path from "path";
import { main } from "../../../../offline/plan/update/generate";

/**
 * `npm run update-rules:generate` checks its arguments before it loads the
 * CloudFormation specification (about a second and 180 MB): a bad one is one
 * line and exit 2, and the specification is never loaded.
 */

function run(argv: string[]): { code: number; stdout: string; stderr: string; loaded: number } {
  let stdout = "";
  let stderr = "";
  let loaded = 0;
  const code = main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    load: () => {
      loaded += 1;
      throw new Error("the specification must not be loaded");
    },
  });
  return { code, stdout, stderr, loaded };
}

describe("npm run update-rules:generate, bad arguments", () => {
  const missingFolder = path.join(os.tmpdir(), "no-such-folder-for-rules", "rules.json");
  it.each([
    [["--outt", "x.json"], "error: unknown option '--outt'\n(Did you mean --out?)\n"],
    [["--out"], "error: option '--out <file>' argument missing\n"],
    [["rules.json"], "error: too many arguments. Expected 0 arguments but got 1.\n"],
    [["--out", missingFolder], `error: --out ${missingFolder}: the folder ${path.dirname(missingFolder)} does not exist; create it or choose another path.\n`],
  ])("%j: exit 2 with one message, before the specification is loaded", (argv, message) => {
    expect(run(argv)).toEqual({ code: 2, stdout: "", stderr: message, loaded: 0 });
  });

  it("good arguments load the specification (a load that fails is exit 1 with its message)", () => {
    expect(run(["--out", path.join(os.tmpdir(), "rules.json")])).toEqual({ code: 1, stdout: "", stderr: "error: the specification must not be loaded\n", loaded: 1 });
  });

  it("--help prints the usage and exits 0", () => {
    const help = run(["--help"]);
    expect([help.code, help.loaded, help.stdout.split("\n")[0]]).toEqual([0, 0, "Usage: npm run update-rules:generate -- [options]"]);
  });
});
