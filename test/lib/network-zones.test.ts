import { NETWORK_LAYOUT } from "../../lib/network";
import { MockCloud, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { setupHarness } from "../support/stack-harness";
import { captureUnhandledRejections } from "../support/unhandled-rejections";

/**
 * RegionalNetwork's guard for a region with fewer available zones than it has
 * private subnets. Every region in lib/regions.ts has at least two, so the mock
 * cloud is told to answer the zone lookup with the zones given: with one the
 * program must fail with the guard's message and register no private subnet
 * (rather than one in an undefined zone); with exactly two, and with three, it
 * uses the first two. The failing build leaves unhandled rejections behind
 * (one per registration that used the zones), which are captured and read.
 */

interface ZonesRun {
  failures: string[];
  privateSubnetZones: unknown[];
}

let cloud: MockCloud;
let TapStack: typeof import("../../lib").TapStack;

beforeAll(async () => {
  ({ cloud } = await setupHarness("dev"));
  ({ TapStack } = await import("../../lib"));
});

/** Builds a one-region TapStack (us-east-1) while the mock cloud reports only `zones`. */
async function buildWithZones(zones: string[]): Promise<ZonesRun> {
  cloud.reset();
  cloud.setAvailabilityZones("us-east-1", zones);
  const failures: unknown[] = [];
  const { reasons } = await captureUnhandledRejections(async () => {
    await withoutStackTraces(async () => {
      new TapStack("tap", { regions: ["us-east-1"] });
      await waitForRegistrations().catch((reason: unknown) => failures.push(reason));
    });
  });
  const messages = [...failures, ...reasons].map((reason) => (reason instanceof Error ? reason.message : String(reason)));
  const privateSubnetZones = cloud
    .inRegion("us-east-1", "aws:ec2/subnet:Subnet")
    .filter((subnet) => subnet.inputs.tags?.Tier === "private")
    .map((subnet) => subnet.inputs.availabilityZone);
  // Each registration that used the zones reports the failure, prefixed with the property path it came through.
  return { failures: [...new Set(messages.map((message) => message.replace(/^(error serializing property "[^"]+": )+/, "")))], privateSubnetZones };
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
  });

  it.each([
    [["us-east-1a", "us-east-1b"]],
    [["us-east-1a", "us-east-1b", "us-east-1c"]],
  ])("with the zones %j, puts one private subnet in each of the first two", async (zones) => {
    expect(await buildWithZones(zones)).toEqual({ failures: [], privateSubnetZones: ["us-east-1a", "us-east-1b"] });
  });
});
