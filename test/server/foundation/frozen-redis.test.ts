/**
 * A Redis that accepts connections but answers nothing (stopped with SIGSTOP: swapping, a long fork, a
 * paused container) must not hold web requests: the storefront API answers from PostgreSQL, admin pages
 * render without their flash messages, webhook deliveries are recorded and acknowledged, each within 1 s,
 * and /healthz names Redis as not answering. The app runs against a redis-server of this test's own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookHeadersFor } from '../../../server/bigcommerce/index.ts';
import { WEBHOOK_PATH } from '../../../server/registration/registration.service.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { startRedisServer, type RedisServer } from '../../../scripts/lib/redis-server.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, itemFormFields, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../../helpers/inventory.ts';
import { settingsForm } from '../../helpers/settings-form.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

const fake = fakeBigCommerce();
const STORE = 'frozenredis1';
let redisServer: RedisServer;
let redisDir: string | undefined;
let app: TestApp;
let admin: AdminClient;
let session: string;
let frozen = false;

const freeze = () => {
  process.kill(redisServer.pid, 'SIGSTOP');
  frozen = true;
};
const thaw = () => {
  if (frozen) process.kill(redisServer.pid, 'SIGCONT');
  frozen = false;
};

/** Posts a form to the app while Redis is frozen (thawed again after the answer, whatever it is). */
async function postWhileFrozen(path: string, body: URLSearchParams | FormData): Promise<Response> {
  freeze();
  try {
    return await fetch(`${app.url}${path}`, { method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(5_000) });
  } finally {
    thaw();
  }
}

/** Waits until the app finds Redis answering again after a thaw. */
const redisAnswersAgain = () => expect.poll(async () => (await get(`${app.url}/healthz`)).status, { timeout: 15_000, interval: 200 }).toBe(200);

beforeAll(async () => {
  redisDir = await mkdtemp(path.join(os.tmpdir(), 'backorder-frozen-redis-'));
  redisServer = await startRedisServer({ binary: process.env.REDIS_SERVER_BIN!, dir: redisDir });
  app = await startTestApp({ gateway: fake.factory(), config: { redisUrl: redisServer.url } });
  fake.addStore(STORE, { products: [501, 502, 503].map((id) => bcProduct({ id, name: `Lantern ${id}`, sku: `LANTERN-${id}` })) });
  session = (await install(app.url, fake, STORE)).session;
  admin = adminClient(app.url, session);
  await finishedJob(app.database.db, STORE, 'install');
  for (const productId of [501, 502, 503]) await assignProduct(app.database.db, STORE, { currentStock: 0, backorderThreshold: 4 }, { productId });
  // Work left pending: opening Assigned Products resumes it, which needs the queue.
  await app.database.db.updateTable('assignments').set({ state: 'assigning' }).where('store_hash', '=', STORE).where('product_id', '=', 503).execute();
}, 60_000);
afterAll(async () => {
  thaw();
  await app?.stop();
  await redisServer?.stop();
  // Only once redis-server has stopped: it writes its append-only file there until then.
  if (redisDir) await rm(redisDir, { recursive: true, force: true });
});

/** Runs `request`, failing if it takes 1 s or more; returns its response and prints the time taken. */
async function withinASecond(what: string, request: () => Promise<Response>): Promise<Response> {
  const started = performance.now();
  const response = await request();
  await response.clone().arrayBuffer();
  const ms = Math.round(performance.now() - started);
  console.log(`figure frozen_redis_${what.replace(/\W+/g, '_')}_ms ${ms}`);
  expect(ms, `${what} took ${ms} ms`).toBeLessThan(1_000);
  return response;
}

const get = (url: string) => fetch(url, { headers: { Accept: 'text/html' }, signal: AbortSignal.timeout(5_000) });

function delivery(orderId: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(webhookEnvelope(STORE, 'store/order/created', { type: 'order', id: orderId }));
  return { body, headers: { 'Content-Type': 'application/json', ...webhookHeadersFor(STORE, app.config.encryptionKey!) } };
}

