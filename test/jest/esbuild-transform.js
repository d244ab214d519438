// Jest transformer: TypeScript to CommonJS with esbuild (a project dependency), transpile only,
// as ts-jest did with isolatedModules. Type errors are caught once, by `npm run typecheck`.
// esbuild compiles a file in well under a millisecond and is already loaded for the Lambda
// bundle; ts-jest loaded the TypeScript compiler (9 MB of JavaScript) into every jest worker
// and spent seconds of CPU per cold run in its emitter (BENCHMARKS.md, "Developer loop").
"use strict";
const { createHash } = require("crypto");
const { readFileSync } = require("fs");
const { transformSync, version } = require("esbuild");

// The settings from tsconfig.json that change emitted JavaScript (esbuild reads no tsconfig file
// here): target ES2022 gives define semantics for class fields, as tsc's emit does.
const OPTIONS = {
  loader: "ts",
  format: "cjs",
  target: "es2022",
  platform: "node",
  // import() becomes require(), as tsc's CommonJS emit does: jest's module registry (isolateModules,
  // the mock cloud) sees every module, and no --experimental-vm-modules is needed.
  supported: { "dynamic-import": false },
  sourcemap: true,
  sourcesContent: false,
  tsconfigRaw: { compilerOptions: { target: "ES2022", esModuleInterop: true, verbatimModuleSyntax: false } },
};

const CONFIG_KEY = createHash("sha256").update(readFileSync(__filename)).update(version).update(JSON.stringify(OPTIONS)).digest("hex");

module.exports = {
  canInstrument: false,
  getCacheKey(source, filename) {
    return createHash("sha256").update(CONFIG_KEY).update("\0").update(filename).update("\0").update(source).digest("hex");
  },
  process(source, filename) {
    const result = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code: result.code, map: result.map };
  },
};
