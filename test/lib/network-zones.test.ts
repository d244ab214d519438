import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { NETWORK_LAYOUT } from "../../lib/network";
import { REPO_ROOT } from "../support/paths";

/**
 * RegionalNetwork's guard for a region with fewer available zones than it has
 * private subnets. Every region in lib/regions.ts has at least two, so
 * test/fixtures/zones/build.ts makes the mock cloud answer the zone lookup
 * with the zones given: with one the program must fail with the guard's
 * message and register no private subnet (rather than one in an undefined
 * zone); with exactly two, and with three, it uses the first two. In a child
 * process, because a failing program leaves unhandled rejections behind, which
 * jest would claim in-process.
 */

const ROOT = REPO_ROOT;

interface ZonesRun {
  failures: string[];
  privateSubnetZones: string[];
}

async function buildWithZones(zones: string[]): Promise<ZonesRun> {
  const bin = path.join(ROOT, "node_modules", ".bin", "tsx");
  const { stdout } = await promisify(execFile)(bin, [path.join("test", "fixtures", "zones", "build.ts"), ...zones], { cwd: ROOT });
  return JSON.parse(stdout) as ZonesRun;
}

describe("RegionalNetwork: availability zones", () => {
  it("needs as many zones as private subnets: 2", () => {
    expect(NETWORK_LAYOUT.privateSubnetCidrs).toHaveLength(2);
  });

  it("with one available zone, fails with the guard's message and registers no private subnet", async () => {
    expect(await buildWithZones(["us-east-1a"])).toEqual({
      failures: ["Region us-east-1 has 1 available zone(s); tap needs 2 for its private subnets."],
      privateSubnetZones: [],
    });
  }, 90_000);

  it.each([
    [["us-east-1a", "us-east-1b"]],
    [["us-east-1a", "us-east-1b", "us-east-1c"]],
  ])("with the zones %j, puts one private subnet in each of the first two", async (zones) => {
    expect(await buildWithZones(zones)).toEqual({ failures: [], privateSubnetZones: ["us-east-1a", "us-east-1b"] });
  }, 90_000);
});
