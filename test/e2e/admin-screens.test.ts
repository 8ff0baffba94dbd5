/**
 * The admin at the control panel's widths (its iframe at 1024 px and 1366 px), in Chromium: the assigned
 * list, the assign form with errors, an import in progress and done, the Settings page in every section,
 * and the report with orders placed in the sandbox store (its lines, its summary, what to reorder). Each
 * screen is checked for what a merchant would see wrong — a column cut off, a table scrolling sideways,
 * text spilling out of its box, two statuses that disagree, an error listed twice — and photographed into a temporary folder (BACKORDER_SCREENS, or the system's
 * temporary folder): the pictures are for people reviewing a change, never committed.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertImport, finishImport } from '../../server/imports/imports.repo.ts';
import { markFinished, markStarted, openJob, updateProgress } from '../../server/jobs/jobs.repo.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfIn, installed, postForm, sessionIn } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { bcProduct, fakeBigCommerce } from '../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../helpers/inventory.ts';
import { assignInSandbox, installedApp, type InstalledApp } from '../helpers/installed-app.ts';
import { eventually } from '../helpers/wait.ts';

const WIDTHS = [1024, 1366] as const;
const SCREENS = process.env.BACKORDER_SCREENS ?? path.join(os.tmpdir(), 'backorder-screens');
const STORE = 'screens1';
const LONG_NAME = 'Handmade stoneware serving bowl with reactive glaze, extra large family size';

const fake = fakeBigCommerce();
let app: TestApp;
let browser: Browser;
let session: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  fake.addStore(STORE, {
    products: [
      bcProduct({ id: 901, name: LONG_NAME, sku: 'BOWL-STONEWARE-REACTIVE-XL-2026' }),
      bcProduct({
        id: 902,
        name: 'Linen shirt',
        sku: 'SHIRT',
        inventory_tracking: 'variant',
        variants: [
          {
            id: 9021,
            product_id: 902,
            sku: 'SHIRT-LINEN-NATURAL-S',
            option_values: [{ id: 1, option_id: 1, option_display_name: 'Size', label: 'S' }],
            inventory_level: 1,
            purchasing_disabled: false,
          },
          {
            id: 9022,
            product_id: 902,
            sku: 'SHIRT-LINEN-NATURAL-M',
            option_values: [{ id: 2, option_id: 1, option_display_name: 'Size', label: 'M' }],
            inventory_level: 2,
            purchasing_disabled: false,
          },
        ],
      }),
      ...Array.from({ length: 6 }, (_, i) => bcProduct({ id: 910 + i, name: `Ceramic mug ${i + 1}`, sku: `MUG-CERAMIC-${i + 1}` })),
    ],
  });
  [app, browser] = await Promise.all([startTestApp({ gateway: fake.factory() }), launchBrowser()]);
  session = await installed(app, fake, STORE);
  await assignProduct(
    app.database.db,
    STORE,
    { sku: 'BOWL-STONEWARE-REACTIVE-XL-2026', currentStock: -12, backorderThreshold: 1000, incomingStock: 250, backInStockDate: '2099-12-24' },
    { productId: 901 },
  );
  for (let i = 0; i < 6; i++) await assignProduct(app.database.db, STORE, { currentStock: 4, backorderThreshold: 10 }, { productId: 910 + i });
  ids.shirt = 902;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Opens an admin page at the given width, in the fake store's admin unless another app and session are given. */
async function open(
  width: number,
  pagePath: string,
  params: Record<string, string> = {},
  admin: { url: string; session: string } = { url: app.url, session },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const url = new URL(`${admin.url}${pagePath}`);
  for (const [name, value] of Object.entries({ ...params, session: admin.session })) url.searchParams.set(name, value);
  await page.goto(url.toString());
  return { page, errors };
}

/**
 * What overflows sideways: the page itself, any table's wrapper, any element past the viewport's right edge,
 * and any box whose content is wider than the box (text spilling over its neighbour, or clipped).
 */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const shown = (el: HTMLElement) => el.getClientRects().length > 0 && !el.closest('.bo-visually-hidden');
    const named = (el: HTMLElement) => (el.textContent ?? '').trim().slice(0, 40) || el.getAttribute('name') || el.tagName;
    const wraps = Array.from(document.querySelectorAll<HTMLElement>('.bo-table-wrap')).filter((w) => w.scrollWidth > w.clientWidth + 1);
    const cut = Array.from(document.querySelectorAll<HTMLElement>('main a, main button, main input, main select, main textarea, main th, main td'))
      .filter(shown)
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map(named);
    // Form controls scroll their own value; the wrappers are counted above.
    const spilling = Array.from(document.querySelectorAll<HTMLElement>('main *:not(input, select, textarea, .bo-table-wrap)'))
      .filter(shown)
      .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
      .map(named);
    return { pageScrolls: document.documentElement.scrollWidth > width + 1, scrollingTables: wraps.length, cutOff: cut, spilling };
  });
}
const FITS = { pageScrolls: false, scrollingTables: 0, cutOff: [], spilling: [] };

