/**
 * The webhook receiver under a minute of deliveries: 500 a second for 60 s, open loop, against `npm start`
 * in its own process. The deliveries are the sandbox store's own events for 4,000 orders (a quarter of
 * them cancelled afterwards), each body and header as BigCommerce sends it — the hook's registered secret
 * header and a Standard Webhooks signature — with new events arriving through the minute among repeats of
 * earlier ones (at-least-once delivery). The store's hooks are paused while the orders are placed, so these
 * deliveries are the only ones. Afterwards the stock must be exactly what the orders imply.
 * - soak.webhooks.deliveries, offered_per_s, acknowledged_per_s, unacknowledged, ack_p50_ms, ack_p99_ms
 * - soak.webhooks.drain_s: from the last delivery until every event is processed and the stock is exact
 * - soak.webhooks.lost_units, doubled_units, stock_off_units, lines_off_items: all 0 or the run fails
 * - soak.webhooks.rss_start_mb, rss_half_load_mb, rss_after_load_mb, rss_after_drain_mb: the app process's
 *   resident memory before, half-way through and after the load, and after the drain
 * - soak.webhooks.rss_peak_first_half_mb, rss_peak_second_half_mb: its highest in each half of the load
 *   (sampled every second): the heap grows to the load's working set in the first seconds, then stays flat;
 *   a leak would raise the second half's peak well above the first's
 * - soak.webhooks.rss_idle_mb: 30 s after the drain, once V8 has handed back what the load no longer needs
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { control, freshDatabaseUrl, pacedPosts, sandboxProcess, assignOverControl } from '../bench/helpers.ts';
import { round, type Benchmark } from '../bench/lib.ts';
import { openDatabase, type Db } from '../server/db/database.ts';
import { scopeMatches, type WebhookPayload } from '../sandbox/events.ts';
import { signature } from '../sandbox/webhooks.ts';
import { WEBHOOK_PATH } from '../server/registration/registration.service.ts';
import { TEST_CLIENT_SECRET } from '../test/helpers/config.ts';
import {
  appEnvironment,
  cancelOrder,
  checkLedger,
  inParallel,
  installStore,
  placeOrder,
  rssAfter,
  rssMb,
  startAppProcess,
  stopProcess,
  waitFor,
  type PlacedOrder,
} from './harness.ts';

/** The load: deliveries a second, for how long, and how many orders' events they carry. */
export interface WebhookLoad {
  rate: number;
  seconds: number;
  orders: number;
}
/** Seeded simple products (sandbox/seed.ts), each with stock the orders run past. */
const PRODUCTS = [104, 109, 110, 113, 120];
const START_STOCK = 300;

interface Hook {
  id: number;
  scope: string;
  headers: Record<string, string> | null;
}

/** Pauses the store's hooks through the API, as a merchant could: BigCommerce then delivers nothing. */
async function pauseHooks(sandboxUrl: string, storeHash: string): Promise<Hook[]> {
  const { access_token: token } = await control<{ access_token: string }>(sandboxUrl, 'POST', `/stores/${storeHash}/tokens`, {});
  const hooks = await control<Hook[]>(sandboxUrl, 'GET', `/stores/${storeHash}/hooks`);
  for (const hook of hooks) {
    const response = await fetch(`${sandboxUrl}/stores/${storeHash}/v3/hooks/${hook.id}`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ is_active: false }),
    });
    if (!response.ok) throw new Error(`pausing hook ${hook.id}: ${response.status}`);
  }
  return hooks;
}

/**
 * The deliveries, as JSON lines for bench/load.mjs: every event once, in the order fired and spread over
 * the run, the other slots repeats of events already delivered. Each signed as the sandbox signs.
 */
