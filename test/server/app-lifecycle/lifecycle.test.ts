import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleAppUninstalled } from '../../../server/app-lifecycle/app-uninstalled.handler.ts';
import { webhookSecretKeyId } from '../../../server/bigcommerce/index.ts';
import { scriptsVersion } from '../../../server/registration/registration.service.ts';
import { queueScriptRefreshes } from '../../../server/registration/scripts-refresh.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../../../server/registration/storefront-bundle.ts';
import { stockEffects } from '../../../server/wiring.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, install, load, sessionIn, uninstall } from '../../helpers/admin.ts';
import { testConfig } from '../../helpers/config.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory(2) });
});
afterAll(async () => {
  await app?.stop();
});

const get = (path: string) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: { Accept: 'text/html' } });
const storeRow = (storeHash: string) => app.database.db.selectFrom('stores').selectAll().where('store_hash', '=', storeHash).executeTakeFirstOrThrow();

describe('installing from BigCommerce (/auth)', () => {
  it('when the merchant installs, then the store and its owner are saved, the token encrypted, and setup runs in the background', async () => {
    fake.addStore('inst1', {
      products: [bcProduct({ name: 'Blue Jar' }), bcProduct({ name: 'Red Jar' }), bcProduct({ name: 'Green Jar' })],
      categories: [{ id: 5, parent_id: 0, name: 'Jars', is_visible: true }],
      brands: [{ id: 7, name: 'Acme' }],
    });
    const { session, location, accessToken } = await install(app.url, fake, 'inst1');
    expect(location).toMatch(/^\/admin\/products\?session=/);
    expect(session).not.toBe('');

    const store = await storeRow('inst1');
    expect(store.status).toBe('active');
    expect(store.access_token_ciphertext).toMatch(/^v2\./);
    expect(store.access_token_ciphertext).not.toContain(accessToken);
    const users = await app.database.db.selectFrom('store_users').selectAll().where('store_hash', '=', 'inst1').execute();
    expect(users).toEqual([expect.objectContaining({ user_id: fake.stores.get('inst1')!.owner.id, is_owner: true })]);

    const job = await finishedJob(app.database.db, 'inst1', 'install');
    expect(job).toMatchObject({ status: 'succeeded', progress_done: 3, progress_total: 3 });
    expect(job.message).toBe('BackOrder is set up: 3 products, 1 category and 1 brand synced.');
    expect(fake.calls.connect.filter((c) => c.storeHash === 'inst1').every((c) => c.tokenMatched)).toBe(true);
    expect(fake.calls.registerWebhooks).toContain('inst1');
    expect(fake.calls.registerScripts).toContain('inst1');

    const profile = await storeRow('inst1');
    expect(profile).toMatchObject({ name: 'Store inst1', domain: 'inst1.example', timezone: 'Europe/Paris' });
    const mirrored = await app.database.db.selectFrom('catalog_products').select('name').where('store_hash', '=', 'inst1').orderBy('name').execute();
    expect(mirrored.map((p) => p.name)).toEqual(['Blue Jar', 'Green Jar', 'Red Jar']);
  });

  it('when a store is set up, then what was registered is recorded, so the next start of the workers registers nothing again', async () => {
    fake.addStore('inst5', { products: [bcProduct({ name: 'Lamp' })] });
    await install(app.url, fake, 'inst5');
    expect(await finishedJob(app.database.db, 'inst5', 'install')).toMatchObject({ status: 'succeeded' });
    const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
    expect(await storeRow('inst5')).toMatchObject({
      scripts_version: scriptsVersion(bundle, undefined),
      webhook_secret_key_id: webhookSecretKeyId(app.config.encryptionKey!),
    });

    // What the workers do when they start: queue a refresh for every store whose scripts are of another build.
    const refreshes = new Queue('reconcile', { connection: app.redis, prefix: testConfig().queuePrefix });
    try {
      await queueScriptRefreshes(app.database.db, refreshes, bundle);
      const queued = await refreshes.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(queued.map((job) => (job.data as { storeHash: string }).storeHash)).not.toContain('inst5');
    } finally {
      await refreshes.obliterate({ force: true });
      await refreshes.close();
    }
  });

  it('when the install answer opens the admin, then the page shows the store and the setup', async () => {
    fake.addStore('inst2', { products: [bcProduct({ name: 'Only One' })] });
    const { location } = await install(app.url, fake, 'inst2');
    // The store's name comes with its profile, which the setup job reads in the background.
    await finishedJob(app.database.db, 'inst2', 'install');
    const page = await get(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Store inst2');
    expect(html).toContain('BackOrder is installed.');
  });

  it('when a scope is missing from the grant, then the admin says which one', async () => {
    fake.addStore('inst3');
    const { location } = await install(app.url, fake, 'inst3', { scope: 'store_v2_products store_v2_orders' });
    const html = await (await get(location)).text();
    expect(html).toMatch(/not granted Content: modify, Checkout content: modify, Information: read-only, Inventory: modify/);
  });

  it('when /auth is called without a code, or the code was already used, then it says so and saves nothing', async () => {
    const missing = await get('/auth?scope=x&context=stores/nocode');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/<strong>code<\/strong>: is required/);

    fake.addStore('reused');
    const { query } = fake.installCode('reused');
    expect((await get(`/auth?${query}`)).status).toBe(302);
    const again = await get(`/auth?${query}`);
    expect(again.status).toBe(503);
    expect(await again.text()).toMatch(/BigCommerce did not accept the installation code/);
  });
});

