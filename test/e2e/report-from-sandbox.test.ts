/**
 * The backorder report in Chromium against the sandbox store, as a purchasing team uses it: orders placed
 * on the demo shop and on other days for products in different categories and brands; each filter and
 * their combinations in the admin opened from the sandbox store (/load); the export matching the table row for
 * row; and an order archived in the sandbox, after which the report and the stock follow the rule (README,
 * "Archived orders"): its unshipped units come back and its line reads Archived.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { assignInSandbox, installedApp, type InstalledApp } from '../helpers/installed-app.ts';

/** Demo catalog products (sandbox/seed.ts), none in stock: Garden is category 20, Kitchen 19. */
const ORBIT = { id: 101, name: 'Orbit Terrarium - Small', sku: 'ORBIT-S' }; // Garden, OFS
const TROWEL = { id: 116, name: 'Garden Trowel', sku: 'GT-01' }; // Garden, Barrel & Pine
const CHEMEX = { id: 103, name: 'Chemex Coffeemaker 3 Cup', sku: 'CC3C' }; // Kitchen, Sagaform
const CUPS = { id: 121, name: 'Espresso Cups (Set of 2)', sku: 'EC2' }; // Kitchen, Sagaform
const DAY = 24 * 3600 * 1000;

let installed: InstalledApp;
let browser: Browser;
let page: Page;
let admin: Frame;
const orders: Record<string, number> = {};
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  [installed, browser] = await Promise.all([installedApp(), launchBrowser()]);
  for (const product of [ORBIT, TROWEL, CHEMEX, CUPS]) await assignInSandbox(installed, product.id, { threshold: 20 });
  // On backorder for two months: the orders of other days below came after (an earlier one would hold nothing).
  await installed.app.database.db
    .updateTable('assignments')
    .set({ assigned_at: new Date(Date.now() - 60 * DAY) })
    .where('store_hash', '=', installed.storeHash)
    .execute();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await installed?.stop();
});

