import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../preflight/cli";
import { EXIT_CODES } from "../../preflight/rows";
import { LocalAwsEndpoint, endpointEnvironment, queryError } from "../support/aws-endpoint";
import { REPO_ROOT } from "../support/paths";

/**
 * preflight prints the stack config's warnings on stderr, as `npm run plan`
 * does: a misspelled key is not read by the program, so preflight would
 * otherwise check its default in silence.
 */

const MISSPELLED = 'warning: Config key "tap:lambaMemoryMb" (from --config) is not declared in Pulumi.yaml, so the program does not read it. Check the spelling.\n';

let home: string;
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "tap-preflight-warnings-"));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function preflight(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env, projectDir: REPO_ROOT }, { evaluate: async () => [] });
  return { code, stdout, stderr };
}

describe("npm run preflight -- -c <misspelled key>", () => {
  it("prints the warning before the checks run (here: credentials AWS refuses, exit 7)", async () => {
    const endpoint = await new LocalAwsEndpoint(() => queryError(403, "ExpiredToken", "The security token included in the request is expired")).start();
    try {
      const run = await preflight(["-c", "tap:lambaMemoryMb=256"], endpointEnvironment(endpoint.url, home));
      expect(run.code).toBe(EXIT_CODES.unknown);
      expect(run.stderr.startsWith(MISSPELLED)).toBe(true);
      expect(run.stderr.slice(MISSPELLED.length)).toMatch(/^error: The AWS credentials have expired/);
    } finally {
      await endpoint.stop();
    }
  });

  it("prints it with bad input too, before the one error line (exit 2)", async () => {
    const json = path.join(home, "missing-folder", "out.json");
    expect(await preflight(["-c", "tap:lambaMemoryMb=256", "--json", json], {})).toEqual({
      code: EXIT_CODES.badInput,
      stdout: "",
      stderr: `${MISSPELLED}error: --json ${json}: the folder ${path.dirname(json)} does not exist; create it or choose another path.\n`,
    });
  });

  it("prints nothing when every key is declared", async () => {
    const json = path.join(home, "missing-folder", "out.json");
    expect((await preflight(["-c", "tap:lambdaMemoryMb=256", "--json", json], {})).stderr).not.toContain("warning:");
  });
});

describe("npm run preflight -s prod (a reservation the plan warns about)", () => {
  it("leaves out the concurrency warning, which advises running preflight: its Lambda check measures the quota itself", async () => {
    const json = path.join(home, "missing-folder", "out.json");
    const run = await preflight(["-s", "prod", "--json", json], {});
    expect([run.code, run.stderr.split("\n")[0]]).toEqual([EXIT_CODES.badInput, expect.stringMatching(/^error: --json /)]);
  });
});

describe("npm run preflight -- -c enableFlowLogs=false", () => {
  it("prints the warning that the policy pack refuses it, with the command that deploys anyway", async () => {
    const json = path.join(home, "missing-folder", "out.json");
    const run = await preflight(["-c", "enableFlowLogs=false", "--json", json], {});
    expect(run.code).toBe(EXIT_CODES.badInput);
    expect(run.stderr.split("\n")[0]).toMatch(/^warning: Config "enableFlowLogs" is false: .* --policy-pack-config policy\/flow-logs-advisory\.json$/);
  });
});
