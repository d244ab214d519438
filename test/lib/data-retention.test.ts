import type { RecordedResource, Recording } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * What Pulumi may delete of the data a stack holds, when an update replaces
 * it (a new `environmentSuffix`, `projectName` or stack name renames nearly
 * everything) and on destroy.
 *
 * The artifacts bucket is versioned and never emptied by Pulumi
 * (`forceDestroy` off). S3 deletes a bucket only once "all objects (including
 * all object versions and delete markers) in the bucket" are deleted (S3 API
 * Reference, DeleteBucket), so a replacement that deleted the old bucket
 * failed with BucketNotEmpty and the update stopped half done, after the
 * settings that protect the bucket (public access block, TLS-only policy,
 * encryption, lifecycle) had been deleted before it. The bucket and every
 * setting of it are now `retainOnDelete`: Pulumi forgets them instead of
 * deleting them, so the update completes and the old bucket keeps its data and
 * its protection (docs/lifecycle.md: how to delete or reuse it).
 *
 * Log groups are deleted with the stack and by a replacement (the update plan
 * says so first): kept, they would make re-creating the same stack fail, since
 * CreateLogGroup refuses an existing name (ResourceAlreadyExistsException).
 */

/** The bucket's settings: each is a resource of its own, keyed by the bucket. */
const BUCKET_SETTING_TYPES = [
  TYPES.bucketPublicAccessBlock,
  TYPES.bucketOwnershipControls,
  TYPES.bucketVersioning,
  TYPES.bucketEncryption,
  TYPES.bucketPolicy,
  TYPES.bucketLifecycle,
] as const;

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness("dev");
});

let recorded: Recording;
sharedSetup(async () => {
  await harness.build({});
  recorded = harness.cloud.snapshot();
});

describe.each(["us-east-1", "us-west-2"])("in %s (default stack)", (region) => {
  let resources: RecordedResource[];
  beforeEach(() => {
    resources = recorded.inRegion(region);
  });

  it("the bucket is kept, and Pulumi never empties it", () => {
    const buckets = recorded.inRegion(region, TYPES.bucket);
    expect(buckets.map((b) => [b.options.retainOnDelete, b.inputs.forceDestroy])).toEqual([[true, false]]);
  });

  it("each of its six settings is kept with it, so the kept bucket stays private, encrypted, TLS-only and versioned", () => {
    const bucket = recorded.single(region, TYPES.bucket);
    const settings = resources.filter((r) => r.inputs.bucket === bucket.id && r.type !== TYPES.bucket);
    expect(settings.map((s) => s.type).sort()).toEqual([...BUCKET_SETTING_TYPES].sort());
    for (const setting of settings) expect([setting.type, setting.options.retainOnDelete]).toEqual([setting.type, true]);
  });

  it("nothing else in the region is kept: the log groups go with the stack", () => {
    const kept = resources.filter((r) => r.options.retainOnDelete).map((r) => r.type).sort();
    expect(kept).toEqual([TYPES.bucket, ...BUCKET_SETTING_TYPES].sort());
    const logGroups = recorded.inRegion(region, TYPES.logGroup);
    expect(logGroups).toHaveLength(4);
    for (const group of logGroups) expect([group.name, group.options.retainOnDelete]).toEqual([group.name, false]);
  });
});
