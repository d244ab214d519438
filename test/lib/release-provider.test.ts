import { CreateDeploymentCommand, GetDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { GetAliasCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { ReleaseInputs, ReleaseOutputs, createReleaseProvider, diffRelease } from "../../lib/release-provider";
import { RELEASE_PROVIDER_SOURCE, bundleReleaseProvider, releaseProviderModule } from "../../lib/release";
import { ACCOUNT, CLIENTS, RELEASE_ID, RELEASE_INPUTS, deployment, fakeClock, recordedRelease, resetSdk, sdk } from "../support/release-sdk";

/**
 * The release step's dynamic provider: what diff, create, update and delete
 * mean (lib/release-provider.ts), run in-process with aws-sdk-client-mock
 * clients; and the bundle the program stores as `__provider`, loaded the way
 * Pulumi's dynamic-provider host loads it.
 */

const INPUTS: ReleaseInputs = { ...RELEASE_INPUTS, targetVersion: "2" };
const RECORDED: ReleaseOutputs = recordedRelease(INPUTS, { previousVersion: "1", deploymentId: "d-1" });
const ID = RELEASE_ID;
const REGION = INPUTS.region;

const regionsAsked: string[] = [];
let provider: ResourceProvider<ReleaseInputs, ReleaseOutputs>;

beforeEach(() => {
  resetSdk();
  regionsAsked.length = 0;
  sdk.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  sdk.codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-2" });
  sdk.codeDeploy.on(GetDeploymentCommand).resolves(deployment("d-2", "Succeeded"));
  provider = createReleaseProvider({ clientsFor: (region) => (regionsAsked.push(region), CLIENTS), clock: fakeClock() });
});

describe("diff", () => {
  it("reports no change when only the provider's own code changed (the engine passes __provider among the inputs)", () => {
    expect(diffRelease(RECORDED, { ...INPUTS, __provider: "new code" } as ReleaseInputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["targetVersion", "3"],
    ["alarmNames", ["errors"]],
    ["timeoutMinutes", 20],
    ["deploymentConfigName", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"],
    ["allowedAccountIds", ["210987654321"]],
  ])("updates in place when %s changes", (key, value) => {
    expect(diffRelease(RECORDED, { ...INPUTS, [key]: value })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it.each(["region", "functionName", "aliasName", "applicationName", "deploymentGroupName"])("replaces when %s changes: a release of something else", (key) => {
    expect(diffRelease(RECORDED, { ...INPUTS, [key]: "other" })).toEqual({ changes: true, replaces: [key], deleteBeforeReplace: false });
  });

  it("is what the provider's diff answers", async () => {
    await expect(provider.diff?.(ID, RECORDED, { ...INPUTS, targetVersion: "3" })).resolves.toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("create, update and delete", () => {
  it("create releases the target in the input's region and records the inputs with the outcome, under an ID naming the alias", async () => {
    sdk.lambda.on(GetAliasCommand).resolves({ FunctionVersion: "1" });
    const created = await provider.create({ ...INPUTS, __provider: "code" } as ReleaseInputs);
    expect(created).toEqual({ id: ID, outs: { ...INPUTS, previousVersion: "1", liveVersion: "2", deploymentId: "d-2", rollbackAlarmsIgnoredFor: "" } });
    expect(regionsAsked).toEqual([REGION]);
  });

  it("create on a new stack starts nothing: the alias was created on the version to release", async () => {
    sdk.lambda.on(GetAliasCommand).resolves({ FunctionVersion: "2" });
    await expect(provider.create(INPUTS)).resolves.toEqual({ id: ID, outs: { ...INPUTS, previousVersion: "2", liveVersion: "2", deploymentId: "", rollbackAlarmsIgnoredFor: "" } });
    expect(sdk.codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("update releases the new inputs' version", async () => {
    sdk.lambda.on(GetAliasCommand).resolves({ FunctionVersion: "2" });
    const updated = await provider.update?.(ID, RECORDED, { ...INPUTS, targetVersion: "3" });
    expect(updated).toEqual({ outs: { ...INPUTS, targetVersion: "3", previousVersion: "2", liveVersion: "3", deploymentId: "d-2", rollbackAlarmsIgnoredFor: "" } });
  });

  it("update after a rollback, with the version unchanged, starts a new deployment: the alias still serves the old version", async () => {
    // The failed update left the old state (target 2); the program still asks for 3, which the alias does not serve.
    sdk.lambda.on(GetAliasCommand).resolves({ FunctionVersion: "2" });
    expect(diffRelease(RECORDED, { ...INPUTS, targetVersion: "3" }).changes).toBe(true);
    await provider.update?.(ID, RECORDED, { ...INPUTS, targetVersion: "3" });
    expect(sdk.codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
  });

  it("delete calls no AWS API: deleting the record neither moves the alias nor stops anything", async () => {
    await provider.delete?.(ID, RECORDED);
    expect([sdk.codeDeploy.calls().length, sdk.lambda.calls().length, regionsAsked.length]).toEqual([0, 0, 0]);
  });
});

describe("the bundle stored as __provider", () => {
  it("holds the provider and what it imports from tap, and leaves the SDK to the project's node_modules", () => {
    const bundle = bundleReleaseProvider();
    expect(bundle.inputs).toEqual(["lib/release-deployment.ts", RELEASE_PROVIDER_SOURCE, "lib/rollout-spec.ts"]);
    const required = [...bundle.code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect([...new Set(required)].sort()).toEqual(["@aws-sdk/client-cloudwatch", "@aws-sdk/client-codedeploy", "@aws-sdk/client-lambda", "@aws-sdk/client-sts"]);
    expect(bundle.code).not.toContain(process.cwd());
  });

  it("is the same text on every build, so the state does not change between runs", () => {
    expect(bundleReleaseProvider().sha256).toBe(bundleReleaseProvider().sha256);
    expect(releaseProviderModule()).toBe(bundleReleaseProvider().code);
  });

  it("loads as Pulumi's host loads it (a module whose handler() returns the provider), and its diff works there", async () => {
    // cmd/dynamic-provider: `requireFromString(props.__provider).handler()`; Node's own loader, outside jest's registry.
    const loaded = loadAsModule(releaseProviderModule());
    const hosted = (loaded.handler as () => ResourceProvider)();
    expect(Object.keys(hosted).sort()).toEqual(["create", "delete", "diff", "read", "update"]);
    await expect(hosted.diff?.("id", RECORDED, { ...INPUTS, functionName: "other" })).resolves.toEqual({ changes: true, replaces: ["functionName"], deleteBeforeReplace: false });
  });
});

/** Compiles module text the way require-from-string does, resolving requires from the project's folder. */
function loadAsModule(code: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const NodeModule = require("module") as { new (id: string): { filename: string; paths: string[]; exports: Record<string, unknown>; _compile(code: string, file: string): void }; _nodeModulePaths(dir: string): string[] };
  const loaded = new NodeModule("");
  loaded.filename = "";
  loaded.paths = NodeModule._nodeModulePaths(process.cwd());
  loaded._compile(code, "");
  return loaded.exports;
}
