/**
 * Test set-up that Stryker's per-test coverage can see (npm run test:mutation). No imports: the URN snapshot
 * test uses it without loading the Pulumi SDK into its outer module registry.
 */

/**
 * True during Stryker's coverage run (the dry run of `npm run test:mutation`), which records the code each test
 * executes: Stryker's jest environment defines `__stryker__`, and only its mutant runs set the active mutant.
 */
export function isStrykerCoverageRun(): boolean {
  return "__stryker__" in globalThis && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined;
}

/**
 * A `beforeAll` for the enclosing describe block that Stryker can tie to its tests. It runs `setup` before the
 * block's first test and keeps the result for the others, as `beforeAll` does, but as a `beforeEach` hook, which
 * runs inside a test. Code a `beforeAll` runs belongs to no test, so Stryker calls every mutant in it "static"
 * and runs every selected test for each one. In Stryker's coverage run, `setup` runs again before every test, so
 * each test is tied to exactly the code its own build executes; in every other run it runs once per block.
 */
export function sharedSetup(setup: () => void | Promise<void>, timeout?: number): void {
  let done = false;
  beforeEach(async () => {
    if (done && !isStrykerCoverageRun()) return;
    await setup();
    done = true;
  }, timeout);
}

/**
 * One result for every test of a file that asks for it, such as the default stack's build, which several describe
 * blocks read: `compute` runs on the first call and later calls get the same promise. In Stryker's coverage run it
 * runs on every call, for the same reason as sharedSetup's: each test is then tied to the code its own build runs.
 */
export function sharedResult<T>(compute: () => Promise<T>): () => Promise<T> {
  let shared: Promise<T> | undefined;
  return () => {
    if (isStrykerCoverageRun()) return compute();
    shared ??= compute();
    return shared;
  };
}
