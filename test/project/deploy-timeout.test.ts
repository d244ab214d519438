import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { resolveTapStackArgs } from "../../lib/config";
import { isGradual, releaseWaveTimeoutMinutes } from "../../lib/rollout-spec";
import { listStacks, loadStackConfig, stackArgsFromValues } from "../../offline/stack-config/loader";
import { REPO_ROOT } from "../support/paths";

/**
 * The deploy job's `timeout-minutes` covers a whole release wave: GitHub
 * cancels a job past its timeout, and a cancelled `pulumi up` leaves the
 * region in flight mid-shift and the stack locked. The wave's worst case is
 * each region's release step using its whole timeout, one region after
 * another (lib/rollout-spec.ts releaseWaveTimeoutMinutes); the job also
 * installs, runs preflight and the preview, and creates or updates everything
 * else, for which it keeps DEPLOY_MARGIN_MINUTES.
 */

/** Install, preflight, preview and the update's other resources: an estimate, as main.yml's comment says. */
const DEPLOY_MARGIN_MINUTES = 30;

/** The release wave's worst case of each shipped stack (Pulumi.<stack>.yaml), 0 for all-at-once. */
function waveWorstCases(): Record<string, number> {
  return Object.fromEntries(listStacks(REPO_ROOT).map((stack) => {
    const config = loadStackConfig(REPO_ROOT, stack);
    const resolved = resolveTapStackArgs(stackArgsFromValues(config.project, config.values), stack);
    const minutes = isGradual(resolved.rollout)
      ? releaseWaveTimeoutMinutes(resolved.rollout, resolved.regions.length, resolved.lambdaProvisionedConcurrency)
      : 0;
    return [stack, minutes];
  }));
}

describe("the deploy job's timeout", () => {
  it("knows the shipped stacks' worst waves: prod releases 3 regions by canary, 15 minutes each (5-min shift + 10), dev none", () => {
    expect(waveWorstCases()).toEqual({ dev: 0, prod: 45 });
  });

  it("covers the longest wave plus the margin", () => {
    const workflow = parse(readFileSync(join(REPO_ROOT, ".github", "workflows", "main.yml"), "utf8")) as { jobs: { deploy: { "timeout-minutes": number } } };
    const longest = Math.max(...Object.values(waveWorstCases()));
    expect(workflow.jobs.deploy["timeout-minutes"]).toBeGreaterThanOrEqual(longest + DEPLOY_MARGIN_MINUTES);
    // GitHub's own limit for a job on a hosted runner.
    expect(workflow.jobs.deploy["timeout-minutes"]).toBeLessThanOrEqual(360);
  });
});
