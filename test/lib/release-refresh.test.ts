import { GetAliasCommand } from "@aws-sdk/client-lambda";
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { ReleaseError } from "../../lib/release-deployment";
import { ReleaseInputs, ReleaseOutputs, createReleaseProvider, diffRelease } from "../../lib/release-provider";
import { CLIENTS, RELEASE_ID, RELEASE_INPUTS, TARGET, fakeClock, recordedRelease, resetSdk, sdk } from "../support/release-sdk";

/**
 * `pulumi refresh` and drift: the release step's `read` asks Lambda which
 * version the alias serves (GetAlias FunctionVersion) and records it as
 * `liveVersion`, so an alias moved by hand shows in the refresh; `diff` then
 * reports a change while `liveVersion` is not the target, and the next
 * `pulumi up` releases the target again.
 */

const INPUTS = RELEASE_INPUTS;
const RECORDED = recordedRelease();
const ID = RELEASE_ID;

const regionsAsked: string[] = [];
let provider: ResourceProvider<ReleaseInputs, ReleaseOutputs>;

beforeEach(() => {
  resetSdk();
  regionsAsked.length = 0;
  provider = createReleaseProvider({ clientsFor: (region) => (regionsAsked.push(region), CLIENTS), clock: fakeClock() });
});

describe("read (pulumi refresh)", () => {
  it("records the version the alias serves in AWS as liveVersion, and keeps everything else", async () => {
    sdk.lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "5" });
    await expect(provider.read?.(ID, RECORDED)).resolves.toEqual({ id: ID, props: { ...RECORDED, liveVersion: "5" } });
    expect(sdk.lambda.commandCalls(GetAliasCommand).map((call) => call.args[0].input)).toEqual([{ FunctionName: TARGET.functionName, Name: "live" }]);
    expect(regionsAsked).toEqual(["eu-west-1"]);
  });

  it("records an empty liveVersion when the alias or the function is gone, and keeps the release", async () => {
    sdk.lambda.on(GetAliasCommand).rejects(Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException" }));
    await expect(provider.read?.(ID, RECORDED)).resolves.toEqual({ id: ID, props: { ...RECORDED, liveVersion: "" } });
  });

  it("fails with the action it needs when GetAlias is refused", async () => {
    sdk.lambda.on(GetAliasCommand).rejects(Object.assign(new Error("not authorized to perform: lambda:GetAlias"), { name: "AccessDeniedException" }));
    const error = await provider.read?.(ID, RECORDED).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toBe(`Reading ${TARGET.functionName}:live in eu-west-1 failed: GetAlias (lambda:GetAlias) answered AccessDeniedException: not authorized to perform: lambda:GetAlias`);
  });
});

describe("diff after a refresh", () => {
  it("reports an update when the alias serves another version than the target (moved by hand)", () => {
    expect(diffRelease({ ...RECORDED, liveVersion: "5" }, INPUTS)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("reports an update when the alias is gone (liveVersion empty)", () => {
    expect(diffRelease({ ...RECORDED, liveVersion: "" }, INPUTS).changes).toBe(true);
  });

  it("reports nothing when the alias serves the target", () => {
    expect(diffRelease(RECORDED, INPUTS)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});
