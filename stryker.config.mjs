// Mutation testing. `npm run test:mutation` (scripts/mutation.mjs) runs this config once per group of source files,
// setting STRYKER_TESTS to the test files that exercise them, STRYKER_REPORT to the group's name, and --mutate.
// The same by hand, for one file (a "static" mutant, in module-level code or a stack built in beforeAll, runs
// every selected test):
//   STRYKER_TESTS=lib/config,project/pulumi-yaml STRYKER_REPORT=config npx stryker run --mutate lib/config.ts
// A mutant only the unselected files would kill then counts as survived, so a scoped score is a lower bound.
// `npx stryker run` alone mutates all of lib/ and lambda/ against every unit suite below: hours on a shared
// 2-core machine (see BENCHMARKS.md). Not part of `npm test` or CI.
// @ts-check
import process from "node:process";

/** Test files (paths under test/, without .test.ts) to run, from STRYKER_TESTS; all unit suites below when unset. */
const selectedTests = (process.env.STRYKER_TESTS ?? "").split(",").map((name) => name.trim()).filter((name) => name !== "");
const reportName = process.env.STRYKER_REPORT ?? "mutation";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: "npm",
  testRunner: "jest",
  plugins: ["@stryker-mutator/jest-runner"],
  mutate: ["lib/**/*.ts", "lambda/**/*.ts"],
  // Each mutant runs only the tests that executed its code (not every test file).
  coverageAnalysis: "perTest",
  jest: {
    projectType: "custom",
    configFile: "jest.config.js",
    config: {
      // Suites that cannot kill a lib/ or lambda/ mutant in-process are left out: they test verify/, offline/
      // CLIs in child processes (where no mutant is active), the CI workflow files or the benchmarks.
      // test/offline/plan/cli.test.ts runs the same program as the stack tests, through the CLI, at about 30 s per run.
      // test/lib/urn-snapshot.test.ts stays: it kills logical-name mutants no other suite sees (add it to STRYKER_TESTS).
      // test/project/mutation-groups.test.ts and test/project/shared-setup.test.ts test the mutation tooling itself; the second one
      // fakes Stryker's global, which under Stryker is real.
      testPathIgnorePatterns: [
        "/node_modules/",
        "/test/integration/",
        "/test/verify/",
        "/test/project/workflows.test.ts",
        "/test/bench/",
        "/test/offline/local/cli.test.ts",
        "/test/offline/plan/cli.test.ts",
        "/test/project/mutation-groups.test.ts",
        "/test/project/shared-setup.test.ts",
      ],
      ...(selectedTests.length > 0 ? { testMatch: selectedTests.map((name) => `<rootDir>/test/${name}.test.ts`) } : {}),
      reporters: ["default"],
    },
    enableFindRelatedTests: false,
  },
  // Two test processes for two cores; the machine is shared, so keep it at 1-2.
  concurrency: 2,
  // A test runner is a long-lived jest process: each run loads fresh module registries (a new Pulumi SDK and a new
  // esbuild instance, whose service process stays alive), so one grew past 3 GB and 150 idle esbuild processes
  // over a 145-mutant run. A fresh runner every 20 mutants keeps both bounded.
  maxTestRunnerReuse: 20,
  // Stack builds under the mock cloud take seconds; a loaded machine needs the slack.
  timeoutMS: 60000,
  timeoutFactor: 2,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  // The sandbox needs the project, not earlier reports or plans.
  ignorePatterns: ["reports", ".plan", "coverage", "bin"],
};
export default config;
