import * as fs from "fs";
import * as path from "path";
// The file itself, not the bare "typescript": jest maps that name to an empty module (jest.config.js; the Pulumi
// SDK loads it for nothing), and this is the one place that needs the real compiler.
import * as ts from "typescript/lib/typescript";

/**
 * The project's own import graph, from TypeScript's own scanner (`preProcessFile`, which lists every import,
 * `import type`, `export ... from`, `import x = require()` and `import()`) and resolver (`resolveModuleName`, with
 * the options of tsconfig.json), and the cycles in it.
 *
 * Why not madge: madge 8.0.0 installs without install scripts on Node 20 and finds the same cycles, but on this
 * repository it took 3.0 s of CPU and 141 packages, against 0.6 s for the TypeScript compiler the project already
 * installs, and npm test has a 30-second budget on 2 cores. What is written here is only the walk and the cycle
 * search; scanning and resolving are TypeScript's.
 */

/** file (relative to the root, with "/") -> the project files it imports, sorted. */
export type ImportGraph = Map<string, string[]>;

/** Every .ts file (not .d.ts) under `dir`, or `dir` itself when it is a file. */
function typeScriptFiles(dir: string): string[] {
  if (fs.statSync(dir).isFile()) return [dir];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.split(path.sep).includes("node_modules"))
    .map((file) => path.join(dir, file));
}

/**
 * The import graph of the .ts files under `entries` (folders or files, relative to `root`), following each import
 * that resolves to a .ts file of the project, wherever it lives. Packages, JSON and declaration files are not
 * part of it.
 */
export function importGraph(root: string, entries: readonly string[]): ImportGraph {
  const tsconfig = path.join(root, "tsconfig.json");
  const options = fs.existsSync(tsconfig)
    ? ts.convertCompilerOptionsFromJson(ts.readConfigFile(tsconfig, ts.sys.readFile).config?.compilerOptions ?? {}, root).options
    : {};
  const relative = (file: string) => path.relative(root, file).split(path.sep).join("/");
  const graph: ImportGraph = new Map();
  const pending = entries.flatMap((entry) => typeScriptFiles(path.join(root, entry)));
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(relative(file))) continue;
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const imports = new Set<string>();
    for (const { fileName: specifier } of importedFiles) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || resolved.extension !== ts.Extension.Ts) continue;
      const target = path.resolve(resolved.resolvedFileName);
      if (!target.startsWith(root + path.sep)) continue;
      imports.add(relative(target));
      pending.push(target);
    }
    graph.set(relative(file), [...imports].sort());
  }
  return new Map([...graph].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Every import cycle, one per group of files that reach each other (a strongly connected component, by Tarjan's
 * algorithm), written as the shortest path from the group's first file back to itself:
 * `["a.ts", "b.ts", "a.ts"]`. A file that imports itself is a cycle too. Sorted, so the answer is stable.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const importsOf = (file: string) => graph.get(file) ?? [];

  const connect = (file: string): void => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const target of importsOf(file)) {
      if (!index.has(target)) {
        connect(target);
        lowLink.set(file, Math.min(lowLink.get(file) as number, lowLink.get(target) as number));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file) as number, index.get(target) as number));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    components.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);

  return components
    .filter((component) => component.length > 1 || importsOf(component[0]).includes(component[0]))
    .map((component) => shortestCycle(component[0], new Set(component), importsOf))
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest import path from `start` back to `start` inside `within` (breadth first). */
function shortestCycle(start: string, within: ReadonlySet<string>, importsOf: (file: string) => readonly string[]): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const target of importsOf(file)) {
      if (!within.has(target)) continue;
      if (target === start) {
        const between: string[] = [];
        for (let step = file; step !== start; step = cameFrom.get(step) as string) between.unshift(step);
        return [start, ...between, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  throw new Error(`${start} is in a cycle but no path leads back to it`);
}
