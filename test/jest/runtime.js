// Jest's module runtime, with one change: packages from node_modules are loaded once per VM context, not once
// per test file and again in every jest.isolateModules registry; only the project's own modules load afresh.
//
// - Inside one file: a program evaluation needs a fresh registry (jest.isolateModules), because the program
//   (index.ts) registers its resources when it is first imported; the Pulumi SDK, @pulumi/aws, gRPC and protobuf
//   need none. The SDK keeps its state in a global store and setMocks resets its monitor, which is how the
//   component tests' harness builds many stacks with one SDK.
// - Across files: test/jest/environment.js gives every file of a worker the same VM context, so a package that an
//   earlier file loaded (compiled in that context, with its globals) is the one a later file gets, already
//   compiled and warmed up. Loading the SDK and @pulumi/aws again for each file cost about a second of CPU
//   each; the environment resets the SDK's store between files. With one context per file
//   (JEST_CONTEXT_PER_FILE=1) this sharing stops at the file, as it did before.
// - Packages a test changes in place stay per file: aws-sdk-client-mock stubs the AWS SDK clients' `send` for the
//   whole module, and a file that does not restore it would hand its stubs to the next.
//
// A package's module keeps the `require` of the runtime that loaded it; a later file's lazy require through it
// (@pulumi/aws loads each service on first use) goes to the runtime of the file running now.
// jest.config.js names this file as `runtime`; it relies on jest-runtime 30's ModuleRegistries
// (registries.getActiveCjsRegistry), and says so when that is missing.
"use strict";
const Runtime = require("jest-runtime").default;

const NODE_MODULES = /[\\/]node_modules[\\/]/;
/** Packages each test file loads for itself: the AWS SDK v3 clients and what stubs them (aws-sdk-client-mock, sinon). */
const PER_FILE_PACKAGES = /[\\/]node_modules[\\/](@aws-sdk|@smithy|aws-sdk-client-mock|sinon|@sinonjs)[\\/]/;

/** VM context -> its node_modules registry (module path -> module), shared by every runtime that runs in that context. */
const packagesOfContext = new WeakMap();
/** The runtime of the test file running now in this process (jest runs one file at a time per worker). */
let current;

/** A registry view: node_modules paths read and write the context's registry (or the file's main one), the rest `local`. */
class SharedDependencies {
  constructor(local, fileMain, contextPackages) {
    this.local = local;
    this.fileMain = fileMain;
    this.contextPackages = contextPackages;
  }
  registryOf(path) {
    if (!NODE_MODULES.test(path)) return this.local;
    return PER_FILE_PACKAGES.test(path) ? this.fileMain : this.contextPackages;
  }
  get(path) {
    return this.registryOf(path).get(path);
  }
  has(path) {
    return this.registryOf(path).has(path);
  }
  set(path, module) {
    const registry = this.registryOf(path);
    // Jest gives every module a read-only `main`: the test file that loaded it. A package outlives that file, and
    // its `main` would keep the file's whole module graph alive; made configurable here, the runtime clears it
    // when the file ends (jest's own definition keeps it configurable).
    if (registry === this.contextPackages && module && !Object.prototype.hasOwnProperty.call(module, "main")) {
      Object.defineProperty(module, "main", { configurable: true, enumerable: true, writable: true, value: null });
    }
    registry.set(path, module);
    return this;
  }
  delete(path) {
    return this.registryOf(path).delete(path);
  }
  clear() {
    this.local.clear();
  }
  get size() {
    return this.local.size;
  }
  keys() {
    return this.local.keys();
  }
  values() {
    return this.local.values();
  }
  entries() {
    return this.local.entries();
  }
  forEach(callback, thisArg) {
    this.local.forEach(callback, thisArg);
  }
  [Symbol.iterator]() {
    return this.local[Symbol.iterator]();
  }
}

class SharedDependenciesRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const registries = this.registries;
    if (typeof registries?.getActiveCjsRegistry !== "function" || !(registries.moduleRegistry instanceof Map)) {
      throw new Error("test/jest/runtime.js expects jest-runtime 30's ModuleRegistries (getActiveCjsRegistry, moduleRegistry); update it for this jest.");
    }
    const context = this._environment.getVmContext();
    let contextPackages = packagesOfContext.get(context);
    if (!contextPackages) {
      contextPackages = new Map();
      packagesOfContext.set(context, contextPackages);
    }
    this.contextPackages = contextPackages;
    current = this;
    const active = registries.getActiveCjsRegistry.bind(registries);
    const views = new WeakMap();
    registries.getActiveCjsRegistry = () => {
      const registry = active();
      let view = views.get(registry);
      if (!view) {
        view = new SharedDependencies(registry, registries.moduleRegistry, contextPackages);
        views.set(registry, view);
      }
      return view;
    };
  }

  teardown() {
    super.teardown();
    for (const module of this.contextPackages.values()) {
      if (module.main !== null && Object.getOwnPropertyDescriptor(module, "main")?.configurable) module.main = null;
    }
  }

  requireModuleOrMock(from, moduleName) {
    // A package loaded by an earlier file requires through that file's runtime, which has been torn down.
    if (current !== undefined && current !== this && NODE_MODULES.test(from)) return current.requireModuleOrMock(from, moduleName);
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = SharedDependenciesRuntime;
