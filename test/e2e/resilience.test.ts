/**
 * Outages, with the app as it runs in production: a web process and a worker process apart, their own
 * PostgreSQL and Redis, and the sandbox store sending webhooks. A worker or the web process killed
 * mid-burst, Redis killed or frozen mid-burst, and PostgreSQL down for a while must each end with every
 * order applied exactly once (stock before − units ordered) and every delivery acknowledged.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createRedis, type Redis } from '../../server/redis.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { QUEUE_NAMES } from '../../server/workers/queues.ts';
import { freePort } from '../../scripts/lib/free-port.ts';
import { isRunning } from '../../scripts/lib/process.ts';
import { startPostgresServer, type PostgresServer } from '../../scripts/lib/postgres-server.ts';
import { startRedisServer, type RedisServer } from '../../scripts/lib/redis-server.ts';
import { ORDER_SCOPES } from '../../server/bigcommerce/index.ts';
import { finishedJob } from '../helpers/admin.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../helpers/config.ts';
import { unacknowledged, unitsByOrder } from '../helpers/faults.ts';
import { assignInSandbox, type InstalledApp } from '../helpers/installed-app.ts';
import { stockOf } from '../helpers/inventory.ts';
import { childrenOf, newcomerEnv, spawnNode, waitForHealthy, type Spawned } from '../helpers/processes.ts';

let postgres: PostgresServer;
let redisServer: RedisServer;
let sandbox: Sandbox;
let database: Database;
let web: Spawned;
let worker: Spawned;
let env: NodeJS.ProcessEnv;
let storeHash: string;
let appUrl: string;
let dataDir: string | undefined;
const redisDir = path.join(os.tmpdir(), `backorder-resilience-redis-${randomBytes(4).toString('hex')}`);

function startWorker(): Spawned {
  return spawnNode(['--import', 'tsx', 'scripts/worker.ts'], env);
}

function startWeb(): Spawned {
  return spawnNode(['--import', 'tsx', 'scripts/web.ts'], env);
}

beforeAll(async () => {
  postgres = await startPostgresServer({ binDir: process.env.PG_BIN_DIR! });
  redisServer = await startRedisServer({ binary: process.env.REDIS_SERVER_BIN!, dir: redisDir });
  sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.001,
  });
  ({ storeHash } = await sandbox.createStore({ name: 'Resilience store', seed: 'demo' }));
  const port = await freePort();
  appUrl = `http://localhost:${port}`;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'backorder-resilience-'));
  env = newcomerEnv({
    DATABASE_URL: postgres.url,
    REDIS_URL: redisServer.url,
    PORT: String(port),
    APP_URL: appUrl,
    CLIENT_ID: TEST_CLIENT_ID,
    CLIENT_SECRET: TEST_CLIENT_SECRET,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BC_API_URL: sandbox.url,
    BC_LOGIN_URL: sandbox.url,
    SANDBOX: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  });
  database = await openDatabase({ databaseUrl: postgres.url, poolSize: 2 });
  await migrate(database.db);
  web = startWeb();
  worker = startWorker();
  await waitForHealthy(`${appUrl}/healthz`, web);
  sandbox.setAppUrl(appUrl);
  await sandbox.install(storeHash, { call: true });
  const job = await finishedJob(database.db, storeHash, 'install', 60_000);
  if (job.status !== 'succeeded') throw new Error(`install failed: ${job.error}`);
}, 180_000);

afterAll(async () => {
  for (const child of [web, worker]) child?.child.kill('SIGTERM');
  await Promise.all([web?.exited, worker?.exited]);
  await database?.close();
  await sandbox?.stop();
  await redisServer?.stop();
  await postgres?.stop();
  // Once the processes writing there have stopped.
  await Promise.all([redisDir, dataDir].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

function installedView(): InstalledApp {
  return { sandbox, storeHash, app: { database } as InstalledApp['app'], stop: async () => {} };
}

async function processedOrderEvents(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from webhook_events where scope = 'store/order/created' and status = 'processed'`.execute(database.db);
  return rows[0]!.n;
}

const placeOrders = (productId: number, count: number) => {
  const store = sandbox.store(storeHash);
  for (let i = 0; i < count; i++) store.placeOrder({ lines: [{ productId, quantity: 1 }] });
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A burst: one-unit orders placed evenly over `ms`, as shoppers would; resolves once the last is placed. */
async function placeOrdersOver(productId: number, count: number, ms: number): Promise<void> {
  const store = sandbox.store(storeHash);
  for (let i = 0; i < count; i++) {
    store.placeOrder({ lines: [{ productId, quantity: 1 }] });
    await sleep(ms / count);
  }
}

/**
 * After a burst of `count` one-unit orders on an item that held `before`: stock is exactly before − count,
 * each order moved one unit once, and BigCommerce got a 2xx for every order event since `firstEvent`.
 */
async function expectAppliedOnce(itemId: number, before: number, count: number, firstEvent: number): Promise<void> {
  await expect.poll(async () => (await stockOf(database.db, itemId)).currentStock, { timeout: 120_000, interval: 250 }).toBe(before - count);
  const orders = await unitsByOrder(database.db, itemId);
  expect(orders).toHaveLength(count);
  expect(orders.filter((o) => o.units !== -1)).toEqual([]);
  expect((await stockOf(database.db, itemId)).waiting).toBe(Math.max(0, count - before));
  const events = sandbox
    .store(storeHash)
    .events()
    .slice(firstEvent)
    .filter((e) => (ORDER_SCOPES as readonly string[]).includes(e.payload.scope));
  await expect
    .poll(
      () =>
        unacknowledged(
          events.map((e) => e.id),
          sandbox.deliveries(),
        ),
      { timeout: 60_000 },
    )
    .toEqual([]);
}

