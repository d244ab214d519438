import * as pulumi from "@pulumi/pulumi";
import type { TapStackArgs } from "../../lib";
import { API_GATEWAY_ROLE_UNSET, PLACEHOLDER_ACCOUNT_ID, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { recordProgramFailures } from "../support/program-failures";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { TYPES } from "../../offline/resource-types";

/**
 * A new stack with no config, in an account where no stack has set API
 * Gateway's CloudWatch role, stops before anything is created, with one line
 * that names the fix (lib/account-checks.ts). API Gateway refuses a stage with
 * access logs until the role is set: "CloudWatch Logs role ARN must be set in
 * account settings to enable logging"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
 */

const ACCOUNT_TYPE = "aws:apigateway/account:Account";
const STAGE_TYPE = "aws:apigateway/stage:Stage";
const REGIONS = ["us-east-1", "us-west-2"];

let harness: StackHarness;
let lib: typeof import("../../lib");
let checks: typeof import("../../lib/account-checks");

beforeAll(async () => {
  harness = await setupHarness("dev");
  lib = await import("../../lib");
  checks = await import("../../lib/account-checks");
});

interface Build {
  /** What the program failed with, as Pulumi would report it (unhandled rejections), deduplicated. */
  readonly failures: unknown[];
}

/** Builds a stack after `prepare` has set up the mock account, recording what fails the program. */
async function buildIn(args: TapStackArgs, prepare: () => void): Promise<Build> {
  harness.cloud.reset();
  prepare();
  const failures = await recordProgramFailures(() => withoutStackTraces(async () => {
    new lib.TapStack("tap", args);
    await waitForRegistrations();
  }));
  return { failures };
}

const freshAccount = () => REGIONS.forEach((region) => harness.cloud.setApiGatewayCloudWatchRole(region, API_GATEWAY_ROLE_UNSET));

describe("missingLoggingRoleProblem", () => {
  it("says nothing when every region has a role", () => {
    expect(checks.missingLoggingRoleProblem("111111111111", [])).toBeUndefined();
  });

  it.each([
    [["eu-west-1"], "region eu-west-1"],
    [["us-east-1", "us-west-2"], "regions us-east-1, us-west-2"],
  ])("names the account, the regions %j and the command that fixes it", (regions, where) => {
    expect(checks.missingLoggingRoleProblem("111111111111", regions)).toBe(
      `API Gateway has no CloudWatch Logs role in account 111111111111, ${where}, so it would refuse this stack's stages ` +
        "(every stage writes access logs). Nothing was created. If no other stack or tool owns that setting, let this stack " +
        "set it: pulumi config set manageApiGatewayAccount true; otherwise set the role once per region as docs/preflight.md shows.",
    );
  });
});

describe("a new stack with no config in a fresh account", () => {
  let build: Build;
  // A whole stack build: more than jest's default 5 s on a loaded 2-core machine.
  beforeAll(async () => {
    build = await buildIn({}, freshAccount);
  }, 60_000);

  it("fails with one line that names the account, both regions and the fix, and no stack trace", () => {
    expect(build.failures).toHaveLength(1);
    const [failure] = build.failures;
    // Pulumi prints a RunError as its message alone.
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toBe(checks.missingLoggingRoleProblem(PLACEHOLDER_ACCOUNT_ID, REGIONS));
    expect((failure as Error).message).not.toContain("\n");
  });

  it("creates nothing in any region: no cloud resource is registered", () => {
    expect(harness.cloud.customResources()).toEqual([]);
    // Only the providers (the two regional ones and the account-wide one; no cloud resource) and the stack component itself exist.
    expect(harness.cloud.resources.map((r) => r.type).sort()).toEqual([TYPES.provider, TYPES.provider, TYPES.provider, TYPES.tapStack]);
  });

  it("read the setting once per region, through that region's provider, and wrote nothing", () => {
    // The regional providers, not the account-wide one (also in us-east-1): the setting matters where the stages are.
    const providers = new Map(harness.cloud.providers().map((p) => [p.urn, p.name]));
    expect(harness.cloud.reads.map((read) => [read.type, read.region, providers.get(read.provider ?? "")])).toEqual([
      [ACCOUNT_TYPE, "us-east-1", "tap-us-east-1-provider"],
      [ACCOUNT_TYPE, "us-west-2", "tap-us-west-2-provider"],
    ]);
    expect(harness.cloud.reads.map((read) => read.id)).toEqual([PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_ACCOUNT_ID]);
  });
});

describe("the check in other accounts", () => {
  it("a role in us-east-1 only: the message names us-west-2 alone, and nothing is created in either region", async () => {
    const build = await buildIn({}, () => harness.cloud.setApiGatewayCloudWatchRole("us-west-2", API_GATEWAY_ROLE_UNSET));
    expect(build.failures.map((failure) => (failure as Error).message)).toEqual([checks.missingLoggingRoleProblem(PLACEHOLDER_ACCOUNT_ID, ["us-west-2"])]);
    expect(harness.cloud.customResources()).toEqual([]);
  });

  it("an account where another stack set the role: the stack builds, and its stages exist in both regions", async () => {
    const build = await buildIn({}, () => undefined);
    expect(build.failures).toEqual([]);
    expect(harness.cloud.customResources(STAGE_TYPE).map((stage) => stage.region)).toEqual(REGIONS);
    expect(harness.cloud.customResources(ACCOUNT_TYPE)).toEqual([]);
    expect(harness.cloud.reads).toHaveLength(2);
  });

  it("the fix pasted from the message: the stack sets the role itself, reads nothing and builds in the fresh account", async () => {
    const message = checks.missingLoggingRoleProblem(PLACEHOLDER_ACCOUNT_ID, REGIONS) ?? "";
    const command = /pulumi config set (\S+) (\S+);/.exec(message);
    expect(command?.slice(1)).toEqual(["manageApiGatewayAccount", "true"]);
    const [, key, value] = command as RegExpExecArray;
    const args = lib.tapStackArgsFromConfig((name) => (name === key ? value : undefined));

    const build = await buildIn(args, freshAccount);
    expect(build.failures).toEqual([]);
    expect(harness.cloud.reads).toEqual([]);
    expect(harness.cloud.customResources(ACCOUNT_TYPE).map((account) => account.region)).toEqual(REGIONS);
    expect(harness.cloud.customResources(STAGE_TYPE)).toHaveLength(2);
  });
});
