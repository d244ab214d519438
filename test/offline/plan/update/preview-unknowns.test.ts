import { UNKNOWN_VALUE, readPreview, unknownPathsOf } from "../../../../offline/plan/update/check-preview";
import { findHazards } from "../../../../offline/plan/update/hazards";
import { loadReplacementRules } from "../../../../offline/plan/update/rules";

/**
 * What a real `pulumi preview --json` writes that the offline plan does not,
 * written here by hand in its shape:
 * - a value not known until the update runs is the string
 *   "04da6b54-80e4-46f7-96ec-b56ff0331ba9" (pulumi/pulumi
 *   sdk/go/common/resource/plugin/rpc.go, `UnknownStringValue`), such as the ID
 *   of a REST API that is being replaced;
 * - a bridged resource's `inputs` hold the names Pulumi filled in, and list
 *   them in `__defaults` (pulumi-terraform-bridge pkg/tfbridge/schema.go: the
 *   bridge treats a name as set by the program only when it is missing from
 *   `__defaults`, nameRequiresDeleteBeforeReplace).
 */

const rules = loadReplacementRules();
const prefix = "urn:pulumi:dev::tap::tap:index:TapStack$tap:compute:ServerlessApi$";
const STAGE = `${prefix}aws:apigateway/stage:Stage::tap-us-east-1-api-stage`;
const LOG_GROUP = `${prefix}aws:cloudwatch/logGroup:LogGroup::tap-us-east-1-api-logs`;
const EAST = "urn:pulumi:dev::tap::tap:index:TapStack$pulumi:providers:aws::tap-us-east-1-provider";

describe("values a preview does not know yet", () => {
  it("finds the unknown marker at any depth, and nothing else", () => {
    expect(unknownPathsOf({ restApi: UNKNOWN_VALUE, stageName: "dev", accessLogSettings: { destinationArn: UNKNOWN_VALUE, format: "$context" }, tags: [UNKNOWN_VALUE] }))
      .toEqual(["restApi", "accessLogSettings.destinationArn", "tags[0]"]);
    expect(unknownPathsOf({ stageName: "dev" })).toEqual([]);
  });

  // A stage is keyed by its REST API and name: the replacement's REST API is new, so "dev" cannot collide with the old stage.
  it("a stage replaced create-first with its REST API, under the same stage name, is no fixed-name hazard: its REST API is unknown", () => {
    const stage = (restApi: string, provider: string) => ({
      urn: STAGE, custom: true, type: "aws:apigateway/stage:Stage", id: "ags-a1b2c3d4e5-dev",
      inputs: { restApi, stageName: "dev", deployment: restApi === UNKNOWN_VALUE ? UNKNOWN_VALUE : "d1" }, outputs: {}, provider,
    });
    const step = (op: string) => ({
      op, urn: STAGE, oldState: stage("a1b2c3d4e5", `${EAST}::p1`), newState: stage(UNKNOWN_VALUE, `${EAST}::${UNKNOWN_VALUE}`), replaceReasons: ["restApi"], detailedDiff: null,
    });
    const { plan, hazardInput } = readPreview({ steps: [step("create-replacement"), step("replace"), step("delete-replaced")] }, "preview.json", rules);
    expect(plan.steps.find((found) => found.op === "replace")).toMatchObject({ replacement: { order: "create-first" }, unknownPaths: ["restApi", "deployment"] });
    expect(findHazards(hazardInput, rules)).toEqual([]);
  });
});

describe("the order of a replacement a preview lists without its steps", () => {
  const logGroupStep = (defaults: string[]) => {
    const state = (kmsKeyId: string) => ({
      urn: LOG_GROUP, custom: true, type: "aws:cloudwatch/logGroup:LogGroup", id: "tap-us-east-1-api-logs-4f2a9c1",
      inputs: { name: "tap-us-east-1-api-logs-4f2a9c1", kmsKeyId, __defaults: defaults }, outputs: {},
    });
    return { op: "replace", urn: LOG_GROUP, oldState: state("arn:key-1"), newState: state("arn:key-2"), replaceReasons: ["kmsKeyId"] };
  };
  const orderOf = (defaults: string[]) => readPreview({ steps: [logGroupStep(defaults)] }, "preview.json", rules).plan.steps[0].replacement;

  it("a name Pulumi filled in (listed in __defaults) is not set by the program: created first", () => {
    expect(orderOf(["name"])).toMatchObject({ order: "create-first", orderInferred: true });
  });

  it("a name missing from __defaults was set by the program: deleted first", () => {
    expect(orderOf([])).toMatchObject({ order: "delete-first", orderInferred: true });
  });
});
