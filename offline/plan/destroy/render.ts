import { displayType, physicalName } from "../describe";
import type { DestroyStep } from "./order";
import type { PlanModel, PlanResource } from "../model";
import type { Style } from "../style";
import { describeAccount } from "../../stack-config/account";

/**
 * `npm run plan -- --destroy`: the destroy order as text, one block per step.
 * The order itself comes from order.ts; this only lays it out.
 */

/** The name a reviewer recognises: the physical (AWS) name when the resource has one, else the logical name. */
export function destroyLabel(resource: PlanResource): string {
  const named = physicalName(resource)?.value;
  if (named !== undefined) return named;
  // AWS appends a random suffix to a name prefix: show the prefix, marked as such.
  return typeof resource.inputs.namePrefix === "string" ? `${resource.inputs.namePrefix}*` : resource.name;
}

export function renderDestroy(model: PlanModel, steps: readonly DestroyStep<PlanResource>[], style: Style): string {
  const total = steps.reduce((sum, step) => sum + step.resources.length, 0);
  const retained = steps.flatMap((step) => step.resources.filter((resource) => resource.retainOnDelete));
  const typeWidth = Math.max(0, ...model.resources.map((resource) => displayType(resource.type).length));
  const nameWidth = Math.max(0, ...model.resources.map((resource) => destroyLabel(resource).length));
  const lines = [
    style.bold(`Destroy order of stack ${model.stack} (project ${model.project}): ${total} resources in ${steps.length} steps`),
    "What `pulumi destroy` would do, from the dependency graph the program registers (offline: nothing was sent to AWS).",
    "A step's resources are deleted in parallel; a step starts when the one before it has finished. A resource goes",
    "after everything that depends on it (dependsOn and Output properties), after its children, and a provider after",
    "every resource bound to it. Names are AWS names (prefix* when AWS adds a random suffix), or the Pulumi name of a",
    "resource that has none.",
    `Evaluated in ${describeAccount({ accountId: model.placeholderAccountId, source: model.accountSource })}: bucket names hash the account.`,
    "",
  ];
  for (const step of steps) {
    const count = step.resources.length;
    lines.push(style.bold(`  step ${step.number}: ${count === 1 ? "1 resource" : `${count} resources in parallel`}`));
    for (const resource of step.resources) {
      const columns = [displayType(resource.type).padEnd(typeWidth), destroyLabel(resource).padEnd(nameWidth), resource.region ?? ""];
      const row = `    - ${columns.join("  ")}`.trimEnd();
      lines.push(resource.retainOnDelete ? `${row}  ${style.yellow("retained, not deleted")}` : row);
    }
  }
  lines.push("");
  if (retained.length === 0) {
    lines.push("Retained: none (no resource sets retainOnDelete; every resource above is deleted in AWS).");
  } else {
    lines.push(
      retained.length === 1
        ? "Retained: 1 resource sets retainOnDelete, so Pulumi forgets it and AWS keeps it:"
        : `Retained: ${retained.length} resources set retainOnDelete, so Pulumi forgets them and AWS keeps them:`,
    );
    for (const resource of retained) lines.push(`  ${displayType(resource.type)} ${destroyLabel(resource)}${resource.region ? ` (${resource.region})` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}
