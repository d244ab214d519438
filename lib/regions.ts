/**
 * The AWS commercial regions tap can deploy to: the one source of truth for
 * region validation, the offline plan's lookups and the benchmarks.
 *
 * `availabilityZones` is what `ec2:DescribeAvailabilityZones` typically returns
 * for the region's standard zones. The deployed program never reads it: it
 * looks the zones up through the region's provider. Only the offline plan and
 * the tests answer that lookup from this table, so the values are placeholders
 * for review, not a promise about any one account (zone letters differ between
 * accounts in some regions, such as us-west-1).
 *
 * Table as of 2026-11 (@pulumi/aws 7.48 Region enum, China and GovCloud excluded:
 * they are other partitions).
 */
export interface RegionInfo {
  /** Region code, such as `us-east-1`. */
  readonly name: string;
  /** Human name, for the plan output. */
  readonly displayName: string;
  /** AWS partition; every region here is in `aws`. */
  readonly partition: "aws";
  /** Standard availability zones (Local and Wavelength Zones excluded). */
  readonly availabilityZones: readonly string[];
}

function region(name: string, displayName: string, zoneLetters: string): RegionInfo {
  return {
    name,
    displayName,
    partition: "aws",
    availabilityZones: zoneLetters.split("").map((letter) => `${name}${letter}`),
  };
}

export const COMMERCIAL_REGIONS: readonly RegionInfo[] = [
  region("us-east-1", "US East (N. Virginia)", "abcdef"),
  region("us-east-2", "US East (Ohio)", "abc"),
  region("us-west-1", "US West (N. California)", "ac"),
  region("us-west-2", "US West (Oregon)", "abcd"),
  region("af-south-1", "Africa (Cape Town)", "abc"),
  region("ap-east-1", "Asia Pacific (Hong Kong)", "abc"),
  region("ap-east-2", "Asia Pacific (Taipei)", "abc"),
  region("ap-south-1", "Asia Pacific (Mumbai)", "abc"),
  region("ap-south-2", "Asia Pacific (Hyderabad)", "abc"),
  region("ap-southeast-1", "Asia Pacific (Singapore)", "abc"),
  region("ap-southeast-2", "Asia Pacific (Sydney)", "abc"),
  region("ap-southeast-3", "Asia Pacific (Jakarta)", "abc"),
  region("ap-southeast-4", "Asia Pacific (Melbourne)", "abc"),
  region("ap-southeast-5", "Asia Pacific (Malaysia)", "abc"),
  region("ap-southeast-6", "Asia Pacific (New Zealand)", "abc"),
  region("ap-southeast-7", "Asia Pacific (Thailand)", "abc"),
  region("ap-northeast-1", "Asia Pacific (Tokyo)", "acd"),
  region("ap-northeast-2", "Asia Pacific (Seoul)", "abcd"),
  region("ap-northeast-3", "Asia Pacific (Osaka)", "abc"),
  region("ca-central-1", "Canada (Central)", "abd"),
  region("ca-west-1", "Canada West (Calgary)", "abc"),
  region("eu-central-1", "Europe (Frankfurt)", "abc"),
  region("eu-central-2", "Europe (Zurich)", "abc"),
  region("eu-west-1", "Europe (Ireland)", "abc"),
  region("eu-west-2", "Europe (London)", "abc"),
  region("eu-west-3", "Europe (Paris)", "abc"),
  region("eu-south-1", "Europe (Milan)", "abc"),
  region("eu-south-2", "Europe (Spain)", "abc"),
  region("eu-north-1", "Europe (Stockholm)", "abc"),
  region("il-central-1", "Israel (Tel Aviv)", "abc"),
  region("me-south-1", "Middle East (Bahrain)", "abc"),
  region("me-central-1", "Middle East (UAE)", "abc"),
  region("mx-central-1", "Mexico (Central)", "abc"),
  region("sa-east-1", "South America (Sao Paulo)", "abc"),
];

const REGIONS_BY_NAME: ReadonlyMap<string, RegionInfo> = new Map(
  COMMERCIAL_REGIONS.map((info) => [info.name, info]),
);

export const COMMERCIAL_REGION_NAMES: readonly string[] = COMMERCIAL_REGIONS.map((info) => info.name);

/** The region's table entry, or undefined when tap does not know the region. */
export function findRegion(name: string): RegionInfo | undefined {
  return REGIONS_BY_NAME.get(name);
}

/** Shape of every region code: `us-east-1`, `ap-southeast-7`, `us-gov-west-1`. */
export const REGION_CODE_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
