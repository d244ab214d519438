/**
 * Jest's node environment, with what a shared 2-core machine and the Pulumi SDK need:
 *
 * 1. captureUnhandledRejections(work), for test files: it runs `work` while the unhandled promise rejections it
 *    leaves behind are recorded and handed back, instead of failing the running test (jest-circus listens on
 *    the real process, which a test file cannot reach: its `process` is a copy). A program that fails under the
 *    mock cloud leaves such rejections: the Pulumi SDK turns each failed registration into a rejected promise
 *    nobody awaits. Without this, such a program could only run in a child process of its own.
 * 2. A test file that leaves something open which keeps the process alive (a
 *    server, a socket, a child process, a ref'd timer) fails, naming what it
 *    left: the environment's teardown, which runs after the file's own
 *    afterAll hooks, compares process.getActiveResourcesInfo() with what was
 *    open when the file started. Left alone, such a handle keeps the jest
 *    worker from exiting, and jest only prints "A worker process has failed to
 *    exit gracefully" at the end of the run, without naming the file.
 * 3. A worker exits at once when jest tells it to end. The workers had
 *    nothing open, but a natural exit tears the whole heap down first (450-650
 *    MB after the stack tests): 0.6-0.9 s from the worker's exit event to jest
 *    seeing it, at load 7-12 on 2 cores, past jest-worker's 500 ms limit
 *    (FORCE_EXIT_DELAY), so jest printed that warning with no leak at all.
 *    process.exit skips that: 0.1-0.4 s in the same conditions, though at load
 *    10 a 630 MB worker still took 0.63 s (the kernel freeing its memory), so
 *    the warning can still appear under load; it then means a slow exit, since
 *    a file that leaves a handle open fails here. jest 30's
 *    workerGracefulExitTimeout removes it at no cost.
 * 4. Every test file of a worker runs in one VM context (TapEnvironment.inWorkerContext), so that the Pulumi SDK
 *    and @pulumi/aws load once per worker instead of once per file; the SDK's global store is fresh for each
 *    file. JEST_CONTEXT_PER_FILE=1 restores jest's context per file, to tell whether a failure comes from sharing
 *    (test/project/worker-context.test.ts, which checks the sharing, then fails).
 *
 * This module runs in the worker's own context, outside the tests' sandbox, so
 * `process` here is the real one.
 */
"use strict";
const vm = require("node:vm");
const { TestEnvironment } = require("jest-environment-node");
const { leftOpenSince, openResources } = require("./open-resources");

const fromEnvironment = { paths: [require.resolve("jest-environment-node")] };
const { LegacyFakeTimers, ModernFakeTimers } = require(require.resolve("@jest/fake-timers", fromEnvironment));
const { ModuleMocker } = require(require.resolve("jest-mock", fromEnvironment));

/** Node reports a rejection on a later turn of the event loop than the one that settled it. */
const laterTurn = () => new Promise((resolve) => setImmediate(resolve));

/** How long a file's closing sockets and exiting children get to finish before they count as left open. */
const SETTLE_MS = 2000;
/** jest-worker's CHILD_MESSAGE_END: the parent has no more work for this worker. */
const CHILD_MESSAGE_END = 2;

let exitOnEndInstalled = false;
function exitPromptlyOnEnd() {
  // Only in a jest-worker child: the parent process (or an in-band run) has no IPC channel to listen on.
  if (exitOnEndInstalled || typeof process.send !== "function" || process.env.JEST_WORKER_ID === undefined) return;
  exitOnEndInstalled = true;
  const listener = (message) => {
    if (!Array.isArray(message) || message[0] !== CHILD_MESSAGE_END) return;
    process.removeListener("message", listener);
    process.exit(0);
  };
  process.on("message", listener);
}

