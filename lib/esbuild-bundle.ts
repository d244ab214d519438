import { createHash } from "crypto";
import * as path from "path";
import { buildSync } from "esbuild";

/**
 * One source file bundled by esbuild into one CommonJS text, the way the
 * program builds what it ships: the Lambda artifact (lib/lambda-artifact.ts)
 * and the release step's provider (lib/release.ts). esbuild runs from the
 * repository root with fixed options, so the same sources give the same bytes
 * on every run and machine, and no absolute path lands in the bundle.
 */

/** Repository root: esbuild resolves and names sources relative to it. */
export const REPO_ROOT = path.resolve(__dirname, "..");

export interface EntryBundle {
  /** The CommonJS module text. */
  readonly code: string;
  /** SHA-256 of `code` (UTF-8), lower-case hex: identifies a build. */
  readonly sha256: string;
  /** Size of `code` in bytes (UTF-8). */
  readonly bytes: number;
  /** Source files esbuild bundled, relative to the repository root. */
  readonly inputs: readonly string[];
}

export interface EntryBundleOptions {
  /** The entry file, relative to the repository root. */
  readonly entry: string;
  /** The Node.js the bundle runs on, as esbuild names it (`node22`). */
  readonly target: string;
  /** Modules left to `require` at run time instead of bundled. */
  readonly external?: readonly string[];
  /** What is built, for the error message: "the Lambda artifact". */
  readonly what: string;
}

/**
 * Bundles `entry`, every time it is called: not minified (readable in the
 * Lambda console and in the state), no source map, legal comments or log output.
 * @throws Error naming what was built and the entry file, with esbuild's error as the cause.
 */
export function bundleEntry(options: EntryBundleOptions): EntryBundle {
  let result;
  try {
    result = buildSync({
      absWorkingDir: REPO_ROOT,
      entryPoints: [options.entry],
      bundle: true,
      platform: "node",
      target: options.target,
      format: "cjs",
      ...(options.external ? { external: [...options.external] } : {}),
      minify: false,
      sourcemap: false,
      legalComments: "none",
      charset: "utf8",
      metafile: true,
      write: false,
      logLevel: "silent",
    });
  } catch (error) {
    throw new Error(`Building ${options.what} from ${options.entry} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const code = result.outputFiles[0].text;
  return {
    code,
    // Node.js hashes and measures a string as UTF-8 unless told otherwise.
    sha256: createHash("sha256").update(code).digest("hex"),
    bytes: Buffer.byteLength(code),
    inputs: Object.keys(result.metafile.inputs).sort(),
  };
}
