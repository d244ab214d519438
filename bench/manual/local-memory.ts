import { execFile } from "child_process";
import { promisify } from "util";
import { MAX_REQUEST_BYTES, startLocalServer } from "../../offline/local/server";

/**
 * Manual memory run for the local server's request limits (a 10 MiB body cap
 * and 4 requests at a time, docs/local.md), not part of `npm run bench`: N
 * concurrent POSTs of a JSON body of `--mib` MiB each, sent by a child
 * process so that only the server's memory is measured here.
 * Prints the server process's RSS before, at its peak (sampled every 20 ms)
 * and 2 s after the last answer, and the answers' status codes.
 *
 *   npx tsx bench/manual/local-memory.ts [count=100] [mib=10]
 */

const count = Number(process.argv[2] ?? 100);
const mib = Number(process.argv[3] ?? 10);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const server = await startLocalServer({ args: { regions: ["us-east-1"] } });
  const url = new URL(server.urls["us-east-1"]);
  const bodyBytes = mib === 10 ? MAX_REQUEST_BYTES : Math.round(mib * 1024 * 1024);
  // The client: one JSON body, sent `count` times at once; prints the status counts.
  const client = `
    const http = require("http");
    const pad = "x".repeat(${bodyBytes} - 10);
    const body = Buffer.from('{"pad":"' + pad + '"}');
    const statuses = {};
    let left = ${count};
    for (let i = 0; i < ${count}; i++) {
      const request = http.request({ host: "127.0.0.1", port: ${server.port}, path: ${JSON.stringify(url.pathname)}, method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length } }, (response) => {
        response.resume().on("end", () => { statuses[response.statusCode] = (statuses[response.statusCode] || 0) + 1; if (--left === 0) console.log(JSON.stringify(statuses)); });
      });
      request.on("error", (error) => { statuses[error.code] = (statuses[error.code] || 0) + 1; if (--left === 0) console.log(JSON.stringify(statuses)); });
      request.end(body);
    }`;
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", client], { maxBuffer: 1024 * 1024 });
  const seconds = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  global.gc?.();
  clearInterval(sampler);
  const after = process.memoryUsage().rss;
  console.log(`${count} concurrent POSTs of ${mib} MiB: statuses ${stdout.trim()} in ${seconds.toFixed(1)} s`);
  console.log(`server RSS: before ${mb(before)}, peak ${mb(peak)}, 2 s after ${mb(after)}`);
  await server.close();
}

void main();
