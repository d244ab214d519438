import type { RecordedResource } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";

/**
 * What live stacks depend on, written down: every resource's URN (its type
 * chain and logical name) and every physical (AWS) name, per configuration.
 * Pulumi identifies a deployed resource by its URN, so a changed, added or
 * removed URN is a create or a delete on `pulumi up`; a changed physical name
 * replaces the resource. test/lib/urn-snapshot.test.ts compares the program with
 * the committed files in test/snapshots/ using the pure functions below.
 */

/** The one command that rewrites every snapshot file from the program. */
export const REGENERATE_COMMAND = "UPDATE_SNAPSHOTS=1 npx jest test/lib/urn-snapshot.test.ts";

/** The manual's section on a changed URN or physical name: what to do, aliases, regenerating. */
export const SNAPSHOT_DOCS = "docs/testing.md#what-live-stacks-depend-on-the-urn-and-physical-name-snapshots";

/** A configuration the snapshots record: a stack's config file plus `--config`-style overrides. */
export interface SnapshotConfig {
  /** File name stem under test/snapshots/urns/ and test/snapshots/physical-names/. */
  readonly id: string;
  /** The Pulumi stack: its Pulumi.<stack>.yaml is read, and its name is part of every URN. */
  readonly stack: string;
  /** `key=value` overrides on top of the stack's file, as `npm run plan -- --config` takes them. */
  readonly overrides: readonly string[];
  readonly description: string;
}

export const SNAPSHOT_CONFIGS: readonly SnapshotConfig[] = [
  { id: "dev", stack: "dev", overrides: [], description: "Pulumi.dev.yaml as committed" },
  { id: "prod", stack: "prod", overrides: [], description: "Pulumi.prod.yaml as committed (three regions, global layer with latency routing)" },
  {
    id: "prod-all-options",
    stack: "prod",
    overrides: [
      "enableWaf=true",
      "enableApiCache=true",
      "enableNatGateway=true",
      "alarmEmail=ops@example.com",
      "lambdaProvisionedConcurrency=2",
      "enableFlowLogs=true",
      "manageApiGatewayAccount=true",
      'allowedAccountIds=["123456789012"]',
    ],
    description: "Pulumi.prod.yaml with every option that adds resources turned on",
  },
  {
    id: "failover-outside-us-east-1",
    stack: "prod",
    overrides: [
      'regions=["eu-west-1","eu-central-1"]',
      "routingPolicy=failover",
      "alarmEmail=ops@example.com",
    ],
    description: "Failover routing between two regions without us-east-1 (the account-wide provider is the stack's only one in us-east-1)",
  },
];

/**
 * Inputs that are AWS names, by resource type ("*" for every type). Changing
 * any of them makes AWS replace the resource (or, for Name tags, renames what
 * operators search for in the console).
 */
const PHYSICAL_NAME_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "*": ["name", "tags.Name"],
  [TYPES.bucket]: ["bucket"],
  [TYPES.dashboard]: ["dashboardName"],
  [TYPES.stage]: ["stageName"],
  [TYPES.domainName]: ["domainName"],
  [TYPES.certificate]: ["domainName"],
};

/** `urn:pulumi:{stack}::{project}::{type chain}::{name}` -> its parts. */
export function parseUrn(urn: string): { typeChain: string; type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`Not a Pulumi URN: ${urn}`);
  const typeChain = parts[2];
  const name = parts.slice(3).join("::");
  return { typeChain, type: typeChain.slice(typeChain.lastIndexOf("$") + 1), name };
}

type Recorded = Pick<RecordedResource, "urn" | "type" | "name" | "parent" | "custom" | "inputs">;

/**
 * The URNs the Pulumi engine gives these resources. The engine qualifies a
 * type with its parent's whole type chain (`tap:index:TapStack$tap:network:RegionalNetwork$aws:ec2/subnet:Subnet`,
 * as the SDK's own `createUrn` does), while Pulumi's mock monitor keeps only
 * the parent's last type: so a grandparent change would not show in the
 * mock's URNs. Rebuilt here from the recorded parent links; the root stack
 * is never part of the chain.
 */
