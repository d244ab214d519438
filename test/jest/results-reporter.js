/**
 * Jest reporter that writes jest's own aggregated counts to .jest-results.json,
 * so .ci/run can print "N passed, M failed" from the runner's results rather
 * than by parsing its console output.
 */
const fs = require("fs");
const path = require("path");

class ResultsFileReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const summary = {
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTotalTests: results.numTotalTests,
      numFailedTestSuites: results.numFailedTestSuites,
      // Suites that crashed before running their tests: they fail the run without failing a test.
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
    };
    fs.writeFileSync(path.join(this.rootDir, ".jest-results.json"), JSON.stringify(summary, null, 2) + "\n");
  }
}

module.exports = ResultsFileReporter;
