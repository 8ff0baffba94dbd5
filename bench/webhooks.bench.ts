/**
 * Webhooks.
 * - webhooks.receive.ratio_to_bare: deliveries acknowledged per second by POST /webhooks/bigcommerce
 *   (verify, record in PostgreSQL, enqueue, 200) ÷ the same load against a bare Express handler that only
 *   answers 200 — same process, same load tool (autocannon in a child process), unique events.
 * - webhooks.lag.p50_ms / p99_ms: from an order event's receipt to its stock change, with orders placed at
 *   200 a second over 20 stores installed in the sandbox store (its rate limit off: the app's own capacity).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import express from 'express';
import { sql } from 'kysely';
import { webhookHeadersFor } from '../server/bigcommerce/index.ts';
import { createLogger } from '../server/logger.ts';
import { start, type Running } from '../server/main.ts';
import { startSandbox } from '../server/sandbox/index.ts';
import { WEBHOOK_PATH } from '../server/webhooks/webhooks.routes.ts';
import { finishedJob } from '../test/helpers/admin.ts';
import { testConfig, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../test/helpers/config.ts';
import { listen } from '../test/helpers/http.ts';
import { assignInSandbox } from '../test/helpers/installed-app.ts';
import { freshDatabaseUrl } from './helpers.ts';
import { percentile, round, type Benchmark } from './lib.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Requests per second autocannon reaches against `url` posting `body` (with `[<id>]` made unique). */
function loadRate(url: string, body: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const args = [path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js'), '-c', '32', '-d', String(seconds), '-m', 'POST', '-I', '-j', '-b', body];
  for (const [name, value] of Object.entries({ 'content-type': 'application/json', ...headers })) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      try {
        const result = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
        resolve(result.requests.average);
      } catch (error) {
        reject(new Error(`autocannon (exit ${code}) against ${url}: ${(error as Error).message}`));
      }
    });
  });
}

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
      hash: '[<id>]',
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

async function lag(services: { databaseUrl: string; redisUrl: string }): Promise<number[]> {
  const sandbox = await startSandbox({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, rateLimit: { quota: 0, windowMs: 30_000 }, webhookTimeScale: 0.001 });
  const config = testConfig({
    databaseUrl: await freshDatabaseUrl(services.databaseUrl),
    redisUrl: services.redisUrl,
    bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url },
    logLevel: 'silent',
  });
  let app: Running | undefined;
  try {
    app = await start({ config, logger: createLogger({ level: 'silent' }) });
    sandbox.setAppUrl(app.url);
    const stores: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { storeHash } = await sandbox.createStore({ name: `Bench store ${i}`, seed: 'demo' });
      await sandbox.install(storeHash, { call: true });
      stores.push(storeHash);
    }
    for (const storeHash of stores) {
      if ((await finishedJob(app.database.db, storeHash, 'install', 120_000)).status !== 'succeeded') throw new Error(`install of ${storeHash} failed`);
      await assignInSandbox({ sandbox, storeHash, app: app as never, stop: async () => {} }, 110, { threshold: null, stock: 0 });
    }

    // 200 orders a second for 10 seconds, round robin over the stores.
    const perTick = 10;
    let placed = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let i = 0; i < perTick; i++) sandbox.store(stores[placed++ % stores.length]!).placeOrder({ lines: [{ productId: 110, quantity: 1 }] });
        if (placed >= 2_000) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from stock_movements where reason = 'order'`.execute(app.database.db);
      if (rows[0]!.n >= 2_000) break;
      if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of 2000 orders applied in time`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const { rows } = await sql<{ lag_ms: number }>`
      select extract(epoch from (m.first_at - e.received_at)) * 1000 as lag_ms
      from webhook_events e
      join (select store_hash, order_id, min(created_at) as first_at from stock_movements where reason = 'order' group by store_hash, order_id) m
        on m.store_hash = e.store_hash and m.order_id = (e.payload -> 'data' ->> 'id')::int
      where e.scope = 'store/order/created'`.execute(app.database.db);
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