function writeDeliveries(file: string, events: Array<{ id: string } & WebhookPayload>, hooks: Hook[], total: number): void {
  const headersOf = (scope: string) => hooks.find((hook) => scopeMatches(hook.scope, scope))?.headers ?? {};
  const timestamp = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  let fresh = 0;
  for (let slot = 0; slot < total; slot++) {
    const isFirst = fresh < events.length && slot >= Math.floor((fresh * total) / events.length);
    const { id, ...payload } = isFirst ? events[fresh++]! : events[Math.floor(Math.random() * fresh)]!;
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      ...headersOf(payload.scope),
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature(TEST_CLIENT_SECRET, id, timestamp, body),
    };
    lines.push(JSON.stringify({ headers, body }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const pendingEvents = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'received')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The webhooks soak at this load; `npm test` runs a short one (test/e2e/webhook-load.test.ts). */
export function webhooksSoak(load: WebhookLoad): Benchmark {
  const soak: Benchmark = {
    name: 'webhooks soak',
    timeoutMs: 270_000,
    async run({ figure, services, remainingMs }) {
      // Figures are printed before the module's bound runs out, whatever the drain does.
      const deadline = Date.now() + Math.min(soak.timeoutMs, remainingMs()) - 20_000;
      const shared = await services();
      const sandbox = await sandboxProcess();
      const databaseUrl = await freshDatabaseUrl(shared.databaseUrl);
      const { env, url, removeDataDir } = await appEnvironment({ databaseUrl, redisUrl: shared.redisUrl }, sandbox.url);
      const database = await openDatabase({ databaseUrl, poolSize: 4 });
      const scratch = mkdtempSync(path.join(os.tmpdir(), 'backorder-soak-deliveries-'));
      const app = await startAppProcess('start', env, url);
      const failures: string[] = [];
      try {
        const db = database.db;
        const storeHash = await installStore(db, sandbox.url, url, 'Soak webhooks');
        const items = new Map<number, { itemId: number; startStock: number }>();
        for (const productId of PRODUCTS) {
          const item = await assignOverControl(db, sandbox.url, storeHash, productId, { stock: START_STOCK, threshold: 1_000_000 });
          items.set(productId, { itemId: item.id, startStock: START_STOCK });
        }
        const hooks = await pauseHooks(sandbox.url, storeHash);
        const firstEvent = (await control<unknown[]>(sandbox.url, 'GET', `/stores/${storeHash}/events`)).length;

        const orders: PlacedOrder[] = [];
        await inParallel(
          [...Array(load.orders).keys()],
          16,
          async (i) => void orders.push(await placeOrder(sandbox.url, storeHash, PRODUCTS[i % PRODUCTS.length]!, 1 + (i % 3))),
        );
        await inParallel(
          orders.filter((_, i) => i % 4 === 3),
          16,
          (order) => cancelOrder(sandbox.url, storeHash, order),
        );
        const fired = (await control<Array<{ id: string } & WebhookPayload>>(sandbox.url, 'GET', `/stores/${storeHash}/events`)).slice(firstEvent);
        const events = fired.filter((event) => hooks.some((hook) => scopeMatches(hook.scope, event.scope)));
        const file = path.join(scratch, 'deliveries.jsonl');
        writeDeliveries(file, events, hooks, load.rate * load.seconds);
        figure('soak.webhooks.orders', orders.length);
        figure('soak.webhooks.events', events.length);

        figure('soak.webhooks.rss_start_mb', rssMb(app.child.pid!));
        const peaks = [0, 0];
        const loadStarted = Date.now();
        const sampler = setInterval(() => {
          const half = Date.now() - loadStarted < load.seconds * 500 ? 0 : 1;
          peaks[half] = Math.max(peaks[half]!, rssMb(app.child.pid!));
        }, 1_000);
        const [result, halfway] = await Promise.all([
          pacedPosts(`${url}${WEBHOOK_PATH}`, load.rate, file),
          rssAfter(app.child.pid!, load.seconds * 500),
        ]).finally(() => clearInterval(sampler));
        const loadEnded = Date.now();
        figure('soak.webhooks.rss_peak_first_half_mb', peaks[0]!);
        figure('soak.webhooks.rss_peak_second_half_mb', peaks[1]!);
        figure('soak.webhooks.rss_half_load_mb', halfway);
        figure('soak.webhooks.rss_after_load_mb', rssMb(app.child.pid!));
        figure('soak.webhooks.deliveries', result.sent);
        figure('soak.webhooks.offered_per_s', round(result.offered, 0));
        figure('soak.webhooks.acknowledged_per_s', round(result.rate, 0));
        figure('soak.webhooks.ack_p50_ms', round(result.p50, 1));
        figure('soak.webhooks.ack_p99_ms', round(result.p99, 1));
        const unacknowledged = result.sent - result.ok;
        figure('soak.webhooks.unacknowledged', unacknowledged);
        if (unacknowledged > 0) failures.push(`${unacknowledged} deliveries not acknowledged (answers: ${JSON.stringify(result.statuses)})`);

        const drained = await waitFor(
          async () => (await pendingEvents(db)) === 0 && (await checkLedger(db, orders, items)).stockOff === 0,
          deadline - Date.now(),
        );
        figure('soak.webhooks.drain_s', drained ? round((Date.now() - loadEnded) / 1000, 1) : -1);
        figure('soak.webhooks.rss_after_drain_mb', rssMb(app.child.pid!));
        if (drained && load.seconds >= 30 && deadline - Date.now() > 35_000) figure('soak.webhooks.rss_idle_mb', await rssAfter(app.child.pid!, 30_000));
        const ledger = await checkLedger(db, orders, items);
        figure('soak.webhooks.lost_units', ledger.lost);
        figure('soak.webhooks.doubled_units', ledger.doubled);
        figure('soak.webhooks.stock_off_units', ledger.stockOff);
        figure('soak.webhooks.lines_off_items', ledger.linesOff);
        if (!drained) failures.push(`${await pendingEvents(db)} events still unprocessed when the time was up`);
        if (ledger.lost + ledger.doubled + ledger.stockOff + ledger.linesOff > 0) failures.push(`the ledger is off: ${JSON.stringify(ledger)}`);
      } finally {
        await stopProcess(app);
        await database.close();
        await sandbox.stop();
        rmSync(scratch, { recursive: true, force: true });
        await removeDataDir();
      }
      if (failures.length > 0) throw new Error(failures.join('; '));
    },
  };
  return soak;
}

export default webhooksSoak({ rate: 500, seconds: 60, orders: 4_000 });
