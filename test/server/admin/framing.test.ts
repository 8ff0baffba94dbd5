/**
 * Who may frame the admin (CSP frame-ancestors): a page of a store, only that store's control panel origin
 * (BigCommerce's `control_panel_base_url`, or its documented pattern before the profile is read); in
 * development, the extra origins configured (the sandbox's control panel under `npm start`). `https://*.mybigcommerce.com` would also admit every merchant's
 * storefront pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let withExtra: TestApp;
const SANDBOX_PANEL = 'http://127.0.0.1:9';
beforeAll(async () => {
  [app, withExtra] = await Promise.all([
    startTestApp({ gateway: fake.factory() }),
    startTestApp({ gateway: fake.factory(), config: { extraFrameAncestors: [SANDBOX_PANEL] } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([app?.stop(), withExtra?.stop()]);
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
    // Its links and forms carry the session token: no browser cache keeps the page.
    const page = await fetch(`${app.url}/admin/products?session=${session}`);
    expect(page.headers.get('cache-control')).toBe('no-store');
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

  it('when development admits an extra origin (the sandbox’s control panel), then it may frame the admin too; otherwise it may not', async () => {
    fake.addStore('frame3');
    const session = await installed(withExtra, fake, 'frame3');
    expect(await frameAncestors(withExtra, `/admin/products?session=${session}`)).toBe(`https://store-frame3.mybigcommerce.com ${SANDBOX_PANEL}`);
    expect(await frameAncestors(withExtra, '/')).toBe(`'self' https://*.mybigcommerce.com ${SANDBOX_PANEL}`);
    expect(await frameAncestors(app, '/')).toBe(`'self' https://*.mybigcommerce.com`);
  });
});
