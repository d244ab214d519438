import { DEFAULT_LIFECYCLE_OPTIONS, MockCloud, RecordedResource, Recording, exactlyOne } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";

/**
 * The query API every test and the plan use to find what the program registered, over a small hand-written
 * record: a stack with one network per region (a VPC and two subnets each), an artifact bucket in the first
 * region, a dashboard component bound to the first region, and a provider per region. Pure: no Pulumi program
 * runs.
 */

const EAST = "us-east-1";
const WEST = "us-west-2";
const STACK = "urn:stack";
const providerUrn = (region: string) => `urn:provider-${region}`;

function recorded(urn: string, type: string, fields: Partial<RecordedResource> = {}): RecordedResource {
  const custom = fields.custom ?? !type.startsWith("tap:");
  return {
    urn,
    type,
    name: urn.replace(/^urn:/, ""),
    inputs: {},
    state: {},
    id: `${urn}-id`,
    custom,
    parent: STACK,
    provider: undefined,
    dependencies: [],
    region: undefined,
    options: DEFAULT_LIFECYCLE_OPTIONS,
    ...fields,
  };
}

/** A cloud resource bound to `region`'s provider. */
const inRegion = (urn: string, type: string, region: string, fields: Partial<RecordedResource> = {}) =>
  recorded(urn, type, { provider: providerUrn(region), region, ...fields });

const RECORD: RecordedResource[] = [
  recorded(STACK, TYPES.tapStack, { parent: undefined }),
  ...[EAST, WEST].map((region) => recorded(providerUrn(region), TYPES.provider, { region, inputs: { region } })),
  ...[EAST, WEST].flatMap((region) => [
    recorded(`urn:${region}-network`, TYPES.regionalNetwork),
    inRegion(`urn:${region}-vpc`, TYPES.vpc, region, { parent: `urn:${region}-network` }),
    inRegion(`urn:${region}-subnet-1`, TYPES.subnet, region, { parent: `urn:${region}-network`, inputs: { cidrBlock: "10.0.1.0/24", tags: { Tier: "private" } } }),
    inRegion(`urn:${region}-subnet-2`, TYPES.subnet, region, { parent: `urn:${region}-network`, inputs: { cidrBlock: "10.0.2.0/24", tags: { Tier: "private" } } }),
  ]),
  recorded(`urn:${EAST}-storage`, TYPES.artifactBucket),
  inRegion(`urn:${EAST}-bucket`, TYPES.bucket, EAST, { parent: `urn:${EAST}-storage` }),
  inRegion(`urn:${EAST}-bucket-versioning`, TYPES.bucketVersioning, EAST, { parent: `urn:${EAST}-bucket` }),
  recorded("urn:dashboard", TYPES.globalDashboard),
  inRegion("urn:dashboard-resource", TYPES.dashboard, EAST, { parent: "urn:dashboard" }),
  // A component that holds nothing yet.
  recorded("urn:empty", TYPES.regionalAlarms),
];

const urns = (resources: readonly RecordedResource[]) => resources.map((r) => r.urn);

let record: Recording;
beforeEach(() => {
  record = new Recording([...RECORD]);
});

