/**
 * What a benchmark is and what it is given. Each `bench/<name>.bench.ts` (and `soak/<name>.soak.ts`)
 * default-exports a Benchmark.
 */
import type { PostgresServer } from '../scripts/lib/postgres-server.ts';
import type { RedisServer } from '../scripts/lib/redis-server.ts';

export interface BenchContext {
  /** Prints `figure <name> <value>`; the unit belongs in the name (start.cold_s). */
  figure(name: string, value: number): void;
  /** PostgreSQL and Redis started for this run (once, on first use). */
  services(): Promise<{ databaseUrl: string; redisUrl: string }>;
  /** A PostgreSQL and a Redis of the caller's own, to halt, freeze or kill; stopped at the end of the run. */
  ownServices(): Promise<{ postgres: PostgresServer; redis: RedisServer }>;
  /** Milliseconds left before the run's overall bound. */
  remainingMs(): number;
}

export interface Benchmark {
  name: string;
  /** An upper bound for this benchmark alone; the runner stops waiting after it. */
  timeoutMs: number;
  run(context: BenchContext): Promise<void>;
}

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