describe('opening the app (/load)', () => {
  it('when the store’s time zone was changed in BigCommerce, then opening the app reads it again once the profile is over an hour old, after answering', async () => {
    fake.addStore('load3');
    await install(app.url, fake, 'load3');
    expect(await finishedJob(app.database.db, 'load3', 'install')).toMatchObject({ status: 'succeeded' });
    Object.assign(fake.stores.get('load3')!.information, { timezone: 'America/Los_Angeles', fixedTimezone: 'Etc/GMT+8' });
    const timezone = async () => (await storeRow('load3')).timezone;
    const readAt = async () => (await storeRow('load3')).profile_read_at;

    // Read at install, minutes ago: opening the app asks BigCommerce nothing.
    const installedRead = await readAt();
    await load(app.url, fake, 'load3');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await timezone()).toBe('Europe/Paris');
    expect(await readAt()).toEqual(installedRead);

    await app.database.db
      .updateTable('stores')
      .set({ profile_read_at: new Date(Date.now() - 61 * 60_000) })
      .where('store_hash', '=', 'load3')
      .execute();
    const session = await load(app.url, fake, 'load3');
    await vi.waitFor(async () => expect(await timezone()).toBe('America/Los_Angeles'), { timeout: 5_000, interval: 50 });
    expect((await readAt())!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await get(`/admin/products?session=${session}`)).status).toBe(200);
  });

  it('when a known user opens the app, then the admin opens with a fresh session', async () => {
    fake.addStore('load1');
    await install(app.url, fake, 'load1');
    const session = await load(app.url, fake, 'load1');
    const page = await get(`/admin/products?session=${session}`);
    expect(page.status).toBe(200);
  });

  it('when an unknown user of an installed store opens it, then the user is added', async () => {
    fake.addStore('load2');
    await install(app.url, fake, 'load2');
    const newcomer = { id: 4242, email: 'staff@load2.example', locale: 'fr-FR' };
    const session = await load(app.url, fake, 'load2', newcomer);
    const user = await app.database.db.selectFrom('store_users').selectAll().where('store_hash', '=', 'load2').where('user_id', '=', 4242).executeTakeFirst();
    expect(user).toMatchObject({ email: 'staff@load2.example', locale: 'fr-FR', is_owner: false });
    expect((await get(`/admin/settings?session=${session}`)).status).toBe(200);
  });

  it.each([
    ['bad-signature', /forged: its signature does not match/],
    ['expired', /has expired/],
    ['wrong-audience', /issued for another app \(wrong audience\)/],
  ])('when the signed payload is refused (%s), then a 401 page gives the reason', async (reason, words) => {
    const response = await get(`/load?signed_payload_jwt=${fake.refusedPayload(reason)}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/Please open the app from your BigCommerce control panel/);
    expect(html).toMatch(words);
  });

  it('when there is no signed payload at all, then it is refused with 401', async () => {
    expect((await get('/load')).status).toBe(401);
  });

  it('when the store never installed the app, or uninstalled it, then the page says so', async () => {
    fake.addStore('ghost');
    const unknown = await get(`/load?signed_payload_jwt=${fake.signedPayload('ghost')}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/has not installed BackOrder/);

    fake.addStore('gone');
    await install(app.url, fake, 'gone');
    await uninstall(app.url, fake, 'gone');
    const uninstalled = await get(`/load?signed_payload_jwt=${fake.signedPayload('gone')}`);
    expect(uninstalled.status).toBe(409);
    expect(await uninstalled.text()).toMatch(/BackOrder was uninstalled from the store gone/);
  });
});

