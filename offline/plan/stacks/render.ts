import { displayType } from "../describe";
import { describeResourceKinds, resourceKinds } from "../model";
import type { Style } from "../style";
import { AccountSource, describeAccount } from "../../stack-config/account";
import type { NeighbourReport, StackEvaluation } from "./compare";

/** `npm run plan -- --stacks`: the neighbour report as text. */

export interface NeighbourRenderInput {
  readonly project: string;
  readonly stacks: readonly { readonly label: string; readonly accountId: string; readonly accountSource: AccountSource }[];
  readonly evaluations: readonly StackEvaluation[];
  readonly report: NeighbourReport;
  readonly placeholderAccountId: string;
}

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows.reduce<number[]>((max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, cell.length)), []);
  return rows.map((row) => `${indent}${row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]))).join("  ")}`.trimEnd());
}

export function renderNeighbours(input: NeighbourRenderInput, style: Style): string {
  const { report } = input;
  const lines = [
    style.bold(`Neighbour check of ${input.stacks.length} stacks of project ${input.project}`),
    "Each stack was evaluated offline in its own process; IDs and ARNs are placeholders. A physical name two stacks share",
    "makes the second deploy fail, or take over the first stack's resource; an account setting two stacks write holds",
    "whatever the last deploy wrote, and a destroy that does not retain it resets it for both.",
    "",
    ...table(input.stacks.map((stack, index) => [
      stack.label,
      describeAccount({ accountId: stack.accountId, source: stack.accountSource }),
      // Counted as the plan counts them, the root stack resource included.
      describeResourceKinds(resourceKinds(input.evaluations[index].resources, true)),
    ]), "  "),
    "",
  ];

  if (report.sharedNames.length === 0) {
    lines.push(style.green("Shared physical names: none."));
  } else {
    lines.push(style.red(`Shared physical names: ${report.sharedNames.length}`));
    lines.push(...table(report.sharedNames.map((shared) => [
      displayType(shared.type), shared.name, shared.scope, shared.claims.map((claim) => claim.stack).join(", "), `(${shared.note})`,
    ]), "  "));
  }
  lines.push("");

  lines.push("Account-level settings each stack writes:");
  if (report.settings.length === 0) {
    lines.push("  none");
  } else {
    lines.push(...table(report.settings.map((write) => [
      write.stack, displayType(write.type), write.setting, write.scope, `= ${String(write.value)}`, write.retained ? "retained on destroy" : "reset on destroy",
    ]), "  "));
    if (report.settings.some((write) => String(write.value).endsWith("*"))) {
      lines.push("  * a role created from a namePrefix: Pulumi adds a unique suffix when it creates it, so the ARN ends in the prefix plus that suffix");
    }
  }
  if (report.settingConflicts.length === 0) {
    lines.push(style.green("Settings written by more than one stack: none."));
  } else {
    lines.push(style.red(`Settings written by more than one stack: ${report.settingConflicts.length}`));
    lines.push(...table(report.settingConflicts.map((conflict) => [
      conflict.setting, conflict.scope, conflict.writes.map((write) => write.stack).join(", "),
    ]), "  "));
  }
  lines.push("");
  lines.push(
    `Not compared: REST API names (API Gateway does not require them to be unique), and ${report.uncompared.length} ` +
      `name${report.uncompared.length === 1 ? "" : "s"} embedding an ID AWS generates for the stack (unique by construction).`,
  );
  return `${lines.join("\n")}\n`;
}
