import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import {
  AWS_REGION_CHECKS,
  CONSISTENCY_CHECKS,
  CROSS_REGION_SCOPE,
  CheckName,
  CheckResult,
  GLOBAL_CHECKS,
  GLOBAL_SCOPE,
  HTTP_CHECKS,
  ROLLOUT_CHECKS,
  VerifyInputError,
} from "../../verify/checks";
import { StackOutputs, awsTargets, parseStackOutputs, pulumiMissingMessage, selectRegions } from "../../verify/outputs";
import { runVerification } from "../../verify/verify";

/**
 * The verifier's checks against a live stack, one jest test per check and
 * region, so a CI report names what failed.
 *
 * Environment:
 * - TAP_OUTPUTS=path: the outputs file (`pulumi stack output --json > path`), or
 * - TAP_STACK=name: read the outputs with the Pulumi CLI.
 * - TAP_REGIONS=us-east-1,us-west-2: only these regions (default: all in the outputs).
 * - TAP_HTTP_ONLY=1: only the HTTP checks (no AWS credentials needed).
 * - TAP_ENVIRONMENT, TAP_PROJECT: the expected environment and project
 *   (default: read from lambda_function_names, else the same in every region).
 * With neither TAP_OUTPUTS nor TAP_STACK, every test is declared skipped.
 */

const SKIP_REASON = "no outputs: set TAP_OUTPUTS=path/to/outputs.json or TAP_STACK=stack-name";

interface LiveStack {
  readonly outputs: StackOutputs;
  readonly source: string;
  readonly regions: readonly string[];
  readonly httpOnly: boolean;
}

function flag(name: string): boolean {
  const value = (process.env[name] ?? "").toLowerCase();
  if (["", "0", "false"].includes(value)) return false;
  if (["1", "true"].includes(value)) return true;
  throw new Error(`${name} is ${JSON.stringify(process.env[name])}; use 1 or true to turn it on, 0, false or nothing to leave it off.`);
}

/**
 * Read at collection time, synchronously: the test names need the regions.
 * A bad file or stack fails the suite with the verifier's own message.
 */
function loadLiveStack(): LiveStack | undefined {
  const file = process.env.TAP_OUTPUTS;
  const stack = process.env.TAP_STACK;
  if (file && stack) throw new Error("Set only one of TAP_OUTPUTS and TAP_STACK.");
  let raw: unknown;
  let source: string;
  if (file) {
    source = `file "${file}"`;
    raw = JSON.parse(readFileSync(file, "utf8"));
  } else if (stack) {
    source = `stack "${stack}"`;
    try {
      raw = JSON.parse(execFileSync("pulumi", ["stack", "output", "--json", "--stack", stack], { encoding: "utf8", timeout: 120_000 }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(pulumiMissingMessage("pulumi"), { cause: error });
      throw error;
    }
  } else {
    return undefined;
  }
  const outputs = parseStackOutputs(raw, source);
  const requested = (process.env.TAP_REGIONS ?? "").split(",").map((region) => region.trim()).filter(Boolean);
  const regions = selectRegions(outputs, requested);
  const httpOnly = flag("TAP_HTTP_ONLY");
  // Checked here too, so outputs without the AWS keys fail the suite once, not every test.
  if (!httpOnly) withIntegrationHint(() => awsTargets(outputs, regions, source));
  return { outputs, source, regions, httpOnly };
}

/** The verifier's input errors name --http-only; here the switch is TAP_HTTP_ONLY. */
function withIntegrationHint<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof VerifyInputError) {
      throw new VerifyInputError(`${error.message} In the integration tests: TAP_HTTP_ONLY=1.`);
    }
    throw error;
  }
}

/** The checks a run over `live` reports, by scope, in the runner's order. */
function expectedChecks(live: LiveStack): [string, CheckName[]][] {
  const perRegion = (region: string): CheckName[] => {
    if (live.httpOnly) return [...HTTP_CHECKS];
    return [...HTTP_CHECKS, ...AWS_REGION_CHECKS, ...(live.outputs.deployment_groups?.[region] ? ROLLOUT_CHECKS : [])];
  };
  const global: CheckName[] = [
    ...(live.httpOnly ? [] : (["dashboard"] as const)),
    ...(live.outputs.global_url ? (["global-api"] as const) : []),
  ];
  const crossRegion: CheckName[] = !live.httpOnly && live.regions.length >= 2 ? [...CONSISTENCY_CHECKS] : [];
  return [
    ...live.regions.map((region): [string, CheckName[]] => [region, perRegion(region)]),
    ...(global.length > 0 ? [[GLOBAL_SCOPE, global] as [string, CheckName[]]] : []),
    ...(crossRegion.length > 0 ? [[CROSS_REGION_SCOPE, crossRegion] as [string, CheckName[]]] : []),
  ];
}

/** One test per scope and check; each looks its result up in `results()`. */
function declareChecks(scopes: [string, CheckName[]][], results: () => readonly CheckResult[]): void {
  for (const [scope, checks] of scopes) {
    describe(scope, () => {
      test.each(checks)("%s", (check) => {
        const result = results().find((each) => each.check === check && each.region === scope);
        // The detail is compared with itself so that a failure's diff shows it next to the status.
        expect(result).toEqual({ check, region: scope, status: "PASS", detail: result?.detail });
      });
    });
  }
}

const live = loadLiveStack();

if (live === undefined) {
  process.stderr.write(`test/integration: every test skipped (${SKIP_REASON})\n`);
  describe.skip(`live stack (${SKIP_REASON})`, () => {
    const allChecks: CheckName[] = [...HTTP_CHECKS, ...AWS_REGION_CHECKS, ...ROLLOUT_CHECKS];
    declareChecks([["each region", allChecks], [GLOBAL_SCOPE, [...GLOBAL_CHECKS]], [CROSS_REGION_SCOPE, [...CONSISTENCY_CHECKS]]], () => []);
  });
} else {
  const scopes = expectedChecks(live);
  describe(`live stack (${live.source}${live.httpOnly ? ", HTTP checks only" : ""})`, () => {
    let results: CheckResult[] = [];
    beforeAll(async () => {
      const run = runVerification({
        outputs: live.outputs,
        source: live.source,
        regions: live.regions,
        httpOnly: live.httpOnly,
        environment: process.env.TAP_ENVIRONMENT || undefined,
        project: process.env.TAP_PROJECT || undefined,
      });
      results = await run.catch((error: unknown) => withIntegrationHint(() => { throw error; }));
    });

    declareChecks(scopes, () => results);

    it("reports exactly the checks declared here", () => {
      expect(results.map(({ check, region }) => `${region} ${check}`)).toEqual(
        scopes.flatMap(([scope, checks]) => checks.map((check) => `${scope} ${check}`)),
      );
    });
  });
}