describe('uninstalling and removing users', () => {
  it('when the store uninstalls, then it is disabled, its token erased, the purge scheduled, and its sessions end', async () => {
    fake.addStore('bye1', { products: [bcProduct({ name: 'Stays a while' })] });
    const { session } = await install(app.url, fake, 'bye1');
    await finishedJob(app.database.db, 'bye1', 'install');
    const before = Date.now();
    const response = await uninstall(app.url, fake, 'bye1');
    expect(response.status).toBe(200);

    const store = await storeRow('bye1');
    expect(store).toMatchObject({ status: 'uninstalled', access_token_ciphertext: null });
    const days = (store.purge_after!.getTime() - before) / (24 * 3600 * 1000);
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    expect((await get(`/admin/products?session=${session}`)).status).toBe(401);
    // Installed, then uninstalled: each time every process is told to read the token afresh.
    expect(fake.calls.forgetToken.filter((storeHash) => storeHash === 'bye1')).toHaveLength(2);
    // The data stays until the purge: the mirror is still there.
    const products = await app.database.db.selectFrom('catalog_products').select('product_id').where('store_hash', '=', 'bye1').execute();
    expect(products.length).toBeGreaterThan(0);
  });

  it('when the store/app/uninstalled webhook is handled, then it does what /uninstall does, once', async () => {
    fake.addStore('bye3');
    await install(app.url, fake, 'bye3');
    const effects = stockEffects({ sellingQueue: app.queues.selling, levelsQueue: app.queues.levels, redis: app.redis, prefix: app.config.queuePrefix });
    const deps = { db: app.database.db, config: app.config, logger: app.logger, effects, gateway: app.gateway, uninstallJobs: app.queues.reconcile };
    expect(await handleAppUninstalled(deps, { storeHash: 'bye3' })).toBe(true);
    expect(await storeRow('bye3')).toMatchObject({ status: 'uninstalled', access_token_ciphertext: null });
    // A paid subscription is told to end with its period (plans/unified-billing.test.ts runs the job).
    const queued = await app.queues.reconcile.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(queued.filter((job) => job.name === 'billing-end' && job.data.storeHash === 'bye3')).toHaveLength(1);
    expect(await handleAppUninstalled(deps, { storeHash: 'bye3' })).toBe(false);
  });

  it('when the store uninstalls while its setup runs, then the setup fails for good instead of retrying for hours', async () => {
    fake.addStore('bye4', { products: [bcProduct({ name: 'One' }), bcProduct({ name: 'Two' }), bcProduct({ name: 'Three' })] });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    fake.holdProductPages((index) => (index === 1 ? held : Promise.resolve()));
    try {
      await install(app.url, fake, 'bye4');
      await expect
        .poll(async () => (await app.database.db.selectFrom('jobs').select('progress_done').where('store_hash', '=', 'bye4').executeTakeFirst())?.progress_done)
        .toBe(2);
      await uninstall(app.url, fake, 'bye4');
      release();
    } finally {
      fake.holdProductPages(undefined);
    }
    // The page after the uninstall is refused (401, retryable like any error from BigCommerce); the retry
    // finds the store uninstalled, which no retry can fix.
    const job = await finishedJob(app.database.db, 'bye4', 'install');
    expect(job).toMatchObject({ status: 'failed', attempts: 2 });
    expect(job.error).toMatch(/BackOrder was uninstalled from the store bye4/);
  });

  it('when a forged uninstall arrives, then nothing changes', async () => {
    fake.addStore('bye2');
    await install(app.url, fake, 'bye2');
    expect((await get(`/uninstall?signed_payload_jwt=${fake.refusedPayload('bad-signature')}`)).status).toBe(401);
    expect((await storeRow('bye2')).status).toBe('active');
  });

  it('when the store reinstalls before the purge, then it is active again with a new token and its data', async () => {
    fake.addStore('back1', { products: [bcProduct({ name: 'Kept' })] });
    await install(app.url, fake, 'back1');
    await finishedJob(app.database.db, 'back1', 'install');
    await uninstall(app.url, fake, 'back1');
    const { accessToken } = await install(app.url, fake, 'back1');
    const store = await storeRow('back1');
    expect(store).toMatchObject({ status: 'active', purge_after: null, uninstalled_at: null });
    expect(store.access_token_ciphertext).not.toContain(accessToken);
    const job = await finishedJob(app.database.db, 'back1', 'install');
    expect(job.status).toBe('succeeded');
    expect(fake.calls.forgetToken.filter((storeHash) => storeHash === 'back1')).toHaveLength(3);
  });

  it('when the owner removes a user, then that user can no longer open the admin', async () => {
    fake.addStore('users1');
    await install(app.url, fake, 'users1');
    const staff = { id: 77, email: 'staff@users1.example' };
    const session = await load(app.url, fake, 'users1', staff);
    const removed = await get(`/remove_user?signed_payload_jwt=${fake.signedPayload('users1', staff)}`);
    expect(removed.status).toBe(200);
    const page = await get(`/admin/products?session=${session}`);
    expect(page.status).toBe(401);
    expect(await page.text()).toMatch(/Your access to BackOrder was removed by the store owner\. Ask the owner to give it back, then open BackOrder again\./);
  });
});

