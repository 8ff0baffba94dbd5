/**
 * The merchant's core work in Chromium, with the real client against the sandbox store: every step of
 * the guide's sections 1.1–1.3 (assign one, bulk, by CSV), 2.1–2.3 (edit one, bulk, by CSV) and 4.1–4.2
 * (unassign one, bulk), each checked in the sandbox: tracking off on assign, back on (with the level)
 * or not purchasable on unassign.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../server/plans/plans.service.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { finishedJob } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../helpers/config.ts';

let sandbox: Sandbox;
let app: TestApp;
let browser: Browser;
let page: Page;
let storeHash: string;
const errors: string[] = [];
const ids: Record<string, number> = {};
const bc = (id: number) => sandbox.store(storeHash).product(id) as { inventory_tracking: string; availability: string; inventory_level: number };
const items = (productId: number) =>
  app.database.db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', '=', productId)
    .where('retired_at', 'is', null)
    .execute();

/** Waits for the store's latest job of `kind` to succeed, then opens `path` again (fresh data). */
async function afterJob(kind: 'assign' | 'unassign' | 'import') {
  const job = await finishedJob(app.database.db, storeHash, kind, 60_000);
  expect({ kind, status: job.status, error: job.error }).toEqual({ kind, status: 'succeeded', error: null });
}

async function openTab(name: 'All Products' | 'Assigned Products') {
  await page.getByRole('navigation', { name: 'Products' }).getByRole('link', { name }).click();
  await page.waitForLoadState();
}

beforeAll(async () => {
  sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
    seed: 'empty',
  });
  ({ storeHash } = await sandbox.createStore({ name: 'Assign e2e store', seed: 'empty' }));
  const store = sandbox.store(storeHash);
  for (const [key, name, level] of [
    ['vase', 'Vase', 4],
    ['bowl', 'Bowl', 2],
    ['cup', 'Cup', 6],
    ['plate', 'Plate', 1],
    ['spoon', 'Spoon', 9],
  ] as const) {
    ids[key] = (store.createProduct({ name, price: 10, sku: name.toUpperCase(), inventory_tracking: 'product', inventory_level: level }) as { id: number }).id;
  }
  [app, browser] = await Promise.all([startTestApp({ config: { bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url } } }), launchBrowser()]);
  sandbox.setAppUrl(app.url);
  page = await browser.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  // A refused form answers 422 on purpose (2.2); the browser logs that status, which is not a fault of the page.
  page.on('console', (message) => message.type() === 'error' && !/status of 422/.test(message.text()) && errors.push(message.text()));
  const { url } = await sandbox.install(storeHash);
  await page.goto(url);
  await finishedJob(app.database.db, storeHash, 'install', 60_000);
  await changePlan(app.database.db, storeHash, 'starter');
  await page.goto(sandbox.loadUrl(storeHash));
  await page.waitForURL(/\/admin\/products\?session=/);
}, 120_000);
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await app?.stop();
  await sandbox?.stop();
});

