import { AsyncLocalStorage } from "async_hooks";
import TapEnvironment from "../jest/environment";

/**
 * test/jest/environment.js runs every test file of a jest worker in one VM
 * context, so that the Pulumi SDK loads once per worker; what must stay per
 * file is checked here on two environments built in a row, as jest builds
 * them for two files: the same context and global, a process object of the
 * file's own, and a fresh Pulumi SDK store.
 */

const projectConfig = { testEnvironmentOptions: {}, globals: {}, fakeTimers: {}, rootDir: __dirname, testEnvironment: "node" };
const environmentFor = (file: string) =>
  new TapEnvironment({ projectConfig, globalConfig: {} }, { testPath: `/tmp/${file}.test.ts`, console, docblockPragmas: {} });

/** What the SDK keeps on the global (@pulumi/pulumi runtime/state.js): its LocalStore and the stack resource. */
class FakeStore {
  config: Record<string, string> = {};
  stackResource: unknown = undefined;
  resourcePackages = new Map<string, unknown>();
  resourceModules = new Map<string, unknown>();
}

describe("one VM context per jest worker", () => {
  it("the second file's environment runs in the first one's context, on the same global, with a process of its own", () => {
    const first = environmentFor("first");
    const second = environmentFor("second");
    expect(second.getVmContext()).toBe(first.getVmContext());
    expect(second.global).toBe(first.global);
    expect(second.global.process).not.toBe(process);
    expect(typeof second.global.captureUnhandledRejections).toBe("function");
  });

  it("a file starts with a fresh Pulumi store that keeps only the packages and modules @pulumi/aws registered", () => {
    const first = environmentFor("first");
    const used = new FakeStore();
    used.config["tap:regions"] = '["eu-west-1"]';
    used.stackResource = { urn: "urn:pulumi:dev::tap::pulumi:pulumi:Stack::tap-dev" };
    used.resourcePackages.set("aws", { version: "7" });
    used.resourceModules.set("aws:s3", { construct: true });
    first.global.globalStore = used;
    first.global.stackResource = used.stackResource;

    const second = environmentFor("second");
    second.resetPulumiState();
    const fresh = second.global.globalStore as FakeStore;
    expect(fresh).toBeInstanceOf(FakeStore);
    expect(fresh).not.toBe(used);
    expect([fresh.config, fresh.stackResource, "stackResource" in second.global]).toEqual([{}, undefined, false]);
    expect([fresh.resourcePackages, fresh.resourceModules]).toEqual([used.resourcePackages, used.resourceModules]);
    expect(fresh.resourcePackages).toBe(used.resourcePackages);
  });
});

describe("what jest keeps on the global for one file", () => {
  it("jest-circus's state and event handlers are removed when the file ends, so the next file's do not pile up on them", () => {
    const first = environmentFor("first");
    const state = Symbol("JEST_STATE_SYMBOL");
    const handlers = Symbol.for("EVENT_HANDLERS");
    // jest's own, set once per context (test/jest/environment.js does not list it): it stays.
    const kept = Symbol.for("jest-native-promise");
    Object.assign(first.global, { [state]: { tests: ["of the first file"] }, [handlers]: [() => undefined] });
    first.forgetFileGlobals();
    expect([state in first.global, handlers in first.global, kept in first.global]).toEqual([false, false, true]);
  });

  it("expect's state (custom matchers, equality testers, counts) is the file's own", () => {
    const first = environmentFor("first");
    const expectState = Symbol.for("$$jest-matchers-object");
    first.freshExpectState();
    const ofFirst = first.global[expectState as unknown as keyof typeof first.global] as unknown as { matchers: Record<string, unknown> };
    ofFirst.matchers.toBeCustom = () => undefined;
    const second = environmentFor("second");
    second.freshExpectState();
    const ofSecond = second.global[expectState as unknown as keyof typeof second.global] as unknown as { matchers: Record<string, unknown>; state: object };
    expect([ofSecond === ofFirst, Object.keys(ofSecond.matchers), ofSecond.state]).toEqual([
      false,
      [],
      { assertionCalls: 0, expectedAssertionsNumber: null, isExpectingAssertions: false, numPassingAsserts: 0, suppressedErrors: [] },
    ]);
  });
});

describe("AsyncLocalStorage instances of a file", () => {
  // jest-circus makes one per file and never disables it; Node then runs every enabled instance's hook for each
  // promise of every later file in the worker.
  it("are disabled when the file ends, and one that is used again enables itself", () => {
    // A module object of its own: node:async_hooks itself is already tracked by this file's environment.
    const asyncHooks = { AsyncLocalStorage: class FileStorage<T> extends AsyncLocalStorage<T> {} };
    TapEnvironment.asyncLocalStorages.track(asyncHooks);
    const storage = new asyncHooks.AsyncLocalStorage<string>();
    expect(storage).toBeInstanceOf(AsyncLocalStorage);
    storage.enterWith("file one");
    expect(storage.getStore()).toBe("file one");

    TapEnvironment.asyncLocalStorages.disableAll();
    expect(storage.getStore()).toBeUndefined();
    expect(storage.run("file two", () => storage.getStore())).toBe("file two");
  });
});
