// Types of process-tree.cjs (see there): how the tools start children that end with them.
import type { ChildProcess, ForkOptions, SpawnOptions } from "node:child_process";

/** spawn(), in a process group of its own that ends with this process. */
export declare function startChild(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
/** fork(), in a process group of its own that ends with this process. */
export declare function forkChild(modulePath: string, args: readonly string[], options?: ForkOptions): ChildProcess;
/** Signals every running child's group; resolves once each is empty (SIGKILL after `graceMs`). */
export declare function stopChildren(signal: NodeJS.Signals, graceMs?: number): Promise<void>;
/** How long a signalled group gets before SIGKILL. */
export declare const GRACE_MS: number;
