import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEY_TYPES, DEFAULTS, UNSET_SENTINELS, resolveTapStackArgs, tapStackArgsFromConfig } from "../../lib/config";
import { REPO_ROOT } from "../support/paths";

/** Pulumi.yaml's config block documents every key; it must agree with lib/config.ts. */
interface ConfigSchema {
  type: string;
  description?: string;
  default?: unknown;
  items?: { type: string };
}

const root = REPO_ROOT;
const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string; runtime: { name: string; options?: Record<string, unknown> }; config: Record<string, ConfigSchema | { value: unknown }> };
const configKeys = Object.keys(CONFIG_KEY_TYPES).filter((key) => key !== "stackName");

describe("Pulumi.yaml", () => {
  test("declares the tap project on the nodejs runtime, loading the program through tsconfig.pulumi.json", () => {
    expect(project.name).toBe("tap");
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true, tsconfig: "tsconfig.pulumi.json" } });
  });

  test("tsconfig.pulumi.json turns off type-checking on load and keeps the CommonJS settings Pulumi reads", () => {
    // Pulumi parses this file with TypeScript's parser (which allows the leading // comments) and does not
    // follow "extends". (The unit tests stub the typescript module, so the comments are stripped here.)
    const text = fs.readFileSync(path.join(root, "tsconfig.pulumi.json"), "utf8").replace(/^\s*\/\/.*$/gm, "");
    const config = JSON.parse(text) as { extends: string; compilerOptions: Record<string, unknown> };
    expect(config.extends).toBe("./tsconfig.json");
    expect(config.compilerOptions).toEqual({ noCheck: true, module: "commonjs", moduleResolution: "node", target: "ES2022" });
  });

  test("declares exactly the keys TapStack reads, plus the disabled default AWS provider", () => {
    const projectKeys = Object.keys(project.config).filter((key) => !key.includes(":"));
    expect(projectKeys.sort()).toEqual([...configKeys].sort());
    expect(project.config["pulumi:disable-default-providers"]).toEqual({ value: ["aws"] });
  });

  test.each(configKeys)("%s has the program's type, a description and a default", (key) => {
    const schema = project.config[key] as ConfigSchema;
    expect(schema.type).toBe(CONFIG_KEY_TYPES[key as keyof typeof CONFIG_KEY_TYPES]);
    expect(schema.description?.length).toBeGreaterThan(10);
    expect(schema).toHaveProperty("default");
    const expected = key in UNSET_SENTINELS
      ? UNSET_SENTINELS[key as keyof typeof UNSET_SENTINELS]
      : DEFAULTS[key as keyof typeof DEFAULTS];
    expect(schema.default).toEqual(expected);
  });

  test("its defaults, read as the engine passes them (text), resolve to the library defaults", () => {
    const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
    const args = tapStackArgsFromConfig((key) => (project.config[key] ? asText((project.config[key] as ConfigSchema).default) : undefined));
    expect(resolveTapStackArgs(args, "dev")).toEqual(resolveTapStackArgs({}, "dev"));
  });
});

const stackFiles = fs.readdirSync(root).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file)).sort();

describe("example stacks", () => {
  test("dev and prod exist", () => {
    expect(stackFiles).toEqual(["Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
  });

  test.each(stackFiles)("%s sets only tap keys, and they validate", (file) => {
    const stack = parse(fs.readFileSync(path.join(root, file), "utf8")) as { config: Record<string, unknown> };
    const values = new Map(Object.entries(stack.config).map(([key, value]) => [key.replace(/^tap:/, ""), value]));
    for (const key of values.keys()) expect(configKeys).toContain(key);
    // The engine hands every value to the program as text (lists as JSON).
    const args = tapStackArgsFromConfig((key) => {
      const value = values.get(key);
      return value === undefined || typeof value === "string" ? value : JSON.stringify(value);
    });
    expect(resolveTapStackArgs(args, file.split(".")[1]).regions.length).toBeGreaterThan(0);
  });

  test("prod turns on the global layer across three regions", () => {
    const stack = parse(fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    const read = (key: string) => {
      const value = stack.config[`tap:${key}`];
      return value === undefined || typeof value === "string" ? value : JSON.stringify(value);
    };
    const resolved = resolveTapStackArgs(tapStackArgsFromConfig(read), "prod");
    expect(resolved.regions).toEqual(["us-east-1", "us-west-2", "eu-west-1"]);
    expect(resolved.globalRouting?.domainName).toBe("api.example.com");
    expect(resolved.environmentSuffix).toBe("prod");
  });
});

describe("README", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  test.each(configKeys)("documents %s in its configuration table", (key) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${key}\` \\|`, "m"));
  });
});
