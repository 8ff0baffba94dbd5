/**
 * A burst of orders through faults, with the app as production runs it — web and worker processes apart,
 * their own PostgreSQL and Redis — and the sandbox store delivering webhooks and retrying failed
 * deliveries as BigCommerce does. Two stores take 10 orders a second each for as long as the faults last
 * (a fifth of the orders cancelled 2 s after they are placed):
 * - `processes`: the worker SIGKILLed (back 3 s later), Redis frozen (SIGSTOP) for 15 s, Redis killed and
 *   restarted 7 s later, PostgreSQL stopped and restarted 10 s later, one after another;
 * - `api`: BigCommerce's API answering this store 500 for a minute, then 429 for a minute, while its orders
 *   are processed and its catalog sync (queued as the trouble starts, 1,000 more products) runs.
 * Figures, per store and in all: orders, lost_units, doubled_units, stock_off_units, lines_off_items,
 * unacknowledged (order events BigCommerce never got a 2xx for); catalog_synced (1: the sync ended with
 * the whole catalog mirrored), crashed_processes, drain_s. Any of them off fails the run.
 */
import { control, freshDatabaseUrl, sandboxProcess, assignOverControl } from '../bench/helpers.ts';
import { round, type Benchmark } from '../bench/lib.ts';
import { openDatabase, type Db } from '../server/db/database.ts';
import { queueStoreJob } from '../server/jobs/jobs.service.ts';
import { createLogger } from '../server/logger.ts';
import { createRedis } from '../server/redis.ts';
import type { Delivery } from '../sandbox/index.ts';
import { ORDER_SCOPES } from '../server/bigcommerce/index.ts';
import { createQueues } from '../server/workers/queues.ts';
import { apiFaultSpells, unacknowledged } from '../test/helpers/faults.ts';
import type { Spawned } from '../test/helpers/processes.ts';
import {
  appEnvironment,
  cancelOrder,
  checkLedger,
  installStore,
  placeOrder,
  startAppProcess,
  stopProcess,
  waitFor,
  type LedgerCheck,
  type PlacedOrder,
} from './harness.ts';

const SPELL_MS = 60_000;
const BURST_MS = 2 * SPELL_MS + 5_000;
const ORDER_EVERY_MS = 100;
const START_STOCK = 200;

