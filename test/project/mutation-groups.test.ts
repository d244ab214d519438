import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../support/paths";

/**
 * `npm run test:mutation` (scripts/mutation.mjs) runs Stryker one group of source files at a time, each with the
 * test files that exercise it. A source file left out of every group would never be measured, and a renamed test
 * file would silently shrink a group, so the groups are checked against the project here. The script is an ES
 * module (like stryker.config.mjs), so it runs in a child process.
 */
const ROOT = REPO_ROOT;
const SCRIPT = path.join(ROOT, "scripts", "mutation.mjs");

interface Group {
  name: string;
  mutate: string[];
  tests: string[];
  pure?: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => `${dir}/${file.split(path.sep).join("/")}`);
}

/** Runs an expression against the script's exports and returns its JSON result. */
function evaluate(expression: string): unknown {
  const code = `import(${JSON.stringify(SCRIPT)}).then((m) => process.stdout.write(JSON.stringify(${expression})))`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8" }));
}

describe("mutation groups", () => {
  const groups = JSON.parse(execFileSync(process.execPath, [SCRIPT, "--list"], { cwd: ROOT, encoding: "utf8" })) as Group[];

  it("put every source file under lib/ and lambda/ in exactly one group", () => {
    const grouped = groups.flatMap((group) => group.mutate).sort();
    expect(grouped).toEqual([...sourceFiles("lib"), ...sourceFiles("lambda")].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });

  it("name only test files that exist, and have unique names", () => {
    const missing = groups.flatMap((group) => group.tests).filter((test) => !fs.existsSync(path.join(ROOT, "test", `${test}.test.ts`)));
    expect(missing).toEqual([]);
    expect(new Set(groups.map((group) => group.name)).size).toBe(groups.length);
  });

  it("give each component file the suites that build it, the URN snapshot among them", () => {
    const byFile = new Map(groups.flatMap((group) => group.mutate.map((file) => [file, group] as const)));
    expect(byFile.get("lib/network.ts")?.tests).toEqual(["lib/stack-foundation", "lib/lifecycle", "lib/component-outputs", "lib/urn-snapshot"]);
    expect(byFile.get("lib/serverless-api.ts")?.tests).toContain("lib/serverless-api");
    for (const file of ["lib/network.ts", "lib/storage.ts", "lib/monitoring.ts", "lib/serverless-api.ts", "lib/global-routing.ts", "lib/tap-stack.ts"]) {
      expect(byFile.get(file)?.tests).toContain("lib/urn-snapshot");
      expect(byFile.get(file)?.tests).toContain("lib/component-outputs");
      expect(byFile.get(file)?.pure).toBeUndefined();
    }
  });

  it("refuse an unknown group by name, listing the groups, before running Stryker", () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      // The timeout stops a real Stryker run should the check ever let the name through.
      execFileSync(process.execPath, [SCRIPT, "netwrk"], { cwd: ROOT, encoding: "utf8", stdio: "pipe", timeout: 30_000 });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toBe(`Unknown mutation group(s): netwrk. Groups: ${groups.map((group) => group.name).join(", ")}.\n`);
  });
});

describe("scoreReport", () => {
  const mutant = (id: string, status: string, line: number) => ({
    id,
    mutatorName: "StringLiteral",
    replacement: '""',
    status,
    location: { start: { line, column: 3 }, end: { line, column: 9 } },
  });
  const report = {
    schemaVersion: "1.0",
    thresholds: { high: 80, low: 60 },
    files: {
      "lib/a.ts": {
        language: "typescript",
        source: "x\n".repeat(10),
        mutants: [
          mutant("1", "Killed", 1),
          mutant("2", "Timeout", 2),
          mutant("3", "Survived", 3),
          mutant("4", "NoCoverage", 4),
          mutant("5", "CompileError", 5),
          mutant("6", "Ignored", 6),
        ],
      },
      "lambda/b.ts": { language: "typescript", source: "y\n", mutants: [mutant("7", "Killed", 1)] },
    },
  };

  it("scores each file as Stryker does: (killed + timeout) / (killed + timeout + survived + no coverage)", () => {
    const rows = evaluate(`m.scoreReport(${JSON.stringify(report)})`) as Array<Record<string, unknown>>;
    const byFile = Object.fromEntries(rows.map((row) => [row.file, row]));
    expect(byFile["lib/a.ts"]).toEqual({
      file: "lib/a.ts",
      mutants: 6,
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      errors: 1,
      ignored: 1,
      score: 50,
      survivors: ['3:3 StringLiteral → ""', '4:3 StringLiteral → "" (no coverage)'],
    });
    expect(byFile["lambda/b.ts"]).toMatchObject({ file: "lambda/b.ts", mutants: 1, killed: 1, score: 100, survivors: [] });
    expect(rows).toHaveLength(2);
  });
});