export function withEngineUrns<T extends Recorded>(resources: readonly T[]): (T & { readonly mockUrn: string })[] {
  const byMockUrn = new Map<string, T>();
  for (const resource of resources) {
    if (byMockUrn.has(resource.urn)) throw new Error(`Two resources have the mock URN ${resource.urn}: their parents cannot be told apart.`);
    byMockUrn.set(resource.urn, resource);
  }
  const chains = new Map<string, string>();
  const typeChain = (resource: T): string => {
    const known = chains.get(resource.urn);
    if (known !== undefined) return known;
    const parent = resource.parent === undefined ? undefined : byMockUrn.get(resource.parent);
    if (resource.parent !== undefined && parent === undefined && !resource.parent.includes("::pulumi:pulumi:Stack::")) {
      throw new Error(`${resource.urn} has the parent ${resource.parent}, which was not recorded.`);
    }
    const chain = parent === undefined ? resource.type : `${typeChain(parent)}$${resource.type}`;
    chains.set(resource.urn, chain);
    return chain;
  };
  return resources.map((resource) => {
    const prefix = resource.urn.slice(0, resource.urn.indexOf("::", resource.urn.indexOf("::") + 2) + 2);
    return { ...resource, mockUrn: resource.urn, urn: `${prefix}${typeChain(resource)}::${resource.name}` };
  });
}

/** Every registered resource's URN, sorted (components and providers included). */
export function recordUrns(resources: readonly Pick<RecordedResource, "urn">[]): string[] {
  return [...new Set(resources.map((resource) => resource.urn))].sort();
}

/** `urn` -> `property` -> physical name, for every custom resource that has one. */
export type PhysicalNames = Record<string, Record<string, string>>;

function readPath(inputs: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), inputs);
}

export function recordPhysicalNames(resources: readonly Pick<RecordedResource, "urn" | "type" | "custom" | "inputs">[]): PhysicalNames {
  const names: PhysicalNames = {};
  for (const resource of [...resources].sort((a, b) => compareText(a.urn, b.urn))) {
    if (!resource.custom || resource.type.startsWith("pulumi:providers:")) continue;
    const properties = [...PHYSICAL_NAME_INPUTS["*"], ...(PHYSICAL_NAME_INPUTS[resource.type] ?? [])].sort();
    const found: Record<string, string> = {};
    for (const property of properties) {
      const value = readPath(resource.inputs, property);
      if (typeof value === "string") found[property] = value;
    }
    if (Object.keys(found).length > 0) names[resource.urn] = found;
  }
  return names;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function header(config: SnapshotConfig, what: string): string[] {
  return [
    `# ${what} for "${config.id}": ${config.description}.`,
    `# Stack ${config.stack}${config.overrides.length > 0 ? `, with --config ${config.overrides.join(" ")}` : ""}.`,
    `# Generated by: ${REGENERATE_COMMAND}`,
    `# Do not edit by hand; when a URN or physical name changes, see ${SNAPSHOT_DOCS}`,
  ];
}

/** The URN file: a comment header, then one URN per line, sorted. */
export function formatUrns(config: SnapshotConfig, urns: readonly string[]): string {
  return [...header(config, "Resource URNs"), ...[...urns].sort()].join("\n") + "\n";
}

export function parseUrns(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

/** The physical-name file: each URN on its own line, then `  property = value` lines under it. */
export function formatPhysicalNames(config: SnapshotConfig, names: PhysicalNames): string {
  const lines = header(config, "Physical (AWS) names");
  for (const urn of Object.keys(names).sort()) {
    lines.push(urn);
    for (const property of Object.keys(names[urn]).sort()) lines.push(`  ${property} = ${names[urn][property]}`);
  }
  return lines.join("\n") + "\n";
}

export function parsePhysicalNames(text: string): PhysicalNames {
  const names: PhysicalNames = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("  ")) {
      const separator = line.indexOf(" = ");
      if (current === undefined || separator < 0) throw new Error(`Malformed physical-name line: ${JSON.stringify(line)}`);
      current[line.slice(2, separator)] = line.slice(separator + 3);
    } else {
      current = {};
      names[line] = current;
    }
  }
  return names;
}

