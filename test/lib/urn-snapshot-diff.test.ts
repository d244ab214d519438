import * as fs from "fs";
import * as path from "path";
import {
  REGENERATE_COMMAND,
  SNAPSHOT_DOCS,
  diffUrns,
  parsePhysicalNames,
  parseUrn,
  parseUrns,
  physicalNameSnapshotMismatch,
  urnSnapshotMismatch,
  withEngineUrns,
} from "../support/urn-snapshot";
import { anchorsOf } from "../support/markdown-anchors";
import { REPO_ROOT, SNAPSHOTS } from "../support/paths";

/**
 * Proof that the snapshot comparison catches what would hurt a live stack.
 * Each test takes the committed dev snapshot, changes a copy the way a code
 * change would (a subnet's logical name, a resource's parent, a function's
 * AWS name) and checks the exact failure message test/lib/urn-snapshot.test.ts
 * would print.
 */

const recordedUrns = parseUrns(fs.readFileSync(path.join(SNAPSHOTS, "urns", "dev.txt"), "utf8"));
const recordedNames = parsePhysicalNames(fs.readFileSync(path.join(SNAPSHOTS, "physical-names", "dev.txt"), "utf8"));

const DEV = "urn:pulumi:dev::tap::";
const SUBNET = `${DEV}tap:index:TapStack$tap:network:RegionalNetwork$aws:ec2/subnet:Subnet::`;
const BUCKET_IN_STORAGE = `${DEV}tap:index:TapStack$tap:storage:ArtifactBucket$aws:s3/bucket:Bucket::tap-us-east-1-storage-bucket`;
const BUCKET_IN_STACK = `${DEV}tap:index:TapStack$aws:s3/bucket:Bucket::tap-us-east-1-storage-bucket`;
const FUNCTION = `${DEV}tap:index:TapStack$tap:compute:ServerlessApi$aws:lambda/function:Function::tap-us-east-1-api-function`;

const URN_ADVICE = [
  "If this change is deliberate:",
  "  - to keep a deployed resource, give it its old identity with `aliases`, e.g. `{ parent: this, aliases: [{ name: \"<old logical name>\" }] }`",
  "    or `aliases: [{ parent: <old parent> }]` (docs/testing.md#what-live-stacks-depend-on-the-urn-and-physical-name-snapshots);",
  "  - or accept the delete-and-create knowingly (say so in the pull request);",
  "  then regenerate the snapshots: UPDATE_SNAPSHOTS=1 npx jest test/lib/urn-snapshot.test.ts",
];

describe("the recorded dev snapshot the proofs start from", () => {
  it("holds the four private subnets, the us-east-1 bucket under its ArtifactBucket and the us-east-1 function", () => {
    expect(recordedUrns.filter((urn) => urn.startsWith(SUBNET))).toEqual([
      `${SUBNET}tap-us-east-1-network-private-1`,
      `${SUBNET}tap-us-east-1-network-private-2`,
      `${SUBNET}tap-us-west-2-network-private-1`,
      `${SUBNET}tap-us-west-2-network-private-2`,
    ]);
    expect(recordedUrns).toContain(BUCKET_IN_STORAGE);
    expect(recordedUrns).not.toContain(BUCKET_IN_STACK);
    expect(Object.keys(recordedNames[FUNCTION])).toEqual(["name"]);
  });

  it("matches itself: no message", () => {
    expect(urnSnapshotMismatch("dev", recordedUrns, [...recordedUrns].reverse())).toBeUndefined();
    expect(physicalNameSnapshotMismatch("dev", recordedNames, structuredClone(recordedNames))).toBeUndefined();
  });

  it("the regeneration command is the documented one", () => {
    expect(REGENERATE_COMMAND).toBe("UPDATE_SNAPSHOTS=1 npx jest test/lib/urn-snapshot.test.ts");
  });

  it("the advice and the files' headers point to a section of docs/testing.md that exists, and it shows the regeneration command", () => {
    const [page, anchor] = SNAPSHOT_DOCS.split("#");
    const markdown = fs.readFileSync(path.join(REPO_ROOT, page), "utf8");
    expect([page, anchorsOf(markdown).has(anchor)]).toEqual(["docs/testing.md", true]);
    expect(markdown).toContain(REGENERATE_COMMAND);
    expect(fs.readFileSync(path.join(SNAPSHOTS, "urns", "dev.txt"), "utf8").split("\n")[3]).toBe(`# Do not edit by hand; when a URN or physical name changes, see ${SNAPSHOT_DOCS}`);
  });
});

