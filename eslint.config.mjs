// Lint config. The Pulumi rules need type information, so they run (with the
// typed parser) only where Outputs live: the program, the examples and the library. Their TypeScript
// program is tsconfig.lint.json (those files and their imports), not the whole project:
// half the CPU and memory of projectService's tsconfig.json (BENCHMARKS.md, "Developer loop").
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

// defineConfig is ESLint's own helper; typescript-eslint deprecates its tseslint.config() in its favour.
export default defineConfig(
  { ignores: ["node_modules/", "bin/", "coverage/", ".plan/", ".stryker-tmp/", "reports/", "**/*.js", "!eslint.config.mjs", "test/fixtures/typecheck/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Plain Node.js scripts: .ci/run's Node.js 24 artifact check and npm test's step runner.
    files: [".ci/**/*.mjs", "scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly" } },
  },
  {
    // scripts/process-tree.cjs: CommonJS, so that the TypeScript tools and the .mjs scripts share it.
    files: ["scripts/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { process: "readonly", require: "readonly", module: "writable", setTimeout: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["index.ts", "examples/**/*.ts", "lib/**/*.ts"],
    languageOptions: { parserOptions: { project: ["./tsconfig.lint.json"], tsconfigRootDir: import.meta.dirname } },
    plugins: { pulumi },
    rules: {
      "pulumi/no-output-in-template-literal": "error",
      "pulumi/no-output-instance-in-template-literal": "error",
    },
  },
);
