import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../support/paths";

/**
 * npm 11 runs a dependency's install scripts only when package.json's `allowScripts` approves it, and ends
 * `npm ci` with a warning naming every package with an install script that `allowScripts` does not mention
 * (`npm help install-scripts`). These tests keep that list exact as dependencies change: what is approved,
 * what is denied, and that nothing in the lockfile is left unreviewed.
 */

interface LockFile {
  packages: Record<string, { hasInstallScript?: boolean }>;
}

function read<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) as T;
}

/** The names of the lockfile's packages that have an install script (`node_modules/a/node_modules/b` is b). */
function packagesWithInstallScripts(lockFile: string): string[] {
  const { packages } = read<LockFile>(lockFile);
  const names = Object.entries(packages)
    .filter(([location, entry]) => location !== "" && entry.hasInstallScript === true)
    .map(([location]) => location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length));
  return [...new Set(names)].sort();
}

const allowScripts = read<{ allowScripts?: Record<string, boolean> }>("package.json").allowScripts ?? {};

describe("install scripts (package.json allowScripts)", () => {
  it("approves exactly esbuild (it checks its platform binary) and protobufjs, by name, so a version bump keeps the approval", () => {
    expect(Object.keys(allowScripts).filter((name) => allowScripts[name] === true).sort()).toEqual(["esbuild", "protobufjs"]);
  });

  it("denies @parcel/watcher's build from source: jest loads it only in --watch mode, and its prebuilt binary is an optional dependency", () => {
    expect(Object.keys(allowScripts).filter((name) => allowScripts[name] === false)).toEqual(["@parcel/watcher"]);
    expect(Object.keys(read<LockFile>("package-lock.json").packages)).toContain("node_modules/@parcel/watcher-linux-x64-glibc");
  });

  it("names every package of package-lock.json that has an install script, and no other, so npm ci warns of none", () => {
    expect(Object.keys(allowScripts).sort()).toEqual(packagesWithInstallScripts("package-lock.json"));
  });

  it("leaves nothing to approve in .ci/lambda-node24, whose Node.js binary is a plain file of its package", () => {
    expect(packagesWithInstallScripts(".ci/lambda-node24/package-lock.json")).toEqual([]);
  });
});
