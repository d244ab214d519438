import { builtinModules, createRequire } from "module";
import { compileFunction } from "vm";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";

/**
 * Loads the packaged Lambda artifact (the `index.js` string from
 * lib/lambda-artifact.ts) as a CommonJS module, the way the Lambda runtime
 * requires `index.js`, but without writing it to disk.
 *
 * Each call makes a separate module instance with its own `process.env`:
 * environment variables are process-global, so this is how several "regions"
 * run side by side in one process, each seeing only its own REGION,
 * ENVIRONMENT and PROJECT_NAME. Everything else on `process` is the real one.
 */

/** The handler's signature, as exported by the bundle. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LoadHandlerOptions {
  /** The instance's whole environment (the host's variables are not inherited, as in Lambda). */
  env: Record<string, string>;
  /**
   * Name shown in stack traces.
   * @default "index.js"
   */
  filename?: string;
}

/**
 * Evaluates `code` and returns its exported `handler`.
 * @throws Error when the code does not export a `handler` function, or
 *   requires anything but a Node.js built-in (the artifact must be self-contained).
 */
export function loadHandlerModule(code: string, options: LoadHandlerOptions): ProxyHandler {
  const filename = options.filename ?? "index.js";
  const module = { exports: {} as Record<string, unknown> };
  const realRequire = createRequire(__filename);
  const builtinsOnly = (id: string): unknown => {
    if (!id.startsWith("node:") && !builtinModules.includes(id)) {
      throw new Error(`${filename} requires "${id}", but the Lambda artifact ships no node_modules: only Node.js built-ins are available.`);
    }
    return realRequire(id);
  };
  // A process object that is the real one except for `env`.
  const instanceProcess = Object.create(process, { env: { value: { ...options.env }, enumerable: true } }) as NodeJS.Process;
  const moduleFunction = compileFunction(code, ["exports", "require", "module", "__filename", "__dirname", "process"], { filename });
  moduleFunction(module.exports, builtinsOnly, module, filename, ".", instanceProcess);
  const handler = module.exports.handler;
  if (typeof handler !== "function") {
    throw new Error(`${filename} does not export a handler function (exports: ${Object.keys(module.exports).join(", ") || "none"}).`);
  }
  return handler as ProxyHandler;
}
