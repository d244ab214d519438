import { CostEstimate, PRICES, formatUsd } from "./costs";
import { DescribedResource, ReferenceResolver, displayType, keySettings, physicalName } from "./describe";
import { AWS_PROVIDER_TYPE, GLOBAL_COLUMN, PlanModel, PlanResource, childrenByParent, countResources, describeResourceKinds, resourceKinds } from "./model";
import type { PolicyViolation } from "../../policy/policies";
import { findRegion } from "../../lib/regions";
import { renderReleaseWaves } from "./rollout";
import type { Style } from "./style";
import { accountPhrase } from "../stack-config/account";

/**
 * The plan as text, laid out like `pulumi preview`: a tree of resources with
 * their AWS names and key settings, a count per type and region, the
 * outputs, policy results and the monthly cost estimate.
 */

export interface RenderInput {
  readonly model: PlanModel;
  /** Config values set by the stack file or --config (not the Pulumi.yaml defaults), `tap:key` -> text. */
  readonly configShown: Readonly<Record<string, string>>;
  readonly configWarnings: readonly string[];
  readonly violations: readonly PolicyViolation[];
  readonly costs: CostEstimate;
  /** Line width the tree wraps settings at. @default DEFAULT_LINE_WIDTH */
  readonly width?: number;
}

/** Longest a name may be before the settings column stops being aligned for it. */
const NAME_COLUMN_MAX = 52;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function referenceResolver(model: PlanModel): ReferenceResolver {
  const byReference = new Map<string, DescribedResource>();
  for (const resource of model.resources) {
    if (!resource.custom) continue;
    if (resource.id) byReference.set(resource.id, resource);
    const arn = resource.state.arn;
    if (typeof arn === "string") byReference.set(arn, resource);
  }
  return (value) => (typeof value === "string" ? byReference.get(value) : undefined);
}

interface TreeRow {
  readonly prefix: string;
  readonly resource: PlanResource;
}

/** Depth-first rows of `roots` and their descendants, with `├─`/`└─` prefixes. */
function treeRows(roots: readonly PlanResource[], children: ReadonlyMap<string, readonly PlanResource[]>, include: (resource: PlanResource) => boolean): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (resource: PlanResource, prefix: string, childIndent: string) => {
    rows.push({ prefix, resource });
    const kids = (children.get(resource.urn) ?? []).filter(include);
    kids.forEach((child, index) => {
      const last = index === kids.length - 1;
      walk(child, `${childIndent}${last ? "└─ " : "├─ "}`, `${childIndent}${last ? "   " : "│  "}`);
    });
  };
  roots.forEach((root) => walk(root, "", ""));
  return rows;
}

/** Default line width: settings beyond it wrap onto continuation lines. CI logs do not wrap, so it is generous. */
export const DEFAULT_LINE_WIDTH = 200;

/** Packs phrases into lines of at most `width` characters (a phrase longer than that gets a line of its own). */
function wrapPhrases(phrases: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const phrase of phrases) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 3 + phrase.length <= width) lines[last] += ` · ${phrase}`;
    else lines.push(phrase);
  }
  return lines;
}

/** Providers and components are Pulumi objects, not AWS resources: they have no AWS name to miss. */
function hasAwsName(resource: PlanResource): boolean {
  return resource.custom && !resource.type.startsWith("pulumi:providers:");
}

function renderRows(rows: readonly TreeRow[], resolve: ReferenceResolver, style: Style, indent: string, width: number): string[] {
  const typeWidth = Math.max(0, ...rows.map((row) => row.prefix.length + displayType(row.resource.type).length)) + 2;
  const cells = rows.map(({ resource }) => {
    const physical = physicalName(resource);
    // Nameless resources show their logical name, marked so nobody mistakes it for an AWS name.
    const text = physical ? physical.value : hasAwsName(resource) ? `${resource.name}*` : resource.name;
    return { text, styled: physical ? text : style.dim(text) };
  });
  const nameWidth = Math.min(NAME_COLUMN_MAX, Math.max(0, ...cells.map((cell) => cell.text.length))) + 2;
  const settingsColumn = indent.length + 2 + typeWidth + nameWidth;
  return rows.flatMap((row, index) => {
    const typeCell = pad(`${row.prefix}${displayType(row.resource.type)}`, typeWidth);
    const first = `${indent}${style.green("+")} ${typeCell}${cells[index].styled}`;
    const settings = wrapPhrases(keySettings(row.resource, resolve), Math.max(40, width - settingsColumn));
    if (settings.length === 0) return [first];
    // Continuation lines keep the tree's vertical rules, then line up under the settings column.
    const rule = row.prefix.replace("├─", "│ ").replace("└─", "  ");
    const continuation = pad(`${indent}  ${rule}`, settingsColumn);
    const gap = " ".repeat(Math.max(2, nameWidth - cells[index].text.length));
    return [`${first}${gap}${settings[0]}`, ...settings.slice(1).map((line) => `${continuation}${line}`)];
  });
}

