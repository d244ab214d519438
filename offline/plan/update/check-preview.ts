import { PropertyDiff, stringsIn } from "./diff";
import type { HazardInput } from "./hazards";
import type { Replacement, StepOp, UpdatePlan, UpdateStep } from "./plan";
import type { ReplacementRules } from "./rules";
import { STACK_TYPE, StateFileError, nameOfUrn, previewSteps, resourceStateOf } from "./state";

/**
 * A real `pulumi preview --json` read as update steps, so the hazard rules run
 * on the provider's own ops and detailedDiff (`--check-preview`). Preview
 * lists the replacement steps only with `--show-replacement-steps`; then the
 * order of a replacement (create-replacement or delete-replaced first) is read
 * from them, and otherwise inferred with the same rules as the offline plan
 * and marked as inferred. Pure.
 */

/**
 * The command that writes what `--check-preview` reads; every refusal of a preview file names it. The root
 * stack's step is in every such document: pulumi/pulumi's ShowPreviewDigest (pkg/backend/display/json.go)
 * keeps a step when `shouldShow(m, opts) || isRootStack(m)`, so even a preview that changes nothing lists it.
 */
export const PREVIEW_COMMAND = "pulumi preview --json --show-replacement-steps > preview.json";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOfStep(step: Record<string, unknown>): string | undefined {
  for (const state of [step.newState, step.oldState]) if (isRecord(state) && typeof state.type === "string") return state.type;
  // urn:pulumi:<stack>::<project>::<type>::<name>
  return typeof step.urn === "string" ? step.urn.split("::")[2] : undefined;
}

/**
 * Refuses, in one line naming the file, the problem and the command that writes the right one, a document that
 * is not a real preview's: an offline plan (`--json`, or `--from --json`), a document with no steps, or one
 * without the stack's step.
 */
export function checkPreviewDocument(document: unknown, file: string): void {
  const fix = `write it with \`${PREVIEW_COMMAND}\``;
  if (isRecord(document) && (isRecord(document.offlinePlan) || isRecord(document.offlineUpdatePlan))) {
    const written = isRecord(document.offlinePlan) ? "`npm run plan -- --json`" : "`npm run plan -- --from ... --json`";
    throw new StateFileError(`${file}: an offline plan (written by ${written}), not a real preview; --check-preview reads a preview, ${fix} (an offline plan goes to --from).`);
  }
  if (!isRecord(document) || !Array.isArray(document.steps)) throw new StateFileError(`${file}: not a preview document (no "steps" list); ${fix}.`);
  if (document.steps.length === 0) throw new StateFileError(`${file}: a preview with no steps (every real preview lists at least the stack); ${fix}.`);
  if (!document.steps.some((step) => isRecord(step) && typeOfStep(step) === STACK_TYPE)) {
    throw new StateFileError(`${file}: no step for the stack (${STACK_TYPE}), which every real preview lists, so this preview is cut short or hand-made; ${fix}.`);
  }
}

const KNOWN_OPS: ReadonlySet<string> = new Set(["same", "create", "update", "replace", "create-replacement", "delete-replaced", "delete"]);

/**
 * What the engine writes in a preview for a value not known until the update runs (an ID or ARN of a resource
 * being replaced or created): pulumi/pulumi's `plugin.UnknownStringValue` (sdk/go/common/resource/plugin/rpc.go),
 * which `pulumi preview --json` serializes in place of the value.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The input paths a preview shows as unknown (the offline plan computes the same as its `unknownPaths`). */
export function unknownPathsOf(inputs: Readonly<Record<string, unknown>>): string[] {
  return stringsIn(inputs).filter((found) => found.value === UNKNOWN_VALUE).map((found) => found.path);
}

