/**
 * The app installed in a sandbox store (scripts registered by the install job) with products on backorder in
 * every state a shopper can meet, and Chromium on the store's Cornerstone-shaped demo storefront: what the
 * storefront end-to-end suites share.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { stockEffects } from '../../server/wiring.ts';
import { followChange } from '../../server/inventory/stock.service.ts';
import { convergeOrder } from '../../server/orders/orders.service.ts';
import type { InventoryItem } from '../../server/db/schema.ts';
import { availabilityPath } from '../../storefront/src/contract/storefront-api.ts';
import { launchBrowser } from './browser.ts';
import { assignInSandbox, installedApp, type InstalledApp } from './installed-app.ts';
import { editItem, orderFor } from './inventory.ts';

const AXE = path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/** The demo catalog's products (sandbox/seed.ts) as the suites put them on backorder. */
export const PRODUCTS = {
  /** Orbit Terrarium - Large: 3 on hand, 5 more may be backordered (8 can be ordered). */
  inStock: { id: 100, path: '/orbit-terrarium-large/', name: 'Orbit Terrarium - Large', stock: 3, threshold: 5 },
  /** Orbit Terrarium - Small: nothing on hand, 10 may be backordered; 20 arriving on 15 March 2031. */
  backorder: { id: 101, path: '/orbit-terrarium-small/', name: 'Orbit Terrarium - Small', stock: 0, threshold: 10, incoming: 20, date: '2031-03-15' },
  /** Chemex Coffeemaker 3 Cup: 2 owed, and 2 was the limit: sold out. */
  soldOut: { id: 103, path: '/chemex-coffeemaker-3-cup/', name: 'Chemex Coffeemaker 3 Cup', stock: -2, threshold: 2 },
  /** Cotton Bath Towel (Bath category): nothing on hand, 3 may be backordered. */
  quickView: { id: 114, path: '/cotton-bath-towel/', name: 'Cotton Bath Towel', stock: 0, threshold: 3 },
  /** Linen T-Shirt, tracked by variant (sizes S, M, L, XL), 2 may be backordered for each. */
  byVariant: {
    id: 126,
    path: '/linen-t-shirt/',
    name: 'Linen T-Shirt',
    threshold: 2,
    stock: { S: 3, M: 7, L: 0, XL: -2 } as Record<string, number>,
    date: { L: '2031-04-02' } as Record<string, string>,
  },
} as const;

export interface Shop {
  installed: InstalledApp;
  browser: Browser;
  /** The store's storefront origin. */
  url: string;
  /** Inventory item id of a product (or of one of its variants by option label). */
  itemId(productId: number, label?: string): number;
  /** Option value id of a product's option by labels, as the form's inputs carry them. */
  optionValue(productId: number, option: string, label: string): number;
  stop(): Promise<void>;
}

/** Installs the app, assigns the products of {@link PRODUCTS} and starts Chromium. */
export async function openShop(): Promise<Shop> {
  const [installed, browser] = await Promise.all([installedApp(), launchBrowser()]);
  const { app, storeHash, sandbox } = installed;
  const db = app.database.db;
  const stock = {
    db,
    effects: stockEffects({ sellingQueue: app.queues.selling, levelsQueue: app.queues.levels, redis: app.redis, prefix: app.config.queuePrefix }),
  };
  const store = sandbox.store(storeHash);
  const items = new Map<string, number>();

  // Stock below 0 is owed to shoppers: an order took it there (an edit or an assign sets 0 or more).
  const owe = async (item: Pick<InventoryItem, 'product_id' | 'variant_id' | 'sku'>, units: number, name: string) => {
    if (units > 0) await convergeOrder(stock, storeHash, orderFor(item, units, { name }));
  };
  for (const product of [PRODUCTS.inStock, PRODUCTS.backorder, PRODUCTS.soldOut, PRODUCTS.quickView]) {
    const [item] = await assignInSandbox(installed, product.id, { threshold: product.threshold, stock: Math.max(0, product.stock) });
    items.set(`${product.id}`, item!.id);
    await owe(item!, -product.stock, product.name);
  }
  await editItem(stock, storeHash, items.get(`${PRODUCTS.backorder.id}`)!, {
    incomingStock: PRODUCTS.backorder.incoming,
    backInStockDate: PRODUCTS.backorder.date,
  });

  const shirt = PRODUCTS.byVariant;
  const variants = await assignInSandbox(installed, shirt.id, { threshold: shirt.threshold });
  const product = store.context.product(shirt.id);
  for (const item of variants) {
    const variant = product.variants.find((v) => v.id === item.variant_id)!;
    const label = product.options[0]!.values.find((v) => v.id === variant.option_values[0]!.id)!.label;
    items.set(`${shirt.id}:${label}`, item.id);
    await editItem(stock, storeHash, item.id, {
      currentStock: Math.max(0, shirt.stock[label]!),
      ...(shirt.date[label] ? { backInStockDate: shirt.date[label], incomingStock: 5 } : {}),
    });
    await owe(item, -shirt.stock[label]!, product.name);
  }
  // Assigned straight into the database (assignInSandbox): what follows creating the items follows now.
  await followChange(stock, storeHash, { changed: [...items.values()] });

  return {
    installed,
    browser,
    url: sandbox.storefrontUrl(storeHash),
    itemId: (productId, label) => items.get(label ? `${productId}:${label}` : `${productId}`)!,
    optionValue: (productId, option, label) =>
      store.context
        .product(productId)
        .options.find((o) => o.display_name === option)!
        .values.find((v) => v.label === label)!.id,
    async stop() {
      await browser.close();
      await installed.stop();
    },
  };
}

