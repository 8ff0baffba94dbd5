/**
 * Webhooks.
 * - webhooks.receive.ratio_to_bare: deliveries acknowledged per second by POST /webhooks/bigcommerce
 *   (verify, record in PostgreSQL, enqueue, 200) ÷ the same load against a bare Express handler that only
 *   answers 200 — same process, same load tool (bench/load.mjs in a child process), unique events.
 * - webhooks.lag.p50_ms / p99_ms: from an order event's receipt to its stock change, with orders placed at
 *   200 a second over 20 stores installed in the sandbox store (its rate limit off: the app's own capacity).
 */
import express from 'express';
import { sql } from 'kysely';
import { webhookHeadersFor } from '../server/bigcommerce/index.ts';
import { createLogger } from '../server/logger.ts';
import { start, type Running } from '../server/main.ts';
import { WEBHOOK_PATH } from '../server/registration/registration.service.ts';
import { finishedJob } from '../test/helpers/admin.ts';
import { testConfig } from '../test/helpers/config.ts';
import { listen } from '../test/helpers/http.ts';
import { assignOverControl, control, freshDatabaseUrl, loadRate, sandboxProcess } from './helpers.ts';
import { percentile, round, type Benchmark } from './lib.ts';

async function receiveRatio(services: { databaseUrl: string; redisUrl: string }): Promise<number> {
  const config = testConfig({ databaseUrl: await freshDatabaseUrl(services.databaseUrl), redisUrl: services.redisUrl });
  const app = await start({ config, logger: createLogger({ level: 'silent' }), workers: false });
  const bare = express();
  bare.post('/hook', express.raw({ type: () => true }), (_req, res) => void res.status(200).json({ received: true }));
  const bareServer = await listen(bare);
  try {
    const storeHash = 'benchstore';
    const body = JSON.stringify({
      scope: 'store/order/created',
      store_id: '1001',
      data: { type: 'order', id: 1 },
      hash: '{{n}}',
      created_at: 1_795_000_000,
      producer: `stores/${storeHash}`,
    });
    const headers = webhookHeadersFor(storeHash, config.encryptionKey!);
    await loadRate(`${app.url}${WEBHOOK_PATH}`, body, headers, 2); // warm-up
    const appRate = await loadRate(`${app.url}${WEBHOOK_PATH}`, body, headers, 8);
    const bareRate = await loadRate(`${bareServer.url}/hook`, body, headers, 8);
    return appRate / bareRate;
  } finally {
    await bareServer.close();
    await app.stop();
  }
}

const PRODUCT = 110; // seeded "Laundry Detergent": a simple product tracked by product

async function lag(services: { databaseUrl: string; redisUrl: string }): Promise<number[]> {
  const sandbox = await sandboxProcess();
  const config = testConfig({
    databaseUrl: await freshDatabaseUrl(services.databaseUrl),
    redisUrl: services.redisUrl,
    bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url },
    logLevel: 'silent',
  });
  let app: Running | undefined;
  try {
    app = await start({ config, logger: createLogger({ level: 'silent' }) });
    const db = app.database.db;
    await control(sandbox.url, 'PUT', '/app-url', { url: app.url });
    const stores: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { storeHash } = await control<{ storeHash: string }>(sandbox.url, 'POST', '/stores', { name: `Bench store ${i}`, seed: 'demo' });
      await control(sandbox.url, 'POST', `/stores/${storeHash}/install`, { call: true });
      stores.push(storeHash);
    }
    for (const storeHash of stores) {
      if ((await finishedJob(db, storeHash, 'install', 120_000)).status !== 'succeeded') throw new Error(`install of ${storeHash} failed`);
      await assignOverControl(db, sandbox.url, storeHash, PRODUCT, { stock: 0, threshold: null });
    }

    // 200 orders a second for 10 seconds, round robin over the stores.
    const total = 2_000;
    const placing: Array<Promise<unknown>> = [];
    await new Promise<void>((resolve) => {
      let placed = 0;
      const timer = setInterval(() => {
        for (let i = 0; i < 10 && placed < total; i++, placed++) {
          placing.push(control(sandbox.url, 'POST', `/stores/${stores[placed % stores.length]}/orders`, { lines: [{ productId: PRODUCT, quantity: 1 }] }));
        }
        if (placed >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    await Promise.all(placing);
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { rows } = await sql<{ n: number }>`select count(distinct (store_hash, order_id)) as n from stock_movements where reason = 'order'`.execute(db);
      if (rows[0]!.n >= total) break;
      if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of ${total} orders applied in time`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const { rows } = await sql<{ lag_ms: number }>`
      select extract(epoch from (m.first_at - e.received_at)) * 1000 as lag_ms
      from webhook_events e
      join (select store_hash, order_id, min(created_at) as first_at from stock_movements where reason = 'order' group by store_hash, order_id) m
        on m.store_hash = e.store_hash and m.order_id = (e.payload -> 'data' ->> 'id')::int
      where e.scope = 'store/order/created'`.execute(db);
    if (process.env.BENCH_DEBUG) {
      const stats =
        await sql`select scope, count(*) as n, avg(extract(epoch from processed_at - received_at))*1000 as avg_ms, max(attempts) as max_attempts, min(received_at) as first, max(received_at) as last, max(processed_at) as done from webhook_events group by scope`.execute(
          db,
        );
      console.error(JSON.stringify(stats.rows, null, 1));
    }
    return rows.map((r) => Math.max(0, Number(r.lag_ms)));
  } finally {
    await app?.stop();
    await sandbox.stop();
  }
}

const benchmark: Benchmark = {
  name: 'webhooks',
  timeoutMs: 8 * 60_000,
  async run({ figure, services }) {
    const started = await services();
    figure('webhooks.receive.ratio_to_bare', round(await receiveRatio(started), 2));
    const lags = await lag(started);
    figure('webhooks.lag.p50_ms', round(percentile(lags, 50), 0));
    figure('webhooks.lag.p99_ms', round(percentile(lags, 99), 0));
  },
};

export default benchmark;
