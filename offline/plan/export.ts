import type { CostEstimate } from "./costs";
import type { PlanModel } from "./model";
import { PlanAccount, accountPhrase } from "../stack-config/account";
import type { PolicyViolation } from "../../policy/policies";

/**
 * The plan in the formats other tools read: the top-level shape of
 * `pulumi preview --json` (Pulumi's display.PreviewDigest), and the DOT graph
 * of `pulumi stack graph` (Pulumi's dotconv printer).
 */

/**
 * apitype.ResourceV3, the fields a create step carries (`aliases` among them: the earlier URNs the engine matches a
 * resource by), plus the `deleteBeforeReplace` and `ignoreChanges` options (not ResourceV3 fields; tools that read
 * preview JSON ignore unknown keys), which the update plan (`--from`) reads.
 */
export interface PreviewResourceState {
  readonly urn: string;
  readonly custom: boolean;
  /** The placeholder ID (custom resources). */
  readonly id?: string;
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  /** `<provider urn>::<provider id>`. */
  readonly provider?: string;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  readonly deleteBeforeReplace?: boolean;
  readonly ignoreChanges?: readonly string[];
  /** ResourceV3 `aliases`: the URNs this resource had before (a rename with `aliases` keeps its identity). */
  readonly aliases?: readonly string[];
}

/** display.PreviewStep. */
export interface PreviewStep {
  readonly op: "create";
  readonly urn: string;
  readonly provider?: string;
  readonly newState: PreviewResourceState;
  /** Always null for a create, as in Pulumi's output. */
  readonly detailedDiff: null;
}

/** display.PreviewDiagnostic. */
export interface PreviewDiagnostic {
  readonly urn?: string;
  readonly prefix: string;
  readonly message: string;
  readonly severity: "info" | "warning";
}

/**
 * `pulumi preview --json`'s document, plus three keys Pulumi does not write
 * (tools that read preview JSON ignore unknown keys): the policy results,
 * the cost estimate and what is offline about this plan.
 */
export interface PreviewJson {
  readonly config: Readonly<Record<string, string>>;
  readonly steps: readonly PreviewStep[];
  readonly diagnostics: readonly PreviewDiagnostic[];
  readonly changeSummary: { readonly create: number };
  /** Every policy violation found, mandatory and advisory (`pulumi preview --json` itself leaves them out). */
  readonly policyViolations: readonly PolicyViolation[];
  readonly costEstimate: CostEstimate;
  readonly offlinePlan: {
    readonly project: string;
    readonly stack: string;
    readonly placeholderAccountId: string;
    readonly note: string;
  };
}

/** What the first diagnostic and `offlinePlan.note` say. */
export function offlineNote(account: PlanAccount): string {
  return (
    "Offline plan: the program ran under Pulumi's mock runtime (offline/mock-cloud.ts) and nothing was sent to AWS. " +
    `IDs, ARNs and other computed outputs are placeholders (${accountPhrase(account)}); availability zones come from lib/regions.ts. ` +
    "The root pulumi:pulumi:Stack step is added by the plan, as the engine would register it."
  );
}

export interface PreviewJsonInput {
  readonly model: PlanModel;
  readonly config: Readonly<Record<string, string>>;
  readonly configWarnings: readonly string[];
  readonly violations: readonly PolicyViolation[];
  readonly costs: CostEstimate;
}

/** One create step per planned resource, the stack first. */
export function createSteps(model: PlanModel): PreviewStep[] {
  return model.resources.map((resource) => {
    const hasInputs = Object.keys(resource.inputs).length > 0;
    const hasOutputs = Object.keys(resource.state).length > 0;
    const newState: PreviewResourceState = {
      urn: resource.urn,
      custom: resource.custom,
      ...(resource.id ? { id: resource.id } : {}),
      type: resource.type,
      ...(hasInputs ? { inputs: resource.inputs } : {}),
      ...(hasOutputs ? { outputs: resource.state } : {}),
      ...(resource.parent ? { parent: resource.parent } : {}),
      ...(resource.dependencies.length > 0 ? { dependencies: resource.dependencies } : {}),
      ...(resource.providerReference ? { provider: resource.providerReference } : {}),
      ...(resource.protect ? { protect: true } : {}),
      ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(resource.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
      ...(resource.ignoreChanges.length > 0 ? { ignoreChanges: resource.ignoreChanges } : {}),
      ...(resource.aliases.length > 0 ? { aliases: resource.aliases } : {}),
    };
    return {
      op: "create",
      urn: resource.urn,
      ...(resource.providerReference ? { provider: resource.providerReference } : {}),
      newState,
      detailedDiff: null,
    };
  });
}

/** Builds the preview document: one create step per planned resource, the stack first. */
export function toPreviewJson(input: PreviewJsonInput): PreviewJson {
  const { model } = input;
  const steps = createSteps(model);
  const note = offlineNote({ accountId: model.placeholderAccountId, source: model.accountSource });
  const diagnostics: PreviewDiagnostic[] = [
    { urn: model.stackUrn, prefix: "info: ", message: note, severity: "info" },
    ...input.configWarnings.map((message): PreviewDiagnostic => ({ urn: model.stackUrn, prefix: "warning: ", message, severity: "warning" })),
  ];
  return {
    config: input.config,
    steps,
    diagnostics,
    changeSummary: { create: steps.length },
    policyViolations: input.violations,
    costEstimate: input.costs,
    offlinePlan: { project: model.project, stack: model.stack, placeholderAccountId: model.placeholderAccountId, note },
  };
}

/** `pulumi stack graph`'s default edge colours. */
export const DEPENDENCY_EDGE_COLOR = "#246C60";
export const PARENT_EDGE_COLOR = "#AA6639";

interface Edge {
  readonly to: string;
  readonly color: string;
}

function dotString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/**
 * The dependency graph as `pulumi stack graph` writes it: `strict digraph`,
 * one node per resource labelled with its URN (IDs `Resource0`, `Resource1`,
 * ... in the order the printer meets them), an edge from each dependency to
 * the resource that depends on it, and an edge from each child to its parent
 * in a different colour.
 */
export function toDot(model: PlanModel): string {
  const urns = new Set(model.resources.map((resource) => resource.urn));
  const outgoing = new Map<string, Edge[]>(model.resources.map((resource) => [resource.urn, []]));
  // Same construction order as Pulumi's makeDependencyGraph, so the edge lists come out in the same order.
  for (const resource of model.resources) {
    for (const dependency of resource.dependencies) {
      if (urns.has(dependency)) outgoing.get(dependency)?.push({ to: resource.urn, color: DEPENDENCY_EDGE_COLOR });
    }
    if (resource.parent && urns.has(resource.parent)) outgoing.get(resource.urn)?.push({ to: resource.parent, color: PARENT_EDGE_COLOR });
  }

  const ids = new Map<string, string>();
  const idOf = (urn: string) => {
    const known = ids.get(urn);
    if (known) return known;
    const id = `Resource${ids.size}`;
    ids.set(urn, id);
    return id;
  };
  const indent = "    ";
  const lines = ["strict digraph {"];
  // Pulumi's roots are every vertex, sorted by URN, so the frontier visits them in that order.
  for (const urn of [...urns].sort()) {
    const id = idOf(urn);
    lines.push(`${indent}${id} [label="${dotString(urn)}"];`);
    for (const edge of outgoing.get(urn) ?? []) {
      lines.push(`${indent}${id} -> ${idOf(edge.to)} [color = "${edge.color}"];`);
    }
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
