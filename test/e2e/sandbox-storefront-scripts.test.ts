/**
 * Scripts registered through the Scripts API (over HTTP, with a token) on the demo storefront in Chromium: on
 * the pages their visibility names, where their location says, with their load method and integrity — and a
 * checkout-sdk script reading the checkout and the order as on BigCommerce.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { listen, type Listening } from '../helpers/http.ts';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const marker = (name: string) => `(window.markers = window.markers || []).push(${JSON.stringify(name)});`;
const sri = (body: string) => `sha384-${createHash('sha384').update(body).digest('base64')}`;

let t: TestSandbox;
let assets: Listening;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  const sdk = await build({
    entryPoints: [path.join(ROOT, 'test/e2e/fixtures/checkout-sdk-probe.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    minify: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files: Record<string, string> = {
    '/a.js': marker('a'),
    '/b.js': marker('b'),
    '/c.js': marker('c'),
    '/d.js': marker('d'),
    '/sdk.js': sdk.outputFiles[0]!.text,
  };
  [t, browser, assets] = await Promise.all([
    startTestSandbox(),
    launchBrowser(),
    listen((req, res) => {
      const body = files[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/javascript', 'Access-Control-Allow-Origin': '*' });
      res.end(body ?? '');
    }),
  ]);
  url = t.sandbox.storefrontUrl(t.storeHash);
  const scripts = [
    {
      name: 'loader',
      kind: 'src',
      src: `${assets.url}/a.js`,
      location: 'footer',
      load_method: 'defer',
      visibility: 'storefront',
      integrity_hashes: [sri(files['/a.js']!)],
      consent_category: 'essential',
    },
    {
      name: 'tampered',
      kind: 'src',
      src: `${assets.url}/b.js`,
      location: 'footer',
      load_method: 'defer',
      visibility: 'storefront',
      integrity_hashes: [sri('something else')],
    },
    { name: 'everywhere', kind: 'src', src: `${assets.url}/c.js`, location: 'head', load_method: 'async', visibility: 'all_pages' },
    {
      name: 'checkout id',
      kind: 'script_tag',
      html: '<script>window.checkoutIdFromPage = "{{checkout.id}}";</script>',
      location: 'head',
      visibility: 'checkout',
    },
    {
      name: 'order id',
      kind: 'script_tag',
      html: '<script>window.orderIdFromPage = {{checkout.order.id}};</script>',
      location: 'head',
      visibility: 'order_confirmation',
    },
    { name: 'sdk at checkout', kind: 'src', src: `${assets.url}/sdk.js`, location: 'footer', load_method: 'defer', visibility: 'checkout' },
    { name: 'sdk at confirmation', kind: 'src', src: `${assets.url}/sdk.js`, location: 'footer', load_method: 'defer', visibility: 'order_confirmation' },
    { name: 'switched off', kind: 'src', src: `${assets.url}/d.js`, location: 'footer', visibility: 'storefront', enabled: false },
  ];
  for (const script of scripts) expect((await t.post('/v3/content/scripts', { auto_uninstall: true, ...script })).status).toBe(200);
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await assets?.close();
  await t?.stop();
});

interface Tag {
  src: string;
  async: boolean;
  defer: boolean;
  integrity: string;
  crossOrigin: string | null;
  consent: string | null;
}

/** The page's script elements from Script Manager (those with a consent category) in head and at the end of body. */
async function scriptsOn(path: string): Promise<{ head: Tag[]; footer: Tag[]; markers: string[]; lastInHead: string; lastInBody: string }> {
  await page.goto(`${url}${path}`);
  await page.waitForLoadState('load');
  return page.evaluate(() => {
    const tag = (s: HTMLScriptElement) => ({
      src: s.src.replace(/^http:\/\/[^/]+/, ''),
      async: s.async,
      defer: s.defer,
      integrity: s.integrity,
      crossOrigin: s.getAttribute('crossorigin'),
      consent: s.getAttribute('data-consent-category'),
    });
    const managed = (root: Element) => Array.from(root.querySelectorAll<HTMLScriptElement>('script[data-consent-category]')).map(tag);
    const describe = (element: Element | null) =>
      element instanceof HTMLScriptElement ? element.src.replace(/^http:\/\/[^/]+/, '') || element.textContent!.trim() : (element?.outerHTML ?? '');
    return {
      head: managed(document.head),
      footer: managed(document.body),
      markers: (window as unknown as { markers?: string[] }).markers ?? [],
      lastInHead: describe(document.head.lastElementChild),
      lastInBody: describe(document.body.lastElementChild),
    };
  });
}

