// Stands in for "esbuild" in test files (jest.config.js moduleNameMapper): every module registry of a test file
// gets the same esbuild module. A fresh registry (jest.isolateModulesAsync: each program evaluation) would otherwise
// load esbuild afresh, and its first buildSync starts a new worker thread and esbuild service process for the
// Lambda bundle: about a quarter of a second of CPU per evaluation.
"use strict";
const shared = Symbol.for("tap: esbuild, shared by the module registries of one test file");
module.exports = globalThis[shared] ??= require("esbuild/lib/main.js");
