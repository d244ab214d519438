import * as pulumi from "@pulumi/pulumi";
import type { TapStackArgs } from "../../lib";
import { RELEASE_REPLACING_INPUTS, RELEASE_UPDATING_INPUTS } from "../../lib/rollout-spec";
import { API_GATEWAY_ROLE_UNSET, PLACEHOLDER_ACCOUNT_ID, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { DYNAMIC_RESOURCE_TYPE, TYPE_MAPPINGS } from "../../offline/plan/update/cfn-map";
import { TYPES } from "../../offline/resource-types";
import { recordProgramFailures } from "../support/program-failures";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { sharedSetup } from "../support/shared-setup";

/**
 * The stack with every option that adds resources, built once in a fresh
 * account (no API Gateway CloudWatch role in either region), and what the
 * program asked of each resource it constructed on the way:
 * - nothing at all is created: every layer, the gradual rollout included,
 *   waits for the account check, and the program stops with its one line;
 * - every resource AWS keys by its parent rather than a name of its own is
 *   replaced delete first, or is kept on delete (offline/plan/update/cfn-map.ts
 *   ParentKey), so no replacement's delete can remove the live one;
 * - every input it sets has a replacement rule, so the update plan never has to
 *   assume a change is made in place.
 */

const REGIONS = ["us-east-1", "us-west-2"];
const EVERY_OPTION: TapStackArgs = {
  regions: REGIONS,
  rollout: "canary",
  domainName: "api.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  enableWaf: true,
  enableNatGateway: true,
  enableApiCache: true,
  enableFlowLogs: true,
  alarmEmail: "ops@example.com",
  lambdaProvisionedConcurrency: 2,
};

/** A resource as the program constructed it: what it passed to Pulumi before anything was registered. */
interface Constructed {
  readonly type: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
}

let harness: StackHarness;
let failures: unknown[];
const constructed: Constructed[] = [];

beforeAll(async () => {
  harness = await setupHarness("dev");
});

// One whole-stack build (more than jest's default 5 s on a loaded 2-core machine), shared by every test below.
sharedSetup(async () => {
  const lib = await import("../../lib");
  constructed.length = 0;
  harness.cloud.reset();
  REGIONS.forEach((region) => harness.cloud.setApiGatewayCloudWatchRole(region, API_GATEWAY_ROLE_UNSET));
  // Sees each resource's own options before the account gate adds its dependency; changes nothing.
  const observe: pulumi.ResourceTransformation = ({ type, name, props, opts }) => {
    const custom = opts as pulumi.CustomResourceOptions;
    if (opts.id === undefined && !type.startsWith("pulumi:providers:")) {
      constructed.push({
        type,
        name,
        inputs: Object.keys(props).filter((key) => props[key] !== undefined && !key.startsWith("__")),
        deleteBeforeReplace: custom.deleteBeforeReplace === true,
        retainOnDelete: opts.retainOnDelete === true,
      });
    }
    return undefined;
  };
  failures = await recordProgramFailures(() => withoutStackTraces(async () => {
    new lib.TapStack("tap", EVERY_OPTION, { transformations: [observe] });
    await waitForRegistrations();
  }));
}, 60_000);

describe("in a fresh account", () => {
  it("stops with the account check's one line, naming both regions and the fix", async () => {
    const { missingLoggingRoleProblem } = await import("../../lib/account-checks");
    expect(failures.map((failure) => (failure as Error).message)).toEqual([missingLoggingRoleProblem(PLACEHOLDER_ACCOUNT_ID, REGIONS)]);
  });

  it("registers no cloud resource and no component below the stack: only the providers and the stack, after reading the setting", () => {
    expect(harness.cloud.customResources()).toEqual([]);
    expect(harness.cloud.countByType()).toEqual({ [TYPES.provider]: 3, [TYPES.tapStack]: 1 });
    expect(harness.cloud.reads.map((read) => [read.type, read.region])).toEqual(REGIONS.map((region) => ["aws:apigateway/account:Account", region]));
  });

  it("constructed every layer meanwhile (so the check held them back, rather than the options leaving them out)", () => {
    const components = new Set(constructed.map((resource) => resource.type));
    for (const type of ["tap:rollout:RegionalRollout", "tap:rollout:ReleaseWave", "tap:global:GlobalRouting", TYPES.tapStack]) expect([type, components.has(type)]).toEqual([type, true]);
    expect(constructed.filter((resource) => resource.type === "aws:codedeploy/application:Application").map((resource) => resource.name))
      .toEqual(["tap-us-east-1-rollout-application", "tap-us-west-2-rollout-application"]);
  });
});

describe("resources AWS keys by their parent", () => {
  // For each kind: deleteBeforeReplace set by the program; the provider deleting first by itself (pulumi-aws
  // provider/resources.go, DeleteBeforeReplace for aws_api_gateway_integration); or kept on delete (the engine never
  // deletes a retainOnDelete resource in AWS, replaced or not).
  it("are each replaced delete first, or never deleted in AWS", () => {
    const keyed = constructed.filter((resource) => TYPE_MAPPINGS[resource.type]?.parentKey !== undefined);
    const how = (resource: Constructed) =>
      resource.deleteBeforeReplace ? "deleteBeforeReplace" : TYPE_MAPPINGS[resource.type].providerDeletesFirst ? "the provider deletes first" : resource.retainOnDelete ? "retainOnDelete" : "create first";
    expect([...new Set(keyed.map((resource) => `${resource.type}: ${how(resource)}`))].sort()).toEqual([
      "aws:apigateway/integration:Integration: the provider deletes first",
      "aws:apigateway/method:Method: deleteBeforeReplace",
      "aws:apigateway/methodSettings:MethodSettings: deleteBeforeReplace",
      "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig: deleteBeforeReplace",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration: retainOnDelete",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls: retainOnDelete",
      "aws:s3/bucketPolicy:BucketPolicy: retainOnDelete",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock: retainOnDelete",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration: retainOnDelete",
      "aws:s3/bucketVersioning:BucketVersioning: retainOnDelete",
      "aws:sns/topicPolicy:TopicPolicy: deleteBeforeReplace",
      "aws:wafv2/webAclAssociation:WebAclAssociation: deleteBeforeReplace",
    ]);
  });
});

describe("replacement rules", () => {
  it("exist for every input the program sets on an AWS resource, and every input of a release step is one its provider diffs", () => {
    const known = new Set<string>([...RELEASE_REPLACING_INPUTS, ...RELEASE_UPDATING_INPUTS]);
    const missing = constructed.flatMap((resource) => {
      if (resource.type === DYNAMIC_RESOURCE_TYPE) return resource.inputs.filter((input) => !known.has(input)).map((input) => `${resource.type}.${input}`);
      if (!resource.type.startsWith("aws:")) return [];
      const fields = TYPE_MAPPINGS[resource.type]?.fields ?? {};
      return resource.inputs.filter((input) => fields[input] === undefined).map((input) => `${resource.type}.${input}`);
    });
    expect([...new Set(missing)]).toEqual([]);
    expect(constructed.filter((resource) => resource.type === DYNAMIC_RESOURCE_TYPE)).toHaveLength(2);
  });
});