describe('the access token stays secret', () => {
  it('when a store is installed, set up and used, then its token appears in no log line, job data, job row or page', async () => {
    fake.addStore('secret1', { products: [bcProduct({ name: 'Hush' })] });
    const { session, accessToken, location } = await install(app.url, fake, 'secret1');
    await finishedJob(app.database.db, 'secret1', 'install');
    const pages = await Promise.all(
      [location, `/admin/settings?session=${session}`, '/admin/products?session=forged', `/load?signed_payload_jwt=${fake.refusedPayload('expired')}`].map(
        async (path) => (await get(path)).text(),
      ),
    );
    const jobs = await app.queues.storeJobs.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    const rows = await app.database.db.selectFrom('jobs').selectAll().where('store_hash', '=', 'secret1').execute();

    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(JSON.stringify(job.data)).not.toContain(accessToken);
    expect(jobs.find((job) => job.data.storeHash === 'secret1')?.data).toEqual({ storeHash: 'secret1', jobId: rows[0]!.id });
    expect(JSON.stringify(rows)).not.toContain(accessToken);
    for (const html of pages) expect(html).not.toContain(accessToken);
    expect(app.logLines.join('\n')).not.toContain(accessToken);
    expect(app.logLines.join('\n')).not.toContain(sessionIn(location));
  });
});
