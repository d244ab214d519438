import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { loadStackConfig } from "../../../offline/stack-config/loader";

/**
 * A config key of the project's namespace that Pulumi.yaml does not declare is probably a typo, but only when
 * Pulumi.yaml declares the project's keys: a project that declares none of its own (examples/two-regions before
 * it declared alarmEmail, or any program using pulumi.Config untyped) reads whatever its program asks for.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tap-undeclared-"));
  writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function projectFile(config: string): void {
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: shop\nruntime: nodejs\nconfig:\n${config}`);
}

const UNDECLARED = 'Config key "shop:alarmEmail" (from --config) is not declared in Pulumi.yaml, so the program does not read it. Check the spelling.';

describe("the undeclared-key warning", () => {
  it("is not given when Pulumi.yaml declares only keys of other namespaces", () => {
    projectFile("  pulumi:disable-default-providers:\n    value:\n      - aws\n");
    expect(loadStackConfig(dir, "dev", ["alarmEmail=ops@example.com"]).warnings).toEqual([]);
  });

  it("is given when Pulumi.yaml declares keys of the project and not this one", () => {
    projectFile("  pulumi:disable-default-providers:\n    value:\n      - aws\n  alarmEmai:\n    type: string\n    default: \"\"\n");
    expect(loadStackConfig(dir, "dev", ["alarmEmail=ops@example.com"]).warnings).toEqual([UNDECLARED]);
  });

  it("is not given for a declared key", () => {
    projectFile("  alarmEmail:\n    type: string\n    default: \"\"\n");
    expect(loadStackConfig(dir, "dev", ["alarmEmail=ops@example.com"]).warnings).toEqual([]);
  });
});
