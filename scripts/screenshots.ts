/**
 * `npm run screenshots [-- --out DIR]`: the pictures the docs show, taken in Chromium from the sandbox store
 * with the app installed and products on backorder in every state a shopper can meet (the storefront
 * end-to-end suites' shop): the admin's pages at the control panel's width, and the demo shop's product,
 * cart and checkout pages. Writes PNGs into docs/screenshots/ (or DIR), each named after what it shows.
 * Like npm test, it installs and starts what it needs: PostgreSQL, Redis and Chromium.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { ROOT } from './lib/process.ts';
import { buildStorefront } from './lib/build-storefront.ts';
import { chromium, ensureSystemTools, postgresServer, redisServer } from './lib/system.ts';
import { throwawayServices } from './lib/throwaway-services.ts';

/** The control panel's app iframe on a laptop: the admin is designed for it. */
const ADMIN_VIEWPORT = { width: 1366, height: 900 };
const SHOP_VIEWPORT = { width: 1280, height: 900 };

/** The admin pages, by picture name. */
const ADMIN_PAGES: Array<{ name: string; path: (productId: number) => string; ready: string }> = [
  { name: 'admin-products', path: () => '/admin/products', ready: 'main table' },
  { name: 'admin-assigned-products', path: () => '/admin/products/assigned', ready: 'main table' },
  { name: 'admin-assign-form', path: (productId) => `/admin/products/${productId}/assign`, ready: 'main form' },
  { name: 'admin-import', path: () => '/admin/imports/new', ready: 'main form' },
  { name: 'admin-settings', path: () => '/admin/settings', ready: 'main form' },
  { name: 'admin-report', path: () => '/admin/report', ready: 'main' },
  { name: 'admin-plan', path: () => '/admin/plan', ready: 'main' },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = path.resolve(values.out ?? path.join(ROOT, 'docs', 'screenshots'));
  mkdirSync(out, { recursive: true });

  // All three in one apt-get run when missing (the services' start then finds PostgreSQL and redis-server).
  const [, , chromiumPath] = ensureSystemTools([postgresServer, redisServer, chromium]);
  await buildStorefront(ROOT);
  const services = throwawayServices('screenshots');
  const { postgres, redis } = await services.start();
  Object.assign(process.env, { DATABASE_URL: postgres.url, REDIS_URL: redis.url, CHROMIUM_PATH: chromiumPath });

  // The test helpers read the services from the environment, and clone the migrated template the tests' setup builds.
  const { default: buildTemplate } = await import('../test/helpers/global-setup.ts');
  await buildTemplate();
  const { openShop, PRODUCTS, shopperTab } = await import('../test/helpers/storefront-shop.ts');
  const shop = await openShop();
  const taken: string[] = [];
  const shoot = async (page: Page, name: string) => {
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true, animations: 'disabled' });
    taken.push(`${name}.png`);
  };
  try {
    const { sandbox, storeHash } = shop.installed;
    const admin = await shop.browser.newPage({ viewport: ADMIN_VIEWPORT });
    await admin.goto(sandbox.loadUrl(storeHash));
    const session = new URL(admin.url()).searchParams.get('session');
    if (!session) throw new Error(`the admin did not open (at ${admin.url()})`);
    // A product not on backorder yet, for the assign form.
    const unassigned = 105;
    for (const { name, path: pathOf, ready } of ADMIN_PAGES) {
      const url = new URL(pathOf(unassigned), shop.installed.app.url);
      url.searchParams.set('session', session);
      await admin.goto(url.href);
      await admin.waitForSelector(ready);
      await shoot(admin, name);
    }

    const tab = await shopperTab(shop);
    await tab.page.setViewportSize(SHOP_VIEWPORT);
    const component = (selector: string) => tab.page.waitForFunction((s) => Boolean(document.querySelector(s)?.shadowRoot?.textContent?.trim()), selector);
    await tab.open(PRODUCTS.backorder.path);
    await component('bo-inventory-description');
    await shoot(tab.page, 'shop-product-backorder');
    await tab.open(PRODUCTS.soldOut.path);
    await component('bo-inventory-description');
    await shoot(tab.page, 'shop-product-sold-out');
    await tab.page.goto(`${shop.url}/cart.php?action=add&product_id=${PRODUCTS.backorder.id}&qty=3`);
    await tab.page.goto(`${shop.url}/cart.php?action=add&product_id=${PRODUCTS.inStock.id}&qty=2`);
    await tab.open('/cart.php');
    await component('bo-cart-line-message');
    await shoot(tab.page, 'shop-cart');
    await tab.page.goto(`${shop.url}/checkout`);
    await tab.page.waitForSelector('#checkout-app [data-test="cart-item"]');
    await component('bo-checkout-notice');
    await shoot(tab.page, 'shop-checkout');
    await tab.context.close();
    console.log(`backorder: ${taken.length} screenshots written to ${path.relative(process.cwd(), out) || out}: ${taken.join(', ')}`);
  } finally {
    await shop.stop();
    await services.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