/** The boxes matching `selector` that reach past either edge of the viewport, named by their first words. */
function outside(page: Page, selector: string, width: number) {
  return page.locator(selector).evaluateAll(
    (boxes, right) =>
      boxes
        .filter((box) => box.getClientRects().length > 0)
        .filter((box) => box.getBoundingClientRect().left < 0 || box.getBoundingClientRect().right > right + 1)
        .map((box) => (box.textContent ?? '').trim().slice(0, 40)),
    width,
  );
}

/** The product pages besides Assigned Products: All Products, edit, bulk unassign, import. */
const PRODUCT_PAGES = ['/admin/products', '/admin/products/901/edit', '/admin/products/bulk-unassign', '/admin/imports/new'];

const shot = (page: Page, name: string, width: number) => page.screenshot({ path: path.join(SCREENS, `${name}-${width}.png`), fullPage: true });

describe('the admin at 400 % zoom (320 CSS px wide)', () => {
  it('when any admin page opens, then only its tables scroll sideways: the page itself does not, and nothing outside a table is cut off', async () => {
    const pages = ['/admin/products/assigned', ...PRODUCT_PAGES, '/admin/settings', '/admin/report', '/admin/plan'];
    const found = [];
    for (const pagePath of pages) {
      const { page } = await open(320, pagePath, pagePath.endsWith('bulk-unassign') ? { ids: '901,910' } : {});
      try {
        // WCAG 1.4.10: content reflows at 320 CSS px; data tables may scroll in their own box.
        const outsideTables = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const inTable = (el: Element) => el.closest('.bo-table-wrap') !== null;
          const cutOff = Array.from(
            document.querySelectorAll<HTMLElement>('header a, main a, main button, main input, main select, main textarea, main summary'),
          )
            .filter((el) => el.getClientRects().length > 0 && !inTable(el) && !el.closest('.bo-visually-hidden'))
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .map((el) => (el.textContent ?? '').trim().slice(0, 40) || el.getAttribute('name') || el.tagName);
          // A box whose content is wider than it (a field past its panel's edge); form controls scroll their own value.
          const spilling = Array.from(document.querySelectorAll<HTMLElement>('main *:not(input, select, textarea, .bo-table-wrap)'))
            .filter((el) => el.getClientRects().length > 0 && !inTable(el) && !el.closest('.bo-visually-hidden'))
            .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
          return { pageScrolls: document.documentElement.scrollWidth > width + 1, cutOff, spilling };
        });
        found.push({ pagePath, ...outsideTables });
      } finally {
        await page.close();
      }
    }
    expect(found).toEqual(pages.map((pagePath) => ({ pagePath, pageScrolls: false, cutOff: [], spilling: [] })));
  });
});

