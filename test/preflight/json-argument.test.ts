import * as path from "path";
import { main } from "../../preflight/cli";
import { EXIT_CODES } from "../../preflight/rows";
import { REPO_ROOT } from "../support/paths";
import { temporaryDirectory } from "../support/temporary-directory";

/**
 * `npm run preflight -- --json <file>` checks the file before any AWS call: a path that is a folder gets one line
 * naming the flag, the path and a file to use instead, with exit 2, rather than Node's EISDIR after every check ran.
 */

const temporaryHome = temporaryDirectory("tap-preflight-json-");

describe("npm run preflight -- --json <folder>", () => {
  it("refuses the folder in one line, exit 2, before it evaluates the program or calls AWS", async () => {
    let stdout = "";
    let stderr = "";
    const evaluate = jest.fn(async () => []);
    const home = temporaryHome();
    const code = await main(["--json", home], { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {}, projectDir: REPO_ROOT }, { evaluate });
    expect({ code, stdout, stderr }).toEqual({
      code: EXIT_CODES.badInput,
      stdout: "",
      stderr: `error: --json ${home}: a folder, not a file; name a file in it, such as ${path.join(home, "preflight.json")}.\n`,
    });
    expect(evaluate).not.toHaveBeenCalled();
  });
});
