import type { TapStackArgs } from "../../lib";
import { Recording, valueOf } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * What belongs to the account rather than to a region (the dashboard; with
 * `domainName` the Route 53 records and health checks, the health-check
 * alarms, their topic, key and subscription) stays on one provider, in one
 * region, whatever the region list says.
 *
 * Why it matters: @pulumi/aws 7 gives every region-aware resource the region
 * of its provider, and "changing the value of region will force resource
 * replacement" (Pulumi AWS provider, "Enhanced Region Support"). The dashboard
 * is region-aware and its `dashboardName` is required, so Pulumi replaces it
 * create-first; PutDashboard "creates a dashboard if it does not already
 * exist, or updates an existing dashboard" (CloudWatch API Reference), so the
 * new one took the live one's place, and DeleteDashboards on the same name
 * then removed it. Bound to the first region's provider, a reordered or
 * shortened `regions` did exactly that.
 */

/** The account-wide types: the dashboard's, and GlobalRouting's that are not per region. */
const ACCOUNT_WIDE_TYPES: readonly string[] = [
  TYPES.dashboard, TYPES.record, TYPES.healthCheck, TYPES.alarm, TYPES.kmsKey, TYPES.topic, TYPES.topicPolicy, TYPES.topicSubscription,
];

const LAYER: TapStackArgs = { domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", alarmEmail: "ops@example.com" };

/** Region lists a live stack may move between. */
const LISTS = {
  home: ["us-east-1", "us-west-2"],
  reordered: ["us-west-2", "us-east-1"],
  firstDropped: ["us-west-2"],
  withoutUsEast1: ["eu-west-1", "us-west-2"],
} as const;
type ListName = keyof typeof LISTS;

/** One account-wide resource as a build recorded it. */
interface Placement {
  readonly type: string;
  readonly provider: string | undefined;
  readonly region: string | undefined;
}

/**
 * The account-wide resources of a build, by URN: the dashboard's, and
 * GlobalRouting's that are not per region (everything but the certificates,
 * custom domains and mappings, which live in their own region).
 */
function accountWide(recorded: Recording): Map<string, Placement> {
  const components = [TYPES.globalDashboard, TYPES.globalRouting].flatMap((type) => recorded.ofType(type));
  const placed = components.flatMap((component) => recorded.descendantsOf(component.urn)).filter((r) => r.custom && ACCOUNT_WIDE_TYPES.includes(r.type));
  return new Map(placed.map((r) => [r.urn, { type: r.type, provider: r.provider, region: r.region }]));
}

let harness: StackHarness;
const builds = new Map<ListName, Recording>();
const regionalProviders = new Map<ListName, string[]>();

beforeAll(async () => {
  harness = await setupHarness("dev");
});

/** Builds the stack once per region list. */
async function buildAll(): Promise<void> {
  for (const [name, regions] of Object.entries(LISTS) as [ListName, readonly string[]][]) {
    const stack = await harness.build({ ...LAYER, regions: [...regions] });
    builds.set(name, harness.cloud.snapshot());
    regionalProviders.set(name, await Promise.all(stack.regions.map((r) => valueOf(r.provider.urn))));
  }
}

describe("the account-wide resources do not move when the region list changes", () => {
  sharedSetup(buildAll, 120_000);

  const placements = (name: ListName) => accountWide(builds.get(name) as Recording);

  it("the home stack has them all: the dashboard, 7 Route 53 resources, 2 alarms, a key, a topic, its policy and the email subscription", () => {
    const types = [...placements("home").values()].map((p) => p.type).sort();
    expect(types).toEqual([TYPES.dashboard, TYPES.record, TYPES.record, TYPES.record, TYPES.record, TYPES.record, TYPES.healthCheck, TYPES.healthCheck, TYPES.alarm, TYPES.alarm, TYPES.kmsKey, TYPES.topic, TYPES.topicPolicy, TYPES.topicSubscription].sort());
  });

  it("every one of them is bound to one provider in us-east-1 that is none of the regional providers", () => {
    const providers = new Set([...placements("home").values()].map((p) => p.provider));
    expect(providers.size).toBe(1);
    const [provider] = [...providers];
    expect(regionalProviders.get("home")).toHaveLength(2);
    expect(regionalProviders.get("home")).not.toContain(provider);
    expect([...placements("home").values()].map((p) => p.region)).toEqual([...placements("home").values()].map(() => "us-east-1"));
  });

  it.each(["reordered", "firstDropped", "withoutUsEast1"] as const)("%s: each one the stack still has keeps its provider and its region", (name) => {
    const before = placements("home");
    const after = placements(name);
    const common = [...after.keys()].filter((urn) => before.has(urn));
    // The dashboard, the validation record and the topic with its key, policy and subscription at least.
    expect(common.length).toBeGreaterThanOrEqual(6);
    const moved = common.filter((urn) => before.get(urn)?.provider !== after.get(urn)?.provider || before.get(urn)?.region !== after.get(urn)?.region);
    expect(moved).toEqual([]);
  });

  it("reordered: none of them but the dashboard (its widgets follow the region order) has a changed input, so the update touches nothing else", () => {
    const inputsOf = (name: ListName) => new Map((builds.get(name) as Recording).resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
    const [before, after] = [inputsOf("home"), inputsOf("reordered")];
    const changed = [...placements("home").keys()].filter((urn) => before.get(urn) !== after.get(urn)).map((urn) => placements("home").get(urn)?.type);
    expect(changed).toEqual([TYPES.dashboard]);
  });

  it("the dashboard in particular is never bound to a regional provider, whatever region comes first", () => {
    for (const name of Object.keys(LISTS) as ListName[]) {
      const dashboards = [...placements(name).values()].filter((p) => p.type === TYPES.dashboard);
      expect([name, dashboards.map((d) => d.region)]).toEqual([name, ["us-east-1"]]);
    }
  });

  describe("a replacement of a name-keyed, create-or-overwrite resource deletes first", () => {
    const home = () => builds.get("home") as Recording;

    it("the dashboard: PutDashboard overwrites by name and DeleteDashboards deletes by name, so a create-first replacement would end with none", () => {
      const dashboard = home().ofType(TYPES.dashboard);
      expect(dashboard.map((d) => d.options.deleteBeforeReplace)).toEqual([true]);
    });

    it("the ACM validation record: allowOverwrite makes its create an UPSERT, so a create-first replacement would end with none", () => {
      const validation = home().ofType(TYPES.record).filter((r) => r.inputs.allowOverwrite === true);
      expect(validation.map((r) => [r.name, r.options.deleteBeforeReplace])).toEqual([["tap-global-certificate-validation", true]]);
    });

    it("the alias records are not upserts (allowOverwrite off): a replacement elsewhere in the zone is created first, so DNS never goes blank", () => {
      const aliases = home().ofType(TYPES.record).filter((r) => r.inputs.allowOverwrite !== true);
      expect(aliases).toHaveLength(4);
      for (const record of aliases) expect([record.name, record.options.deleteBeforeReplace]).toEqual([record.name, false]);
    });
  });
});
