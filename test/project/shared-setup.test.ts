import { isStrykerCoverageRun, sharedResult, sharedSetup } from "../support/shared-setup";

/**
 * sharedSetup (test/support/shared-setup.ts) stands in for beforeAll in the stack tests: once per describe block
 * normally, before every test in Stryker's coverage run. Left out of Stryker's runs (stryker.config.mjs), where
 * `__stryker__` is really defined.
 */
type StrykerGlobal = { __stryker__?: object };

describe("sharedSetup outside Stryker", () => {
  let runs = 0;
  sharedSetup(async () => {
    await Promise.resolve();
    runs += 1;
  });

  it("has run the set-up before the first test", () => {
    expect(isStrykerCoverageRun()).toBe(false);
    expect(runs).toBe(1);
  });

  it("does not run it again for the next test", () => {
    expect(runs).toBe(1);
  });

  describe("a nested block", () => {
    it("shares the outer block's set-up too", () => {
      expect(runs).toBe(1);
    });
  });
});

describe("sharedSetup in Stryker's coverage run", () => {
  let runs = 0;
  beforeAll(() => {
    (globalThis as StrykerGlobal).__stryker__ = {};
  });
  afterAll(() => {
    delete (globalThis as StrykerGlobal).__stryker__;
  });
  sharedSetup(() => {
    runs += 1;
  });

  it("runs the set-up before the first test", () => {
    expect(isStrykerCoverageRun()).toBe(true);
    expect(runs).toBe(1);
  });

  it("and again before every other test, so each test covers the code it builds", () => {
    expect(runs).toBe(2);
  });
});

describe("sharedResult", () => {
  afterEach(() => {
    delete (globalThis as StrykerGlobal).__stryker__;
  });

  it("computes once and hands every later call the same result", async () => {
    let runs = 0;
    const result = sharedResult(async () => ({ run: ++runs }));
    const [first, second] = await Promise.all([result(), result()]);
    expect(await result()).toBe(first);
    expect([first, second === first, runs]).toEqual([{ run: 1 }, true, 1]);
  });

  it("computes again on every call in Stryker's coverage run", async () => {
    (globalThis as StrykerGlobal).__stryker__ = {};
    let runs = 0;
    const result = sharedResult(async () => ++runs);
    expect([await result(), await result(), runs]).toEqual([1, 2, 2]);
  });
});

describe("isStrykerCoverageRun", () => {
  afterEach(() => {
    delete (globalThis as StrykerGlobal).__stryker__;
    delete process.env.__STRYKER_ACTIVE_MUTANT__;
  });

  it("is false in Stryker's mutant runs, which set the active mutant", () => {
    (globalThis as StrykerGlobal).__stryker__ = {};
    process.env.__STRYKER_ACTIVE_MUTANT__ = "12";
    expect(isStrykerCoverageRun()).toBe(false);
  });
});
