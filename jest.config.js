/**
 * TypeScript is transpiled only, by esbuild (test/jest/esbuild-transform.js):
 * type errors are caught once, by `npm run typecheck` (TypeScript 7's tsc --noEmit),
 * instead of once per test file.
 * @type {import('jest').Config}
 */
const path = require("path");

module.exports = {
  // Jest's node environment plus captureUnhandledRejections (test/support/unhandled-rejections.ts); it fails a file
  // that leaves a handle open and ends workers at once (test/jest/environment.js). An absolute path, not <rootDir>:
  // Stryker's jest runner resolves the environment itself and does not expand <rootDir>.
  testEnvironment: path.join(__dirname, "test", "jest", "environment.js"),
  // Jest's runtime, except that jest.isolateModules reloads only the project's modules, not node_modules.
  runtime: path.join(__dirname, "test", "jest", "runtime.js"),
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/integration/"],
  transform: {
    "^.+\\.ts$": "<rootDir>/test/jest/esbuild-transform.js",
  },
  // @pulumi/pulumi loads the TypeScript compiler at start-up only to serialize closures, which no
  // test does; replacing it with an empty module saves about 1 s of CPU per test file.
  moduleNameMapper: {
    "^typescript$": "<rootDir>/test/jest/empty-module.js",
  },
  // npm run bench measures cold runs in a fresh cache directory of its own (JEST_CACHE_DIRECTORY), without
  // clearing the machine-wide default that other jest runs use.
  ...(process.env.JEST_CACHE_DIRECTORY ? { cacheDirectory: process.env.JEST_CACHE_DIRECTORY } : {}),
  // Each test file gets its own Pulumi runtime state (a fresh SDK store in the worker's shared VM context, see
  // test/jest/environment.js); two workers fit the 2-core CI machine.
  maxWorkers: 2,
  // A worker that has finished may take longer than jest's default 500 ms to be gone on a loaded 2-core machine
  // (the kernel freeing a 450-650 MB heap), and jest then warns "failed to exit gracefully" without any leak; a file
  // that leaves a handle open fails in test/jest/environment.js instead.
  workerGracefulExitTimeout: 2000,
  // The second reporter writes jest's counts for .ci/run's closing line.
  reporters: ["default", "<rootDir>/test/jest/results-reporter.js"],
};
