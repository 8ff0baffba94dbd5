/** Shared set-up for benchmarks. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { openDatabase, type Database, type Db } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import type { InventoryItem } from '../server/db/schema.ts';
import { createDatabase } from '../scripts/lib/databases.ts';
import { killOnExit } from '../scripts/lib/process.ts';
import { ensureBundle } from '../scripts/lib/server-build.mjs';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../test/helpers/config.ts';
import { assignProduct } from '../test/helpers/inventory.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const LOAD = path.resolve(import.meta.dirname, 'load.mjs');

/** Runs `node <args>` to its end; the JSON it printed, or an error naming `what`, its exit code and its output. */
function childJson<T>(args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = killOnExit(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`${what} ended (${code}) without its JSON: ${out}`));
      }
    });
  });
}

/**
 * Runs `entry` (a bench/ script that prints its figures as JSON) in a process of its own, bundled
 * (dist/bench/<name>.js) as production's processes are, with Node's `flags` (a store-jobs process's, say). Its JSON.
 */
export async function runBundled<T>(entry: string, args: string[], flags: readonly string[] = []): Promise<T> {
  const { file } = await ensureBundle(ROOT, entry, { outDir: path.join(ROOT, 'dist', 'bench'), log: () => undefined });
  return childJson<T>([...flags, file, ...args], entry);
}

/** A new, empty database on the benchmark's PostgreSQL server; the app migrates it on start. */
export function freshDatabaseUrl(adminUrl: string): Promise<string> {
  return createDatabase(adminUrl, { prefix: 'bench' });
}

/** A new database on the benchmark's PostgreSQL server, migrated and open (close it when done), and its URL. */
export async function openFreshDatabase(adminUrl: string): Promise<{ database: Database; databaseUrl: string }> {
  const databaseUrl = await freshDatabaseUrl(adminUrl);
  const database = await openDatabase({ databaseUrl });
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, databaseUrl };
}

/**
 * Runs bench/load.mjs (its own process) with these arguments; its JSON report, refused if any request
 * failed unless failures are counted by the caller (`allowFailures`).
 */
async function runLoad<T extends { failed: number }>(args: string[], what: string, allowFailures = false): Promise<T> {
  const result = await childJson<T>([LOAD, ...args], `load against ${what}`);
  if (result.failed > 0 && !allowFailures) throw new Error(`load against ${what}: ${result.failed} requests failed`);
  return result;
}

/**
 * Requests per second a closed loop of `connections` reaches against `url` (POST with `body`, `{{n}}` made
 * unique; or GET, where `url` may list several same-origin paths separated by `|`).
 */
export async function loadRate(
  url: string,
  body: string,
  headers: Record<string, string>,
  seconds: number,
  connections = 32,
  method: 'GET' | 'POST' = 'POST',
): Promise<number> {
  const result = await runLoad<{ rate: number; failed: number }>([url, String(seconds), String(connections), body, JSON.stringify(headers), method], url);
  return result.rate;
}

/** What an open-loop run reports: rates per second (`offered`: sent), answers by status, latencies in ms. */
export interface PacedResult {
  rate: number;
  offered: number;
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  /** The requests that failed, by their answer's status or their error's code. */
  failures: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

/** GETs sent at `perSecond` whatever the answers do (open loop); latencies in ms, from when each was due. */
export function pacedLoad(url: string, perSecond: number, seconds: number, headers: Record<string, string> = {}, options: { allowFailures?: boolean } = {}) {
  return runLoad<PacedResult>(['--paced', url, String(seconds), String(perSecond), JSON.stringify(headers)], url, options.allowFailures);
}

/** POSTs the requests of `file` (JSON lines `{ headers, body }`) to `url` at `perSecond`, open loop; failures counted, not thrown. */
export function pacedPosts(url: string, perSecond: number, file: string) {
  return runLoad<PacedResult>(['--paced-posts', url, String(perSecond), file], url, true);
}

/** BENCH_SANDBOX_PROFILE=<folder>: the sandbox process writes its CPU profile there when it stops. */
function sandboxProfile(): string[] {
  const folder = process.env.BENCH_SANDBOX_PROFILE;
  return folder ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(folder)}`] : [];
}

/** Starts bench/sandbox-process.ts; resolves with its URL and a stop function. */
export async function sandboxProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = killOnExit(
    spawn(process.execPath, [...sandboxProfile(), '--import', 'tsx', path.join(ROOT, 'bench', 'sandbox-process.ts')], {
      env: { ...process.env, SANDBOX_CLIENT_ID: TEST_CLIENT_ID, SANDBOX_CLIENT_SECRET: TEST_CLIENT_SECRET },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function control<T>(base: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/__sandbox${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Puts a simple product of a sandbox store (in another process) on backorder as the assign flow leaves it:
 * its item created with this stock and threshold, tracking turned off in the sandbox.
 */
export async function assignOverControl(
  db: Db,
  sandboxUrl: string,
  storeHash: string,
  productId: number,
  item: { stock: number; threshold: number | null },
): Promise<InventoryItem> {
  const product = await control<{ sku: string; inventory_level: number }>(sandboxUrl, 'GET', `/stores/${storeHash}/products/${productId}`);
  const assigned = await assignProduct(
    db,
    storeHash,
    { sku: product.sku, currentStock: item.stock, backorderThreshold: item.threshold, bigcommerceLevel: product.inventory_level },
    { productId },
  );
  await control(sandboxUrl, 'PUT', `/stores/${storeHash}/products/${productId}`, { inventory_tracking: 'none' });
  return assigned;
}