describe.each(WIDTHS)('the admin at %i px', (width) => {
  it('when the merchant opens Assigned Products, then every column shows — Edit and Unassign included — without scrolling sideways', async () => {
    const { page, errors } = await open(width, '/admin/products/assigned');
    try {
      await shot(page, 'assigned-list', width);
      const edit = page.getByRole('link', { name: `Edit ${LONG_NAME}` });
      const unassign = page.getByRole('link', { name: `Unassign ${LONG_NAME}` });
      for (const link of [edit, unassign]) {
        const box = (await link.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      expect(await overflow(page)).toEqual(FITS);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('when the other product pages open (All Products, edit, unassign, import), then none scrolls sideways', async () => {
    for (const pagePath of PRODUCT_PAGES) {
      const { page } = await open(width, pagePath, pagePath.endsWith('bulk-unassign') ? { ids: '901,910' } : {});
      try {
        expect({ pagePath, ...(await overflow(page)) }).toEqual({ pagePath, ...FITS });
      } finally {
        await page.close();
      }
    }
  });

  it('when an assign form is refused, then each problem is listed once, on its row, and the form fits', async () => {
    const { page, errors } = await open(width, '/admin/products/bulk-assign', { ids: `${ids.shirt}` });
    try {
      await page.getByLabel('Current stock of Linen shirt — Size: S').fill('lots');
      await page.getByLabel('Backorder threshold of Linen shirt — Size: M').fill('-3');
      await page.getByRole('button', { name: 'Assign all' }).click();
      await expect.poll(() => page.getByRole('alert').count()).toBe(1);
      await shot(page, 'assign-form-errors', width);
      const text = (await page.locator('main').textContent()) ?? '';
      const stockProblem = /Current stock: [^\n]+/.exec(text)?.[0] ?? 'no current stock problem';
      expect(text.split(stockProblem).length - 1).toBe(1);
      expect(await page.locator('.bo-row-problems li').count()).toBe(2);
      // The summary names each field with a problem, linking to it, without repeating the message.
      expect(await page.locator('[data-error-summary] li a').allTextContents()).toEqual([
        'Linen shirt — Size: S, Current stock',
        'Linen shirt — Size: M, Backorder threshold',
      ]);
      expect(await overflow(page)).toEqual(FITS);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('when a file is being imported, then its page shows one status that follows the run, and the outcome once done, without a click', async () => {
    const db = app.database.db;
    const { job } = await openJob(db, STORE, 'import', 'Waiting to read mugs.csv');
    const importId = await insertImport(db, {
      storeHash: STORE,
      mode: 'update',
      columns: ['current_stock'],
      filename: 'mugs.csv',
      content: Buffer.from('sku\n'),
    });
    try {
      // The test plays the run (no worker holds the file), so each moment can be looked at.
      await markStarted(db, STORE, job.id);
      await db.updateTable('imports').set({ job_id: job.id }).where('id', '=', importId).execute();
      await updateProgress(db, STORE, job.id, { message: 'Reading the file: 1,200 rows' });
      const { page, errors } = await open(width, `/admin/imports/${importId}`);
      try {
        const statuses = page.getByRole('status');
        // The progress shows in the job's section; a screen reader hears how the run ended (the bar has the counts).
        const progress = page.locator('[data-job-message]');
        await expect.poll(() => progress.allTextContents()).toEqual(['Reading the file: 1,200 rows']);
        await shot(page, 'import-in-progress', width);

        await updateProgress(db, STORE, job.id, { message: 'Updating 6 items' });
        await expect.poll(() => progress.allTextContents()).toEqual(['Updating 6 items']);

        await finishImport(db, STORE, importId, { rowsApplied: 6 });
        await markFinished(db, STORE, job.id, 'mugs.csv: 6 rows updated.');
        await expect.poll(() => page.locator('[data-import-outcome]').count(), { timeout: 10_000 }).toBe(1);
        expect(await statuses.allTextContents()).toEqual([expect.stringContaining('6 rows updated.')]);
        expect(await overflow(page)).toEqual(FITS);
        await shot(page, 'import-done', width);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    } finally {
      await markFinished(db, STORE, job.id, 'done');
      await finishImport(db, STORE, importId, { rowsApplied: 6 });
    }
  });
});

/** The long names a real catalog has, on a product the sandbox store sells untracked once assigned. */
const LONG_PRODUCT = 'Weatherproof teak garden bench with cushions and a hidden storage compartment, three seats';
const LONG_CATEGORY = 'Outdoor living, patio furniture and garden accessories';
const LONG_BRAND = 'Barrel & Pine Handcrafted Outdoor Goods Company';
/** Demo catalog products (sandbox/seed.ts): Fog Linen Chambray Towel, tracked by variant (Color × Size); Garden Trowel; Orbit Terrarium. */
const TOWEL = 124;
const TROWEL = 116;
const ORBIT = 101;
const DAY = 24 * 3600 * 1000;

describe('with orders placed in the sandbox store', () => {
  let shop: InstalledApp;
  let admin: { url: string; session: string };
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

  beforeAll(async () => {
    shop = await installedApp();
    const store = shop.sandbox.store(shop.storeHash);
    const db = shop.app.database.db;
    const bench = store.createProduct({
      name: LONG_PRODUCT,
      price: 640,
      sku: 'BENCH-TEAK-3SEAT-CUSHION-STORAGE-2026',
      categories: [store.createCategory({ name: LONG_CATEGORY })],
      brand_id: store.createBrand({ name: LONG_BRAND }),
      inventory_tracking: 'product',
      inventory_level: 0,
    }) as { id: number };
    // The app subscribes to no product/created event: the merchant's Sync reads the new product, its category and brand.
    const location = (await fetch(shop.sandbox.loadUrl(shop.storeHash), { redirect: 'manual' })).headers.get('location');
    admin = { url: shop.app.url, session: sessionIn(location) };
    const csrf = csrfIn(await (await fetch(`${admin.url}/admin/products/assigned?session=${admin.session}`)).text());
    const sync = await postForm(`${admin.url}/admin/products/sync`, { session: admin.session, _csrf: csrf });
    expect(sync.status).toBe(303);
    const mirrored = async () =>
      (await db.selectFrom('catalog_products').select('product_id').where('store_hash', '=', shop.storeHash).where('product_id', '=', bench.id).execute())
        .length;
    await eventually(async () => expect(await mirrored()).toBe(1), 30_000);

    // Three units may be sold beyond stock: the order of five takes two over the limit.
    await assignInSandbox(shop, bench.id, { threshold: 3, stock: 0 });
    for (const productId of [TOWEL, TROWEL, ORBIT]) await assignInSandbox(shop, productId, { threshold: 20, stock: 0 });
    await db
      .updateTable('assignments')
      .set({ assigned_at: new Date(Date.now() - 60 * DAY) })
      .where('store_hash', '=', shop.storeHash)
      .execute();
    const towel = store.product(TOWEL) as { variants: Array<{ id: number; sku: string }> };
    const variant = (sku: string) => towel.variants.find((v) => v.sku === sku)!.id;
    store.placeOrder({ lines: [{ productId: ORBIT, quantity: 4 }], dateCreated: Date.now() - 21 * DAY });
    store.placeOrder({ lines: [{ productId: TROWEL, quantity: 1 }], dateCreated: Date.now() - 9 * DAY });
    store.placeOrder({
      lines: [
        { productId: TOWEL, variantId: variant('FLCT-BEIGESTRIPE-S'), quantity: 2 },
        { productId: TOWEL, variantId: variant('FLCT-GREYSTRIPE-L'), quantity: 3 },
      ],
      dateCreated: Date.now() - 4 * DAY,
    });
    store.placeOrder({ lines: [{ productId: bench.id, quantity: 5 }] });
    const lines = async () => (await db.selectFrom('backorder_lines').select('id').where('store_hash', '=', shop.storeHash).execute()).length;
    await eventually(async () => expect(await lines()).toBe(5), 30_000);
  }, 120_000);
  afterAll(async () => {
    await shop?.stop();
  });

  describe.each(WIDTHS)('at %i px', (width) => {
    it('when the merchant opens Settings, picks Custom and checks the theme, then every section shows in full, beside its preview, without scrolling sideways', async () => {
      const { page, errors } = await open(width, '/admin/settings', {}, admin);
      try {
        await page.waitForSelector('[data-settings-preview][data-preview-ready]');
        await page.selectOption('#sf-themeProfile', 'custom');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Check my theme' }).click()]);
        await page.waitForSelector('[data-settings-preview][data-preview-ready]');
        expect(await page.locator('[data-theme-check]').count()).toBe(1);
        expect(await page.locator('[data-custom-selectors]').isVisible()).toBe(true);
        const headings = await page.locator('main h2').allTextContents();
        expect(headings).toEqual(expect.arrayContaining(['Inventory', 'Order note', 'Preview', 'Permissions', 'Before you uninstall']));
        await shot(page, 'settings', width);
        expect(await overflow(page)).toEqual(FITS);
        expect(await outside(page, 'main section, main details, main fieldset, main aside', width)).toEqual([]);
        expect(errors).toEqual([]);

        await page.fill('#default-threshold', '-1');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save settings' }).first().click()]);
        expect(await page.getByRole('alert').textContent()).toContain('The settings were not saved');
        await shot(page, 'settings-errors', width);
        expect(await overflow(page)).toEqual(FITS);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });

    it('when the merchant opens the report with filters set, then every column of every line shows — long names, variants, the over-the-limit tag — and What to reorder fits too', async () => {
      const { page, errors } = await open(width, '/admin/report', { from: day(30), status: 'waiting' }, admin);
      try {
        expect(await page.locator('tr[data-line]').count()).toBe(5);
        expect(await page.getByRole('link', { name: /Clear/ }).count()).toBe(1);
        const overLimit = page.locator('tr[data-line]', { hasText: LONG_PRODUCT }).locator('.bo-badge--warning');
        expect(await overLimit.textContent()).toBe('2');
        expect(await page.locator('[data-summary="over-limit"]').textContent()).toBe('2');
        await shot(page, 'report-lines', width);
        expect(await overflow(page)).toEqual(FITS);
        expect(await outside(page, 'main form, main dl, main nav, main table', width)).toEqual([]);
        expect(errors).toEqual([]);

        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'What to reorder' }).click()]);
        expect(await page.locator('tr[data-item]').count()).toBe(5);
        await shot(page, 'report-reorder', width);
        expect(await overflow(page)).toEqual(FITS);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
