import type { TapStackArgs } from "../../lib";
import { RecordedResource, valueOf } from "../../offline/mock-cloud";
import { PhysicalNames, recordPhysicalNames } from "../support/urn-snapshot";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * The changes the README calls safe (adding a region, memory, log retention,
 * the cache; reordering and dropping regions: test/lib/global-provider.test.ts) must not touch what makes Pulumi replace a
 * resource the program names: its provider and region (a region-aware
 * resource whose provider's region changes is replaced, @pulumi/aws 7
 * "Enhanced Region Support"), and its physical name (a new name is a new
 * resource: every name property forces replacement, CloudFormation's
 * `causesReplacement` for LogGroupName, FunctionName, DashboardName, Name,
 * BucketName, ...). Nor may they change an address clients use (`api_urls`,
 * the global URL). The update plan (`npm run plan -- --from`) checks the rest
 * of each resource's inputs.
 */

const BASE: TapStackArgs = { domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", alarmEmail: "ops@example.com" };

const CHANGES: readonly [string, TapStackArgs][] = [
  ["adding a region", { regions: ["us-east-1", "us-west-2", "eu-west-1"] }],
  ["the function's memory and timeout, and log retention", { lambdaMemoryMb: 512, lambdaTimeoutSeconds: 10, logRetentionDays: 90 }],
  ["the stage cache", { enableApiCache: true }],
];

interface Snapshot {
  readonly resources: ReadonlyMap<string, RecordedResource>;
  readonly names: PhysicalNames;
  readonly urls: { readonly api: Record<string, string>; readonly global: string | undefined };
}

let harness: StackHarness;

async function snapshot(args: TapStackArgs): Promise<Snapshot> {
  const stack = await harness.build({ ...BASE, ...args });
  const resources = [...harness.cloud.resources];
  return {
    resources: new Map(resources.map((r) => [r.urn, r])),
    names: recordPhysicalNames(resources),
    urls: { api: await valueOf(stack.apiUrls), global: stack.globalUrl },
  };
}

beforeAll(async () => {
  harness = await setupHarness("dev");
});

let before: Snapshot;
sharedSetup(async () => {
  before = await snapshot({});
});

describe.each(CHANGES)("%s", (_label, change) => {
  let after: Snapshot;
  sharedSetup(async () => {
    after = await snapshot(change);
  });

  const kept = () => [...before.resources.keys()].filter((urn) => after.resources.has(urn));

  it("keeps every resource the stack had (nothing is deleted)", () => {
    expect([...before.resources.keys()].filter((urn) => !after.resources.has(urn))).toEqual([]);
  });

  it("binds every kept resource to the same provider, in the same region", () => {
    const moved = kept().filter((urn) => {
      const [a, b] = [before.resources.get(urn), after.resources.get(urn)] as RecordedResource[];
      return a.provider !== b.provider || a.region !== b.region;
    });
    expect(moved).toEqual([]);
  });

  it("gives every kept resource the same physical names", () => {
    const renamed = kept().filter((urn) => JSON.stringify(before.names[urn]) !== JSON.stringify(after.names[urn]));
    expect(renamed).toEqual([]);
  });

  it("keeps every address clients use: each region's API URL and the global URL", () => {
    const regionsKept = Object.keys(before.urls.api).filter((region) => region in after.urls.api);
    expect(regionsKept.sort()).toEqual(["us-east-1", "us-west-2"]);
    for (const region of regionsKept) expect([region, after.urls.api[region]]).toEqual([region, before.urls.api[region]]);
    expect(after.urls.global).toBe(before.urls.global);
  });
});
