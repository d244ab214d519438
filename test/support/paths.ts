import * as path from "path";

/** The repository's root, whatever folder of test/ a test file sits in. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Hand-written inputs: stack projects for the plan, the recorded API Gateway event, the type-check fixture. */
export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures");
/** The committed URN and physical-name snapshots. */
export const SNAPSHOTS = path.join(REPO_ROOT, "test", "snapshots");
