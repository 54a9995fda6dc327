/** One benchmark: a file `bench/<name>.bench.ts` whose default export is a Bench. */
export interface Bench {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export interface BenchContext {
  /** `--full`: the long versions (e.g. the 5-minute churn). */
  full: boolean;
  log(message: string): void;
}

export interface Goal {
  label: string;
  target: string;
  actual: string;
  pass: boolean;
}

export interface BenchResult {
  /** Measured values, already rounded, with units in the key (`p99Ms`, `rssStartMb`). */
  metrics: Record<string, number | string>;
  goals: Goal[];
  notes?: string[];
}

/** Percentile of a sorted-or-not sample (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** RSS after a full GC when the process runs with --expose-gc. */
export function settledRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

/** Median of `n` timed runs of `fn` (ms). */
export async function medianMs(n: number, fn: (i: number) => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}
