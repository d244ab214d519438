import { createHash } from "crypto";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { Props, RecordedResource } from "../mock-cloud";

/**
 * Assets and archives as Pulumi's state writes them, with a content hash:
 * the mock cloud records the program's `AssetArchive` objects, whose contents
 * are promises (JSON shows them as `{}`), so an edit to the Lambda handler
 * would be invisible to the update plan. The plan resolves them once, after
 * evaluation: `{ <sig>: <archive sig>, hash, assets: { file: { <sig>: <asset sig>, hash } } }`
 * (the signature key and values are Pulumi's, sdk/go/common/resource/sig).
 * The hash is SHA-256 of the text (or of the files' hashes for an archive);
 * Pulumi's own archive hash differs, so compare only plans with plans.
 */

export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIGNATURE = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIGNATURE = "0def7320c3a5731c473e5ecbe6d01bc7";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

async function describeAsset(asset: pulumi.asset.Asset): Promise<Props> {
  const fields = asset as unknown as { text?: Promise<string>; path?: Promise<string>; uri?: Promise<string> };
  const text = fields.text ? await fields.text : undefined;
  const file = fields.path ? await fields.path : undefined;
  const uri = fields.uri ? await fields.uri : undefined;
  const hash = text !== undefined ? sha256(text) : file !== undefined && fs.existsSync(file) ? sha256(fs.readFileSync(file)) : sha256(String(uri ?? file));
  return { [SIGNATURE_KEY]: ASSET_SIGNATURE, hash };
}

async function describeArchive(archive: pulumi.asset.Archive): Promise<Props> {
  const fields = archive as unknown as { assets?: Promise<Record<string, pulumi.asset.Asset | pulumi.asset.Archive>>; path?: Promise<string> };
  if (!fields.assets) return { [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, hash: sha256(String(fields.path ? await fields.path : "")) };
  const members = await fields.assets;
  const assets: Props = {};
  for (const name of Object.keys(members).sort()) assets[name] = await describeValue(members[name]);
  return { [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, hash: sha256(JSON.stringify(Object.entries(assets).map(([name, value]) => [name, value.hash]))), assets };
}

async function describeValue(value: unknown): Promise<Props | unknown> {
  if (pulumi.asset.Asset.isInstance(value)) return describeAsset(value);
  if (pulumi.asset.Archive.isInstance(value)) return describeArchive(value);
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map(describeValue));
  if (value && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await describeValue(item)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

function containsAsset(value: unknown): boolean {
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) return true;
  if (Array.isArray(value)) return (value as unknown[]).some(containsAsset);
  return value !== null && typeof value === "object" && Object.values(value).some(containsAsset);
}

/** The resource with every asset and archive in its inputs and state described by hash; unchanged when it has none. */
export async function withDescribedAssets(resource: RecordedResource): Promise<RecordedResource> {
  if (!containsAsset(resource.inputs) && !containsAsset(resource.state)) return resource;
  return { ...resource, inputs: (await describeValue(resource.inputs)) as Props, state: (await describeValue(resource.state)) as Props };
}