export interface UrnDiff {
  /** Same type and logical name, new type chain: the parent (or an ancestor) changed. */
  readonly changed: readonly { readonly from: string; readonly to: string }[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Compares the recorded URNs with the program's. A removed and an added URN of the same type and name count as one change. */
export function diffUrns(recorded: readonly string[], actual: readonly string[]): UrnDiff {
  const recordedSet = new Set(recorded);
  const actualSet = new Set(actual);
  let removed = [...recordedSet].filter((urn) => !actualSet.has(urn)).sort();
  let added = [...actualSet].filter((urn) => !recordedSet.has(urn)).sort();
  const changed: { from: string; to: string }[] = [];
  const identity = (urn: string) => {
    const { type, name } = parseUrn(urn);
    return `${type}::${name}`;
  };
  for (const from of removed) {
    const to = added.find((candidate) => identity(candidate) === identity(from));
    if (to !== undefined) {
      changed.push({ from, to });
      added = added.filter((urn) => urn !== to);
    }
  }
  removed = removed.filter((urn) => !changed.some((change) => change.from === urn));
  return { changed, added, removed };
}

function urnAdvice(): string[] {
  return [
    "If this change is deliberate:",
    "  - to keep a deployed resource, give it its old identity with `aliases`, e.g. `{ parent: this, aliases: [{ name: \"<old logical name>\" }] }`",
    `    or \`aliases: [{ parent: <old parent> }]\` (${SNAPSHOT_DOCS});`,
    "  - or accept the delete-and-create knowingly (say so in the pull request);",
    `  then regenerate the snapshots: ${REGENERATE_COMMAND}`,
  ];
}

function physicalNameAdvice(): string[] {
  return [
    "If this change is deliberate:",
    `  - \`aliases\` keep a URN, not a name: to keep a deployed resource, keep its old name (${SNAPSHOT_DOCS});`,
    "  - or accept the replacement knowingly (a replaced bucket or log group does not take its contents along; say so in the pull request);",
    `  then regenerate the snapshots: ${REGENERATE_COMMAND}`,
  ];
}

/** Undefined when the URNs match; otherwise the test's failure message. */
export function urnSnapshotMismatch(configId: string, recorded: readonly string[], actual: readonly string[]): string | undefined {
  const { changed, added, removed } = diffUrns(recorded, actual);
  if (changed.length + added.length + removed.length === 0) return undefined;
  const lines = [
    `URN snapshot "${configId}" (test/snapshots/urns/${configId}.txt) does not match the program: ${changed.length} changed, ${added.length} added, ${removed.length} removed.`,
    "On a live stack, `pulumi up` deletes every changed or removed URN's resource and creates every new one.",
  ];
  if (changed.length > 0) {
    lines.push("Changed (same type and name, new parent or type chain):");
    for (const { from, to } of changed) lines.push(`  - ${from}`, `  + ${to}`);
  }
  if (added.length > 0) lines.push("Added:", ...added.map((urn) => `  + ${urn}`));
  if (removed.length > 0) lines.push("Removed:", ...removed.map((urn) => `  - ${urn}`));
  return [...lines, ...urnAdvice()].join("\n");
}

/** Undefined when the physical names match; otherwise the test's failure message. */
export function physicalNameSnapshotMismatch(configId: string, recorded: PhysicalNames, actual: PhysicalNames): string | undefined {
  const flatten = (names: PhysicalNames) => new Map(Object.entries(names).flatMap(([urn, properties]) => Object.entries(properties).map(([property, value]) => [`${urn} ${property}`, value] as const)));
  const before = flatten(recorded);
  const after = flatten(actual);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changed = keys.filter((key) => before.has(key) && after.has(key) && before.get(key) !== after.get(key));
  const added = keys.filter((key) => !before.has(key));
  const removed = keys.filter((key) => !after.has(key));
  if (changed.length + added.length + removed.length === 0) return undefined;
  const lines = [
    `Physical-name snapshot "${configId}" (test/snapshots/physical-names/${configId}.txt) does not match the program: ${changed.length} changed, ${added.length} added, ${removed.length} removed.`,
    "A changed name makes AWS replace the resource (a new bucket, role, function or log group), even when its URN stays the same.",
  ];
  if (changed.length > 0) {
    lines.push("Changed:");
    for (const key of changed) lines.push(`  ${key}: ${JSON.stringify(before.get(key))} -> ${JSON.stringify(after.get(key))}`);
  }
  if (added.length > 0) lines.push("Added:", ...added.map((key) => `  + ${key} = ${JSON.stringify(after.get(key))}`));
  if (removed.length > 0) lines.push("Removed:", ...removed.map((key) => `  - ${key} = ${JSON.stringify(before.get(key))}`));
  return [...lines, ...physicalNameAdvice()].join("\n");
}
