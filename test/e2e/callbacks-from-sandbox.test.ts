/**
 * Issue 11's callbacks end to end in Chromium, with the real BigCommerce client against the sandbox store
 * (app in sandbox mode, as `npm start` runs it): the control panel opens the app in its iframe for the owner
 * and for a staff user; a staff user's /load link sent to /uninstall erases nothing; a removed user's old
 * link and sessions open nothing until the owner grants access again; the store's own storefront cannot
 * frame the admin; and after an uninstall (the token revoked, then /uninstall) and a reinstall, a session of
 * the first installation opens nothing.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { accessTokenFor } from '../../server/stores/stores.service.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { finishedJob } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../helpers/config.ts';

let sandbox: Sandbox;
let app: TestApp;
let browser: Browser;
let storeHash: string;
const STAFF = 77;
const REMOVED = 78;

beforeAll(async () => {
  sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
    seed: 'empty',
  });
  ({ storeHash } = await sandbox.createStore({ name: 'Callbacks store', seed: 'empty' }));
  [app, browser] = await Promise.all([
    // As `npm start` runs it: the sandbox's control panel may frame the admin.
    startTestApp({ config: { extraFrameAncestors: [sandbox.url], bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url } } }),
    launchBrowser(),
  ]);
  sandbox.setAppUrl(app.url);
  await sandbox.install(storeHash, { call: true });
  expect((await finishedJob(app.database.db, storeHash, 'install', 60_000)).status).toBe('succeeded');
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.stop();
});

const storeRow = () =>
  app.database.db
    .selectFrom('stores')
    .select(['status', 'access_token_ciphertext', 'installation'])
    .where('store_hash', '=', storeHash)
    .executeTakeFirstOrThrow();
/** Does BigCommerce (the sandbox) still take the app's stored token? */
const tokenWorks = async () => {
  const token = await accessTokenFor(app.database.db, app.config.encryptionKey, storeHash);
  return (await fetch(`${sandbox.url}/stores/${storeHash}/v2/store`, { headers: { 'X-Auth-Token': token, Accept: 'application/json' } })).status === 200;
};
const jwtOf = (loadUrl: string) => new URL(loadUrl).searchParams.get('signed_payload_jwt')!;
const callback = (path: string, loadUrl: string) => fetch(`${app.url}${path}?signed_payload_jwt=${encodeURIComponent(jwtOf(loadUrl))}`, { redirect: 'manual' });

/** Opens the sandbox control panel's app page for `userId`; returns the page, the admin frame and the /load URL it used. */
async function openInControlPanel(userId?: number): Promise<{ page: Page; admin: Frame; loadUrl: string }> {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}/__sandbox/stores/${storeHash}/manage/app${userId === undefined ? '' : `?user_id=${userId}`}`);
  const loadUrl = (await page.locator('iframe').getAttribute('src'))!;
  const admin = (await (await page.locator('iframe').elementHandle())!.contentFrame())!;
  await admin.waitForURL(/\/admin\/products\?session=/);
  return { page, admin, loadUrl };
}

describe('the app’s callbacks against the sandbox store', () => {
  it('when a staff user’s /load link is sent to /uninstall, then nothing is erased: used, it is refused; unused, BigCommerce still takes the token', async () => {
    const { page, admin, loadUrl } = await openInControlPanel(STAFF);
    try {
      expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Products');
      const replayed = await callback('/uninstall', loadUrl);
      expect(replayed.status).toBe(401);
      expect(await replayed.text()).toMatch(/already used/);

      const unused = sandbox.loadUrl(storeHash, STAFF);
      const suspicious = await callback('/uninstall', unused);
      expect(suspicious.status).toBe(200);
      expect(await suspicious.text()).toMatch(/Not uninstalled yet/);
      expect(await storeRow()).toMatchObject({ status: 'active', access_token_ciphertext: expect.stringMatching(/^v2\./) });
      expect(await tokenWorks()).toBe(true);
      expect(app.logLines.some((line) => line.includes('suspicious /uninstall'))).toBe(true);
      // The staff user's admin goes on working.
      await admin.getByRole('link', { name: 'Settings' }).first().click();
      await admin.waitForURL(/\/admin\/settings\?session=/);
      expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Settings');
    } finally {
      await page.close();
    }
  });

  it('when the owner removes a user, then the user’s open admin, old links and sessions stop working, until the owner grants access again', async () => {
    const { page, admin } = await openInControlPanel(REMOVED);
    try {
      const keptLink = sandbox.loadUrl(storeHash, REMOVED);
      expect((await sandbox.removeUser(storeHash, REMOVED)).status).toBe(200);

      await admin.getByRole('link', { name: 'Settings' }).first().click();
      await expect.poll(() => admin.locator('body').textContent()).toMatch(/Your access to BackOrder was removed by the store owner/);
      const old = await browser.newPage();
      try {
        await old.goto(keptLink);
        expect(await old.locator('body').textContent()).toMatch(/Your access to BackOrder was removed by the store owner/);
      } finally {
        await old.close();
      }

      // Granted again by the owner later: BigCommerce issues a new payload, after the removal.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const again = await openInControlPanel(REMOVED);
      try {
        expect(await again.admin.getByRole('heading', { level: 1 }).textContent()).toBe('Products');
      } finally {
        await again.page.close();
      }
    } finally {
      await page.close();
    }
  });

  it('when the sandbox control panel frames the admin, then it shows; when the store’s storefront page frames it, then the browser refuses', async () => {
    // openInControlPanel waits for the admin inside the sandbox control panel's iframe.
    const { page, admin } = await openInControlPanel();
    const adminUrl = admin.url();
    await page.close();
    const shop = await browser.newPage();
    try {
      await shop.goto(`${sandbox.storefrontUrl(storeHash)}/`);
      await shop.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      }, adminUrl);
      await expect.poll(() => shop.frames().length).toBe(2);
      const frame = shop.frames().find((f) => f !== shop.mainFrame())!;
      await frame.waitForLoadState('load');
      // Refused by frame-ancestors: Chromium shows its own error page instead of the admin.
      expect(await frame.locator('h1', { hasText: 'Products' }).count()).toBe(0);
      expect(await frame.content()).toMatch(/ERR_BLOCKED_BY_RESPONSE/);
    } finally {
      await shop.close();
    }
  });

  it('when the store uninstalls (token revoked, then /uninstall) and installs again, then a session of the first installation opens nothing', async () => {
    const { page, admin } = await openInControlPanel();
    try {
      const firstSession = admin.url();
      const uninstalled = await sandbox.uninstall(storeHash);
      expect(uninstalled.status).toBe(200);
      expect(await storeRow()).toMatchObject({ status: 'uninstalled', access_token_ciphertext: null });

      await sandbox.install(storeHash, { call: true });
      await expect.poll(async () => (await storeRow()).status).toBe('active');
      expect((await storeRow()).installation).toBe(2);
      await admin.goto(firstSession);
      expect(await admin.locator('body').textContent()).toMatch(/uninstalled and installed again since this page was opened/);

      const reopened = await openInControlPanel();
      try {
        expect(await reopened.admin.getByRole('heading', { level: 1 }).textContent()).toBe('Products');
      } finally {
        await reopened.page.close();
      }
    } finally {
      await page.close();
    }
  });
});
