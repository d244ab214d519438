import type { RegionSettings, SettingGroup } from "./aws-checks";
import { CROSS_REGION_SCOPE, CheckResult, ConsistencyCheckName, verdict } from "./checks";

/**
 * Every region must be deployed with the same settings; only names and IDs
 * differ. Each group of settings is one check; its detail names every setting
 * that differs and its value in each region. A setting is compared among the
 * regions that report it.
 */

const GROUP_CHECKS: readonly [SettingGroup, ConsistencyCheckName][] = [
  ["lambda", "consistent-lambda"],
  ["s3", "consistent-s3"],
  ["alarms", "consistent-alarms"],
];

/**
 * The consistency verdicts for the regions that reported settings. A group
 * reported by fewer than two regions has nothing to compare and yields no
 * result (the regions that could not report it already failed a check).
 */
export function compareRegions(settingsByRegion: ReadonlyMap<string, RegionSettings>): CheckResult[] {
  return GROUP_CHECKS.flatMap(([group, check]) => {
    const reported = [...settingsByRegion].flatMap(([region, settings]) => {
      const values = settings[group];
      return values === undefined ? [] : [[region, values] as const];
    });
    if (reported.length < 2) return [];
    const keys = [...new Set(reported.flatMap(([, values]) => Object.keys(values)))].sort();
    const differences = keys.flatMap((key) => {
      // A region without this setting (say, an alarm that does not exist) already failed its own check.
      const perRegion = reported.flatMap(([region, values]) =>
        values[key] === undefined ? [] : [[region, values[key]] as const]);
      if (new Set(perRegion.map(([, value]) => value)).size <= 1) return [];
      return [`${key}: ${perRegion.map(([region, value]) => `${region}=${value}`).join(", ")}`];
    });
    const regions = reported.map(([region]) => region).join(", ");
    return [
      verdict(check, CROSS_REGION_SCOPE, differences.length === 0,
        differences.length === 0
          ? `${keys.length} settings equal in ${regions}`
          : differences.join("; ")),
    ];
  });
}