function detailedDiffOf(raw: unknown): Record<string, PropertyDiff> | null {
  if (!raw || typeof raw !== "object") return null;
  const out: Record<string, PropertyDiff> = {};
  for (const [path, value] of Object.entries(raw as Record<string, unknown>)) {
    const diff = value as { kind?: unknown; inputDiff?: unknown };
    out[path] = { kind: (typeof diff.kind === "string" ? diff.kind : "update") as PropertyDiff["kind"], inputDiff: diff.inputDiff === true };
  }
  return out;
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

/** The steps and stack outputs of a preview document; throws StateFileError naming the file when it is not one. */
export function readPreview(document: unknown, file: string, rules: ReplacementRules): { plan: UpdatePlan; hazardInput: HazardInput; ignoredOps: string[] } {
  const raw = previewSteps(document, file);
  const ignoredOps = new Set<string>();
  const firstIndex = new Map<string, Map<string, number>>();
  raw.forEach((step, index) => {
    const urn = String(step.urn);
    const byOp = firstIndex.get(urn) ?? new Map<string, number>();
    if (!byOp.has(String(step.op))) byOp.set(String(step.op), index);
    firstIndex.set(urn, byOp);
  });
  const steps: UpdateStep[] = [];
  let oldOutputs: Record<string, unknown> = {};
  let newOutputs: Record<string, unknown> | undefined;
  raw.forEach((step, index) => {
    const op = String(step.op);
    if (typeof step.urn !== "string") throw new StateFileError(`${file} step ${index}: no "urn"`);
    if (!KNOWN_OPS.has(op)) {
      ignoredOps.add(op);
      return;
    }
    const old = step.oldState ? resourceStateOf(step.oldState, `${file} step ${index} oldState`) : undefined;
    const next = step.newState ? resourceStateOf(step.newState, `${file} step ${index} newState`) : undefined;
    const type = next?.type ?? old?.type ?? "";
    if (type === STACK_TYPE) {
      oldOutputs = { ...(old?.outputs ?? {}) };
      if (next && Object.keys(next.outputs).length > 0) newOutputs = { ...next.outputs };
    }
    const replaceReasons = stringList(step.replaceReasons);
    let replacement: Replacement | undefined;
    if (op === "replace" || op === "create-replacement" || op === "delete-replaced") {
      const byOp = firstIndex.get(step.urn);
      const created = byOp?.get("create-replacement");
      const deleted = byOp?.get("delete-replaced");
      const because = replaceReasons.length > 0 ? replaceReasons.map((reason) => `${reason} changes`) : ["the provider asks for it"];
      if (created !== undefined && deleted !== undefined) {
        replacement = { order: deleted < created ? "delete-first" : "create-first", orderWhy: "as the preview's replacement steps run", because };
      } else {
        const cause = replaceReasons.includes("provider") ? ({ kind: "provider", from: undefined, to: undefined } as const) : ({ kind: "properties" } as const);
        const inferred = rules.replacementOrder(type, next?.inputs ?? {}, next?.deleteBeforeReplace === true, cause, old?.inputs ?? {});
        replacement = { order: inferred.order, orderWhy: `${inferred.why} (run pulumi preview with --show-replacement-steps to read the order)`, because, orderInferred: true };
      }
    }
    steps.push({
      op: op as StepOp,
      urn: step.urn,
      type,
      name: nameOfUrn(step.urn),
      ...(old ? { old } : {}),
      ...(next ? { new: next } : {}),
      detailedDiff: detailedDiffOf(step.detailedDiff),
      diffReasons: stringList(step.diffReasons),
      replaceReasons,
      ...(replacement ? { replacement } : {}),
      notes: [],
      logical: op !== "create-replacement" && op !== "delete-replaced",
      unknownPaths: next ? unknownPathsOf(next.inputs) : [],
    });
  });
  const changeSummary: Partial<Record<StepOp, number>> = {};
  for (const step of steps) if (step.logical) changeSummary[step.op] = (changeSummary[step.op] ?? 0) + 1;
  const deployed = steps.flatMap((step) => (step.old && step.logical ? [step.old] : []));
  const plan: UpdatePlan = { steps, changeSummary, oldOutputs, newOutputs: newOutputs ?? oldOutputs, deployed };
  return { plan, hazardInput: { steps, deployed, oldOutputs, newOutputs: newOutputs ?? oldOutputs }, ignoredOps: [...ignoredOps] };
}
