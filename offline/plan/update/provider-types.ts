import * as fs from "fs";
import * as path from "path";
import { TYPES } from "../../resource-types";

/**
 * The inputs each @pulumi/aws resource type accepts, read from the provider's
 * own TypeScript declarations (`node_modules/@pulumi/aws/<module>/<file>.d.ts`,
 * interface `<Resource>Args`): the generator records which types take `tags`,
 * and a test checks the mapping table's field names and name fields against
 * them, so a field the provider renames fails loudly.
 */

/** One input of a provider Args interface. */
export interface ArgsField {
  /** Optional in the Args type (`name?:`): for a name field, Pulumi fills it in when the program leaves it out. */
  readonly optional: boolean;
}

/** The folder @pulumi/aws is installed in, found from this repository's node_modules. */
export function pulumiAwsRoot(): string {
  return path.dirname(require.resolve("@pulumi/aws/package.json"));
}

/** `aws:lambda/function:Function` -> `lambda/function.d.ts` and `FunctionArgs`; the provider itself -> `provider.d.ts`, `ProviderArgs`. */
export function declarationOf(type: string): { file: string; interfaceName: string } | undefined {
  if (type === TYPES.provider) return { file: "provider.d.ts", interfaceName: "ProviderArgs" };
  const match = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(type);
  return match ? { file: `${match[1]}/${match[2]}.d.ts`, interfaceName: `${match[3]}Args` } : undefined;
}

/**
 * The fields of a type's Args interface, by name; undefined when the type is not an @pulumi/aws type or its
 * declaration is missing. Reads the interface's own top-level members (four-space indented `name?:` lines).
 */
export function argsFieldsOf(type: string, root: string = pulumiAwsRoot()): ReadonlyMap<string, ArgsField> | undefined {
  const declaration = declarationOf(type);
  if (!declaration) return undefined;
  const file = path.join(root, declaration.file);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(`export interface ${declaration.interfaceName} {`);
  if (start < 0) return undefined;
  const end = text.indexOf("\n}", start);
  const body = text.slice(start, end);
  const fields = new Map<string, ArgsField>();
  for (const match of body.matchAll(/^ {4}([A-Za-z][A-Za-z0-9]*)(\??):/gm)) fields.set(match[1], { optional: match[2] === "?" });
  return fields;
}

/** The installed @pulumi/aws version. */
export function pulumiAwsVersion(root: string = pulumiAwsRoot()): string {
  return (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
}
