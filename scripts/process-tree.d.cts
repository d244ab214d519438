// Types of process-tree.cjs (see there): how the tools start children that end with them.
import type { ChildProcess, ForkOptions, SpawnOptions } from "node:child_process";

/** spawn(), in a process group of its own that ends with this process. */
export declare function startChild(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
/** fork(), in a process group of its own that ends with this process. */
export declare function forkChild(modulePath: string, args: readonly string[], options?: ForkOptions): ChildProcess;
/** Signals every running child's group; resolves once no process of any group runs (SIGKILL after `graceMs`). */
export declare function stopChildren(signal: NodeJS.Signals, graceMs?: number): Promise<void>;
/** Whether group `pgid` still has a process that is not a zombie: false only when `procRoot` (/proc) lists members and all have exited. */
export declare function groupHasRunningMember(pgid: number, procRoot?: string): boolean;
/** The grace period `env` asks for: TAP_STOP_GRACE_MS in milliseconds; DEFAULT_GRACE_MS when unset, or after one `warn` line for any other value. */
export declare function graceFromEnvironment(env: NodeJS.ProcessEnv, warn?: (line: string) => void): number;
/** "TAP_STOP_GRACE_MS": the environment variable that sets the grace period. */
export declare const GRACE_VARIABLE: string;
/** The grace period when TAP_STOP_GRACE_MS is unset: 5000 ms. */
export declare const DEFAULT_GRACE_MS: number;
