// Types of open-resources.js (see there), which jest's environment loads as plain JavaScript.
/** The resource types open now, as a multiset: type -> count. */
export declare function openResources(): Map<string, number>;
/** Types open now beyond `baseline`, one entry per extra resource, sorted. */
export declare function openedSince(baseline: ReadonlyMap<string, number>): string[];
/** openedSince(baseline), once it is empty or `settleMs` have passed. */
export declare function leftOpenSince(baseline: ReadonlyMap<string, number>, settleMs: number): Promise<string[]>;
