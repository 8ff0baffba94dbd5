/**
 * The signed callbacks as an attacker would use them (issue 11): a staff user's /load link replayed or
 * sent to /uninstall, a removed user's old link, a session from before an uninstall. Each payload works
 * once, an uninstall is believed only when BigCommerce has revoked the token, a removal ends the user's
 * sessions and earlier payloads, and a session belongs to one installation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { confirmUninstall, UNINSTALL_CHECK_DELAYS_MS, UNINSTALL_CHECK_JOB } from '../../../server/app-lifecycle/uninstall.service.ts';
import { stockEffects } from '../../../server/wiring.ts';
import { accessTokenFor } from '../../../server/stores/stores.service.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, install, load, uninstall } from '../../helpers/admin.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
});
afterAll(async () => {
  await app?.stop();
});

const get = (path: string, base = app.url) => fetch(`${base}${path}`, { redirect: 'manual', headers: { Accept: 'text/html' } });
const storeRow = (storeHash: string) => app.database.db.selectFrom('stores').selectAll().where('store_hash', '=', storeHash).executeTakeFirstOrThrow();
const admin = (session: string) => get(`/admin/products?session=${session}`);
const staff = (storeHash: string, id = 77) => ({ id, email: `staff${id}@${storeHash}.example` });
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function installedStore(storeHash: string): Promise<string> {
  fake.addStore(storeHash);
  const { session } = await install(app.url, fake, storeHash);
  await finishedJob(app.database.db, storeHash, 'install');
  return session;
}

async function uninstallChecks(storeHash: string) {
  const jobs = await app.queues.reconcile.getDelayed();
  return jobs.filter((job) => job.name === UNINSTALL_CHECK_JOB && job.data.storeHash === storeHash);
}

describe('a signed payload works once', () => {
  it('when a staff user’s /load link, already opened, is sent to /uninstall, then it is refused and the store keeps its token', async () => {
    await installedStore('once1');
    const payload = fake.signedPayload('once1', staff('once1'));
    expect((await get(`/load?signed_payload_jwt=${payload}`)).status).toBe(302);

    const replay = await get(`/uninstall?signed_payload_jwt=${payload}`);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/already used; each works once/);
    expect(await storeRow('once1')).toMatchObject({ status: 'active', access_token_ciphertext: expect.stringMatching(/^v/) });
    expect((await get(`/remove_user?signed_payload_jwt=${payload}`)).status).toBe(401);
  });

  it('when a /load link from the browser history is opened again, then it opens nothing', async () => {
    await installedStore('once2');
    const payload = fake.signedPayload('once2');
    expect((await get(`/load?signed_payload_jwt=${payload}`)).status).toBe(302);
    const again = await get(`/load?signed_payload_jwt=${payload}`);
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/This link from BigCommerce was already used/);
  });

  it('when a payload used on one web process reaches another, then the other refuses it too (the record is in PostgreSQL)', async () => {
    await installedStore('once3');
    const other = createApp({
      config: app.config,
      logger: app.logger,
      database: app.database,
      redis: app.redis,
      queues: app.queues,
      gateway: fake.gatewayWith(async () => 'unused'),
      availabilityCache: { get: async () => undefined, set: async () => undefined, close: async () => undefined } as never,
    });
    const server: Server = createServer(other);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const payload = fake.signedPayload('once3');
      expect((await get(`/load?signed_payload_jwt=${payload}`)).status).toBe(302);
      expect((await get(`/load?signed_payload_jwt=${payload}`, otherUrl)).status).toBe(401);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('when used payloads expire, then the housekeeping forgets them', async () => {
    await installedStore('once4');
    // Issued a day less a minute ago: it expires in a minute (not a second or two, which a loaded machine spends on the load).
    const old = fake.signedPayload('once4', undefined, nowSeconds() - 24 * 3600 + 60);
    expect((await get(`/load?signed_payload_jwt=${old}`)).status).toBe(302);
    const used = () => app.database.db.selectFrom('used_signed_payloads').select('jti').where('store_hash', '=', 'once4').execute();
    expect(await used()).toHaveLength(1);
    expect(await runHousekeeping({ db: app.database.db, queues: app.queues }, { name: 'prune-signed-payloads' })).toEqual({ deleted: 0 });
    const later = new Date(Date.now() + 120_000);
    expect((await runHousekeeping({ db: app.database.db, queues: app.queues }, { name: 'prune-signed-payloads' }, later)).deleted).toBeGreaterThanOrEqual(1);
    expect(await used()).toHaveLength(0);
  });
});

describe('an uninstall is believed only when BigCommerce revoked the token', () => {
  it('when an unused staff payload reaches /uninstall while the token still works, then nothing is erased, it is logged as suspicious and checked again', async () => {
    await installedStore('sus1');
    const response = await get(`/uninstall?signed_payload_jwt=${fake.signedPayload('sus1', staff('sus1'))}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Not uninstalled yet/);

    const store = await storeRow('sus1');
    expect(store).toMatchObject({ status: 'active', uninstalled_at: null, purge_after: null });
    expect(store.access_token_ciphertext).not.toBeNull();
    expect(app.logLines.some((line) => line.includes('suspicious /uninstall') && line.includes('sus1'))).toBe(true);
    const checks = await uninstallChecks('sus1');
    expect(checks.map((job) => [job.data, job.opts.delay])).toEqual([[{ storeHash: 'sus1', check: 1 }, UNINSTALL_CHECK_DELAYS_MS[0]]]);
  });

  it('when BigCommerce revokes the token only after calling /uninstall, then a later check completes the uninstall', async () => {
    await installedStore('lag1');
    await get(`/uninstall?signed_payload_jwt=${fake.signedPayload('lag1')}`);
    expect((await storeRow('lag1')).status).toBe('active');

    fake.revoke('lag1');
    const [check] = await uninstallChecks('lag1');
    await check!.promote();
    await expect.poll(async () => (await storeRow('lag1')).status, { timeout: 10_000 }).toBe('uninstalled');
    expect((await storeRow('lag1')).access_token_ciphertext).toBeNull();
  });

  it('when the token keeps working through every check of the hour, then the store stays installed and the checks stop', async () => {
    await installedStore('kept1');
    const effects = stockEffects({ sellingQueue: app.queues.selling, levelsQueue: app.queues.levels, redis: app.redis, prefix: app.config.queuePrefix });
    // The fake answers 'works' for the token the app decrypts from the store's row.
    const gateway = fake.gatewayWith((storeHash) => accessTokenFor(app.database.db, app.config.encryptionKey, storeHash));
    const deps = { db: app.database.db, config: app.config, logger: app.logger, effects, gateway, uninstallJobs: app.queues.reconcile };
    const last = UNINSTALL_CHECK_DELAYS_MS.length;
    expect(UNINSTALL_CHECK_DELAYS_MS.reduce((sum, ms) => sum + ms, 0)).toBe(60 * 60_000);
    expect(await confirmUninstall(deps, 'kept1', last)).toBe('kept');
    expect(await uninstallChecks('kept1')).toEqual([]);
    expect((await storeRow('kept1')).status).toBe('active');
  });

  it('when BigCommerce cannot be asked, then nothing is erased and it is asked again', async () => {
    await installedStore('unk1');
    fake.failTokenChecks(true);
    try {
      expect((await get(`/uninstall?signed_payload_jwt=${fake.signedPayload('unk1')}`)).status).toBe(200);
    } finally {
      fake.failTokenChecks(false);
    }
    expect((await storeRow('unk1')).status).toBe('active');
    expect(await uninstallChecks('unk1')).toHaveLength(1);
  });
});

describe('a removed user stays out', () => {
  it('when the owner removes a user, then their earlier links and sessions open nothing, and a later grant opens the admin again', async () => {
    await installedStore('rm1');
    const user = staff('rm1');
    const session = await load(app.url, fake, 'rm1', user);
    // A /load link BigCommerce issued before the removal, never opened (kept aside, or copied from the iframe).
    const kept = fake.signedPayload('rm1', user, nowSeconds() - 5);
    expect((await get(`/remove_user?signed_payload_jwt=${fake.signedPayload('rm1', user)}`)).status).toBe(200);

    expect((await admin(session)).status).toBe(401);
    const replay = await get(`/load?signed_payload_jwt=${kept}`);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/Your access to BackOrder was removed by the store owner/);

    // The owner grants access again: BigCommerce issues a new payload, later than the removal.
    const granted = fake.signedPayload('rm1', user, nowSeconds() + 1);
    const reopened = await get(`/load?signed_payload_jwt=${granted}`);
    expect(reopened.status).toBe(302);
    const newSession = new URL(reopened.headers.get('location')!, app.url).searchParams.get('session')!;
    expect((await admin(newSession)).status).toBe(200);
    // The session from before the removal stays ended.
    expect((await admin(session)).status).toBe(401);
  });

  it('when a user who never opened the app is removed, then a payload issued before the removal is refused', async () => {
    await installedStore('rm2');
    const user = staff('rm2', 88);
    const kept = fake.signedPayload('rm2', user, nowSeconds() - 5);
    expect((await get(`/remove_user?signed_payload_jwt=${fake.signedPayload('rm2', user)}`)).status).toBe(200);
    expect((await get(`/load?signed_payload_jwt=${kept}`)).status).toBe(401);
  });
});

describe('a session belongs to one installation', () => {
  it('when the store uninstalls and installs again, then a session from before opens nothing, and the new one works', async () => {
    const before = await installedStore('inst9');
    const staffSession = await load(app.url, fake, 'inst9', staff('inst9'));
    expect((await uninstall(app.url, fake, 'inst9')).status).toBe(200);
    const { session: after } = await install(app.url, fake, 'inst9');
    await finishedJob(app.database.db, 'inst9', 'install');

    for (const old of [before, staffSession]) {
      const page = await admin(old);
      expect(page.status).toBe(401);
      expect(await page.text()).toMatch(/uninstalled and installed again since this page was opened/);
    }
    expect((await admin(after)).status).toBe(200);
    expect((await storeRow('inst9')).installation).toBe(2);
  });
});
