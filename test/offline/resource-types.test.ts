import * as fs from "fs";
import * as path from "path";
import { TYPES } from "../../offline/resource-types";
import { REPO_ROOT, SNAPSHOTS } from "../support/paths";

/**
 * The shared vocabulary of resource types: each name stands for one token, spelled as Pulumi registers it, and
 * every type the program registers has a name. What the program registers is read from the committed URN
 * snapshots (every option that adds resources is on in one of them), and each component's token from the
 * `super(...)` call of its class in lib/.
 */

const tokens = Object.values(TYPES);

/** Every type that appears in a URN of the committed snapshots: the last `$`-separated part of the type chain. */
function snapshottedTypes(): Set<string> {
  const folder = path.join(SNAPSHOTS, "urns");
  const types = new Set<string>();
  for (const file of fs.readdirSync(folder)) {
    for (const line of fs.readFileSync(path.join(folder, file), "utf8").split("\n")) {
      if (!line.startsWith("urn:pulumi:")) continue;
      // urn:pulumi:<stack>::<project>::<parent types $ joined>$<type>::<name>
      const chain = line.split("::")[2];
      types.add(chain.split("$").pop() as string);
    }
  }
  return types;
}

/** The type each component class in lib/ registers itself with. */
function componentTokens(): string[] {
  const lib = path.join(REPO_ROOT, "lib");
  return fs.readdirSync(lib)
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => [...fs.readFileSync(path.join(lib, file), "utf8").matchAll(/super\("([^"]+)", name/g)].map((match) => match[1]))
    .sort();
}

describe("TYPES", () => {
  it("spells every token as Pulumi does: aws:<module>/<resource>:<Resource>, tap:<module>:<Component>, the AWS provider, or a dynamic resource", () => {
    for (const token of tokens) {
      const [, module, resource] = /^aws:([a-z0-9]+)\/([a-z][A-Za-z0-9]*):([A-Z][A-Za-z0-9]*)$/.exec(token) ?? [];
      if (module !== undefined) {
        // The middle part is the resource's class name in camelCase.
        expect([token, token.split(":")[2].replace(/^./, (c) => c.toLowerCase())]).toEqual([token, resource]);
      } else {
        expect([token, /^tap:[a-z]+:[A-Z][A-Za-z]+$/.test(token) || token === "pulumi:providers:aws" || token === "pulumi-nodejs:dynamic:Resource"]).toEqual([token, true]);
      }
    }
  });

  it("gives each token exactly one name", () => {
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("names every type in the URN snapshots", () => {
    const types = snapshottedTypes();
    expect(types.size).toBeGreaterThan(40);
    expect([...types].filter((type) => !tokens.includes(type as never)).sort()).toEqual([]);
  });

  it("names only what the program registers, and the three rule resources the policy pack also judges", () => {
    const types = snapshottedTypes();
    expect(tokens.filter((token) => !types.has(token)).sort()).toEqual([TYPES.securityGroupRule, TYPES.iamPolicy, TYPES.ingressRule].sort());
  });

  it("has each component's token exactly as its class in lib/ registers it", () => {
    const components = tokens.filter((token) => token.startsWith("tap:")).sort();
    expect(componentTokens()).toEqual(components);
  });
});