/** Opens the shop and a shopper's tab before the suite's tests, and closes them after; filled in `beforeAll`. */
export function shopSuite(): { shop: Shop; tab: ShopperTab } {
  const suite = {} as { shop: Shop; tab: ShopperTab };
  beforeAll(async () => {
    suite.shop = await openShop();
    suite.tab = await shopperTab(suite.shop);
  });
  afterAll(async () => {
    await suite.tab?.context.close();
    await suite.shop?.stop();
  });
  return suite;
}

/** A shopper's tab, recording page errors and every request to the app's storefront API. */
export interface ShopperTab {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** URLs of availability requests, in order. */
  apiRequests: string[];
  /** URLs of every script the page loaded from the app. */
  appScripts: string[];
  /** Opens a storefront path and waits until the theme's JavaScript has run. */
  open(path: string): Promise<void>;
}

export async function shopperTab(shop: Shop): Promise<ShopperTab> {
  const context = await shop.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const appOrigin = shop.installed.app.url;
  const apiPrefix = `${appOrigin}${availabilityPath(shop.installed.storeHash)}`;
  const tab: ShopperTab = {
    context,
    page,
    errors: [],
    apiRequests: [],
    appScripts: [],
    async open(path) {
      tab.apiRequests.length = 0;
      tab.appScripts.length = 0;
      await page.goto(`${shop.url}${path}`);
      await page.waitForSelector('body[data-theme-ready]');
    },
  };
  page.on('pageerror', (error) => tab.errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && tab.errors.push(message.text()));
  page.on('request', (request) => {
    if (request.url().startsWith(apiPrefix)) tab.apiRequests.push(request.url());
    else if (request.url().startsWith(`${appOrigin}/storefront/`)) tab.appScripts.push(new URL(request.url()).pathname);
  });
  return tab;
}

/** The text a `bo-*` component shows (its shadow root's), trimmed; '' when absent or empty. */
export function shown(page: Page, selector: string): Promise<string> {
  return page.evaluate((s) => {
    const element = document.querySelector(s);
    return (element?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }, selector);
}

/** Waits until a component shows exactly `text`. */
export async function waitShown(page: Page, selector: string, text: string, timeout = 10_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([s, t]) => (document.querySelector(s!)?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim() === t,
      [selector, text] as const,
      { timeout },
    );
  } catch {
    throw new Error(`${selector} shows "${await shown(page, selector)}", not "${text}"`);
  }
}

/**
 * axe-core's violations inside the app's components and on the buttons it restyled (on a shop's page), or on
 * the whole page (`'page'`: an admin page, all of which is the app's).
 */
export async function axeViolations(page: Page, scope: 'ours' | 'page' = 'ours'): Promise<Array<{ id: string; targets: string[] }>> {
  // An admin page's Content Security Policy refuses an added script tag; evaluating the source is not a tag.
  if (scope === 'page') await page.evaluate(await readFile(AXE, 'utf8'));
  else await page.addScriptTag({ path: AXE });
  return page.evaluate(async (whole) => {
    const ours = whole
      ? [document.documentElement]
      : Array.from(document.querySelectorAll('*')).filter((e) => e.localName.startsWith('bo-') || e.hasAttribute('data-bo-backorder'));
    if (ours.length === 0) return [];
    const axe = (
      window as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> };
      }
    ).axe;
    const result = await axe.run({ include: ours }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, scope === 'page');
}
