// Jest's module runtime, with one change: inside jest.isolateModules / isolateModulesAsync, packages from
// node_modules come from (and go to) the test file's main module registry; only the project's own modules are
// loaded afresh. A program evaluation needs a fresh registry because the program (index.ts) registers its
// resources when it is first imported; the Pulumi SDK, @pulumi/aws, gRPC and protobuf need none: the SDK keeps
// its state in a global store and setMocks resets its monitor, which is how the component tests' harness builds
// many stacks with one SDK. Loading them again for every evaluation cost about half a second of CPU each, mostly
// jest compiling the same files again.
// jest.config.js names this file as `runtime`; it relies on jest-runtime 30's ModuleRegistries
// (registries.getActiveCjsRegistry), and says so when that is missing.
"use strict";
const Runtime = require("jest-runtime").default;

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/** The isolated registry, except that node_modules paths read and write the main registry. */
class SharedDependencies {
  constructor(isolated, main) {
    this.isolated = isolated;
    this.main = main;
  }
  registryOf(path) {
    return NODE_MODULES.test(path) ? this.main : this.isolated;
  }
  get(path) {
    return this.registryOf(path).get(path);
  }
  has(path) {
    return this.registryOf(path).has(path);
  }
  set(path, module) {
    this.registryOf(path).set(path, module);
    return this;
  }
  delete(path) {
    return this.registryOf(path).delete(path);
  }
  clear() {
    this.isolated.clear();
  }
  get size() {
    return this.isolated.size;
  }
  keys() {
    return this.isolated.keys();
  }
  values() {
    return this.isolated.values();
  }
  entries() {
    return this.isolated.entries();
  }
  forEach(callback, thisArg) {
    this.isolated.forEach(callback, thisArg);
  }
  [Symbol.iterator]() {
    return this.isolated[Symbol.iterator]();
  }
}

class SharedDependenciesRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const registries = this.registries;
    if (typeof registries?.getActiveCjsRegistry !== "function" || !(registries.moduleRegistry instanceof Map)) {
      throw new Error("test/jest/runtime.js expects jest-runtime 30's ModuleRegistries (getActiveCjsRegistry, moduleRegistry); update it for this jest.");
    }
    const active = registries.getActiveCjsRegistry.bind(registries);
    const shared = new WeakMap();
    registries.getActiveCjsRegistry = () => {
      const registry = active();
      if (registry === registries.moduleRegistry) return registry;
      let view = shared.get(registry);
      if (!view) {
        view = new SharedDependencies(registry, registries.moduleRegistry);
        shared.set(registry, view);
      }
      return view;
    };
  }
}

module.exports = SharedDependenciesRuntime;
