/**
 * What the soak modules share: the app as it runs in production, in processes of its own (so the memory
 * measured is the app's alone), against the sandbox store in a process of its own, with stores installed
 * through the real flow; orders placed as shoppers place them; and the ledger check that counts units
 * lost or doubled. Every process started here dies with the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { control } from '../bench/helpers.ts';
import type { Db } from '../server/db/database.ts';
import { freePort } from '../scripts/lib/free-port.ts';
import { killOnExit } from '../scripts/lib/process.ts';
import { finishedJob } from '../test/helpers/admin.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../test/helpers/config.ts';
import { stockOf } from '../test/helpers/inventory.ts';
import { newcomerEnv, spawnNode, waitForHealthy, type Spawned } from '../test/helpers/processes.ts';

/**
 * The environment of the app's processes: production's keys, pointed at these services and the sandbox.
 * `removeDataDir` deletes its DATA_DIR: call it once the processes started on it have stopped.
 */
export async function appEnvironment(
  services: { databaseUrl: string; redisUrl: string },
  sandboxUrl: string,
): Promise<{ env: NodeJS.ProcessEnv; url: string; removeDataDir: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'backorder-soak-'));
  const env = newcomerEnv({
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: `{soak${randomBytes(4).toString('hex')}}`,
    PORT: String(port),
    APP_URL: url,
    CLIENT_ID: TEST_CLIENT_ID,
    CLIENT_SECRET: TEST_CLIENT_SECRET,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BC_API_URL: sandboxUrl,
    BC_LOGIN_URL: sandboxUrl,
    SANDBOX: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    // The load generator is one client address: the per-client budget would measure itself.
    STOREFRONT_API_PER_MINUTE: '1000000000',
  });
  return { env, url, removeDataDir: () => rm(dataDir, { recursive: true, force: true }) };
}

/** Starts `npm start` (web and workers in one process), `npm run web` or `npm run worker` as its own process. */
export async function startAppProcess(script: 'start' | 'web' | 'worker', env: NodeJS.ProcessEnv, url: string): Promise<Spawned> {
  const spawned = spawnNode(['--import', 'tsx', `scripts/${script}.ts`], env);
  killOnExit(spawned.child);
  if (script !== 'worker') await waitForHealthy(`${url}/healthz`, spawned, 120_000);
  return spawned;
}

/** Stops a process started here (SIGTERM, then SIGKILL after 15 s). */
export async function stopProcess(spawned: Spawned): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return;
  spawned.child.kill('SIGTERM');
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), 15_000);
  await spawned.exited;
  clearTimeout(timer);
}

/** The resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D/g, '') ?? 0) / 1024);
}

/** The process's resident memory `afterMs` from now, taken while something else runs (a load). */
export function rssAfter(pid: number, afterMs: number): Promise<number> {
  return new Promise((resolve) => setTimeout(() => resolve(rssMb(pid)), afterMs));
}

/** Creates a sandbox store with the demo catalog and installs the app into it as BigCommerce does. */
export async function installStore(db: Db, sandboxUrl: string, appUrl: string, name: string): Promise<string> {
  await control(sandboxUrl, 'PUT', '/app-url', { url: appUrl });
  const { storeHash } = await control<{ storeHash: string }>(sandboxUrl, 'POST', '/stores', { name, seed: 'demo' });
  await control(sandboxUrl, 'POST', `/stores/${storeHash}/install`, { call: true });
  const job = await finishedJob(db, storeHash, 'install', 120_000);
  if (job.status !== 'succeeded') throw new Error(`the install of ${storeHash} failed: ${job.error}`);
  return storeHash;
}

/** One order the soak placed: one line, and whether the soak cancelled it afterwards. */
export interface PlacedOrder {
  id: number;
  productId: number;
  quantity: number;
  cancelled: boolean;
}

/** Places a one-line order in the sandbox store, as a shopper's checkout does. */
export async function placeOrder(sandboxUrl: string, storeHash: string, productId: number, quantity: number): Promise<PlacedOrder> {
  const order = await control<{ id: number }>(sandboxUrl, 'POST', `/stores/${storeHash}/orders`, { lines: [{ productId, quantity }] });
  return { id: order.id, productId, quantity, cancelled: false };
}

/** Cancels the order as the merchant does in the control panel. */
export async function cancelOrder(sandboxUrl: string, storeHash: string, order: PlacedOrder): Promise<void> {
  await control(sandboxUrl, 'PUT', `/stores/${storeHash}/orders/${order.id}/status`, { status_id: 5 });
  order.cancelled = true;
}

/** Runs `work` on every element, `concurrency` at a time. */
export async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export interface LedgerCheck {
  /** Units orders should hold that no movement took. */
  lost: number;
  /** Units taken beyond what orders hold (a delivery applied twice). */
  doubled: number;
  /** Σ over items of |current stock − (starting stock − units the orders hold)|. */
  stockOff: number;
  /** Items whose waiting backorder units differ from what they owe (max(0, −stock)). */
  linesOff: number;
}

/**
 * Compares the app's ledger with the orders placed: each live order holds its quantity, a cancelled one
 * nothing. `items` maps each product to its inventory item and the stock it started with.
 */
export async function checkLedger(db: Db, orders: PlacedOrder[], items: Map<number, { itemId: number; startStock: number }>): Promise<LedgerCheck> {
  const itemIds = [...items.values()].map((i) => i.itemId);
  const { rows } = await sql<{ item_id: string; order_id: number; units: number }>`
    select item_id, order_id, -sum(delta)::int as units from stock_movements
    where item_id in (${sql.join(itemIds)}) and reason = 'order' group by item_id, order_id`.execute(db);
  const taken = new Map(rows.map((r) => [`${r.item_id}:${r.order_id}`, r.units]));
  const check: LedgerCheck = { lost: 0, doubled: 0, stockOff: 0, linesOff: 0 };
  const held = new Map<number, number>();
  for (const order of orders) {
    const item = items.get(order.productId)!;
    const expected = order.cancelled ? 0 : order.quantity;
    const applied = taken.get(`${item.itemId}:${order.id}`) ?? 0;
    check.lost += Math.max(0, expected - applied);
    check.doubled += Math.max(0, applied - expected);
    held.set(order.productId, (held.get(order.productId) ?? 0) + expected);
  }
  for (const [productId, item] of items) {
    const stock = await stockOf(db, item.itemId);
    check.stockOff += Math.abs(stock.currentStock - (item.startStock - (held.get(productId) ?? 0)));
    if (stock.waiting !== Math.max(0, -stock.currentStock)) check.linesOff++;
  }
  return check;
}

/** Polls `done` until it holds or `timeoutMs` passes; resolves with whether it held. */
export async function waitFor(done: () => Promise<boolean>, timeoutMs: number, intervalMs = 1_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await done()) return true;
    } catch {
      // a service may be down on purpose; ask again
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
