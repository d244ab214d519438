import { spawn } from "child_process";
import { createServer } from "net";
import { leftOpenSince, openResources } from "../jest/open-resources";

/**
 * The check test/jest/environment.js runs after every test file: what a file
 * left open that keeps the jest worker alive (which jest otherwise reports only
 * as "A worker process has failed to exit gracefully", at the end of the run).
 */

describe("leftOpenSince", () => {
  it("names a server left listening, and nothing once it is closed", async () => {
    const baseline = openResources();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    expect(await leftOpenSince(baseline, 50)).toEqual(["TCPServerWrap"]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await leftOpenSince(baseline, 50)).toEqual([]);
  });

  it("names a pending timer, but not an unref'd one, which cannot keep a process alive", async () => {
    const baseline = openResources();
    const timer = setTimeout(() => undefined, 60_000);
    const unrefd = setTimeout(() => undefined, 60_000).unref();
    try {
      expect(await leftOpenSince(baseline, 50)).toEqual(["Timeout"]);
    } finally {
      clearTimeout(timer);
      clearTimeout(unrefd);
    }
    expect(await leftOpenSince(baseline, 50)).toEqual([]);
  });

  it("waits for a child that is exiting anyway", async () => {
    const baseline = openResources();
    spawn(process.execPath, ["-e", "setTimeout(() => {}, 100)"], { stdio: "ignore" });
    expect(await leftOpenSince(baseline, 10_000)).toEqual([]);
  });
});
