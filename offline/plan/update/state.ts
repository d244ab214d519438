/**
 * A stack's resources as the update plan compares them, read from the JSON
 * of `npm run plan -- --json` (the deployed side, and the current program)
 * or of a real `pulumi preview --json` (display.PreviewDigest: steps with
 * `op`, `urn`, `oldState`, `newState`, `replaceReasons` and `detailedDiff`).
 * Pure: parsing and validation only.
 */

/** Root resource type of every stack. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** apitype.ResourceV3, the fields the update plan reads, plus the two lifecycle options the offline plan also writes. */
export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly parent?: string;
  /** `<provider urn>::<provider id>`. */
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly retainOnDelete: boolean;
  readonly protect: boolean;
  /** Written by the offline plan (not a ResourceV3 field): the `deleteBeforeReplace` option. */
  readonly deleteBeforeReplace: boolean;
  /** Written by the offline plan (not a ResourceV3 field): the `ignoreChanges` option. */
  readonly ignoreChanges: readonly string[];
  /** ResourceV3 `aliases`: earlier URNs of this resource. */
  readonly aliases: readonly string[];
}

/** A stack: its resources in registration order, and its outputs (the root stack resource's). */
export interface StackState {
  readonly stackUrn: string | undefined;
  readonly resources: readonly ResourceState[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** A file the update plan cannot read: one line naming the file, what is wrong and the fix. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

/** Reads one serialized ResourceV3 (a step's oldState or newState). */
export function resourceStateOf(raw: unknown, where: string): ResourceState {
  if (!isRecord(raw) || typeof raw.urn !== "string" || typeof raw.type !== "string") {
    throw new StateFileError(`${where}: a resource state needs "urn" and "type" strings`);
  }
  return {
    urn: raw.urn,
    type: raw.type,
    custom: raw.custom === true,
    ...(typeof raw.id === "string" ? { id: raw.id } : {}),
    inputs: isRecord(raw.inputs) ? raw.inputs : {},
    outputs: isRecord(raw.outputs) ? raw.outputs : {},
    ...(typeof raw.parent === "string" ? { parent: raw.parent } : {}),
    ...(typeof raw.provider === "string" ? { provider: raw.provider } : {}),
    dependencies: strings(raw.dependencies),
    retainOnDelete: raw.retainOnDelete === true,
    protect: raw.protect === true,
    deleteBeforeReplace: raw.deleteBeforeReplace === true,
    ignoreChanges: strings(raw.ignoreChanges),
    aliases: strings(raw.aliases),
  };
}

/** The steps of a preview document, or a clear error naming the file. */
export function previewSteps(document: unknown, file: string): Record<string, unknown>[] {
  if (!isRecord(document) || !Array.isArray(document.steps)) {
    throw new StateFileError(`${file}: not a preview document (no "steps" list); pass a file written by \`npm run plan -- --json FILE\` or \`pulumi preview --json\`.`);
  }
  return document.steps.filter(isRecord);
}

/**
 * The stack an offline plan's `--json` describes: every step's `newState` (all are creates). Refuses a real
 * preview's document (steps other than create), which describes a change, not a stack.
 */
export function stackStateFromPlanJson(document: unknown, file: string): StackState {
  const steps = previewSteps(document, file);
  const notCreate = steps.find((step) => step.op !== "create");
  if (notCreate) {
    throw new StateFileError(
      `${file}: step ${String(notCreate.urn)} has op "${String(notCreate.op)}", so this is not an offline plan; --from takes a file written by \`npm run plan -- --json FILE\` (a real preview goes to --check-preview).`,
    );
  }
  const resources = steps.map((step, index) => resourceStateOf(step.newState, `${file} step ${index}`));
  const stack = resources.find((resource) => resource.type === STACK_TYPE);
  return {
    stackUrn: stack?.urn,
    resources: resources.filter((resource) => resource.type !== STACK_TYPE),
    outputs: stack?.outputs ?? {},
  };
}

/** The project and stack an offline plan's JSON was made for (its `offlinePlan` key), when it says. */
export function planIdentity(document: unknown): { project: string; stack: string } | undefined {
  if (!isRecord(document) || !isRecord(document.offlinePlan)) return undefined;
  const { project, stack } = document.offlinePlan;
  return typeof project === "string" && typeof stack === "string" ? { project, stack } : undefined;
}

/** The URN part of a provider reference `<urn>::<id>`. */
export function providerUrnOf(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const separator = reference.lastIndexOf("::");
  return separator > 0 ? reference.slice(0, separator) : reference;
}

/** The logical name at the end of a URN. */
export function nameOfUrn(urn: string): string {
  const separator = urn.lastIndexOf("::");
  return separator >= 0 ? urn.slice(separator + 2) : urn;
}