/** The resource tree: the stack and what spans regions, then one section per region. */
export function renderTree(model: PlanModel, style: Style, width = DEFAULT_LINE_WIDTH): string[] {
  const children = childrenByParent(model);
  const resolve = referenceResolver(model);
  const stack = model.resources[0];
  const regional = (resource: PlanResource) => resource.region !== undefined && model.regions.includes(resource.region);
  const lines: string[] = [];

  // Everything not bound to one region: the stack, multi-region components, default-provider resources.
  const globalRows = treeRows([stack], children, (resource) => !regional(resource));
  lines.push(...renderRows(globalRows, resolve, style, "  ", width));

  const byUrn = new Map(model.resources.map((resource) => [resource.urn, resource]));
  for (const region of model.regions) {
    const inRegion = (resource: PlanResource) => resource.region === region;
    // Roots of the region's subtrees: its resources whose parent is not in the same region.
    const roots = model.resources.filter((resource) => inRegion(resource) && !(resource.parent && byUrn.get(resource.parent)?.region === region));
    const rows = treeRows(roots, children, inRegion);
    const provider = model.resources.find((resource) => resource.type === AWS_PROVIDER_TYPE && resource.region === region);
    const parents = [...new Set(roots.map((root) => root.parent).filter((parent): parent is string => parent !== undefined))].map((urn) => byUrn.get(urn)?.name ?? urn);
    lines.push("");
    lines.push(
      `  ${style.bold(region)}  ${findRegion(region)?.displayName ?? ""}  ·  ${rows.length} resources` +
        `${provider ? `  ·  provider ${provider.name}` : ""}${parents.length > 0 ? `  ·  under ${parents.join(", ")}` : ""}`,
    );
    lines.push(...renderRows(rows, resolve, style, "    ", width));
  }
  return lines;
}

function table(header: readonly string[], body: readonly (readonly string[])[], alignRightFrom: number): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...body.map((row) => row[column]?.length ?? 0)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column >= alignRightFrom ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("   ").trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)];
}

/** Resources per type (rows) and region (columns), with totals. */
export function renderCounts(model: PlanModel): string[] {
  const counts = countResources(model);
  const header = ["Type", ...counts.columns, "Total"];
  const body = counts.rows.map((row) => [displayType(row.type), ...counts.columns.map((column) => String(row.byColumn[column] ?? "")), String(row.total)]);
  body.push(["Total", ...counts.columns.map((column) => String(counts.totalByColumn[column])), String(counts.total)]);
  return [...table(header, body, 1).map((line) => `  ${line}`), `  ${describeResourceKinds(resourceKinds(model.resources))}.`];
}

/** The monthly fixed-cost table, per region and in total, then the usage-based prices. */
export function renderCosts(costs: CostEstimate, style: Style): string[] {
  const lines: string[] = [];
  lines.push(`  USD per month at ${PRICES.region} list prices as of ${PRICES.asOf} (${PRICES.hoursPerMonth} h a month), applied to every region;`);
  lines.push("  third-party figures, not confirmed here: offline/plan/prices.json names each source.");
  if (costs.lines.length === 0) {
    lines.push("", `  No fixed monthly charges: every planned resource is free or billed by usage only. Total ${formatUsd(0)}.`);
  } else {
    const totalOf = (item: string) => costs.lines.filter((line) => line.item === item).reduce((sum, line) => sum + line.monthlyUsd, 0);
    // Largest charge first.
    const items = [...new Set(costs.lines.map((line) => line.item))].sort((a, b) => totalOf(b) - totalOf(a) || a.localeCompare(b));
    const header = ["Item", ...costs.regions, "Total"];
    const body: string[][] = items.map((item) => {
      const cells = costs.regions.map((region) => costs.lines.find((line) => line.item === item && line.region === region));
      const quantity = cells.reduce((sum, line) => sum + (line?.quantity ?? 0), 0);
      const basis = cells.find((line) => line !== undefined)?.basis ?? "";
      const total = cells.reduce((sum, line) => sum + (line?.monthlyUsd ?? 0), 0);
      return [`${item}: ${quantity} x ${basis}`, ...cells.map((line) => (line ? formatUsd(line.monthlyUsd) : "")), formatUsd(total)];
    });
    body.push(["Subtotal", ...costs.regions.map((region) => formatUsd(costs.subtotalByRegion[region])), formatUsd(costs.subtotalUsd)]);
    for (const credit of costs.freeTier) body.push([`${credit.item} (account-wide)`, ...costs.regions.map(() => ""), formatUsd(credit.monthlyUsd)]);
    body.push(["Estimated fixed cost per month", ...costs.regions.map(() => ""), formatUsd(costs.totalUsd)]);
    lines.push("", ...table(header, body, 1).map((line) => `  ${line}`));
  }
  if (costs.freeTier.length > 0) lines.push("", `  ${PRICES.freeTier.note}`);
  for (const warning of costs.warnings) lines.push(`  ${style.yellow("warning:")} ${warning}`);
  if (costs.usageNotes.length > 0) {
    lines.push("", "  Billed by usage (not estimated: no traffic volumes are assumed):");
    lines.push(...costs.usageNotes.map((note) => `    - ${note}`));
  }
  return lines;
}

