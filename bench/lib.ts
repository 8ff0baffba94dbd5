/**
 * What benchmarks share: what one is and is given (the runner's, scripts/lib/figure-runner.ts) — each
 * `bench/<name>.bench.ts` (and `soak/<name>.soak.ts`) default-exports a Benchmark — and the arithmetic of
 * their figures.
 */
export type { Benchmark, BenchContext } from '../scripts/lib/figure-runner.ts';

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