interface Burst {
  storeHash: string;
  products: number[];
  items: Map<number, { itemId: number; startStock: number }>;
  orders: PlacedOrder[];
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

async function prepare(db: Db, sandboxUrl: string, appUrl: string, name: string, products: number[]): Promise<Burst> {
  const storeHash = await installStore(db, sandboxUrl, appUrl, name);
  const items = new Map<number, { itemId: number; startStock: number }>();
  for (const productId of products) {
    const item = await assignOverControl(db, sandboxUrl, storeHash, productId, { stock: START_STOCK, threshold: 1_000_000 });
    items.set(productId, { itemId: item.id, startStock: START_STOCK });
  }
  return { storeHash, products, items, orders: [] };
}

/** Orders in every store every ORDER_EVERY_MS until `until`; a fifth cancelled 2 s later. */
async function placeOrders(sandboxUrl: string, bursts: Burst[], until: number): Promise<void> {
  const cancellations: Array<Promise<void>> = [];
  for (let tick = 0, next = Date.now(); Date.now() < until; tick++, next += ORDER_EVERY_MS) {
    for (const burst of bursts) {
      const order = await placeOrder(sandboxUrl, burst.storeHash, burst.products[tick % burst.products.length]!, 1 + (tick % 3));
      burst.orders.push(order);
      if (tick % 5 === 4) cancellations.push(new Promise((resolve) => setTimeout(resolve, 2_000)).then(() => cancelOrder(sandboxUrl, burst.storeHash, order)));
    }
    await sleepUntil(next + ORDER_EVERY_MS);
  }
  await Promise.all(cancellations);
}

/**
 * Order events the store fired that no delivery got a 2xx for (yet: one may be on its way, or waiting for
 * its retry), with what became of their deliveries.
 */
async function unacknowledgedEvents(
  sandboxUrl: string,
  storeHash: string,
): Promise<Array<{ id: string; scope: string; created_at: number; attempts: string[] }>> {
  const events = await control<Array<{ id: string; scope: string; created_at: number }>>(sandboxUrl, 'GET', `/stores/${storeHash}/events`);
  const deliveries = await control<Delivery[]>(sandboxUrl, 'GET', `/stores/${storeHash}/deliveries`);
  const orderEvents = events.filter((e) => (ORDER_SCOPES as readonly string[]).includes(e.scope));
  const missing = new Set(
    unacknowledged(
      orderEvents.map((e) => e.id),
      deliveries,
    ),
  );
  return orderEvents
    .filter((e) => missing.has(e.id))
    .map((e) => ({ ...e, attempts: deliveries.filter((d) => d.eventId === e.id).map((d) => `${d.kind} ${d.outcome} ${d.status ?? d.error}`) }));
}

const soak: Benchmark = {
  name: 'faults soak',
  timeoutMs: 330_000,
  async run({ figure, ownServices, remainingMs }) {
    const deadline = Date.now() + Math.min(soak.timeoutMs, remainingMs()) - 20_000;
    const { postgres, redis } = await ownServices();
    const sandbox = await sandboxProcess();
    const databaseUrl = await freshDatabaseUrl(postgres.url);
    const { env, url, removeDataDir } = await appEnvironment({ databaseUrl, redisUrl: redis.url }, sandbox.url);
    const database = await openDatabase({ databaseUrl, poolSize: 2 });
    let web: Spawned | undefined;
    let worker: Spawned | undefined;
    const failures: string[] = [];
    try {
      const db = database.db;
      web = await startAppProcess('web', env, url);
      worker = await startAppProcess('worker', env, url);
      const processes = await prepare(db, sandbox.url, url, 'Soak faults: processes', [102, 104, 109]);
      const api = await prepare(db, sandbox.url, url, 'Soak faults: api', [110, 113, 120]);
      await control(sandbox.url, 'POST', `/stores/${api.storeHash}/generate`, { products: 1_000, variantsPerProduct: 1 });

      const start = Date.now();
      const at = (ms: number) => sleepUntil(start + ms);
      const spells = apiFaultSpells(sandbox.url, api.storeHash, [
        { fault: '500', ms: SPELL_MS },
        { fault: '429', ms: SPELL_MS },
      ]);
      const connection = createRedis(redis.url, 'producer');
      const queues = createQueues(connection, env.QUEUE_PREFIX!, createLogger({ level: 'warn' }));
      const { job: sync } = await queueStoreJob(db, queues.storeJobs, api.storeHash, 'catalog-sync', 'Waiting to start');
      await queues.close();
      connection.disconnect();
      const ordering = placeOrders(sandbox.url, [processes, api], start + BURST_MS);

      await at(8_000);
      worker.child.kill('SIGKILL');
      await worker.exited;
      await at(11_000);
      worker = await startAppProcess('worker', env, url);
      await at(20_000);
      process.kill(redis.pid, 'SIGSTOP');
      await at(35_000);
      process.kill(redis.pid, 'SIGCONT');
      await at(45_000);
      process.kill(redis.pid, 'SIGKILL');
      await at(52_000);
      await redis.restart();
      await at(62_000);
      postgres.halt();
      await at(72_000);
      await postgres.restart();
      await Promise.all([spells, ordering]);
      const burstEnded = Date.now();

      const bursts = { processes, api };
      const settled = async () => {
        for (const burst of Object.values(bursts)) {
          if ((await checkLedger(db, burst.orders, burst.items)).stockOff > 0) return false;
          if ((await unacknowledgedEvents(sandbox.url, burst.storeHash)).length > 0) return false;
        }
        const latestSync = await db.selectFrom('jobs').select('status').where('id', '=', sync.id).executeTakeFirstOrThrow();
        return latestSync.status === 'succeeded' || latestSync.status === 'failed';
      };
      const drained = await waitFor(settled, deadline - Date.now());
      figure('soak.faults.drain_s', drained ? round((Date.now() - burstEnded) / 1000, 1) : -1);
      // Work finishing after the drain (order notes written once BigCommerce answers again) fires more
      // order events: the count is taken once those are acknowledged too, or when the time is up.
      const stores = Object.values(bursts).map((b) => b.storeHash);
      await waitFor(
        async () => (await Promise.all(stores.map((h) => unacknowledgedEvents(sandbox.url, h)))).every((m) => m.length === 0),
        Math.min(30_000, deadline - Date.now()),
      );

      const total: LedgerCheck & { orders: number; unacknowledged: number } = { orders: 0, lost: 0, doubled: 0, stockOff: 0, linesOff: 0, unacknowledged: 0 };
      for (const [name, burst] of Object.entries(bursts)) {
        const ledger = await checkLedger(db, burst.orders, burst.items);
        const missing = (await unacknowledgedEvents(sandbox.url, burst.storeHash)).length;
        figure(`soak.faults.${name}.orders`, burst.orders.length);
        figure(`soak.faults.${name}.lost_units`, ledger.lost);
        figure(`soak.faults.${name}.doubled_units`, ledger.doubled);
        figure(`soak.faults.${name}.stock_off_units`, ledger.stockOff);
        figure(`soak.faults.${name}.unacknowledged`, missing);
        total.orders += burst.orders.length;
        total.unacknowledged += missing;
        for (const key of ['lost', 'doubled', 'stockOff', 'linesOff'] as const) total[key] += ledger[key];
      }
      figure('soak.faults.orders', total.orders);
      figure('soak.faults.lost_units', total.lost);
      figure('soak.faults.doubled_units', total.doubled);
      figure('soak.faults.stock_off_units', total.stockOff);
      figure('soak.faults.lines_off_items', total.linesOff);
      figure('soak.faults.unacknowledged', total.unacknowledged);
      if (total.lost + total.doubled + total.stockOff + total.linesOff > 0) failures.push(`the ledger is off: ${JSON.stringify(total)}`);
      if (total.unacknowledged > 0) {
        const examples = (await Promise.all(stores.map((h) => unacknowledgedEvents(sandbox.url, h)))).flat().slice(0, 5);
        failures.push(`${total.unacknowledged} order events never acknowledged, e.g. ${JSON.stringify(examples)}`);
      }

      const finished = await db.selectFrom('jobs').select(['status', 'error']).where('id', '=', sync.id).executeTakeFirstOrThrow();
      const mirrored = Number(
        (
          await db
            .selectFrom('catalog_products')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('store_hash', '=', api.storeHash)
            .executeTakeFirstOrThrow()
        ).n,
      );
      const inStore = (await control<Array<{ storeHash: string; products: number }>>(sandbox.url, 'GET', '/stores')).find(
        (s) => s.storeHash === api.storeHash,
      )!.products;
      const synced = finished.status === 'succeeded' && mirrored === inStore;
      figure('soak.faults.catalog_synced', synced ? 1 : 0);
      if (!synced) failures.push(`the catalog sync ended ${finished.status} (${finished.error ?? ''}) with ${mirrored} of ${inStore} products mirrored`);

      const crashed = [web, worker].filter((p) => p.child.exitCode !== null || p.child.signalCode !== null).length;
      figure('soak.faults.crashed_processes', crashed);
      if (crashed > 0) failures.push(`${crashed} app process(es) died on their own`);
    } finally {
      await Promise.all([web, worker].map((p) => p && stopProcess(p)));
      await database.close();
      await sandbox.stop();
      await removeDataDir();
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
  },
};

export default soak;
