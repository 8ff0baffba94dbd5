/**
 * Edit one and in bulk (2.1, 2.2) and unassign one and in bulk (4.1, 4.2) through the admin: the ledger,
 * all or nothing, and what BigCommerce is handed back per the merchant's choices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'edit1';
const blank = (id: number) => ({
  [`p${id}.currentStock`]: '',
  [`p${id}.backorderThreshold`]: '',
  [`p${id}.incomingStock`]: '',
  [`p${id}.backInStockDate`]: '',
});
const product = (id: number) => fake.stores.get(STORE)!.products.find((p) => p.id === id)!;
const itemOf = (productId: number) =>
  app.database.db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', STORE)
    .where('product_id', '=', productId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, {
    products: [
      ...[301, 302, 303, 304, 305].map((id) => bcProduct({ id, name: `Item ${id}`, sku: `IT-${id}`, inventory_level: 4 })),
      // Products BigCommerce never tracked ("Not tracked" on All Products).
      ...[306, 307].map((id) => bcProduct({ id, name: `Item ${id}`, sku: `IT-${id}`, inventory_tracking: 'none', inventory_level: 0 })),
    ],
  });
  admin = adminClient(app.url, (await install(app.url, fake, STORE)).session);
  await finishedJob(app.database.db, STORE, 'install');
  await changePlan(app.database.db, STORE, 'starter');
  const saved = await admin.post('/admin/products/bulk-assign', {
    ids: '301,302,303,304,305,306,307',
    ...blank(301),
    ...blank(302),
    ...blank(303),
    ...blank(304),
    ...blank(305),
    ...blank(306),
    ...blank(307),
  });
  expect(saved.status).toBe(303);
  await finishedJob(app.database.db, STORE, 'assign');
});
afterAll(async () => {
  await app?.stop();
});

describe('edit one (2.1)', () => {
  it('when the merchant saves new values, then stock moves with a manual movement, the plan changes, and the dialog shows the ledger newest first', async () => {
    const item = await itemOf(301);
    await convergeOrder(stockDeps(app.database.db), STORE, orderFor(item, 6));
    expect((await stockOf(app.database.db, item.id)).currentStock).toBe(-2);
    const dialog = await admin.get('/admin/products/301/edit');
    expect(dialog.html).toMatch(/name="p301.currentStock" value="-2"/);
    const saved = await admin.post('/admin/products/301/edit', {
      ...(await admin.formOf('/admin/products/301/edit')),
      'p301.currentStock': '10',
      'p301.backorderThreshold': '',
      'p301.unlimited': 'on',
      'p301.incomingStock': '12',
      'p301.backInStockDate': '2099-01-15',
    });
    expect(saved.status).toBe(303);
    const after = await stockOf(app.database.db, item.id);
    expect(after).toMatchObject({ currentStock: 10, waiting: 0, allocated: 2 });
    expect(await itemOf(301)).toMatchObject({ backorder_threshold: null, incoming_stock: 12, back_in_stock_date: '2099-01-15' });
    const ledger = (await admin.get('/admin/products/301/edit')).html;
    expect(ledger).toMatch(
      /Stock history of Item 301[\s\S]*?\+12<\/td><td class="bo-num">10<\/td><td>manual[\s\S]*?−6<\/td><td class="bo-num">-2<\/td><td>order/,
    );
  });

  it('when the merchant unticks Unlimited but gives no number, then nothing is saved and the row asks for one', async () => {
    const { 'p301.unlimited': _ticked, ...form } = await admin.formOf('/admin/products/301/edit');
    const refused = await admin.post('/admin/products/301/edit', { ...form, 'p301.backorderThreshold': '' });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/<li id="p301-problem-\d+">Backorder threshold: Unlimited is unticked: give the threshold a number/);
    expect(await itemOf(301)).toMatchObject({ backorder_threshold: null });
    const saved = await admin.post('/admin/products/301/edit', { ...form, 'p301.backorderThreshold': '5' });
    expect(saved.status).toBe(303);
    expect(await itemOf(301)).toMatchObject({ backorder_threshold: 5 });
  });

  it('when current stock is set below 0, or a date is wrong, then nothing is saved and the row says why', async () => {
    const form = await admin.formOf('/admin/products/302/edit');
    const refused = await admin.post('/admin/products/302/edit', {
      ...form,
      'p302.currentStock': '-1',
      'p302.backorderThreshold': '7',
      'p302.incomingStock': '',
      'p302.backInStockDate': '24/12/2026',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/is not a date in the form YYYY-MM-DD/);
    const again = await admin.post('/admin/products/302/edit', {
      ...form,
      'p302.currentStock': '-1',
      'p302.backorderThreshold': '7',
      'p302.incomingStock': '',
      'p302.backInStockDate': '',
    });
    expect(again.status).toBe(422);
    expect(again.html).toMatch(/only orders take stock below 0/);
    expect(await itemOf(302)).toMatchObject({ current_stock: 4, backorder_threshold: 0 });
  });
});

describe('form errors for screen readers', () => {
  /** The attributes of the input named `name`. */
  const inputOf = (html: string, name: string) => {
    const tag = html.match(new RegExp(`<input[^>]*name="${name.replace('.', '\\.')}"[^>]*>`))![0];
    return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  };
  /** The texts of the elements whose ids an input's aria-describedby names. */
  const described = (html: string, input: Record<string, string>) =>
    (input['aria-describedby'] ?? '').split(' ').map((id) => html.match(new RegExp(`<li id="${id}">([^<]*)</li>`))?.[1]);

  /** Saves Item 302's edit form with `changes` typed in; the refused page. */
  const refusedEdit = async (changes: Record<string, string>) => {
    const refused = await admin.post('/admin/products/302/edit', { ...(await admin.formOf('/admin/products/302/edit')), ...changes });
    expect(refused.status).toBe(422);
    return refused.html;
  };
  const invalidFields = (html: string) =>
    ['currentStock', 'backorderThreshold', 'incomingStock', 'backInStockDate'].filter((f) => inputOf(html, `p302.${f}`)['aria-invalid'] === 'true');

  it('when the threshold and incoming stock are wrong, then only those two inputs are marked invalid, each described by its own problem', async () => {
    const html = await refusedEdit({ 'p302.currentStock': '1', 'p302.backorderThreshold': '-1', 'p302.incomingStock': '99999999999999999999' });
    expect(invalidFields(html)).toEqual(['backorderThreshold', 'incomingStock']);
    expect(described(html, inputOf(html, 'p302.backorderThreshold'))).toEqual([expect.stringMatching(/^Backorder threshold: /)]);
    expect(described(html, inputOf(html, 'p302.incomingStock'))).toEqual([expect.stringMatching(/^Incoming stock: /)]);
  });

  it('when an edit is refused, then its summary links to each input with a problem, which carries that id, and each message still shows once, on its row', async () => {
    const html = await refusedEdit({ 'p302.currentStock': '1', 'p302.backorderThreshold': '-1', 'p302.incomingStock': 'many' });
    const links = [...html.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].filter((m) => m[1]!.startsWith('p302'));
    expect(links.map((m) => [m[1], m[2]])).toEqual([
      ['p302-backorderThreshold', 'Item 302, Backorder threshold'],
      ['p302-incomingStock', 'Item 302, Incoming stock'],
    ]);
    expect(inputOf(html, 'p302.backorderThreshold').id).toBe('p302-backorderThreshold');
    expect(inputOf(html, 'p302.incomingStock').id).toBe('p302-incomingStock');
    for (const message of ['-1 is negative', '&quot;many&quot; is not a whole number']) expect(html.split(message)).toHaveLength(2);
  });

  it('when a bulk edit is refused, on one row for a field and on another as a whole, then the summary links to that input and to that row’s problems', async () => {
    const form = await admin.formOf('/admin/products/bulk-edit', { ids: ['302', '303'] });
    const { 'p303.shown.currentStock': _dropped, ...outOfDate } = form;
    const refused = await admin.post('/admin/products/bulk-edit', { ...outOfDate, 'p302.backInStockDate': '24/12/2026' });
    expect(refused.status).toBe(422);
    const links = [...refused.html.matchAll(/<a href="#(p30[23][^"]*)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['p302-backInStockDate', 'Item 302, Back-in-stock date'],
      ['p303-problems', 'Item 303'],
    ]);
    expect(inputOf(refused.html, 'p302.backInStockDate').id).toBe('p302-backInStockDate');
    expect(refused.html).toMatch(/<ul class="bo-row-problems" id="p303-problems"><li>[^<]*out of date/);
  });

  it('when a back-in-stock date cannot be read, then Edit and Bulk Edit show it again as typed, in a text box (a date box would show it empty), marked invalid and described by its problem', async () => {
    const edited = await refusedEdit({ 'p302.backInStockDate': '2027-13-45' });
    expect(inputOf(edited, 'p302.backInStockDate')).toMatchObject({ type: 'text', value: '2027-13-45', 'aria-invalid': 'true' });
    expect(described(edited, inputOf(edited, 'p302.backInStockDate'))).toEqual([
      'Back-in-stock date: 2027-13-45 is not a real date (months run 01 to 12): give a date that exists, as YYYY-MM-DD, e.g. 2027-12-31',
    ]);

    const form = await admin.formOf('/admin/products/bulk-edit', { ids: ['302', '303'] });
    const bulk = await admin.post('/admin/products/bulk-edit', { ...form, 'p303.backInStockDate': 'soon' });
    expect(bulk.status).toBe(422);
    expect(inputOf(bulk.html, 'p303.backInStockDate')).toMatchObject({ type: 'text', value: 'soon', 'aria-invalid': 'true' });
    expect(described(bulk.html, inputOf(bulk.html, 'p303.backInStockDate'))).toEqual([
      'Back-in-stock date: &quot;soon&quot; is not a date in the form YYYY-MM-DD',
    ]);
    // The row without a problem keeps its date box.
    expect(inputOf(bulk.html, 'p302.backInStockDate')).toMatchObject({ type: 'date' });
    expect(inputOf(bulk.html, 'p302.backInStockDate')['aria-invalid']).toBeUndefined();
  });

  it('when a back-in-stock date is refused though it reads as a date (it has passed), then it stays in its date box, which shows it', async () => {
    const html = await refusedEdit({ 'p302.incomingStock': '5', 'p302.backInStockDate': '2020-01-01' });
    expect(inputOf(html, 'p302.backInStockDate')).toMatchObject({ type: 'date', value: '2020-01-01', 'aria-invalid': 'true' });
  });

  it('when only the date is wrong, then only the date input is marked invalid', async () => {
    const html = await refusedEdit({ 'p302.backInStockDate': '24/12/2026' });
    expect(invalidFields(html)).toEqual(['backInStockDate']);
    expect(described(html, inputOf(html, 'p302.backInStockDate'))).toEqual([expect.stringMatching(/^Back-in-stock date: .*YYYY-MM-DD/)]);
  });

  it('when the service refuses current stock below 0, then the current stock input is the one marked', async () => {
    const html = await refusedEdit({ 'p302.currentStock': '-1' });
    expect(invalidFields(html)).toEqual(['currentStock']);
    expect(described(html, inputOf(html, 'p302.currentStock'))).toEqual([expect.stringMatching(/only orders take stock below 0/)]);
  });
});

