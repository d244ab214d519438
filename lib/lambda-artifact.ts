import { AssetArchive, StringAsset } from "@pulumi/pulumi/asset";
import { EntryBundle, bundleEntry } from "./esbuild-bundle";

/**
 * Builds the Lambda deployment artifact from lambda/handler.ts while the
 * program runs, so `pulumi up` needs no separate build step. The artifact is
 * one self-contained CommonJS file, `index.js`: no node_modules, no runtime
 * dependencies, a few KB (every dependency would add to cold starts).
 *
 * The build is deterministic: esbuild runs from the repository root with
 * fixed options, so the same source gives the same bytes on every machine,
 * and Pulumi only updates the function when the handler really changed.
 */

/** The handler's source, relative to the repository root. */
export const HANDLER_SOURCE = "lambda/handler.ts";
/** File name of the bundle inside the artifact. */
export const ARTIFACT_FILE = "index.js";
/** The function's `handler` setting: `index.js`, export `handler`. */
export const LAMBDA_HANDLER = "index.handler";
/**
 * JavaScript level the bundle is compiled for. Node 22 syntax runs on the
 * nodejs22.x and nodejs24.x runtimes (docs/aws-facts.md, "Lambda runtimes", gives their deprecation dates).
 */
export const ARTIFACT_NODE_TARGET = "node22";

/** What the deployment tells each region's function, through environment variables. */
export interface HandlerDeployment {
  readonly region: string;
  readonly environmentSuffix: string;
  readonly projectName: string;
}

/**
 * The function's environment variables, as lambda/handler.ts reads them.
 * The program and the local server both use this, so the names cannot drift apart.
 */
export function handlerEnvironment(deployment: HandlerDeployment): Record<"REGION" | "ENVIRONMENT" | "PROJECT_NAME", string> {
  return { REGION: deployment.region, ENVIRONMENT: deployment.environmentSuffix, PROJECT_NAME: deployment.projectName };
}

/** The built artifact: `code` is the contents of `index.js`. */
export type HandlerBundle = EntryBundle;

/**
 * Bundles lambda/handler.ts with esbuild, every time it is called.
 * Use `buildHandlerBundle` unless you need a fresh build.
 * @throws Error naming the source file when esbuild reports an error.
 */
export function bundleHandler(): HandlerBundle {
  // Not minified: the bundle stays readable in the Lambda console; it is small either way.
  return bundleEntry({ entry: HANDLER_SOURCE, target: ARTIFACT_NODE_TARGET, what: "the Lambda artifact" });
}

let cachedBundle: HandlerBundle | undefined;

/** The artifact, built once per process (the program and the local server share it). */
export function buildHandlerBundle(): HandlerBundle {
  cachedBundle ??= bundleHandler();
  return cachedBundle;
}

/** The Lambda function's `code`: an archive holding only `index.js`. Pair it with `handler: LAMBDA_HANDLER`. */
export function handlerArchive(): AssetArchive {
  return new AssetArchive({ [ARTIFACT_FILE]: new StringAsset(buildHandlerBundle().code) });
}
