import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * A folder of the enclosing describe block's own (or the file's, at top level): made before its first test under
 * the system's temporary folder, with `prepare` filling it, and removed with everything in it after its last.
 * Returns a getter, since the path exists only once the block runs.
 */
export function temporaryDirectory(prefix: string, prepare?: (directory: string) => void): () => string {
  let directory: string | undefined;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), prefix));
    prepare?.(directory);
  });
  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    if (!directory) throw new Error(`the temporary folder ${prefix}* is made in beforeAll: read it inside a test`);
    return directory;
  };
}
