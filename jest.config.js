/**
 * ts-jest transpiles only (tsconfig's isolatedModules): type errors are caught
 * once, by `npm run typecheck` (tsc --noEmit), instead of once per test file.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/integration/"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  // Each test file gets its own Pulumi runtime state; two workers fit the 2-core CI machine.
  maxWorkers: 2,
  // The second reporter writes jest's counts for .ci/run's closing line.
  reporters: ["default", "<rootDir>/test/results-reporter.js"],
};
