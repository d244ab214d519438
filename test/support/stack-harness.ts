import { MockCloud, installMockCloud, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import type { TapStack, TapStackArgs } from "../../lib";

/**
 * Installs the mock cloud once per test file (before the library is loaded)
 * and builds a TapStack per test, waiting until every registration finished.
 */
export interface StackHarness {
  cloud: MockCloud;
  /** Builds a TapStack with `args` and waits until all its resources are registered. */
  build(args?: TapStackArgs, name?: string): Promise<TapStack>;
}

export async function setupHarness(stackName = "dev"): Promise<StackHarness> {
  const cloud = await installMockCloud("tap", stackName);
  const lib = await import("../../lib");
  return {
    cloud,
    async build(args: TapStackArgs = {}, name = "tap") {
      cloud.reset();
      return withoutStackTraces(async () => {
        const stack = new lib.TapStack(name, args);
        await waitForRegistrations();
        return stack;
      });
    },
  };
}

