import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import { Row, fail, ok, unknown } from "../rows";
import { CheckContext, GLOBAL_CALL_REGION, unknownRow } from "./context";

/**
 * Each region of the stack is enabled for the account. Regions launched after
 * March 2019 (ap-east-1, me-south-1, af-south-1, ...) are off until someone
 * enables them, and every call there fails
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 * One EC2 DescribeRegions call with AllRegions answers for all of them; it is
 * made in us-east-1, which needs no opting in.
 */

/** DescribeRegions' OptInStatus values that mean the region can be used. */
const ENABLED = new Set(["opt-in-not-required", "opted-in"]);

export interface RegionsResult {
  readonly rows: Row[];
  /** The regions known to be disabled: the other checks skip them. */
  readonly disabled: ReadonlySet<string>;
}

/** The row of `region`, given its OptInStatus (undefined: DescribeRegions did not list it). */
export function regionRow(region: string, optInStatus: string | undefined): Row {
  if (optInStatus !== undefined && ENABLED.has(optInStatus)) return ok("region", region, `Enabled (${optInStatus}).`);
  if (optInStatus === "not-opted-in") {
    return fail(
      "region",
      region,
      "Not enabled for this account: every call there fails.",
      `Enable it (it takes a few minutes, then run preflight again): aws account enable-region --region-name ${region}`,
    );
  }
  if (optInStatus === undefined) return unknown("region", region, "DescribeRegions did not list this region.");
  return unknown("region", region, `Opt-in status "${optInStatus}": wait until AWS has finished, then run preflight again.`);
}

export async function checkRegions(context: CheckContext): Promise<RegionsResult> {
  const regions = context.config.regions;
  try {
    const answer = await context.aws.ec2(GLOBAL_CALL_REGION).send(new DescribeRegionsCommand({ AllRegions: true, RegionNames: [...regions] }));
    const status = new Map((answer.Regions ?? []).map((region) => [region.RegionName ?? "", region.OptInStatus]));
    const rows = regions.map((region) => regionRow(region, status.get(region)));
    return { rows, disabled: new Set(regions.filter((region) => status.get(region) === "not-opted-in")) };
  } catch (error) {
    return { rows: regions.map((region) => unknownRow("region", region, error)), disabled: new Set() };
  }
}
