/**
 * `npm run test:integration`: the verifier's checks (verify/) as one jest test
 * per check and region, against a live stack. The stack's outputs come from
 * TAP_OUTPUTS (a file written by `pulumi stack output --json`) or TAP_STACK (a
 * stack name; needs the Pulumi CLI). Without either, every test is reported
 * as skipped, never as passed. See test/integration/stack.test.ts for the
 * other variables.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/integration"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "<rootDir>/test/jest/esbuild-transform.js",
  },
  // One live stack: the files run one after another, so their requests do not pile up.
  maxWorkers: 1,
  // Shows each check's name, and the skip reason, even when several files run.
  verbose: true,
  // The checks themselves bound every call (timeouts, attempts); this is only the backstop.
  testTimeout: 300000,
};