describe('Script Manager scripts on the demo storefront (ref §7, stencil §5.2)', () => {
  it('when a storefront page loads, then storefront and all-pages scripts render where and how they were registered, and the integrity is enforced', async () => {
    for (const path of ['/', '/orbit-terrarium-large/', '/cart.php', '/kitchen/']) {
      const found = await scriptsOn(path);
      expect(found.head).toEqual([{ src: '/c.js', async: true, defer: false, integrity: '', crossOrigin: null, consent: 'unknown' }]);
      expect(found.lastInHead).toBe('/c.js');
      expect(found.footer.map((s) => s.src)).toEqual(['/a.js', '/b.js']);
      expect(found.footer[0]).toMatchObject({
        defer: true,
        async: false,
        integrity: expect.stringMatching(/^sha384-/),
        crossOrigin: 'anonymous',
        consent: 'essential',
      });
      expect(found.lastInBody).toBe('/b.js');
      expect(found.markers.sort()).toEqual(['a', 'c']); // b's hash does not match its file; d is disabled
    }
  });

  it('when the shopper checks out, then checkout scripts see the checkout id and checkout-sdk loads the checkout; storefront scripts stay away', async () => {
    await page.goto(`${url}/cart.php?action=add&product_id=100`);
    await page.goto(`${url}/cart.php?action=add&product_id=105`);
    const found = await scriptsOn('/checkout');
    expect(found.head.map((s) => s.src)).toEqual(['/c.js']);
    expect(found.footer.map((s) => s.src)).toEqual(['/sdk.js']);
    const cart = (await page.evaluate(() => fetch('/api/storefront/carts').then((r) => r.json())))[0];
    expect(await page.evaluate(() => (window as unknown as { checkoutIdFromPage: string }).checkoutIdFromPage)).toBe(cart.id);
    expect(await page.evaluate(() => window.sdkProbe)).toEqual({
      cartId: cart.id,
      storeName: t.sandbox.stores()[0]!.name,
      lines: [
        { name: 'Orbit Terrarium - Large', quantity: 1, variantId: cart.lineItems.physicalItems[0].variantId, sku: 'ORBIT-L' },
        { name: 'Utility Caddy', quantity: 1, variantId: cart.lineItems.physicalItems[1].variantId, sku: 'OFSUC' },
      ],
    });
  });

  it("when the order is placed, then the confirmation's scripts get {{checkout.order.id}} and checkout-sdk loads that order", async () => {
    await page.waitForSelector('#emailInput');
    for (const [field, value] of [
      ['email', 'ana@example.com'],
      ['firstName', 'Ana'],
      ['lastName', 'Diaz'],
      ['address1', '3 Oak'],
      ['city', 'Austin'],
      ['stateOrProvince', 'Texas'],
      ['postalCode', '78701'],
    ]) {
      await page.fill(`#${field}Input`, value!);
    }
    await page.click('#checkout-place-order');
    await page.waitForURL(`${url}/checkout/order-confirmation`);
    await page.waitForLoadState('load');
    const orderId = t.sandbox.store(t.storeHash).context.state.orders.at(-1)!.id;
    expect(t.sandbox.store(t.storeHash).order(orderId)).toMatchObject({ cart_id: expect.any(String), billing_address: { email: 'ana@example.com' } });
    expect(await page.evaluate(() => window.orderIdFromPage)).toBe(orderId);
    expect(await page.evaluate(() => window.sdkProbe)).toEqual({
      orderId,
      status: 'AWAITING_FULFILLMENT',
      lines: [
        { name: 'Orbit Terrarium - Large', quantity: 1, productId: 100 },
        { name: 'Utility Caddy', quantity: 1, productId: 105 },
      ],
    });
    const found = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-consent-category]')).map((s) => s.src.replace(/^http:\/\/[^/]+/, '')),
    );
    expect(found).toEqual(['/c.js', '/sdk.js']);
  });
});
