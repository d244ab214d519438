/**
 * Small, pure helpers for the benchmark: medians, ratios and number
 * formatting. No I/O, so test/bench/bench.test.ts can check them directly.
 */

/** Median of the values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median of one numeric field over several measurements. */
export function medianOf<T>(items: readonly T[], pick: (item: T) => number): number {
  return median(items.map(pick));
}

/**
 * Growth exponent k in `t ∝ n^k` between two points: 1 is linear, below 1
 * sub-linear (fixed costs dominate), above 1 super-linear.
 */
export function growthExponent(n1: number, t1: number, n2: number, t2: number): number {
  if (n1 <= 0 || n2 <= 0 || t1 <= 0 || t2 <= 0 || n1 === n2) throw new Error(`growthExponent needs two distinct positive sizes and positive times, got (${n1}, ${t1}) and (${n2}, ${t2})`);
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

/** Milliseconds as "5.8 µs", "850 ms" or "12.35 s". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 100_000 ? 2 : 1)} s`;
}

/** Seconds, for the deployment estimates: "75 s" or "3 min 5 s". */
export function formatSeconds(seconds: number): string {
  const rounded = Math.round(seconds);
  if (rounded < 120) return `${rounded} s`;
  return `${Math.floor(rounded / 60)} min ${rounded % 60} s`;
}

/** Bytes as "6.4 KB" or "512 MB" (binary units: KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}

/** A ratio as "1.23×". */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** A markdown table; every row must have as many cells as there are headers. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== headers.length) throw new Error(`table row has ${row.length} cells, expected ${headers.length}: ${row.join(" | ")}`);
  }
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** "met" or "missed by …", for a goal of the form `value <= limit`. */
export function goalVerdict(value: number, limit: number, format: (value: number) => string): string {
  if (value <= limit) return `met (${format(value)} ≤ ${format(limit)})`;
  return `MISSED by ${format(value - limit)} (${format(value)} > ${format(limit)}, ${formatRatio(value / limit)} the goal)`;
}
