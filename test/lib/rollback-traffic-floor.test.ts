import { readFileSync } from "fs";
import { join } from "path";
import { ROLLBACK_ALARMS, ROLLBACK_ALARM_SPECS, rollbackTrafficFloor } from "../../lib/alarm-specs";
import { REPO_ROOT } from "../support/paths";

/**
 * The rollback alarms judge error rates only in minutes with enough requests,
 * so a quiet region is not guarded by them. The floor follows from the alarms'
 * definitions (a minimum of requests per 60-s period, 2 breaching periods of
 * 3), and the README and docs/rollouts.md state it: they must state what the
 * alarms really need.
 */

const text = (file: string) => readFileSync(join(REPO_ROOT, file), "utf8").replace(/\s+/g, " ");

describe("the rollback alarms' traffic floor", () => {
  it("is 20 requests a minute, in 2 of 3 minutes, for both alarms", () => {
    expect(ROLLBACK_ALARMS.map((alarm) => rollbackTrafficFloor(ROLLBACK_ALARM_SPECS[alarm]))).toEqual([
      { requestsPerMinute: 20, minutes: 2, ofMinutes: 3 },
      { requestsPerMinute: 20, minutes: 2, ofMinutes: 3 },
    ]);
  });

  it("counts minutes, whatever the period: 40 requests per 2-minute period is 20 a minute, 2 of 3 periods is 4 of 6 minutes", () => {
    const spec = { ...ROLLBACK_ALARM_SPECS.api5xxRate, periodSeconds: 120, minimumRequests: 40 };
    expect(rollbackTrafficFloor(spec)).toEqual({ requestsPerMinute: 20, minutes: 4, ofMinutes: 6 });
  });

  it.each(["README.md", "docs/rollouts.md"])("%s states it, and that a quieter region is unguarded by the alarms", (file) => {
    const floor = rollbackTrafficFloor(ROLLBACK_ALARM_SPECS.lambdaErrorRate);
    const said = text(file);
    expect(said).toContain(`at least ${floor.requestsPerMinute} requests a minute, in ${floor.minutes} of ${floor.ofMinutes} minutes`);
    expect(said).toMatch(/effectively unguarded by (them|these alarms)/);
    expect(said).toContain("synthetic traffic");
  });
});