describe('Redis frozen (SIGSTOP)', () => {
  it('when Redis answers nothing, then the storefront API, admin pages and webhook deliveries answer within 1 s, and /healthz says Redis is not answering', async () => {
    freeze();
    try {
      // The first round meets the freeze; the second, a connection known not to answer.
      for (const [round, productId] of [
        [1, 501],
        [2, 502],
      ] as const) {
        const storefront = await withinASecond(`storefront api round ${round}`, () =>
          get(`${app.url}/storefront-api/v1/stores/${STORE}/availability?products=${productId}`),
        );
        expect(storefront.status).toBe(200);
        expect(((await storefront.json()) as { products: Record<string, unknown> }).products).toHaveProperty(String(productId));

        for (const [page, shows] of [
          ['/admin/products', 'Lantern'],
          ['/admin/products/assigned', 'Lantern'],
          ['/admin/report', 'Backorder report'],
        ]) {
          const response = await withinASecond(`admin ${page} round ${round}`, () => get(`${app.url}${page}?session=${session}`));
          expect(response.status).toBe(200);
          expect(await response.text()).toContain(shows);
        }

        const { body, headers } = delivery(9000 + round);
        const webhook = await withinASecond(`webhook round ${round}`, () =>
          fetch(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(5_000) }),
        );
        expect(webhook.status).toBe(200);

        const health = await withinASecond(`healthz round ${round}`, () => get(`${app.url}/healthz`));
        expect(health.status).toBe(503);
        expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'ok', redis: expect.stringMatching(/^down: not answering/) });
      }
      const recorded = await app.database.db.selectFrom('webhook_events').select('status').where('store_hash', '=', STORE).execute();
      expect(recorded).toEqual([{ status: 'received' }, { status: 'received' }]);
    } finally {
      thaw();
    }

    // Once Redis answers again, so does everything that needs it.
    await redisAnswersAgain();
    const saved = await admin.post('/admin/catalog/sync', {}, '/admin/products');
    expect(saved.status).toBe(303);
    expect(await get(new URL(saved.location!, app.url).toString()).then((r) => r.text())).toContain('Catalog sync started');
  }, 60_000);

  it('when Redis stays frozen through the connection’s attempts to reconnect, then /healthz still says it is not answering', async () => {
    freeze();
    try {
      // Wakes the request connection, which then times out, reconnects and times out again on its ready check.
      expect((await get(`${app.url}/storefront-api/v1/stores/${STORE}/availability?products=503`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await (await get(`${app.url}/healthz`)).json()).toMatchObject({ redis: expect.stringMatching(/^down: not answering/) });
    } finally {
      thaw();
    }
    await redisAnswersAgain();
  }, 30_000);

  it('when a merchant gives the Custom theme selectors while Redis answers nothing, then they are saved and the page answers, the scripts left to reconcile', async () => {
    const page = await (await get(`${app.url}/admin/settings?session=${session}`)).text();
    const fields = Object.fromEntries(
      settingsForm(page).post({ 'storefront.themeProfile': 'custom', 'storefront.customSelectors.productId': 'input[name="pid"]' }),
    );
    const saved = await postWhileFrozen('/admin/settings', new URLSearchParams({ ...fields, session, _csrf: csrfIn(page) }));
    expect(saved.status).toBe(303);
    const { storefront } = await getSettings(app.database.db, STORE);
    expect([storefront.themeProfile, storefront.customSelectors.productId]).toEqual(['custom', 'input[name="pid"]']);
    expect(app.logLines.some((line) => line.includes('scripts refresh could not be queued'))).toBe(true);
  }, 30_000);

  it('when a merchant uploads an import while Redis answers nothing, then its page opens, and once Redis is back the page starts the run: read once', async () => {
    const page = await (await get(`${app.url}/admin/imports/new?session=${session}`)).text();
    const form = new FormData();
    for (const [name, value] of [
      ['session', session],
      ['_csrf', csrfIn(page)],
      ['mode', 'update'],
      ['columns', 'current_stock'],
    ])
      form.append(name!, value!);
    form.append('file', new Blob(['sku,current_stock\nLANTERN-502,7\n']), 'stock.csv');
    const uploaded = await postWhileFrozen('/admin/imports', form);
    expect(uploaded.status).toBe(303);
    const location = uploaded.headers.get('location');
    expect(location).toMatch(/^\/admin\/imports\/\d+\?/);
    await redisAnswersAgain();
    expect((await get(`${app.url}${location}`)).status).toBe(200);
    const stock = async () =>
      (
        await app.database.db
          .selectFrom('inventory_items')
          .select('current_stock')
          .where('store_hash', '=', STORE)
          .where('product_id', '=', 502)
          .executeTakeFirstOrThrow()
      ).current_stock;
    await expect.poll(stock, { timeout: 30_000, interval: 200 }).toBe(7);
    expect(await app.database.db.selectFrom('imports').select('id').where('store_hash', '=', STORE).execute()).toHaveLength(1);
  }, 60_000);

  it('when a merchant unassigns a product while Redis answers nothing, then it is saved and the page answers; once Redis is back, opening Assigned Products hands it back', async () => {
    const page = await (await get(`${app.url}/admin/products/502/unassign?session=${session}`)).text();
    const saved = await postWhileFrozen('/admin/products/502/unassign', new URLSearchParams({ session, _csrf: csrfIn(page), restoreTracking: 'on' }));
    expect(saved.status).toBe(303);
    const state = async () =>
      await app.database.db
        .selectFrom('assignments')
        .select(['state', 'released_at'])
        .where('store_hash', '=', STORE)
        .where('product_id', '=', 502)
        .executeTakeFirstOrThrow();
    expect((await state()).state).toBe('unassigning');
    await redisAnswersAgain();
    expect((await get(`${app.url}/admin/products/assigned?session=${session}`)).status).toBe(200);
    await expect.poll(async () => (await state()).released_at !== null, { timeout: 30_000, interval: 200 }).toBe(true);
  }, 60_000);

  it('when a merchant saves an edit while Redis answers nothing, then it is saved and says so, and the selling sweep checks the item once Redis is back', async () => {
    const page = await (await get(`${app.url}/admin/products/501/edit?session=${session}`)).text();
    const form = { ...itemFormFields(page), session, _csrf: csrfIn(page) };
    freeze();
    try {
      // Stock 0 and threshold 0: nothing left to sell, so selling must stop.
      const saved = await withinASecond('admin edit save', () =>
        fetch(`${app.url}/admin/products/501/edit`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...form, 'p501.backorderThreshold': '0' }),
          redirect: 'manual',
          signal: AbortSignal.timeout(5_000),
        }),
      );
      expect(saved.status).toBe(303);
    } finally {
      thaw();
    }
    const item = await app.database.db
      .selectFrom('inventory_items')
      .select(['id', 'backorder_threshold'])
      .where('store_hash', '=', STORE)
      .where('product_id', '=', 501)
      .executeTakeFirstOrThrow();
    expect(item.backorder_threshold).toBe(0);

    await redisAnswersAgain();
    await runHousekeeping({ db: app.database.db, queues: app.queues }, { name: 'sweep-selling' });
    const checks = await app.queues.selling.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized']);
    expect(checks.map((job) => job.data)).toContainEqual({ storeHash: STORE, itemId: Number(item.id) });
  }, 60_000);
});