describe("customResources, inRegion, single and providers", () => {
  it("customResources: cloud resources only, neither components nor providers, optionally of one type", () => {
    expect(urns(record.customResources())).toEqual([
      "urn:us-east-1-vpc", "urn:us-east-1-subnet-1", "urn:us-east-1-subnet-2",
      "urn:us-west-2-vpc", "urn:us-west-2-subnet-1", "urn:us-west-2-subnet-2",
      "urn:us-east-1-bucket", "urn:us-east-1-bucket-versioning", "urn:dashboard-resource",
    ]);
    expect(urns(record.customResources(TYPES.vpc))).toEqual(["urn:us-east-1-vpc", "urn:us-west-2-vpc"]);
    expect(record.customResources(TYPES.provider)).toEqual([]);
  });

  it("inRegion: the cloud resources bound to one region's provider, optionally of one type", () => {
    expect(urns(record.inRegion(WEST))).toEqual(["urn:us-west-2-vpc", "urn:us-west-2-subnet-1", "urn:us-west-2-subnet-2"]);
    expect(urns(record.inRegion(EAST, TYPES.subnet))).toEqual(["urn:us-east-1-subnet-1", "urn:us-east-1-subnet-2"]);
    expect(record.inRegion(WEST, TYPES.bucket)).toEqual([]);
  });

  it("single: the one resource of a type in a region, or a clear error when there is none or more than one", () => {
    expect(record.single(WEST, TYPES.vpc).urn).toBe("urn:us-west-2-vpc");
    expect(() => record.single(WEST, TYPES.bucket)).toThrow(new Error(`Expected exactly one ${TYPES.bucket} in us-west-2, found 0`));
    expect(() => record.single(EAST, TYPES.subnet)).toThrow(new Error(`Expected exactly one ${TYPES.subnet} in us-east-1, found 2`));
  });

  it("single with `where`: only those whose inputs equal every given value, named in the error", () => {
    expect(record.single(EAST, TYPES.subnet, { cidrBlock: "10.0.2.0/24" }).urn).toBe("urn:us-east-1-subnet-2");
    expect(() => record.single(EAST, TYPES.subnet, { cidrBlock: "10.0.3.0/24" })).toThrow(
      new Error(`Expected exactly one ${TYPES.subnet} in us-east-1 with cidrBlock=10.0.3.0/24, found 0`),
    );
    // Strict equality: an object given in `where` never equals a recorded copy.
    expect(() => record.single(EAST, TYPES.subnet, { tags: { Tier: "private" } })).toThrow(/found 0$/);
  });

  it("providers: the AWS providers in registration order", () => {
    expect(urns(record.providers())).toEqual([providerUrn(EAST), providerUrn(WEST)]);
  });
});

describe("ofType and countByType", () => {
  it("ofType: every resource of a type, components and providers included, optionally of one region", () => {
    expect(urns(record.ofType(TYPES.regionalNetwork))).toEqual(["urn:us-east-1-network", "urn:us-west-2-network"]);
    expect(urns(record.ofType(TYPES.provider, WEST))).toEqual([providerUrn(WEST)]);
    expect(urns(record.ofType(TYPES.subnet, WEST))).toEqual(["urn:us-west-2-subnet-1", "urn:us-west-2-subnet-2"]);
    expect(record.ofType(TYPES.natGateway)).toEqual([]);
  });

  it("countByType: counts per type of everything recorded, or of the resources given", () => {
    expect(record.countByType()).toEqual({
      [TYPES.tapStack]: 1,
      [TYPES.provider]: 2,
      [TYPES.regionalNetwork]: 2,
      [TYPES.vpc]: 2,
      [TYPES.subnet]: 4,
      [TYPES.artifactBucket]: 1,
      [TYPES.bucket]: 1,
      [TYPES.bucketVersioning]: 1,
      [TYPES.globalDashboard]: 1,
      [TYPES.dashboard]: 1,
      [TYPES.regionalAlarms]: 1,
    });
    expect(record.countByType(record.inRegion(WEST))).toEqual({ [TYPES.vpc]: 1, [TYPES.subnet]: 2 });
    expect(record.countByType([])).toEqual({});
  });
});

