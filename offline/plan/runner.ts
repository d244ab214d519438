import * as pulumi from "@pulumi/pulumi";
import { withDescribedAssets } from "./assets";
import { MockCloud, RecordedResource, installMockCloud, valueOf, waitForRegistrations, withoutStackTraces } from "../mock-cloud";
import { ProgramError, isTapConfigError } from "./program-error";

/**
 * Evaluates the real Pulumi program under the mock cloud and returns
 * everything it registered, so the plan can be printed, exported and checked
 * without AWS or the Pulumi CLI.
 */

export interface EvaluateOptions {
  /** Absolute path of the program's entry point (the repository's index.ts). */
  readonly programPath: string;
  readonly project: string;
  readonly stack: string;
  /** The engine-shaped config map (`tap:key` -> text), from loadStackConfig. */
  readonly config: Readonly<Record<string, string>>;
  /** The AWS account the mock cloud answers getCallerIdentity with. @default PLACEHOLDER_ACCOUNT_ID */
  readonly accountId?: string;
}

export interface Evaluation {
  /** Every resource the program registered, in registration order: components, providers and cloud resources. */
  readonly resources: readonly RecordedResource[];
  /** The program's exports (its stack outputs), resolved. Secret values read "[secret]". */
  readonly outputs: Readonly<Record<string, unknown>>;
}

let evaluated = false;

/** Resolves one export: Outputs and promises to their values, secrets to "[secret]". */
async function resolveExport(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return "[secret]";
    return valueOf(value);
  }
  return value instanceof Promise ? await value : value;
}

/**
 * Installs the mock cloud, hands the program its config the way the engine
 * does, imports the program and waits for every registration.
 *
 * The program is a module, so it runs once per module registry: a second call
 * in the same process throws (tests use jest.isolateModulesAsync).
 *
 * Throws the program's TapConfigError unchanged when its config is invalid,
 * and a ProgramError when it failed in any other way (for example a lookup the
 * mock does not answer): a failed registration would otherwise just be
 * missing from the plan.
 */
export async function evaluateProgram(options: EvaluateOptions): Promise<Evaluation> {
  if (evaluated) throw new Error("evaluateProgram runs the program once per module registry; start a new process (or jest.isolateModulesAsync) to plan again.");
  evaluated = true;
  return evaluateUnderMockCloud(
    () => installMockCloud(options.project, options.stack, false, options.accountId),
    options.config,
    async () => (await import(options.programPath)) as Record<string, unknown>,
  );
}

/**
 * One evaluation, shared by `evaluateProgram` and update/evaluations.ts (which runs the program's compiled text
 * once per configuration): gets the mock cloud ready with `cloud`, hands the program its config the way the
 * engine does, runs it with `run` (which returns its exports), waits for every registration and resolves the
 * exports. Throws the program's TapConfigError unchanged, and a ProgramError for any other failure, including a
 * rejection nobody awaited.
 */
export async function evaluateUnderMockCloud(
  cloud: () => Promise<MockCloud>,
  config: Readonly<Record<string, string>>,
  run: () => Promise<Record<string, unknown>>,
): Promise<Evaluation> {
  const failures: unknown[] = [];
  const recordFailure = (reason: unknown) => failures.push(reason);
  // The SDK turns a failed registration or lookup into a rejected promise nobody awaits.
  process.on("unhandledRejection", recordFailure);
  try {
    const ready = await cloud();
    // The engine passes config in PULUMI_CONFIG; the SDK caches that variable in its process-wide store the first
    // time it is read, so setting the store directly is what works for the first and every later evaluation.
    pulumi.runtime.setAllConfig({ ...config }, []);

    // The SDK captures a stack trace for every resource and RPC, which the plan never shows (it reports
    // messages only): without them a plan takes about 15% less CPU.
    const program = await withoutStackTraces(async () => {
      let exports: Record<string, unknown>;
      try {
        exports = await run();
      } catch (error) {
        if (isTapConfigError(error)) throw error;
        throw new ProgramError([describeFailure(error)]);
      }
      await waitForRegistrations();
      return exports;
    });

    const outputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(program)) {
      if (name === "default" || name === "__esModule") continue;
      const resolved = await resolveExport(value);
      // Pulumi leaves undefined exports out of the stack outputs (global_url while the layer is off).
      if (resolved !== undefined) outputs[name] = resolved;
    }
    // Rejections are reported on a later turn of the event loop than the one that settled them.
    await new Promise((resolve) => setImmediate(resolve));

    const configError = failures.find(isTapConfigError);
    if (configError) throw configError;
    const messages = [...new Set(failures.map(describeFailure))];
    if (messages.length > 0) throw new ProgramError(messages);
    // The Lambda archive's contents are promises the JSON cannot show: describe them by hash, so a handler edit is a diff.
    return { resources: await Promise.all(ready.resources.map(withDescribedAssets)), outputs };
  } finally {
    process.off("unhandledRejection", recordFailure);
  }
}

function describeFailure(failure: unknown): string {
  if (failure instanceof Error) return failure.message.trim() || failure.name;
  return String(failure);
}
