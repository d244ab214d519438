// Run by .ci/run with the machine's Node.js (through tsx): writes the packaged Lambda artifact, exactly as
// the program builds it (lib/lambda-artifact.ts), into the folder given, for check.mjs to run under Node.js 24,
// with expected.json: the headers lambda/handler.ts puts on every answer.
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { ARTIFACT_FILE, LAMBDA_HANDLER, buildHandlerBundle } from "../../lib/lambda-artifact";
import { BASE_HEADERS } from "../../lambda/handler";

const dir = process.argv[2];
if (!dir) throw new Error("usage: tsx .ci/lambda-node24/build.ts DIR");
if (LAMBDA_HANDLER !== "index.handler" || ARTIFACT_FILE !== "index.js") {
  throw new Error(`check.mjs expects index.js exporting handler; the artifact is ${ARTIFACT_FILE} with handler ${LAMBDA_HANDLER}`);
}
mkdirSync(dir, { recursive: true });
const bundle = buildHandlerBundle();
writeFileSync(path.join(dir, ARTIFACT_FILE), bundle.code);
// What every answer's headers must be, from the handler's source, so check.mjs does not copy them.
writeFileSync(path.join(dir, "expected.json"), JSON.stringify({ headers: BASE_HEADERS }));
process.stdout.write(`Lambda artifact: ${ARTIFACT_FILE}, ${bundle.bytes} bytes, sha256 ${bundle.sha256.slice(0, 12)}\n`);
