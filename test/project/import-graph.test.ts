import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ImportGraph, importCycles, importGraph } from "../support/import-graph";
import { REPO_ROOT } from "../support/paths";

/**
 * The project's import graph: no file imports another in a circle, type-only imports included, and no tool
 * reaches into test/: each folder depends only on what lies below it. The graph comes from TypeScript's own import scanner and resolver
 * (test/support/import-graph.ts); the cycle search is checked on hand-made graphs first.
 */

/** The project's own code: the library, its tools and the program. */
const PROJECT_ROOTS = ["lib", "offline", "verify", "preflight", "common", "policy", "bench", "lambda", "examples", "index.ts"];

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe("importCycles", () => {
  it("finds none in a graph that only runs downward", () => {
    expect(importCycles(graphOf({ "a.ts": ["b.ts", "c.ts"], "b.ts": ["c.ts"], "c.ts": [] }))).toEqual([]);
    expect(importCycles(new Map())).toEqual([]);
  });

  it("finds two files that import each other, written from the first back to itself", () => {
    expect(importCycles(graphOf({ "b.ts": ["a.ts"], "a.ts": ["b.ts"] }))).toEqual([["a.ts", "b.ts", "a.ts"]]);
  });

  it("finds a file that imports itself", () => {
    expect(importCycles(graphOf({ "a.ts": ["a.ts", "b.ts"], "b.ts": [] }))).toEqual([["a.ts", "a.ts"]]);
  });

  it("finds a longer circle behind a file that is not in it, by its shortest way round", () => {
    const graph = graphOf({
      "entry.ts": ["x.ts"],
      "x.ts": ["y.ts"],
      "y.ts": ["z.ts", "w.ts"],
      "z.ts": ["x.ts"],
      "w.ts": ["z.ts"],
    });
    expect(importCycles(graph)).toEqual([["w.ts", "z.ts", "x.ts", "y.ts", "w.ts"]]);
  });

  it("reports each separate circle once, in file order", () => {
    const graph = graphOf({ "d.ts": ["c.ts"], "c.ts": ["d.ts"], "a.ts": ["b.ts", "c.ts"], "b.ts": ["a.ts"] });
    expect(importCycles(graph)).toEqual([
      ["a.ts", "b.ts", "a.ts"],
      ["c.ts", "d.ts", "c.ts"],
    ]);
  });
});

describe("importGraph", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "import-graph-")));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write("src/config.ts", 'import type { Policy } from "./spec";\nimport data from "./data.json";\nimport * as fs from "fs";\nexport const x: Policy | typeof data | typeof fs = "a";\n');
    write("src/spec.ts", 'export { x } from "./config";\nexport type Policy = "a";\n');
    write("src/data.json", "{}\n");
    write("src/lazy.ts", 'export async function load() {\n  return import("./tools");\n}\n');
    write("src/tools/index.ts", 'import "../side-effect";\nimport helper = require("../helper");\nexport { helper };\n');
    write("src/side-effect.ts", "export {};\n");
    write("src/helper.ts", "export const helper = 1;\n");
    write("src/types.d.ts", "export type Declared = string;\n");
    write("other/outside.ts", 'import { helper } from "../src/helper";\nexport const outside = helper;\n');
    write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "commonjs", resolveJsonModule: true, esModuleInterop: true } }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("records every kind of import between project .ts files: import type, export from, import(), side effects, import = require", () => {
    expect(Object.fromEntries(importGraph(dir, ["src"]))).toEqual({
      "src/config.ts": ["src/spec.ts"],
      "src/helper.ts": [],
      "src/lazy.ts": ["src/tools/index.ts"],
      "src/side-effect.ts": [],
      "src/spec.ts": ["src/config.ts"],
      "src/tools/index.ts": ["src/helper.ts", "src/side-effect.ts"],
    });
  });

  it("follows an import out of the given folders into the project, and finds the type-only cycle", () => {
    const graph = importGraph(dir, ["other"]);
    expect([...graph.keys()]).toEqual(["other/outside.ts", "src/helper.ts"]);
    expect(importCycles(importGraph(dir, ["src"]))).toEqual([["src/config.ts", "src/spec.ts", "src/config.ts"]]);
  });
});

describe("the project's own code", () => {
  let graph: ImportGraph;
  beforeAll(() => {
    graph = importGraph(REPO_ROOT, PROJECT_ROOTS);
  });

  it("is read whole: every root exists, and the stack's imports are seen", () => {
    for (const root of PROJECT_ROOTS) expect([root, fs.existsSync(path.join(REPO_ROOT, root))]).toEqual([root, true]);
    expect(graph.get("lib/tap-stack.ts")).toEqual(expect.arrayContaining(["lib/config.ts", "lib/global-layer.ts", "lib/network.ts"]));
    expect(graph.get("index.ts")).toContain("lib/index.ts");
    expect(graph.size).toBeGreaterThan(60);
  });

  it("has no import cycle", () => {
    expect(importCycles(graph).map((cycle) => cycle.join(" -> "))).toEqual([]);
  });

  it("keeps common/ below the tools: it imports only from itself", () => {
    const upward = [...graph]
      .filter(([file]) => file.startsWith("common/"))
      .flatMap(([file, imports]) => imports.filter((target) => !target.startsWith("common/")).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it("imports nothing from test/: tests depend on the tools, never the other way", () => {
    const intoTests = [...graph]
      .filter(([file]) => !file.startsWith("test/"))
      .flatMap(([file, imports]) => imports.filter((target) => target.startsWith("test/")).map((target) => `${file} -> ${target}`));
    expect(intoTests).toEqual([]);
  });
});