/** Violations grouped by enforcement level, mandatory first. */
export function renderPolicies(violations: readonly PolicyViolation[], model: PlanModel, style: Style): string[] {
  if (violations.length === 0) return ["  No policy violations."];
  const byUrn = new Map(model.resources.map((resource) => [resource.urn, resource]));
  const lines: string[] = [];
  for (const level of ["mandatory", "advisory"] as const) {
    const found = violations.filter((violation) => violation.enforcementLevel === level);
    if (found.length === 0) continue;
    const colour = level === "mandatory" ? style.red : style.yellow;
    lines.push(`  ${colour(`${level}: ${found.length} violation${found.length === 1 ? "" : "s"}`)}`);
    for (const violation of found) {
      const resource = violation.urn ? byUrn.get(violation.urn) : undefined;
      const where = resource ? `${displayType(resource.type)} ${resource.name}${resource.region ? ` (${resource.region})` : ""}` : violation.urn ?? "stack";
      lines.push(`    [${violation.policy}] ${where}`, `        ${violation.message}`);
    }
  }
  return lines;
}

/** The whole plan as printed by `npm run plan`. */
export function renderPlan(input: RenderInput, style: Style): string {
  const { model } = input;
  const lines: string[] = [];
  lines.push(style.bold(`Offline plan of stack "${model.stack}" (project ${model.project}): nothing is sent to AWS.`));
  lines.push(`IDs and ARNs are placeholders (${accountPhrase({ accountId: model.placeholderAccountId, source: model.accountSource })}); availability zones come from lib/regions.ts.`);
  const config = Object.entries(input.configShown).map(([key, value]) => `${key}=${value}`);
  lines.push(`Config: ${config.length > 0 ? config.join("  ") : "(none)"}; every other key at its Pulumi.yaml default.`);
  for (const warning of input.configWarnings) lines.push(`${style.yellow("warning:")} ${warning}`);

  lines.push("", style.bold("Resources"));
  lines.push(...renderTree(model, style, input.width));
  if (model.resources.some((resource) => hasAwsName(resource) && !physicalName(resource))) {
    lines.push("", style.dim("  * Pulumi logical name: the resource has no AWS name of its own, or Pulumi auto-names it (adds a random suffix)."));
  }

  lines.push("", style.bold("Resources per type and region"));
  lines.push(...renderCounts(model));
  lines.push(...renderReleaseWaves(model, style));

  if (Object.keys(model.outputs).length > 0) {
    lines.push("", style.bold("Outputs (placeholders)"));
    for (const [name, value] of Object.entries(model.outputs)) lines.push(`  ${name}: ${JSON.stringify(value)}`);
  }

  lines.push("", style.bold("Policies"));
  lines.push(...renderPolicies(input.violations, model, style));

  lines.push("", style.bold("Monthly cost estimate"));
  lines.push(...renderCosts(input.costs, style));

  const regionsText = model.regions.length > 0 ? ` in ${model.regions.join(", ")}` : "";
  lines.push("", `${style.bold("Resources:")} ${style.green(`+ ${model.resources.length} to create`)}${regionsText}${countResources(model).columns.includes(GLOBAL_COLUMN) ? " and global" : ""}`);
  return `${lines.join("\n")}\n`;
}