const store = () => installed.sandbox.store(installed.storeHash);
const linesInApp = async () =>
  Number(
    (
      await installed.app.database.db
        .selectFrom('backorder_lines')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('store_hash', '=', installed.storeHash)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Checks out on the demo shop: the cart filled by link adds, the checkout's form, Place order. */
async function checkoutOnShop(lines: Array<{ id: number; quantity: number }>): Promise<number> {
  const shop = installed.sandbox.storefrontUrl(installed.storeHash);
  const context = await browser.newContext({ locale: 'en-US' });
  const tab = await context.newPage();
  try {
    for (const line of lines) await tab.goto(`${shop}/cart.php?action=add&product_id=${line.id}&qty=${line.quantity}`);
    await tab.goto(`${shop}/checkout`);
    await tab.waitForSelector('#checkout-app [data-test="cart-item"]');
    for (const [field, value] of Object.entries({
      email: 'pat@example.com',
      firstName: 'Pat',
      lastName: 'Buyer',
      address1: '3 Oak',
      city: 'Austin',
      stateOrProvince: 'Texas',
      postalCode: '78701',
    }))
      await tab.fill(`#${field}Input`, value);
    await tab.click('#checkout-place-order');
    await tab.waitForURL(`${shop}/checkout/order-confirmation`);
    const number = await tab.locator('[data-test="order-confirmation-order-number-text"]').textContent();
    return Number(/\d+/.exec(number ?? '')![0]);
  } finally {
    await context.close();
  }
}

/**
 * The report table's rows as the merchant reads them (screen-reader-only text left out), a cell's second
 * line (the variant under its product, the brand under the categories) read as the next column.
 */
async function tableRows(selector = 'tr[data-line]'): Promise<string[][]> {
  return admin.locator(selector).evaluateAll((rows) =>
    rows.map((row) =>
      Array.from(row.querySelectorAll('th, td')).flatMap((cell) => {
        const copy = cell.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.bo-visually-hidden').forEach((hidden) => hidden.remove());
        const lines = Array.from(copy.querySelectorAll('.bo-table__sub'), (sub) => {
          sub.remove();
          return (sub.textContent ?? '').trim();
        });
        return [(copy.textContent ?? '').trim(), ...lines];
      }),
    ),
  );
}
const orderColumn = async () => (await tableRows()).map((row) => Number(row[0]!.slice(1)));

/** Sets the report's form as given (empty for the rest) and applies it. */
async function filter(values: { q?: string; from?: string; to?: string; category?: string; brand?: string; status?: string }): Promise<number[]> {
  await admin.fill('#report-search', values.q ?? '');
  await admin.fill('#report-from', values.from ?? '');
  await admin.fill('#report-to', values.to ?? '');
  await admin.selectOption('#report-category', values.category ? { label: values.category } : { value: '' });
  await admin.selectOption('#report-brand', values.brand ? { label: values.brand } : { value: '' });
  await admin.selectOption('#report-status', values.status ? { label: values.status } : { value: '' });
  await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("Apply")')]);
  return orderColumn();
}

describe('the report a purchasing team works from', () => {
  it('when orders come from the shop and from other days, then each filter and their combinations find them, kept in the URL', async () => {
    orders.orbit = (store().placeOrder({ lines: [{ productId: ORBIT.id, quantity: 3 }], dateCreated: Date.now() - 40 * DAY }) as { id: number }).id;
    orders.cups = (store().placeOrder({ lines: [{ productId: CUPS.id, quantity: 1 }], dateCreated: Date.now() - 20 * DAY }) as { id: number }).id;
    orders.trowel = (store().placeOrder({ lines: [{ productId: TROWEL.id, quantity: 2 }], dateCreated: Date.now() - 10 * DAY }) as { id: number }).id;
    orders.chemex = (store().placeOrder({ lines: [{ productId: CHEMEX.id, quantity: 1 }], dateCreated: Date.now() - 3 * DAY }) as { id: number }).id;
    orders.shop = await checkoutOnShop([
      { id: CHEMEX.id, quantity: 2 },
      { id: TROWEL.id, quantity: 1 },
    ]);
    await expect.poll(linesInApp, { timeout: 30_000 }).toBe(6);

    // The admin opened as the control panel opens it: through a fresh /load link from the sandbox store.
    page = await browser.newPage();
    await page.goto(installed.sandbox.loadUrl(installed.storeHash));
    admin = page.mainFrame();
    await admin.waitForURL(/\/admin\/products\?session=/);
    await Promise.all([admin.waitForNavigation(), admin.getByRole('link', { name: 'Report' }).click()]);

    const { shop, chemex, trowel, cups, orbit } = orders as Record<string, number>;
    expect(await orderColumn()).toEqual([shop, shop, chemex, trowel, cups, orbit]);
    expect(await admin.locator('[data-summary="units-waiting"]').textContent()).toBe('10');

    expect(await filter({ category: 'Garden' })).toEqual([shop, trowel, orbit]);
    expect(await filter({ category: 'Kitchen' })).toEqual([shop, chemex, cups]);
    expect(await filter({ brand: 'Sagaform' })).toEqual([shop, chemex, cups]);
    expect(await filter({ brand: 'Barrel & Pine' })).toEqual([shop, trowel]);
    expect(await filter({ from: day(25), to: day(5) })).toEqual([trowel, cups]);
    expect(await filter({ from: day(0) })).toEqual([shop, shop]);
    expect(await filter({ q: 'cc3c' })).toEqual([shop, chemex]);
    expect(await filter({ q: 'terrarium' })).toEqual([orbit]);
    expect(await filter({ status: 'Waiting' })).toEqual([shop, shop, chemex, trowel, cups, orbit]);
    expect(await filter({ status: 'Archived' })).toEqual([]);
    expect(await filter({ category: 'Kitchen', brand: 'Sagaform', from: day(25), to: day(1) })).toEqual([chemex, cups]);
    expect(await filter({ category: 'Garden', q: 'trowel', from: day(15) })).toEqual([shop, trowel]);

    // The filters are in the frame's URL: opened again, the same lines show.
    const url = new URL(admin.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ category: '20', q: 'trowel', from: day(15) });
    await admin.goto(url.href);
    expect(await orderColumn()).toEqual([shop, trowel]);
  });

  it('when the filtered lines are exported, then the CSV matches the table row for row', async () => {
    await filter({ category: 'Kitchen' });
    const table = await tableRows();
    const [download] = await Promise.all([page.waitForEvent('download'), admin.click('[data-report-export]')]);
    const csv = parse(await readFile((await download.path())!, 'utf8')) as string[][];
    expect([csv[0]]).toEqual(await tableRows('table[data-report-lines] thead tr'));
    expect(csv.slice(1).map((row) => [`#${row[0]}`, ...row.slice(1)])).toEqual(table);
    expect(csv.slice(1).map((row) => row[4])).toEqual(['CC3C', 'CC3C', 'EC2']);
  });

  it('when an order is archived in the sandbox, then its line reads Archived and its units are back in stock', async () => {
    const token = await installed.sandbox.issueAccessToken(installed.storeHash);
    const archived = await fetch(`${installed.sandbox.url}/stores/${installed.storeHash}/v2/orders/${orders.orbit}`, {
      method: 'DELETE',
      headers: { 'X-Auth-Token': token, Accept: 'application/json' },
    });
    expect(archived.status).toBe(204);

    await expect
      .poll(
        async () => {
          await admin.goto(admin.url());
          return filter({ status: 'Archived' });
        },
        { timeout: 30_000 },
      )
      .toEqual([orders.orbit]);
    const [row] = await tableRows();
    expect([row![2], row![10], row![12]]).toEqual([ORBIT.name, '0', 'Archived']);
    expect(await admin.locator('[data-summary="units-waiting"]').textContent()).toBe('0');

    // Assigned Products: the Orbit's 3 units owed to that order are back (−3 → 0).
    await Promise.all([admin.waitForNavigation(), admin.getByRole('link', { name: 'Products', exact: true }).click()]);
    await Promise.all([admin.waitForNavigation(), admin.getByRole('link', { name: 'Assigned Products' }).click()]);
    const orbitRow = admin.locator('tr', { has: admin.getByRole('rowheader', { name: ORBIT.name }) });
    expect(await orbitRow.locator('td').nth(2).textContent()).toBe('0');
  });
});