/**
 * AsyncLocalStorage instances created while the current test file runs. jest-circus makes one per file (its test
 * execution context) and never disables it; an enabled instance stays in Node's list of storages for good, and
 * every promise created afterwards in the process runs its propagation hook for each one (Node 20's
 * AsyncLocalStorage._propagate). A worker's 40th file then pays 40 hooks per promise, and the Pulumi SDK creates
 * promises by the thousand: an in-band run of test/lib and test/policy took 47.4 CPU-s with them and 30.8 once
 * they were disabled. Disabling a file's instances when it ends keeps the list short; an instance that is used again
 * (the Pulumi SDK's, on the shared global) enables itself on its next run().
 */
let storagesOfFile = [];
/** Makes `asyncHooks.AsyncLocalStorage` (node:async_hooks, which every context shares) record its instances. */
function trackAsyncLocalStorages(asyncHooks) {
  const Native = asyncHooks.AsyncLocalStorage;
  if (Object.prototype.hasOwnProperty.call(Native, "tapTracked")) return;
  class TrackedAsyncLocalStorage extends Native {
    constructor(...args) {
      super(...args);
      storagesOfFile.push(this);
    }
  }
  TrackedAsyncLocalStorage.tapTracked = true;
  // Node 24 and later export it as a getter without a setter (configurable), so define it rather than assign it.
  Object.defineProperty(asyncHooks, "AsyncLocalStorage", { value: TrackedAsyncLocalStorage, writable: true, configurable: true, enumerable: true });
}
function disableStoragesOfFile() {
  for (const storage of storagesOfFile) storage.disable();
  storagesOfFile = [];
}

/**
 * What jest-circus and expect keep on the global for one test file. In a context of its own each file starts
 * without them; in the shared context they would pile up: jest-circus keys its state by a Symbol of its own per
 * file (every earlier file's tests and their closures stay reachable), and appends its event handlers to the
 * array the first file left under Symbol.for("EVENT_HANDLERS") (every event of a later file would run every
 * earlier file's handlers too). They are removed when a file ends.
 */
const PER_FILE_SYMBOLS = new Set([
  "JEST_STATE_SYMBOL",
  "EVENT_HANDLERS",
  "RETRY_TIMES_SETTER",
  "RETRY_TIMES",
  "RETRY_IMMEDIATELY",
  "WAIT_BEFORE_RETRY",
  "TEST_TIMEOUT_SYMBOL",
  "LOG_ERRORS_BEFORE_RETRY",
]);
/** expect's matchers, custom equality testers and assertion counts: defined by expect unless present. */
const EXPECT_STATE = Symbol.for("$$jest-matchers-object");

/** One context per file, as jest does by default, instead of one per worker. */
const CONTEXT_PER_FILE = process.env.JEST_CONTEXT_PER_FILE === "1";
/** The worker's VM context and its global object, made by its first test file's environment. */
let workerContext;

/** Jest's node environment, built on a plain global object rather than jest 30's recording Proxy (see below). */
function nodeEnvironmentWithPlainGlobal(config, context, newTarget) {
  const createContext = vm.createContext;
  vm.createContext = (_recordingProxy, options) => createContext(Object.create(Object.getPrototypeOf(globalThis)), options);
  try {
    return Reflect.construct(TestEnvironment, [config, context], newTarget);
  } finally {
    vm.createContext = createContext;
  }
}

/** Timer helpers as jest-environment-node makes them for its fake timers. */
const timerIdToRef = (id) => ({
  id,
  ref() {
    return this;
  },
  unref() {
    return this;
  },
});
const timerRefToId = (timer) => timer?.id;

class TapEnvironment extends TestEnvironment {
  constructor(config, context) {
    if (CONTEXT_PER_FILE) {
      super(config, context);
    } else {
      // Built by jest's constructor on a plain global, for this class or a subclass (Stryker wraps this environment).
      return TapEnvironment.inWorkerContext(nodeEnvironmentWithPlainGlobal(config, context, new.target), config);
    }
    this.installCapture();
  }