describe('assign (guide 1.1–1.3)', () => {
  it('1.1: when the merchant assigns one product in its dialog, then Salable qty follows the inputs and the sandbox stops tracking it', async () => {
    await page.getByRole('link', { name: 'Assign Vase' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Assign Vase to BackOrder');
    await page.getByLabel('Current stock of Vase').fill('3');
    await page.getByLabel('Backorder threshold of Vase').fill('7');
    await expect.poll(() => page.locator('[data-salable]').textContent()).toBe('10');
    await page.getByLabel('Incoming stock of Vase').fill('5');
    await page.getByLabel('Back-in-stock date of Vase').fill('2099-01-20');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.waitForURL(/\/admin\/products\/assigned/);
    await afterJob('assign');
    expect(bc(ids.vase!).inventory_tracking).toBe('none');
    expect((await items(ids.vase!))[0]).toMatchObject({ current_stock: 3, backorder_threshold: 7, incoming_stock: 5, back_in_stock_date: '2099-01-20' });
  });

  it('1.2: when the merchant ticks products and uses Bulk Assign, then every one is assigned and untracked in the sandbox', async () => {
    await openTab('All Products');
    await page.getByRole('checkbox', { name: 'Select Bowl' }).check();
    await page.getByRole('checkbox', { name: 'Select Cup' }).check();
    await page.getByRole('button', { name: 'Bulk Assign' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Assign 2 products to BackOrder');
    await page.getByLabel('Unlimited threshold for Cup').check();
    await expect.poll(() => page.getByLabel('Salable qty of Cup').textContent()).toBe('Unlimited');
    await page.getByRole('button', { name: 'Assign all' }).click();
    await page.waitForURL(/\/admin\/products\/assigned/);
    await afterJob('assign');
    expect([bc(ids.bowl!).inventory_tracking, bc(ids.cup!).inventory_tracking]).toEqual(['none', 'none']);
    expect((await items(ids.cup!))[0]!.backorder_threshold).toBeNull();
  });

  it('1.3: when the merchant imports a CSV to assign, then the rows are assigned and the sandbox stops tracking them', async () => {
    await openTab('Assigned Products');
    await page.getByText('Import', { exact: true }).click();
    await page.getByRole('link', { name: 'Import to assign more products' }).click();
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'assign.csv', mimeType: 'text/csv', buffer: Buffer.from('sku;current_stock;backorder_threshold\nPLATE;5;2\nSPOON;;\n') });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+/);
    await afterJob('import');
    await afterJob('assign');
    await page.reload();
    await expect.poll(() => page.getByText('2 rows assigned.').count()).toBe(1);
    expect([bc(ids.plate!).inventory_tracking, bc(ids.spoon!).inventory_tracking]).toEqual(['none', 'none']);
    expect((await items(ids.plate!))[0]).toMatchObject({ current_stock: 5, backorder_threshold: 2 });
  });
});

describe('edit (guide 2.1–2.3)', () => {
  it('2.1: when the merchant edits one product, then the list shows the new stock and the dialog its ledger', async () => {
    await page.goto(page.url().replace(/\/admin\/imports\/\d+/, '/admin/products/assigned'));
    await page.getByRole('link', { name: 'Edit Vase' }).click();
    await page.getByLabel('Current stock of Vase').fill('11');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/products\/assigned/);
    expect(await page.getByRole('status').filter({ hasText: 'Vase saved.' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Edit Vase' }).click();
    await page.getByText(/Stock history of Vase/).click();
    await expect.poll(() => page.getByRole('cell', { name: '+8' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Cancel' }).click();
  });

  it('2.2: when the merchant bulk-edits, then every row is saved together', async () => {
    await page.getByRole('checkbox', { name: 'Select Bowl' }).check();
    await page.getByRole('checkbox', { name: 'Select Cup' }).check();
    await page.getByRole('button', { name: 'Bulk Edit' }).click();
    await page.getByLabel('Incoming stock of Bowl').fill('30');
    await page.getByLabel('Incoming stock of Cup').fill('x');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Nothing was saved/);
    expect((await items(ids.bowl!))[0]!.incoming_stock).toBe(0);
    await page.getByLabel('Incoming stock of Cup').fill('12');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/products\/assigned/);
    expect([(await items(ids.bowl!))[0]!.incoming_stock, (await items(ids.cup!))[0]!.incoming_stock]).toEqual([30, 12]);
  });

  it('2.3: when the merchant imports a CSV to update with one column chosen, then only that column changes', async () => {
    await page.getByText('Import', { exact: true }).click();
    await page.getByRole('link', { name: 'Import to update assigned products' }).click();
    for (const column of ['current_stock', 'incoming_stock', 'back_in_stock_date']) await page.getByRole('checkbox', { name: column }).uncheck();
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'update.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,current_stock,backorder_threshold\nVASE,99,1\nBOWL,99,4\n') });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+/);
    await afterJob('import');
    expect((await items(ids.vase!))[0]).toMatchObject({ current_stock: 11, backorder_threshold: 1 });
    expect((await items(ids.bowl!))[0]).toMatchObject({ current_stock: 2, backorder_threshold: 4 });
  });
});

describe('unassign (guide 4.1–4.2)', () => {
  it('4.1: when the merchant unassigns one product with “Track inventory”, then the sandbox tracks it again at current stock', async () => {
    await page.goto(page.url().replace(/\/admin\/imports\/\d+/, '/admin/products/assigned'));
    await page.getByRole('link', { name: 'Unassign Vase' }).click();
    const track = page.getByRole('checkbox', { name: 'Track inventory of the product' });
    const warning = page.locator('[data-neither-warning]');
    expect(await track.isChecked()).toBe(true);
    await track.uncheck();
    await expect.poll(() => warning.isVisible()).toBe(true);
    await track.check();
    await expect.poll(() => warning.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Unassign' }).click();
    await page.waitForURL(/\/admin\/products\/assigned/);
    await afterJob('unassign');
    expect(bc(ids.vase!)).toMatchObject({ inventory_tracking: 'product', inventory_level: 11, availability: 'available' });
    expect(await items(ids.vase!)).toEqual([]);
  });

  it('4.2: when the merchant bulk-unassigns and makes the products not purchasable, then the sandbox shows them disabled', async () => {
    await page.reload();
    await page.getByRole('checkbox', { name: 'Select Bowl' }).check();
    await page.getByRole('checkbox', { name: 'Select Cup' }).check();
    await page.getByRole('button', { name: 'Bulk Unassign' }).click();
    await page.getByRole('checkbox', { name: 'Make the product not purchasable' }).check();
    await page.getByRole('button', { name: 'Unassign' }).click();
    await page.waitForURL(/\/admin\/products\/assigned/);
    await afterJob('unassign');
    for (const id of [ids.bowl!, ids.cup!]) {
      expect(bc(id)).toMatchObject({ inventory_tracking: 'product', availability: 'disabled' });
      expect(sandbox.store(storeHash).purchasability(id).purchasable).toBe(false);
    }
    expect(errors).toEqual([]);
  });
});
