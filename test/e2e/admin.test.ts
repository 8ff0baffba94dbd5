/**
 * The admin in Chromium, against a fake of the BigCommerce gateway: install (/auth as BigCommerce calls it),
 * the progress bar following the setup job, the synced catalog, uninstall; keyboard-only use of the tabs;
 * and axe-core on every admin page.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convergeOrder } from '../../server/orders/orders.service.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { finishedJob, install, load } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { bcProduct, fakeBigCommerce } from '../helpers/fake-bigcommerce.ts';
import { assignProduct, orderFor, stockDeps } from '../helpers/inventory.ts';
import { ROOT } from '../helpers/processes.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ gateway: fake.factory(5) }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A gate per page of products: the test decides when each page is served. */
function gates(count: number) {
  const opens = Array.from({ length: count }, () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  });
  return { wait: (index: number) => opens[index]?.promise ?? Promise.resolve(), open: (index: number) => opens[index]!.resolve() };
}

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const barValue = (page: Page) => page.locator('section.bo-job progress').evaluate((el: HTMLProgressElement) => `${el.value}/${el.max}`);

describe('installing and using the admin in Chromium', () => {
  it('when the merchant installs, then the progress bar follows the setup, the synced catalog shows, and uninstall ends it', async () => {
    fake.addStore('e2e1', { products: Array.from({ length: 15 }, (_, i) => bcProduct({ name: `Lamp ${String(i + 1).padStart(2, '0')}` })) });
    const gate = gates(3);
    fake.holdProductPages(gate.wait);
    const { page, errors } = await newPage();
    try {
      const { query } = fake.installCode('e2e1');
      await page.goto(`${app.url}/auth?${query}`);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'BackOrder is installed' }).count()).toBe(1);
      await expect.poll(() => page.getByRole('heading', { name: 'Setting up BackOrder' }).count()).toBe(1);
      await expect.poll(() => barValue(page), { timeout: 10_000 }).toBe('0/15');
      // What the job's live regions say from here on: each change of their text, as a screen reader is told of it.
      await page.evaluate(() => {
        const said: string[] = ((window as unknown as { said: string[] }).said = []);
        const regions = Array.from(document.querySelectorAll('section.bo-job [role="status"], section.bo-job [aria-live]'));
        for (const region of regions) {
          new MutationObserver(() => said.push(region.textContent!.replace(/\s+/g, ' ').trim())).observe(region, {
            subtree: true,
            childList: true,
            characterData: true,
          });
        }
      });

      gate.open(0);
      await expect.poll(() => barValue(page), { timeout: 10_000 }).toBe('5/15');
      await expect.poll(() => page.locator('[data-job-count]').textContent()).toBe('5 of 15');
      gate.open(1);
      await expect.poll(() => barValue(page), { timeout: 10_000 }).toBe('10/15');
      gate.open(2);
      await expect.poll(() => barValue(page), { timeout: 10_000 }).toBe('15/15');
      await expect.poll(() => page.locator('[data-job-message]').textContent()).toBe('BackOrder is set up: 15 products, 0 categories and 0 brands synced.');
      // Not every count on the way, each second: the bar shows those; what a screen reader hears is how it ended.
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { said: string[] }).said))
        .toEqual(['BackOrder is set up: 15 products, 0 categories and 0 brands synced.']);

      await page.getByRole('link', { name: 'Show the results' }).click();
      await expect.poll(() => page.getByRole('row').count()).toBe(16);
      expect(await page.getByText('Showing 15 of 15 products').count()).toBe(1);
      expect(await page.getByRole('rowheader', { name: 'Lamp 01' }).count()).toBe(1);
      expect(await page.locator('section.bo-job').count()).toBe(0);

      // BigCommerce revokes the token, then calls /uninstall.
      fake.revoke('e2e1');
      const response = await fetch(`${app.url}/uninstall?signed_payload_jwt=${fake.signedPayload('e2e1')}`);
      expect(response.status).toBe(200);
      await page.reload();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Please open the app from your BigCommerce control panel');
      expect(await page.getByText('BackOrder is no longer installed in this store').count()).toBe(1);
      expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    } finally {
      fake.holdProductPages(undefined);
      await page.close();
    }
  });

  it('when the merchant uses only the keyboard, then the skip link, the tabs and the product tabs work with visible focus', async () => {
    fake.addStore('e2e2', { products: [bcProduct({ name: 'Desk' })] });
    await install(app.url, fake, 'e2e2');
    await finishedJob(app.database.db, 'e2e2', 'install');
    const session = await load(app.url, fake, 'e2e2');
    const { page, errors } = await newPage();
    try {
      await page.goto(`${app.url}/admin/products?session=${session}`);
      const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

      await page.goto(`${app.url}/admin/products?session=${session}`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Products');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).toBe('solid');

      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Settings');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/settings\?/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings');
      expect(await page.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');

      // Tabs one after the other: skip link, Products, Settings, Report, Plan.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe('Plan');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/plan\?/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Plan');

      await page.getByRole('link', { name: 'Products' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/products\?/);
      await page.getByRole('navigation', { name: 'Products' }).getByRole('link', { name: 'All Products' }).focus();
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Assigned Products');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/products\/assigned\?/);
      expect(await page.getByRole('link', { name: 'Assigned Products' }).getAttribute('aria-current')).toBe('page');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** A store installed with one product, assigned (1 in stock, 4 may be backordered), and an admin session for it. */
async function storeWithAssignedProduct(storeHash: string, name: string): Promise<{ session: string; productId: number }> {
  fake.addStore(storeHash, { products: [bcProduct({ name })] });
  await install(app.url, fake, storeHash);
  await finishedJob(app.database.db, storeHash, 'install');
  const product = fake.stores.get(storeHash)!.products[0]!;
  await assignProduct(app.database.db, storeHash, { currentStock: 1, backorderThreshold: 4 }, { productId: product.id });
  return { session: await load(app.url, fake, storeHash), productId: product.id };
}

/** The text of the focused element when it carries `attribute`, else ''. */
const focusedText = (page: Page, attribute: string) =>
  page.evaluate((a) => (document.activeElement?.hasAttribute(a) ? document.activeElement.textContent!.replace(/\s+/g, ' ').trim() : ''), attribute);

describe('accessibility', () => {
  it('when a form is refused, then focus moves to its summary of problems, and the keyboard goes on from there to the fields', async () => {
    const { session, productId } = await storeWithAssignedProduct('e2e4', 'Stool');
    const { page, errors } = await newPage();
    const focused = () => focusedText(page, 'data-error-summary');
    try {
      await page.goto(`${app.url}/admin/products/${productId}/edit?session=${session}`);
      await page.getByRole('textbox', { name: 'Current stock of Stool' }).fill('lots');
      await page.getByRole('button', { name: 'Save' }).press('Enter');
      await page.waitForLoadState();
      await expect.poll(focused).toMatch(/^Nothing was saved/);
      // The summary names the field, whose link takes the merchant to it; the message shows once, on its row.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stool, Current stock');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Current stock of Stool');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('form') !== null)).toBe(true);

      // A back-in-stock date posted by hand that no date box can show: the refused form shows it as given, read with its problem.
      const date = page.getByLabel('Back-in-stock date of Stool');
      await date.evaluate((box: HTMLInputElement) => ((box.type = 'text'), (box.value = 'soon')));
      await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), date.press('Enter')]);
      await page.waitForLoadState();
      expect(await date.inputValue()).toBe('soon');
      expect(
        await date.evaluate((box) => [box.getAttribute('aria-invalid'), document.getElementById(box.getAttribute('aria-describedby')!)?.textContent]),
      ).toEqual(['true', 'Back-in-stock date: "soon" is not a date in the form YYYY-MM-DD']);

      await page.goto(`${app.url}/admin/settings?session=${session}`);
      await page.getByRole('textbox', { name: 'Default backorder threshold' }).fill('-1');
      await page.getByRole('button', { name: 'Save settings' }).first().press('Enter');
      await page.waitForLoadState();
      await expect.poll(focused).toMatch(/^The settings were not saved Default backorder threshold:/);
      // From the summary, a problem's link takes the merchant to its field.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('default-threshold');

      // A report filter from a hand-edited URL: its problem links to its box, which shows what was given and is read with it.
      await page.goto(`${app.url}/admin/report?from=not-a-date&session=${session}`);
      await expect.poll(focused).toMatch(/^The report cannot be filtered this way: Ordered from must be a date/);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('report-from');
      expect(await page.getByLabel('Ordered from').inputValue()).toBe('not-a-date');
      expect(
        await page.evaluate(() => {
          const box = document.activeElement!;
          return [box.getAttribute('aria-invalid'), document.getElementById(box.getAttribute('aria-describedby')!)?.textContent];
        }),
      ).toEqual(['true', 'Ordered from must be a date such as 2026-11-27, not “not-a-date”.']);
      // A refused form answers 422, which Chromium logs; nothing else may go wrong.
      expect(errors.filter((error) => !error.includes('status of 422'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('when an action is taken from the keyboard, then focus moves to what happened: nothing ticked for a bulk action, an edit saved', async () => {
    const { session, productId } = await storeWithAssignedProduct('e2e5', 'Bench');
    const { page } = await newPage();
    const focused = () => focusedText(page, 'data-flashes');
    try {
      await page.goto(`${app.url}/admin/products/assigned?session=${session}`);
      await page.getByRole('button', { name: 'Bulk Unassign' }).press('Enter');
      await page.waitForURL(/\/admin\/products\/assigned\?/);
      await expect.poll(focused).toBe('Tick the products to unassign first.');

      await page.goto(`${app.url}/admin/products/${productId}/edit?session=${session}`);
      await page.getByRole('textbox', { name: 'Current stock of Bench' }).fill('2');
      await page.getByRole('button', { name: 'Save' }).press('Enter');
      await page.waitForURL(/\/admin\/products\/assigned\?/);
      await expect.poll(focused).toMatch(/Bench/);
    } finally {
      await page.close();
    }
  });

  it('when axe-core checks every admin page, then it finds no violations', async () => {
    fake.addStore('e2e3', {
      products: [
        bcProduct({ name: 'Chair' }),
        bcProduct({
          name: 'Table',
          inventory_tracking: 'variant',
          variants: [
            {
              id: 7701,
              product_id: 0,
              sku: 'TB-OAK',
              option_values: [{ id: 77, option_id: 7, option_display_name: 'Wood', label: 'Oak' }],
              inventory_level: 2,
              purchasing_disabled: false,
            },
          ],
        }),
      ],
    });
    const { session } = await install(app.url, fake, 'e2e3', { scope: 'store_v2_products store_v2_orders' });
    await finishedJob(app.database.db, 'e2e3', 'install');
    const chair = fake.stores.get('e2e3')!.products[0]!;
    const item = await assignProduct(
      app.database.db,
      'e2e3',
      { currentStock: 1, backorderThreshold: 4, backInStockDate: '2099-12-24', incomingStock: 10 },
      { productId: chair.id },
    );
    await convergeOrder(stockDeps(app.database.db), 'e2e3', orderFor(item, 3));

    const axe = await readFile(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const { page } = await newPage();
    try {
      const table = fake.stores.get('e2e3')!.products[1]!;
      const pages = [
        '/admin/products',
        '/admin/products?q=nothing-matches&assigned=no',
        '/admin/products/assigned',
        '/admin/settings',
        '/admin/report',
        '/admin/report?view=reorder',
        '/admin/report?from=not-a-date',
        '/admin/plan',
        `/admin/products/${table.id}/assign`,
        `/admin/products/bulk-assign?ids=${table.id}`,
        `/admin/products/${chair.id}/edit`,
        `/admin/products/bulk-edit?ids=${chair.id}`,
        `/admin/products/${chair.id}/unassign`,
        '/admin/imports/new?mode=assign',
        '/admin/imports/new?mode=update',
      ];
      for (const pagePath of pages) {
        const url = new URL(`${app.url}${pagePath}`);
        url.searchParams.set('session', session);
        await page.goto(url.toString());
        // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not block it.
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          type Result = { passes: unknown[]; violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> };
          const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<Result> } }).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          });
          return { passes: result.passes.length, found: result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`) };
        });
        expect(violations.passes).toBeGreaterThan(10);
        expect({ page: pagePath, violations: violations.found }).toEqual({ page: pagePath, violations: [] });
      }
      await page.goto(`${app.url}/admin/products?session=expired`);
      await page.evaluate(axe);
      const errorPage = await page.evaluate(async () =>
        (await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string }> }> } }).axe.run()).violations.map((v) => v.id),
      );
      expect(errorPage).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