  /**
   * Every test file of a worker runs in one VM context: the first file's. Jest builds a fresh context per file;
   * then each file loads and compiles the Pulumi SDK and @pulumi/aws again (about a second of CPU), because a
   * module compiled in one context cannot serve another (its arrays and promises are not the other's Array and
   * Promise, which the SDK's `instanceof` checks need). With one context, test/jest/runtime.js loads node_modules
   * once per worker. What stays per file: the module registry of the project's own code and of the test, jest's
   * globals (describe, expect, console), `process` (a fresh copy, as jest makes it), the fake timers and mocks,
   * and the Pulumi SDK's store, which `setup` replaces.
   *
   * The global is a plain object: jest 30 builds it as a Proxy that records every property set after set-up and
   * deletes them when the file ends, which would tear down what the SDK keeps on the global for the next file.
   */
  static inWorkerContext(environment, config) {
    if (workerContext === undefined) {
      workerContext = { context: environment.context, global: environment.global };
    } else {
      const global = workerContext.global;
      global.process = environment.global.process;
      global.Error.stackTraceLimit = environment.global.Error.stackTraceLimit;
      environment.context = workerContext.context;
      environment.global = global;
      environment.moduleMocker = new ModuleMocker(global);
      environment.fakeTimers = new LegacyFakeTimers({ config: config.projectConfig, global, moduleMocker: environment.moduleMocker, timerConfig: { idToRef: timerIdToRef, refToId: timerRefToId } });
      environment.fakeTimersModern = new ModernFakeTimers({ config: config.projectConfig, global });
    }
    environment.installCapture();
    return environment;
  }

  /**
   * The Pulumi SDK keeps its state on the global (`globalStore`: settings, config, the stack resource, pending
   * registrations); a file gets a fresh one, as it would in a context of its own. The packages and modules that
   * @pulumi/aws registered when it loaded (it loads once per worker) carry over.
   */
  resetPulumiState() {
    const store = this.global.globalStore;
    if (store === undefined) return;
    const fresh = new store.constructor();
    fresh.resourcePackages = store.resourcePackages;
    fresh.resourceModules = store.resourceModules;
    this.global.globalStore = fresh;
    delete this.global.stackResource;
  }

  /**
   * Gives the file expect's state of its own: expect defines it, when absent, as a property that cannot be
   * deleted or replaced; defined here first, it can be replaced for the next file.
   */
  freshExpectState() {
    Object.defineProperty(this.global, EXPECT_STATE, {
      configurable: true,
      writable: true,
      value: {
        customEqualityTesters: [],
        matchers: Object.create(null),
        state: { assertionCalls: 0, expectedAssertionsNumber: null, isExpectingAssertions: false, numPassingAsserts: 0, suppressedErrors: [] },
      },
    });
  }

  /** Removes jest-circus's globals of the file that ends (PER_FILE_SYMBOLS). */
  forgetFileGlobals() {
    for (const symbol of Object.getOwnPropertySymbols(this.global)) {
      if (PER_FILE_SYMBOLS.has(symbol.description)) delete this.global[symbol];
    }
  }

  installCapture() {
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

  async setup() {
    trackAsyncLocalStorages(require("node:async_hooks"));
    this.resetPulumiState();
    this.freshExpectState();
    exitPromptlyOnEnd();
    // Node opens the standard streams on first use (the Pulumi SDK reads process.stdin's getter when it
    // loads); open them now, so that they are part of the baseline rather than counted against a file.
    void [process.stdin, process.stdout, process.stderr];
    this.openAtStart = openResources();
    await super.setup();
  }

  async teardown() {
    if (this.global) this.forgetFileGlobals();
    await super.teardown();
    disableStoragesOfFile();
    const left = await leftOpenSince(this.openAtStart, SETTLE_MS);
    if (left.length > 0) {
      throw new Error(
        `This test file left open what keeps a process alive: ${left.join(", ")} (process.getActiveResourcesInfo()). ` +
          "Close it in the test (server.close(), a child's exit, clearTimeout); `npx jest --detectOpenHandles <file>` shows where it was opened.",
      );
    }
  }
}

/** For test/project/worker-context.test.ts. */
TapEnvironment.asyncLocalStorages = { track: trackAsyncLocalStorages, disableAll: disableStoragesOfFile };

module.exports = TapEnvironment;
