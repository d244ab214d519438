/**
 * The property diff of two input bags, with paths and kinds as Pulumi writes
 * them in `detailedDiff` (pulumi/pulumi sdk/go/common/resource/properties_path.go
 * and plugin.NewDetailedDiffFromObjectDiff): `a.b[0]["key.with.dots"]`, and
 * kinds add, delete, update, and add-replace, delete-replace,
 * update-replace when the change forces a replacement. Pure.
 */

export type DiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/** display.PropertyDiff: how one path changed, and whether the change is in the inputs (always, offline). */
export interface PropertyDiff {
  readonly kind: DiffKind;
  readonly inputDiff: boolean;
}

/** A changed path before the replacement rules are applied. */
export type ChangeKind = "add" | "delete" | "update";

type Json = unknown;

/** Pulumi's state signature key: an object carrying it is an asset, archive, secret or resource reference, compared whole. */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Null and a missing key are the same to Pulumi's diff. */
function isAbsent(value: Json): boolean {
  return value === undefined || value === null;
}

/** A key as a path step: a plain identifier after a dot, anything else quoted in brackets. */
function keyStep(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Equality as Pulumi's diff sees it: key order does not matter, null equals missing. */
export function deepEqual(a: Json, b: Json): boolean {
  if (isAbsent(a) && isAbsent(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return a === b;
}

function diffValue(path: string, olds: Json, news: Json, out: Map<string, ChangeKind>): void {
  if (deepEqual(olds, news)) return;
  if (isAbsent(olds)) {
    out.set(path, "add");
    return;
  }
  if (isAbsent(news)) {
    out.set(path, "delete");
    return;
  }
  if (Array.isArray(olds) && Array.isArray(news)) {
    for (let index = 0; index < Math.max(olds.length, news.length); index++) diffValue(`${path}[${index}]`, olds[index], news[index], out);
    return;
  }
  if (isPlainObject(olds) && isPlainObject(news) && !(SIGNATURE_KEY in olds) && !(SIGNATURE_KEY in news)) {
    for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) diffValue(keyStep(path, key), olds[key], news[key], out);
    return;
  }
  out.set(path, "update");
}

/** Every changed leaf path between two input bags, in a stable (sorted) order. */
export function diffInputs(olds: Readonly<Record<string, Json>>, news: Readonly<Record<string, Json>>): ReadonlyMap<string, ChangeKind> {
  const out = new Map<string, ChangeKind>();
  for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) diffValue(keyStep("", key), olds[key], news[key], out);
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The top-level property a path starts with (`vpcConfig.subnetIds[0]` -> `vpcConfig`, `["a.b"]` -> `a.b`). */
export function topLevelKey(path: string): string {
  const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(path);
  if (quoted) return JSON.parse(`"${quoted[1]}"`) as string;
  return /^[^.[]+/.exec(path)?.[0] ?? path;
}

/** Splits `a.b[0]["c.d"]` into its steps: `a`, `b`, `0`, `c.d`. */
export function parsePath(path: string): string[] {
  const steps: string[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of path.matchAll(pattern)) steps.push(match[1] ?? match[2] ?? (JSON.parse(`"${match[3]}"`) as string));
  return steps;
}

/** True when `path` is `prefix` or lies beneath it. */
export function isWithin(path: string, prefix: string): boolean {
  const a = parsePath(path);
  const b = parsePath(prefix);
  return b.length <= a.length && b.every((step, index) => step === a[index]);
}

/**
 * Pulumi's processIgnoreChanges: each ignored path takes its old value, so a change there never updates or
 * replaces anything. Returns a copy of `news`.
 */
export function applyIgnoreChanges(olds: Readonly<Record<string, Json>>, news: Readonly<Record<string, Json>>, ignoreChanges: readonly string[]): Record<string, Json> {
  const result = structuredClone(news) as Record<string, Json>;
  for (const ignored of ignoreChanges) {
    const steps = parsePath(ignored);
    let oldValue: Json = olds;
    for (const step of steps) oldValue = isPlainObject(oldValue) || Array.isArray(oldValue) ? (oldValue as Record<string, Json>)[step] : undefined;
    let target: Json = result;
    for (const step of steps.slice(0, -1)) target = isPlainObject(target) || Array.isArray(target) ? (target as Record<string, Json>)[step] : undefined;
    if (!isPlainObject(target) && !Array.isArray(target)) continue;
    const last = steps[steps.length - 1];
    if (oldValue === undefined) delete (target as Record<string, Json>)[last];
    else (target as Record<string, Json>)[last] = structuredClone(oldValue);
  }
  return result;
}

/** The detailed-diff kind of a change, with `-replace` when it forces a replacement. */
export function diffKind(change: ChangeKind, forcesReplacement: boolean): DiffKind {
  return forcesReplacement ? `${change}-replace` : change;
}

/** Every string inside a value, with the path it sits at. */
export function stringsIn(value: Json, path = ""): Array<{ path: string; value: string }> {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, `${path}[${index}]`));
  if (isPlainObject(value) && !(SIGNATURE_KEY in value)) return Object.entries(value).flatMap(([key, item]) => stringsIn(item, keyStep(path, key)));
  return [];
}