describe("byUrn, childrenOf, onlyChildOf and descendantsOf", () => {
  it("byUrn: the resource with that URN, or an error naming it", () => {
    expect(record.byUrn("urn:us-west-2-vpc").type).toBe(TYPES.vpc);
    expect(() => record.byUrn("urn:nothing")).toThrow(new Error("Expected exactly one resource urn:nothing, found 0"));
  });

  it("childrenOf: direct children only, optionally of one type, in registration order", () => {
    expect(urns(record.childrenOf("urn:us-east-1-network"))).toEqual(["urn:us-east-1-vpc", "urn:us-east-1-subnet-1", "urn:us-east-1-subnet-2"]);
    expect(urns(record.childrenOf("urn:us-east-1-network", TYPES.subnet))).toEqual(["urn:us-east-1-subnet-1", "urn:us-east-1-subnet-2"]);
    // The versioning is the bucket's child, not the storage component's.
    expect(urns(record.childrenOf(`urn:${EAST}-storage`))).toEqual(["urn:us-east-1-bucket"]);
    expect(record.childrenOf("urn:empty")).toEqual([]);
  });

  it("onlyChildOf: the one child of a type, or an error with the parent and the count", () => {
    expect(record.onlyChildOf("urn:us-west-2-network", TYPES.vpc).urn).toBe("urn:us-west-2-vpc");
    expect(() => record.onlyChildOf("urn:us-west-2-network", TYPES.subnet)).toThrow(
      new Error(`Expected exactly one ${TYPES.subnet} under urn:us-west-2-network, found 2`),
    );
    expect(() => record.onlyChildOf("urn:empty", TYPES.alarm)).toThrow(/found 0$/);
  });

  it("descendantsOf: every level below, optionally of one type, and nothing outside", () => {
    expect(urns(record.descendantsOf(`urn:${EAST}-storage`))).toEqual(["urn:us-east-1-bucket", "urn:us-east-1-bucket-versioning"]);
    expect(urns(record.descendantsOf(`urn:${EAST}-storage`, TYPES.bucketVersioning))).toEqual(["urn:us-east-1-bucket-versioning"]);
    expect(record.descendantsOf(STACK)).toHaveLength(RECORD.length - 1);
    expect(record.descendantsOf("urn:us-east-1-subnet-1")).toEqual([]);
  });
});

describe("componentOf", () => {
  it("without a region: the one component of the type, or an error when there are several", () => {
    expect(record.componentOf(TYPES.globalDashboard).urn).toBe("urn:dashboard");
    expect(() => record.componentOf(TYPES.regionalNetwork)).toThrow(new Error(`Expected exactly one component ${TYPES.regionalNetwork}, found 2`));
  });

  it("with a region: the one whose cloud resources are all bound to that region, at any depth", () => {
    expect(record.componentOf(TYPES.regionalNetwork, WEST).urn).toBe("urn:us-west-2-network");
    expect(record.componentOf(TYPES.artifactBucket, EAST).urn).toBe(`urn:${EAST}-storage`);
    expect(() => record.componentOf(TYPES.artifactBucket, WEST)).toThrow(new Error(`Expected exactly one component ${TYPES.artifactBucket} in us-west-2, found 0`));
  });

  it("with a region: a component that holds nothing, or holds resources of two regions, is in none", () => {
    expect(() => record.componentOf(TYPES.regionalAlarms, EAST)).toThrow(/found 0$/);
    // The stack holds both regions' resources.
    expect(() => record.componentOf(TYPES.tapStack, EAST)).toThrow(/found 0$/);
    expect(record.componentOf(TYPES.tapStack).urn).toBe(STACK);
  });

  it("never answers a cloud resource of the type", () => {
    expect(() => record.componentOf(TYPES.vpc, EAST)).toThrow(/found 0$/);
  });
});

describe("snapshot", () => {
  it("keeps what was recorded when the cloud is reset and records the next build", () => {
    const cloud = new MockCloud();
    cloud.resources.push(...RECORD);
    const kept = cloud.snapshot();
    cloud.reset();
    cloud.resources.push(RECORD[0]);
    expect(kept.resources).toEqual(RECORD);
    expect(kept.single(EAST, TYPES.bucket).urn).toBe("urn:us-east-1-bucket");
    expect(cloud.resources).toEqual([RECORD[0]]);
    expect(cloud.customResources()).toEqual([]);
  });
});

describe("exactlyOne", () => {
  it("returns the only element, and otherwise names what it looked for and how many it found", () => {
    expect(exactlyOne(["a"], "letter")).toBe("a");
    expect(() => exactlyOne([], "letter")).toThrow(new Error("Expected exactly one letter, found 0"));
    expect(() => exactlyOne(["a", "b"], "letter")).toThrow(new Error("Expected exactly one letter, found 2"));
  });
});
