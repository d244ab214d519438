// Types of environment.js (see there), the part that test/project/worker-context.test.ts uses.
import type { AsyncLocalStorage } from "async_hooks";
import type { Context } from "vm";

declare class TapEnvironment {
  constructor(config: { projectConfig: object; globalConfig: object }, context: { testPath: string; console: Console; docblockPragmas: object });
  global: Record<string, unknown> & typeof globalThis;
  getVmContext(): Context | null;
  /** Gives the file a fresh Pulumi SDK store, keeping the packages and modules @pulumi/aws registered. */
  resetPulumiState(): void;
  /** Gives the file expect's state of its own: matchers, equality testers, assertion counts. */
  freshExpectState(): void;
  /** Removes what jest-circus kept on the global for the file that ends. */
  forgetFileGlobals(): void;
  /** Records the AsyncLocalStorage instances a file creates (on this module object), and disables them when it ends. */
  static asyncLocalStorages: {
    track(asyncHooks: { AsyncLocalStorage: typeof AsyncLocalStorage }): void;
    disableAll(): void;
  };
}
export = TapEnvironment;
