/**
 * The admin at the control panel's widths (its iframe at 1024 px and 1366 px), in Chromium: the assigned
 * list, the assign form with errors, an import in progress and done. Each screen is checked for what a
 * merchant would see wrong — a column cut off, a table scrolling sideways, two statuses that disagree, an
 * error listed twice — and photographed into a temporary folder (BACKORDER_SCREENS, or the system's
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
import { installed } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { bcProduct, fakeBigCommerce } from '../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../helpers/inventory.ts';

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

async function open(width: number, pagePath: string, params: Record<string, string> = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const url = new URL(`${app.url}${pagePath}`);
  for (const [name, value] of Object.entries({ ...params, session })) url.searchParams.set(name, value);
  await page.goto(url.toString());
  return { page, errors };
}

/** What overflows sideways: the page itself, any table's wrapper, any element past the viewport's right edge. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wraps = Array.from(document.querySelectorAll<HTMLElement>('.bo-table-wrap')).filter((w) => w.scrollWidth > w.clientWidth + 1);
    const cut = Array.from(document.querySelectorAll<HTMLElement>('main a, main button, main input, main th, main td'))
      .filter((el) => el.getClientRects().length > 0 && !el.closest('.bo-visually-hidden'))
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => (el.textContent ?? '').trim().slice(0, 40) || el.getAttribute('name') || el.tagName);
    return { pageScrolls: document.documentElement.scrollWidth > width + 1, scrollingTables: wraps.length, cutOff: cut };
  });
}

const shot = (page: Page, name: string, width: number) => page.screenshot({ path: path.join(SCREENS, `${name}-${width}.png`), fullPage: true });

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
      expect(await overflow(page)).toEqual({ pageScrolls: false, scrollingTables: 0, cutOff: [] });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('when the other product pages open (All Products, edit, unassign, import), then none scrolls sideways', async () => {
    for (const pagePath of ['/admin/products', '/admin/products/901/edit', '/admin/products/bulk-unassign', '/admin/imports/new']) {
      const { page } = await open(width, pagePath, pagePath.endsWith('bulk-unassign') ? { ids: '901,910' } : {});
      try {
        expect({ pagePath, ...(await overflow(page)) }).toEqual({ pagePath, pageScrolls: false, scrollingTables: 0, cutOff: [] });
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
      expect(await overflow(page)).toEqual({ pageScrolls: false, scrollingTables: 0, cutOff: [] });
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
        await expect.poll(() => statuses.allTextContents()).toEqual([expect.stringContaining('Reading the file: 1,200 rows')]);
        await shot(page, 'import-in-progress', width);

        await updateProgress(db, STORE, job.id, { message: 'Updating 6 items' });
        await expect.poll(() => statuses.allTextContents()).toEqual([expect.stringContaining('Updating 6 items')]);

        await finishImport(db, STORE, importId, { rowsApplied: 6 });
        await markFinished(db, STORE, job.id, 'mugs.csv: 6 rows updated.');
        await expect.poll(() => page.locator('[data-import-outcome]').count(), { timeout: 10_000 }).toBe(1);
        expect(await statuses.allTextContents()).toEqual([expect.stringContaining('6 rows updated.')]);
        expect(await overflow(page)).toEqual({ pageScrolls: false, scrollingTables: 0, cutOff: [] });
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
