import * as fs from "fs";
import * as path from "path";
import { loadStackConfig } from "../../offline/stack-config/loader";
import type { RecordedResource } from "../../offline/mock-cloud";
import { withoutStackTraces } from "../../offline/mock-cloud";
import {
  PhysicalNames,
  REGENERATE_COMMAND,
  SNAPSHOT_CONFIGS,
  SnapshotConfig,
  formatPhysicalNames,
  formatUrns,
  parsePhysicalNames,
  parseUrns,
  physicalNameSnapshotMismatch,
  recordPhysicalNames,
  recordUrns,
  urnSnapshotMismatch,
  withEngineUrns,
} from "../support/urn-snapshot";
import { sharedSetup } from "../support/shared-setup";
import { REPO_ROOT, SNAPSHOTS } from "../support/paths";

/**
 * Pins what live stacks depend on: the real program (index.ts, as `pulumi up`
 * runs it) is evaluated under the mock cloud for each configuration in
 * SNAPSHOT_CONFIGS, and every URN and every physical name must equal the
 * committed files in test/snapshots/. A deliberate change is accepted by
 * regenerating them (REGENERATE_COMMAND) after deciding about aliases.
 */

const ROOT = REPO_ROOT;
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

function urnFile(id: string): string {
  return path.join(SNAPSHOTS, "urns", `${id}.txt`);
}

function physicalNameFile(id: string): string {
  return path.join(SNAPSHOTS, "physical-names", `${id}.txt`);
}

/** Runs index.ts once for `config`, in a fresh module registry (the program registers its resources once per registry). */
async function evaluate(config: SnapshotConfig): Promise<readonly RecordedResource[]> {
  const stackConfig = loadStackConfig(ROOT, config.stack, config.overrides);
  let resources: readonly RecordedResource[] = [];
  await withoutStackTraces(() => jest.isolateModulesAsync(async () => {
    const { evaluateProgram } = await import("../../offline/plan/runner");
    const evaluation = await evaluateProgram({ programPath: path.join(ROOT, "index.ts"), project: stackConfig.project, stack: config.stack, config: stackConfig.values });
    resources = evaluation.resources;
  }));
  return resources;
}

function readOrExplain(file: string): string {
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing. Generate it with: ${REGENERATE_COMMAND}`);
  return fs.readFileSync(file, "utf8");
}

describe.each(SNAPSHOT_CONFIGS)("snapshot $id: $description", (config) => {
  let urns: string[];
  let names: PhysicalNames;

  sharedSetup(async () => {
    const resources = withEngineUrns(await evaluate(config));
    urns = recordUrns(resources);
    names = recordPhysicalNames(resources);
    if (UPDATE) {
      fs.mkdirSync(path.dirname(urnFile(config.id)), { recursive: true });
      fs.mkdirSync(path.dirname(physicalNameFile(config.id)), { recursive: true });
      fs.writeFileSync(urnFile(config.id), formatUrns(config, urns));
      fs.writeFileSync(physicalNameFile(config.id), formatPhysicalNames(config, names));
    }
  }, 60_000);

  it("every URN is the recorded one", () => {
    const mismatch = urnSnapshotMismatch(config.id, parseUrns(readOrExplain(urnFile(config.id))), urns);
    // Thrown as it is, so the failure lists what was added, removed or moved, unescaped, instead of a long array diff.
    if (mismatch !== undefined) throw new Error(mismatch);
    expect(mismatch).toBeUndefined();
  });

  it("every physical name is the recorded one", () => {
    const mismatch = physicalNameSnapshotMismatch(config.id, parsePhysicalNames(readOrExplain(physicalNameFile(config.id))), names);
    if (mismatch !== undefined) throw new Error(mismatch);
    expect(mismatch).toBeUndefined();
  });

  it("the committed files are in the generator's form (header, sorted), so a hand edit shows up here", () => {
    const urnText = readOrExplain(urnFile(config.id));
    const nameText = readOrExplain(physicalNameFile(config.id));
    expect(urnText).toBe(formatUrns(config, parseUrns(urnText)));
    expect(nameText).toBe(formatPhysicalNames(config, parsePhysicalNames(nameText)));
  });
});

describe("the snapshot folders", () => {
  it.each(["urns", "physical-names"])("test/snapshots/%s holds one file per configuration and nothing else", (folder) => {
    expect(fs.readdirSync(path.join(SNAPSHOTS, folder)).sort()).toEqual(SNAPSHOT_CONFIGS.map((config) => `${config.id}.txt`).sort());
  });

  it("the configurations have distinct ids and every one is recorded with resources", () => {
    expect(new Set(SNAPSHOT_CONFIGS.map((config) => config.id)).size).toBe(SNAPSHOT_CONFIGS.length);
    for (const config of SNAPSHOT_CONFIGS) expect([config.id, parseUrns(readOrExplain(urnFile(config.id))).length > 50]).toEqual([config.id, true]);
  });
});