describe("a changed logical name fails the URN snapshot", () => {
  it("subnet names built from `index - 1` instead of `index + 1`: four subnets removed, four added", () => {
    // index 0 -> "private--1", index 1 -> "private-0"
    const mutated = recordedUrns.map((urn) => urn.startsWith(SUBNET) ? urn.replace(/-private-(\d)$/, (_, n: string) => `-private-${Number(n) - 2}`) : urn);
    expect(urnSnapshotMismatch("dev", recordedUrns, mutated)).toBe([
      "URN snapshot \"dev\" (test/snapshots/urns/dev.txt) does not match the program: 0 changed, 4 added, 4 removed.",
      "On a live stack, `pulumi up` deletes every changed or removed URN's resource and creates every new one.",
      "Added:",
      `  + ${SUBNET}tap-us-east-1-network-private--1`,
      `  + ${SUBNET}tap-us-east-1-network-private-0`,
      `  + ${SUBNET}tap-us-west-2-network-private--1`,
      `  + ${SUBNET}tap-us-west-2-network-private-0`,
      "Removed:",
      `  - ${SUBNET}tap-us-east-1-network-private-1`,
      `  - ${SUBNET}tap-us-east-1-network-private-2`,
      `  - ${SUBNET}tap-us-west-2-network-private-1`,
      `  - ${SUBNET}tap-us-west-2-network-private-2`,
      ...URN_ADVICE,
    ].join("\n"));
  });

  it("a resource that disappears is listed as removed, one that appears as added", () => {
    const extra = `${DEV}tap:index:TapStack$tap:network:RegionalNetwork$aws:ec2/subnet:Subnet::tap-us-east-1-network-private-3`;
    const mutated = [...recordedUrns.filter((urn) => urn !== FUNCTION), extra];
    expect(diffUrns(recordedUrns, mutated)).toEqual({ changed: [], added: [extra], removed: [FUNCTION] });
  });
});

describe("a changed parent fails the URN snapshot", () => {
  it("the us-east-1 bucket created under TapStack instead of its ArtifactBucket: one change, shown old and new", () => {
    const mutated = recordedUrns.map((urn) => (urn === BUCKET_IN_STORAGE ? BUCKET_IN_STACK : urn));
    expect(urnSnapshotMismatch("dev", recordedUrns, mutated)).toBe([
      "URN snapshot \"dev\" (test/snapshots/urns/dev.txt) does not match the program: 1 changed, 0 added, 0 removed.",
      "On a live stack, `pulumi up` deletes every changed or removed URN's resource and creates every new one.",
      "Changed (same type and name, new parent or type chain):",
      `  - ${BUCKET_IN_STORAGE}`,
      `  + ${BUCKET_IN_STACK}`,
      ...URN_ADVICE,
    ].join("\n"));
  });

  it("a new grandparent changes the engine's URN of every descendant, which Pulumi's mock URN would not show", () => {
    // The mock monitor qualifies a type with the parent's last type only; the engine uses the whole chain.
    const stack = { urn: `${DEV}tap:index:TapStack::tap`, type: "tap:index:TapStack", name: "tap", parent: undefined, custom: false, inputs: {} };
    const region = { urn: `${DEV}tap:index:TapStack$tap:index:Region::tap-us-east-1`, type: "tap:index:Region", name: "tap-us-east-1", parent: stack.urn, custom: false, inputs: {} };
    const network = { urn: `${DEV}tap:index:Region$tap:network:RegionalNetwork::tap-us-east-1-network`, type: "tap:network:RegionalNetwork", name: "tap-us-east-1-network", parent: region.urn, custom: false, inputs: {} };
    const subnet = { urn: `${DEV}tap:network:RegionalNetwork$aws:ec2/subnet:Subnet::tap-us-east-1-network-private-1`, type: "aws:ec2/subnet:Subnet", name: "tap-us-east-1-network-private-1", parent: network.urn, custom: true, inputs: {} };
    const engine = withEngineUrns([stack, region, network, subnet]).map((resource) => resource.urn);
    expect(engine).toEqual([
      `${DEV}tap:index:TapStack::tap`,
      `${DEV}tap:index:TapStack$tap:index:Region::tap-us-east-1`,
      `${DEV}tap:index:TapStack$tap:index:Region$tap:network:RegionalNetwork::tap-us-east-1-network`,
      `${DEV}tap:index:TapStack$tap:index:Region$tap:network:RegionalNetwork$aws:ec2/subnet:Subnet::tap-us-east-1-network-private-1`,
    ]);
    expect(diffUrns([`${SUBNET}tap-us-east-1-network-private-1`], [engine[3]])).toEqual({
      changed: [{ from: `${SUBNET}tap-us-east-1-network-private-1`, to: engine[3] }],
      added: [],
      removed: [],
    });
  });

  it("refuses recordings whose parent is missing, instead of guessing a chain", () => {
    const orphan = { urn: `${DEV}tap:network:RegionalNetwork$aws:ec2/vpc:Vpc::v`, type: "aws:ec2/vpc:Vpc", name: "v", parent: `${DEV}tap:index:TapStack$tap:network:RegionalNetwork::n`, custom: true, inputs: {} };
    expect(() => withEngineUrns([orphan])).toThrow(`${DEV}tap:network:RegionalNetwork$aws:ec2/vpc:Vpc::v has the parent ${DEV}tap:index:TapStack$tap:network:RegionalNetwork::n, which was not recorded.`);
  });

  it("parses a URN into its type chain, type and name", () => {
    expect(parseUrn(BUCKET_IN_STORAGE)).toEqual({
      typeChain: "tap:index:TapStack$tap:storage:ArtifactBucket$aws:s3/bucket:Bucket",
      type: "aws:s3/bucket:Bucket",
      name: "tap-us-east-1-storage-bucket",
    });
    expect(() => parseUrn("tap-us-east-1-storage-bucket")).toThrow("Not a Pulumi URN: tap-us-east-1-storage-bucket");
  });
});