describe('outages', () => {
  it('when the worker is killed mid-burst and restarted, then every order is applied once: stock before − units ordered', async () => {
    const [item] = await assignInSandbox(installedView(), 102, { threshold: 100, stock: 25 });
    const firstEvent = sandbox.store(storeHash).events().length;
    const before = await processedOrderEvents();
    const burst = placeOrdersOver(102, 40, 4_000);
    await expect.poll(processedOrderEvents, { timeout: 30_000, interval: 20 }).toBeGreaterThan(before + 2);
    // The install ran in a store-jobs process of the worker's: it goes with its worker.
    const storeJobProcesses = childrenOf(worker.child.pid!).map((child) => child.pid);
    expect(storeJobProcesses.length).toBeGreaterThanOrEqual(1);
    worker.child.kill('SIGKILL');
    await worker.exited;
    expect(await processedOrderEvents()).toBeLessThan(before + 40);
    await expect.poll(() => storeJobProcesses.filter(isRunning), { timeout: 10_000 }).toEqual([]);

    await sleep(500);
    worker = startWorker();
    await burst;
    await expectAppliedOnce(item!.id, 25, 40, firstEvent);
  }, 240_000);

  it('when the web process is killed mid-burst and restarted, then BigCommerce’s retries bring every order in once', async () => {
    const [item] = await assignInSandbox(installedView(), 120, { threshold: 100, stock: 5 });
    const firstEvent = sandbox.store(storeHash).events().length;
    const burst = placeOrdersOver(120, 20, 3_000);
    await sleep(800);
    web.child.kill('SIGKILL');
    await web.exited;
    await sleep(1_000);
    web = startWeb();
    await waitForHealthy(`${appUrl}/healthz`, web);
    await burst;
    // Deliveries made while nothing listened failed; the sandbox retried them as BigCommerce does.
    expect(sandbox.deliveries().filter((d) => d.outcome === 'failed' && d.at > Date.now() - 60_000).length).toBeGreaterThan(0);
    await expectAppliedOnce(item!.id, 5, 20, firstEvent);
  }, 240_000);

  it('when Redis freezes mid-burst and thaws, then deliveries are still acknowledged and every order is applied once', async () => {
    const [item] = await assignInSandbox(installedView(), 116, { threshold: 100, stock: 10 });
    const firstEvent = sandbox.store(storeHash).events().length;
    const burst = placeOrdersOver(116, 30, 6_000);
    await sleep(1_000);
    process.kill(redisServer.pid, 'SIGSTOP');
    const frozenAt = Date.now();
    try {
      await sleep(8_000);
    } finally {
      process.kill(redisServer.pid, 'SIGCONT');
    }
    // While Redis did not answer, the web process recorded deliveries in PostgreSQL and acknowledged them.
    expect(sandbox.deliveries().filter((d) => d.status === 200 && d.at > frozenAt + 2_500 && d.at < frozenAt + 8_000).length).toBeGreaterThan(0);
    await burst;
    await expectAppliedOnce(item!.id, 10, 30, firstEvent);
    expect([web.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
  }, 240_000);

  it('when Redis is killed and restarted, then nothing is lost', async () => {
    const [item] = await assignInSandbox(installedView(), 109, { threshold: 100, stock: 0 });
    const delivered = () => sandbox.deliveries().filter((d) => d.scope === 'store/order/created' && d.outcome === 'delivered').length;
    const deliveredBefore = delivered();
    process.kill(redisServer.pid, 'SIGKILL');
    placeOrders(109, 20);
    // The web process records every delivery in PostgreSQL and acknowledges it, Redis or not.
    await expect.poll(delivered, { timeout: 90_000 }).toBeGreaterThanOrEqual(deliveredBefore + 20);

    await redisServer.restart();
    // The sweeper (every 30 s) enqueues the events Redis never took; ask for a sweep now rather than wait.
    const connection: Redis = createRedis(redisServer.url, 'producer');
    const housekeeping = new Queue(QUEUE_NAMES.housekeeping, { connection, prefix: '{backorder}' });
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    await housekeeping.add('sweep-webhook-events', {});
    await expect.poll(async () => (await stockOf(database.db, item!.id)).currentStock, { timeout: 120_000, interval: 250 }).toBe(-20);
    await housekeeping.close();
    connection.disconnect();
    const movements = await database.db.selectFrom('stock_movements').select('delta').where('item_id', '=', item!.id).execute();
    expect(movements).toHaveLength(20);
  }, 240_000);

  it('when PostgreSQL is down for a while, then deliveries get 503s, and afterwards every event is applied once', async () => {
    const [item] = await assignInSandbox(installedView(), 113, { threshold: 100, stock: 0 });
    await database.close();
    postgres.halt();
    placeOrders(113, 15);
    await expect.poll(() => sandbox.deliveries().filter((d) => d.status === 503).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await postgres.restart();
    database = await openDatabase({ databaseUrl: postgres.url, poolSize: 2 });

    await expect.poll(async () => (await stockOf(database.db, item!.id)).currentStock, { timeout: 180_000, interval: 250 }).toBe(-15);
    const movements = await database.db.selectFrom('stock_movements').select('delta').where('item_id', '=', item!.id).execute();
    expect(movements).toHaveLength(15);
    // Neither process went down with the database.
    expect([web.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
  }, 300_000);
});
