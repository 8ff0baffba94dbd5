/**
 * Who may frame the admin (CSP frame-ancestors): a page of a store, only that store's control panel origin
 * (BigCommerce's `control_panel_base_url`, or its documented pattern before the profile is read); the
 * sandbox's origin in sandbox mode only. `https://*.mybigcommerce.com` would also admit every merchant's
 * storefront pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let sandboxMode: TestApp;
const SANDBOX_API = 'http://127.0.0.1:9';
beforeAll(async () => {
  [app, sandboxMode] = await Promise.all([
    startTestApp({ gateway: fake.factory() }),
    startTestApp({ gateway: fake.factory(), config: { sandbox: { enabled: true, port: 0, rateLimitQuota: 0, rateLimitWindowMs: 30_000, webhookTimeScale: 1 }, bigcommerce: { apiUrl: SANDBOX_API, loginUrl: SANDBOX_API } } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([app?.stop(), sandboxMode?.stop()]);
});

async function frameAncestors(on: TestApp, path: string): Promise<string> {
  const response = await fetch(`${on.url}${path}`, { headers: { Accept: 'text/html' } });
  expect(response.status).toBe(200);
  return /frame-ancestors ([^;]*)/.exec(response.headers.get('content-security-policy') ?? '')?.[1] ?? '';
}

describe('who may frame the admin', () => {
  it('when a store’s admin page is served, then only that store’s control panel origin may frame it', async () => {
    fake.addStore('frame1');
    const session = await installed(app, fake, 'frame1');
    // The profile (read by the install job) says the control panel is https://store-frame1.mybigcommerce.com/manage.
    expect(await frameAncestors(app, `/admin/products?session=${session}`)).toBe('https://store-frame1.mybigcommerce.com');
  });

  it('when the store’s profile names another control panel origin, then that origin, and before it is read, the documented pattern', async () => {
    fake.addStore('frame2');
    const session = await installed(app, fake, 'frame2');
    const setPanel = (url: string) => app.database.db.updateTable('stores').set({ control_panel_url: url }).where('store_hash', '=', 'frame2').execute();
    await setPanel('https://panel.example.com/manage');
    expect(await frameAncestors(app, `/admin/settings?session=${session}`)).toBe('https://panel.example.com');
    for (const unusable of ['', 'http://store-frame2.mybigcommerce.com', 'not a url']) {
      await setPanel(unusable);
      expect(await frameAncestors(app, `/admin/settings?session=${session}`)).toBe('https://store-frame2.mybigcommerce.com');
    }
  });

  it('when the app runs against the sandbox, then the sandbox’s origin may frame it too; otherwise it may not', async () => {
    fake.addStore('frame3');
    const session = await installed(sandboxMode, fake, 'frame3');
    expect(await frameAncestors(sandboxMode, `/admin/products?session=${session}`)).toBe(`https://store-frame3.mybigcommerce.com ${SANDBOX_API}`);
    expect(await frameAncestors(sandboxMode, '/')).toBe(`'self' https://*.mybigcommerce.com ${SANDBOX_API}`);
    expect(await frameAncestors(app, '/')).toBe(`'self' https://*.mybigcommerce.com`);
  });
});
