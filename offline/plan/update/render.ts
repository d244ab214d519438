import { PropertyDiff, deepEqual } from "./diff";
import type { Style } from "../style";
import { Hazard, hazardLine } from "./hazards";
import type { StepOp, UpdatePlan, UpdateStep } from "./plan";
import type { ResourceState } from "./state";

/**
 * The update plan for a terminal (replacements and hazards first, then a count
 * of each op, then the updates, creates and deletes), and in the shape of
 * `pulumi preview --json --show-sames --show-replacement-steps`
 * (display.PreviewDigest, pkg/backend/display/json.go). Pure.
 */

const OP_ORDER: readonly StepOp[] = ["create", "update", "replace", "delete", "same"];
const OP_WORDS: Readonly<Record<StepOp, string>> = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  same: "unchanged",
  "create-replacement": "replacements to create",
  "delete-replaced": "replaced to delete",
};

function shortType(type: string): string {
  const match = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return match ? `aws:${match[1]}:${match[2]}` : type;
}

/** `1 to create, 2 to update, 110 unchanged`, in preview's order. */
export function summaryLine(summary: UpdatePlan["changeSummary"]): string {
  const parts = OP_ORDER.filter((op) => (summary[op] ?? 0) > 0).map((op) => `${summary[op]} ${OP_WORDS[op]}`);
  return parts.length > 0 ? parts.join(", ") : "no resources";
}

function diffText(detailedDiff: Readonly<Record<string, PropertyDiff>> | null): string {
  if (!detailedDiff) return "";
  return Object.entries(detailedDiff)
    .map(([path, diff]) => (diff.kind === "update" ? path : `${path} (${diff.kind})`))
    .join(", ");
}

/** The header line, naming what is compared with what. */
export interface UpdateHeader {
  readonly current: string;
  readonly deployed: string;
}

/** The terminal report. */
export function renderUpdatePlan(plan: UpdatePlan, hazards: readonly Hazard[], header: UpdateHeader, style: Style): string {
  const lines: string[] = [style.bold(`Update plan: ${header.current}, as an update of ${header.deployed}`)];
  const replacements = plan.steps.filter((step) => step.op === "replace");
  lines.push("", style.bold(`Replacements: ${replacements.length === 0 ? "none" : replacements.length}`));
  for (const step of replacements) {
    const replacement = step.replacement;
    lines.push(`  ${style.red("+-")} ${shortType(step.type)} ${step.name}  ${replacement ? `${replacement.order}${replacement.orderInferred ? " (inferred)" : ""}` : ""}`);
    if (replacement) {
      for (const reason of replacement.because) lines.push(`       because ${reason}`);
      lines.push(`       ${replacement.order}: ${replacement.orderWhy}`);
    }
  }
  lines.push("", style.bold(`Hazards: ${hazards.length === 0 ? "none" : hazards.length}`));
  for (const hazard of hazards) lines.push(`  ${style.red("!")} ${hazardLine(hazard)}`);
  lines.push("", style.bold(`Changes: ${summaryLine(plan.changeSummary)}`));
  const updates = plan.steps.filter((step) => step.op === "update");
  if (updates.length > 0) lines.push("", "Updates (in place):");
  for (const step of updates) {
    lines.push(`  ${style.yellow("~")} ${shortType(step.type)} ${step.name}  ${diffText(step.detailedDiff)}`);
    for (const note of step.notes) lines.push(`       ${note}`);
  }
  const listed = (op: StepOp, mark: string, title: string) => {
    const steps = plan.steps.filter((step) => step.op === op);
    if (steps.length === 0) return;
    lines.push("", title);
    for (const step of steps) lines.push(`  ${mark} ${shortType(step.type)} ${step.name}`);
  };
  listed("create", style.green("+"), "Creates:");
  listed("delete", style.red("-"), "Deletes:");
  const changedOutputs = Object.keys({ ...plan.oldOutputs, ...plan.newOutputs }).filter((key) => !deepEqual(plan.oldOutputs[key], plan.newOutputs[key]));
  if (changedOutputs.length > 0) lines.push("", `Outputs that change: ${changedOutputs.sort().join(", ")}`);
  return `${lines.join("\n")}\n`;
}

/** apitype.ResourceV3 as a preview step writes it. */
function serializeState(state: ResourceState): Record<string, unknown> {
  return {
    urn: state.urn,
    custom: state.custom,
    ...(state.id ? { id: state.id } : {}),
    type: state.type,
    ...(Object.keys(state.inputs).length > 0 ? { inputs: state.inputs } : {}),
    ...(Object.keys(state.outputs).length > 0 ? { outputs: state.outputs } : {}),
    ...(state.parent ? { parent: state.parent } : {}),
    ...(state.protect ? { protect: true } : {}),
    ...(state.dependencies.length > 0 ? { dependencies: state.dependencies } : {}),
    ...(state.provider ? { provider: state.provider } : {}),
    ...(state.retainOnDelete ? { retainOnDelete: true } : {}),
  };
}

/** display.PreviewStep, with the update plan's own reasons under `updatePlan` (tools ignore unknown keys). */
function previewStep(step: UpdateStep): Record<string, unknown> {
  const provider = step.new?.provider ?? step.old?.provider;
  return {
    op: step.op,
    urn: step.urn,
    ...(provider ? { provider } : {}),
    ...(step.old ? { oldState: serializeState(step.old) } : {}),
    ...(step.new ? { newState: serializeState(step.new) } : {}),
    ...(step.diffReasons.length > 0 ? { diffReasons: step.diffReasons } : {}),
    ...(step.replaceReasons.length > 0 ? { replaceReasons: step.replaceReasons } : {}),
    detailedDiff: step.detailedDiff,
    ...(step.replacement || step.notes.length > 0 ? { updatePlan: { ...(step.replacement ? { replacement: step.replacement } : {}), ...(step.notes.length > 0 ? { notes: step.notes } : {}) } } : {}),
  };
}

/** The update in preview's JSON shape, plus `hazards` and `offlineUpdatePlan` keys. */
export function toUpdatePreviewJson(plan: UpdatePlan, hazards: readonly Hazard[], config: Readonly<Record<string, string>>, note: string): Record<string, unknown> {
  return {
    config,
    steps: plan.steps.map(previewStep),
    diagnostics: [{ prefix: "info: ", message: note, severity: "info" }],
    changeSummary: plan.changeSummary,
    hazards: hazards.map((hazard) => ({ ...hazard, line: hazardLine(hazard) })),
    offlineUpdatePlan: { note },
  };
}
