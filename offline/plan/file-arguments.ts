import * as fs from "fs";
import * as path from "path";
import { PlanConfigError } from "../stack-config/loader";

/**
 * The plan's file arguments, checked before anything is evaluated: an input
 * that is missing or a folder, and an output whose folder does not exist or
 * that is itself a folder, would otherwise fail late (after the evaluation)
 * or with Node's own EISDIR/ENOENT text. Each gives one line naming the flag,
 * the path and the fix.
 */

/** An input file: it must exist and be a file. `writtenBy` is the command that writes it. */
export function checkInputFile(flag: string, file: string, writtenBy: string): void {
  if (!fs.existsSync(file)) throw new PlanConfigError(`${flag} ${file}: no such file; write it with \`${writtenBy}\` first.`);
  if (fs.statSync(file).isDirectory()) throw new PlanConfigError(`${flag} ${file}: a folder, not a file; pass the file \`${writtenBy}\` writes.`);
}

/** An output file: its folder must exist, and it must not be a folder itself (`example`: a file name the fix suggests in it). */
export function checkOutputFile(flag: string, file: string, example = flag === "--graph" ? "plan.dot" : "plan.json"): void {
  const resolved = path.resolve(file);
  const folder = path.dirname(resolved);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new PlanConfigError(`${flag} ${file}: the folder ${folder} does not exist; create it or choose another path.`);
  }
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) {
    throw new PlanConfigError(`${flag} ${file}: a folder, not a file; name a file in it, such as ${path.join(file, example)}.`);
  }
}

/** The project folder `-C/--cwd` names: it must exist and hold Pulumi.yaml. */
export function checkProjectFolder(given: string, folder: string): void {
  const fix = "-C must name a folder holding the project's Pulumi.yaml, such as -C examples/two-regions";
  if (!fs.existsSync(folder)) throw new PlanConfigError(`-C ${given}: no such folder (${folder}); ${fix}.`);
  if (!fs.statSync(folder).isDirectory()) throw new PlanConfigError(`-C ${given}: a file, not a folder; ${fix}.`);
  if (!fs.existsSync(path.join(folder, "Pulumi.yaml"))) throw new PlanConfigError(`-C ${given}: no Pulumi.yaml in ${folder}; ${fix}.`);
}
