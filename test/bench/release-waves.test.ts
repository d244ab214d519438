import { releaseWaveLines } from "../../bench/sections/5-critical-path";

/**
 * Section 5's release-wave table: T(N) = N × S per CodeDeploy configuration
 * (canary 5 min, linear 10 min), plus at most one 15 s poll per region.
 * Expected values worked out by hand from those figures.
 */
describe("releaseWaveLines", () => {
  it("gives each region count's wave time for canary and linear", () => {
    const lines = releaseWaveLines([1, 3, 34]);
    expect(lines[2].split("\n")).toEqual([
      "| regions | canary | linear |",
      "| --- | --- | --- |",
      "| 1 | 5 min (at most 5 min 15 s) | 10 min (at most 10 min 15 s) |",
      "| 3 | 15 min (at most 15 min 45 s) | 30 min (at most 30 min 45 s) |",
      "| 34 | 170 min (at most 178 min 30 s) | 340 min (at most 348 min 30 s) |",
    ]);
  });

  it("states the formula and that the figures are derived, not measured", () => {
    const [text] = releaseWaveLines([1]);
    expect(text).toContain("T(N) = N × S");
    expect(text).toContain("`CodeDeployDefault.LambdaCanary10Percent5Minutes`, 10% of the traffic for 5 minutes, then the rest) S = 5 min");
    expect(text).toContain("`CodeDeployDefault.LambdaLinear10PercentEvery1Minute`, 10% more of the traffic every minute, 10 steps) S = 10 min");
    expect(text).toContain("not from a measurement");
  });
});
