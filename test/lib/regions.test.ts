import * as fs from "fs";
import * as path from "path";
import { Region } from "@pulumi/aws/types/enums";
import { COMMERCIAL_REGIONS, COMMERCIAL_REGION_NAMES, REGION_CODE_PATTERN, findRegion } from "../../lib/regions";

/**
 * lib/regions.ts against AWS's own region list: the partition data the AWS SDK for JavaScript v3 ships
 * (partitions.json, in @aws-sdk/core, which @aws-sdk/client-api-gateway installs at the version
 * package-lock.json pins). Region names and display names must match it exactly. The table holds the regions
 * that are in both that list and @pulumi/aws's Region enum: the SDK (3.981) already lists me-west-1 and
 * sa-west-1, which the pinned provider (7.48) does not know yet.
 */
interface PartitionsData {
  partitions: Array<{ id: string; regions: Record<string, { description: string }> }>;
}

function sdkPartitions(): PartitionsData {
  // The package's exports map hides the data module, so it is read as text from the installed package.
  const clientEntry = require.resolve("@aws-sdk/core/client", { paths: [path.dirname(require.resolve("@aws-sdk/client-api-gateway"))] });
  const packageRoot = clientEntry.slice(0, clientEntry.indexOf(`${path.sep}dist-cjs${path.sep}`));
  const file = path.join(packageRoot, "dist-es", "submodules", "client", "util-endpoints", "lib", "aws", "partitions.js");
  const text = fs.readFileSync(file, "utf8");
  const prefix = "export const partitionsInfo = ";
  if (!text.startsWith(prefix)) throw new Error(`${file} no longer starts with "${prefix}": update this test's reader.`);
  return JSON.parse(text.slice(prefix.length).trim().replace(/;$/, "")) as PartitionsData;
}

const awsPartition = sdkPartitions().partitions.find((partition) => partition.id === "aws");
/** Region codes only: the partition also lists pseudo-regions such as `aws-global`. */
const SDK_REGIONS = Object.entries(awsPartition?.regions ?? {}).filter(([name]) => REGION_CODE_PATTERN.test(name));

describe("the region table", () => {
  it("lists exactly the AWS SDK's regions of the aws partition that the Pulumi AWS provider knows", () => {
    const providerRegions = new Set<string>(Object.values(Region));
    expect(SDK_REGIONS.length).toBeGreaterThan(30);
    expect([...COMMERCIAL_REGION_NAMES].sort()).toEqual(SDK_REGIONS.map(([name]) => name).filter((name) => providerRegions.has(name)).sort());
    expect(SDK_REGIONS.map(([name]) => name).filter((name) => !providerRegions.has(name))).toEqual(["me-west-1", "sa-west-1"]);
  });

  it.each(SDK_REGIONS.filter(([name]) => COMMERCIAL_REGION_NAMES.includes(name)))("gives %s the SDK's display name", (name, { description }) => {
    expect(findRegion(name)?.displayName).toBe(description);
  });

  it("is in the aws partition, with at least the two zones the network needs, named after the region", () => {
    for (const info of COMMERCIAL_REGIONS) {
      expect(info.partition).toBe("aws");
      expect(info.availabilityZones.length).toBeGreaterThanOrEqual(2);
      for (const zone of info.availabilityZones) expect(zone).toMatch(new RegExp(`^${info.name}[a-z]$`));
      expect(new Set(info.availabilityZones).size).toBe(info.availabilityZones.length);
    }
  });

  it("gives the zones the offline answer uses for the default regions", () => {
    expect(findRegion("us-east-1")?.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
    expect(findRegion("us-west-1")?.availabilityZones).toEqual(["us-west-1a", "us-west-1c"]);
    expect(findRegion("ap-northeast-1")?.availabilityZones).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
  });

  it("finds only exact region codes", () => {
    expect(findRegion("eu-west-1")?.name).toBe("eu-west-1");
    expect(findRegion("EU-WEST-1")).toBeUndefined();
    expect(findRegion("eu-west")).toBeUndefined();
    expect(findRegion("")).toBeUndefined();
  });
});

describe("REGION_CODE_PATTERN", () => {
  it.each(["us-east-1", "ap-southeast-7", "us-gov-west-1", "eu-central-12"])("accepts %s", (code) => {
    expect(REGION_CODE_PATTERN.test(code)).toBe(true);
  });

  it.each([
    ["a one-letter prefix", "u-east-1"],
    ["a three-letter prefix", "use-east-1"],
    ["no word", "us-1"],
    ["no number", "us-east-"],
    ["a three-digit number", "us-east-100"],
    ["an upper-case letter", "us-East-1"],
    ["a leading character", "xus-east-1"],
    ["a trailing character", "us-east-1x"],
    ["a digit in a word", "us-ea5t-1"],
    ["a double hyphen", "us--east-1"],
    ["the pseudo-region aws-global", "aws-global"],
  ])("rejects %s (%s)", (_why, code) => {
    expect(REGION_CODE_PATTERN.test(code)).toBe(false);
  });
});