describe('bulk edit (2.2)', () => {
  it('when one row is bad, then no row is saved; when all are right, all are', async () => {
    const page = await admin.get('/admin/products/bulk-edit', { ids: ['302', '303'] });
    expect(page.html).toMatch(/Edit 2 assigned products[\s\S]*Item 302[\s\S]*Item 303/);
    const form = await admin.formOf('/admin/products/bulk-edit', { ids: ['302', '303'] });
    const refused = await admin.post('/admin/products/bulk-edit', {
      ...form,
      'p302.currentStock': '8',
      'p302.backorderThreshold': '2',
      'p302.incomingStock': '',
      'p302.backInStockDate': '',
      'p303.currentStock': '8',
      'p303.backorderThreshold': 'lots',
      'p303.incomingStock': '',
      'p303.backInStockDate': '',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/<li id="p303v?\d*-problem-\d+">Backorder threshold: &quot;lots&quot; is not a whole number/);
    expect((await itemOf(302)).current_stock).toBe(4);
    const saved = await admin.post('/admin/products/bulk-edit', {
      ...form,
      'p302.currentStock': '8',
      'p302.backorderThreshold': '2',
      'p302.incomingStock': '',
      'p302.backInStockDate': '',
      'p303.currentStock': '',
      'p303.backorderThreshold': '9',
      'p303.incomingStock': '3',
      'p303.backInStockDate': '2099-02-01',
    });
    expect(saved.status).toBe(303);
    expect(await itemOf(302)).toMatchObject({ current_stock: 8, backorder_threshold: 2 });
    expect(await itemOf(303)).toMatchObject({ current_stock: 4, backorder_threshold: 9, incoming_stock: 3, back_in_stock_date: '2099-02-01' });
  });
});

describe('a refused edit shown again', () => {
  it('when a value is refused, then its input still holds what the merchant typed, beside the problem that quotes it', async () => {
    const form = await admin.formOf('/admin/products/302/edit');
    const refused = await admin.post('/admin/products/302/edit', { ...form, 'p302.currentStock': 'x', 'p302.incomingStock': 'soon' });
    expect(refused.status).toBe(422);
    const input = (field: string) => new RegExp(`<input[^>]*name="p302\\.${field}"[^>]*>`).exec(refused.html)?.[0] ?? '';
    expect(refused.html).toContain('Current stock: &quot;x&quot; is not a whole number');
    expect(input('currentStock')).toContain('value="x"');
    expect(input('currentStock')).toContain('aria-invalid="true"');
    expect(input('incomingStock')).toContain('value="soon"');
  });
});

describe('unassign (4.1, 4.2)', () => {
  it('when neither choice is ticked, then the dialog warns and unassigns only once confirmed', async () => {
    const dialog = await admin.get('/admin/products/304/unassign');
    expect(dialog.html).toContain('Track inventory of the product');
    expect(dialog.html).toContain('Make the product not purchasable');
    const warned = await admin.post('/admin/products/304/unassign', {});
    expect(warned.status).toBe(422);
    expect(warned.html).toMatch(/Neither option is chosen/);
    expect((await admin.post('/admin/products/304/unassign', { confirmNeither: 'on' })).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(product(304)).toMatchObject({ inventory_tracking: 'none', availability: 'available' });
    expect((await itemOf(304)).retired_at).not.toBeNull();
  });

  it('when “Track inventory” is chosen, then tracking is restored with current stock as level, never below 0, and waiting lines stay marked released', async () => {
    const item = await itemOf(301);
    await admin.post('/admin/products/301/edit', {
      ...(await admin.formOf('/admin/products/301/edit')),
      'p301.currentStock': '0',
      'p301.backorderThreshold': '5',
      'p301.incomingStock': '0',
      'p301.backInStockDate': '',
    });
    await convergeOrder(stockDeps(app.database.db), STORE, orderFor(item, 3));
    expect((await stockOf(app.database.db, item.id)).waiting).toBe(3);
    expect((await admin.post('/admin/products/301/unassign', { restoreTracking: 'on' })).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(product(301)).toMatchObject({ inventory_tracking: 'product', inventory_level: 0 });
    const lines = (await stockOf(app.database.db, item.id)).lines;
    expect(lines.filter((l) => l.status === 'released').length).toBeGreaterThan(0);
    const assignment = await app.database.db
      .selectFrom('assignments')
      .selectAll()
      .where('store_hash', '=', STORE)
      .where('product_id', '=', 301)
      .executeTakeFirstOrThrow();
    expect(assignment).toMatchObject({ release_reason: 'Unassigned by the merchant' });
    // Assigning again starts fresh items.
    expect((await admin.post('/admin/products/301/assign', blank(301))).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'assign');
    const fresh = await itemOf(301);
    expect(fresh.id).not.toBe(item.id);
    expect(fresh.current_stock).toBe(0);
  });

  it('when a product BigCommerce never tracked is unassigned with “Track inventory”, then it stays untracked and purchasable, as the dialog says', async () => {
    const dialog = await admin.get('/admin/products/306/unassign');
    expect(dialog.html).toMatch(/name="restoreTracking"[^>]* checked/);
    expect(dialog.html).toMatch(/BigCommerce did not track inventory of this product before, so it stays untracked, as before: shoppers can keep buying it\./);
    expect(dialog.html).not.toMatch(/tracks inventory again/);
    expect((await admin.post('/admin/products/306/unassign', { restoreTracking: 'on' })).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(product(306)).toMatchObject({ inventory_tracking: 'none', availability: 'available' });
    expect(fake.calls.handBack.at(-1)!.products.find((p) => p.productId === 306)?.tracking).toBeUndefined();
  });

  it('when bulk unassign mixes a tracked and an untracked product, then the dialog says what happens to each and each gets its own tracking back', async () => {
    const page = await admin.get('/admin/products/bulk-unassign', { ids: ['305', '307'] });
    expect(page.html).toMatch(/<li>Item 305 <code>IT-305<\/code><\/li>/);
    expect(page.html).toMatch(/<li>Item 307 <code>IT-307<\/code> \(not tracked by BigCommerce before\)<\/li>/);
    expect(page.html).toMatch(
      /Products it tracked \(1\): tracked again, with BackOrder’s current stock as level \(0 when units are owed\)\. Products it did not track \(1, marked above\): left untracked and purchasable, as before\./,
    );
    expect((await admin.post('/admin/products/bulk-unassign', { ids: '305,307', restoreTracking: 'on' })).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(product(305)).toMatchObject({ inventory_tracking: 'product', inventory_level: 4, availability: 'available' });
    expect(product(307)).toMatchObject({ inventory_tracking: 'none', availability: 'available' });
  });

  it('when bulk unassign makes products not purchasable with levels kept by an ERP, then availability is disabled and levels are left alone', async () => {
    await updateSettings(app.database.db, STORE, { inventory: { stockLevelMaintainedExternally: true } });
    product(302).inventory_level = 77;
    const page = await admin.get('/admin/products/bulk-unassign', { ids: ['302', '303'] });
    expect(page.html).toMatch(/Unassign 2 products from BackOrder/);
    expect((await admin.post('/admin/products/bulk-unassign', { ids: '302,303', restoreTracking: 'on', notPurchasable: 'on' })).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(product(302)).toMatchObject({ inventory_tracking: 'product', availability: 'disabled', inventory_level: 77 });
    expect(product(303)).toMatchObject({ inventory_tracking: 'product', availability: 'disabled' });
    expect(fake.calls.handBack.at(-1)!.products.map((p) => p.tracking?.levels)).toEqual([undefined, undefined]);
  });
});