describe("a changed physical name fails the physical-name snapshot", () => {
  it("the us-east-1 function renamed: the URN stays, the name snapshot names the old and new value", () => {
    const before = recordedNames[FUNCTION].name;
    const mutated = structuredClone(recordedNames);
    mutated[FUNCTION].name = `${before}-v2`;
    expect(physicalNameSnapshotMismatch("dev", recordedNames, mutated)).toBe([
      "Physical-name snapshot \"dev\" (test/snapshots/physical-names/dev.txt) does not match the program: 1 changed, 0 added, 0 removed.",
      "A changed name makes AWS replace the resource (a new bucket, role, function or log group), even when its URN stays the same.",
      "Changed:",
      `  ${FUNCTION} name: ${JSON.stringify(before)} -> ${JSON.stringify(`${before}-v2`)}`,
      "If this change is deliberate:",
      "  - `aliases` keep a URN, not a name: to keep a deployed resource, keep its old name (docs/testing.md#what-live-stacks-depend-on-the-urn-and-physical-name-snapshots);",
      "  - or accept the replacement knowingly (a replaced bucket or log group does not take its contents along; say so in the pull request);",
      "  then regenerate the snapshots: UPDATE_SNAPSHOTS=1 npx jest test/lib/urn-snapshot.test.ts",
    ].join("\n"));
  });

  it("a Name tag that appears or disappears is listed as added or removed", () => {
    const mutated = structuredClone(recordedNames);
    mutated[FUNCTION]["tags.Name"] = "api";
    const withoutBucket = structuredClone(recordedNames);
    const bucketName = withoutBucket[BUCKET_IN_STORAGE].bucket;
    delete withoutBucket[BUCKET_IN_STORAGE];
    expect(physicalNameSnapshotMismatch("dev", recordedNames, mutated)?.split("\n").slice(0, 4)).toEqual([
      "Physical-name snapshot \"dev\" (test/snapshots/physical-names/dev.txt) does not match the program: 0 changed, 1 added, 0 removed.",
      "A changed name makes AWS replace the resource (a new bucket, role, function or log group), even when its URN stays the same.",
      "Added:",
      `  + ${FUNCTION} tags.Name = "api"`,
    ]);
    expect(physicalNameSnapshotMismatch("dev", recordedNames, withoutBucket)?.split("\n").slice(2, 4)).toEqual([
      "Removed:",
      `  - ${BUCKET_IN_STORAGE} bucket = ${JSON.stringify(bucketName)}`,
    ]);
  });
});
