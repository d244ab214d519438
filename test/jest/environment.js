// Jest's node environment, plus one function for test files: captureUnhandledRejections(work). It runs `work`
// while the unhandled promise rejections it leaves behind are recorded and handed back, instead of failing the
// running test (jest-circus listens on the real process, which a test file cannot reach: its `process` is a copy).
// A program that fails under the mock cloud leaves such rejections: the Pulumi SDK turns each failed
// registration into a rejected promise nobody awaits. Without this, such a program could only run in a child
// process of its own.
"use strict";
const { TestEnvironment } = require("jest-environment-node");

/** Node reports a rejection on a later turn of the event loop than the one that settled it. */
const laterTurn = () => new Promise((resolve) => setImmediate(resolve));

class TapEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.captureUnhandledRejections = async (work) => {
      const reasons = [];
      const record = (reason) => reasons.push(reason);
      const saved = process.rawListeners("unhandledRejection");
      process.removeAllListeners("unhandledRejection");
      process.on("unhandledRejection", record);
      try {
        const value = await work();
        await laterTurn();
        await laterTurn();
        return { value, reasons };
      } finally {
        process.removeListener("unhandledRejection", record);
        for (const listener of saved) process.on("unhandledRejection", listener);
      }
    };
  }
}

module.exports = TapEnvironment;
