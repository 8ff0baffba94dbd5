/**
 * Assign one and in bulk (guide 1.1, 1.2) through the admin, with the BigCommerce side run by the assign
 * job against the fake gateway: plan limits, every bad input, all or nothing, and a failure half-way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerError, ValidationError } from '../../../server/bigcommerce/index.ts';
import { insertAssignment } from '../../../server/assignments/assignments.repo.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'assign1';

const tee = () =>
  bcProduct({
    id: 500,
    name: 'Tee',
    sku: 'TEE',
    inventory_tracking: 'variant',
    availability: 'available',
    variants: [
      {
        id: 5001,
        product_id: 500,
        sku: 'TEE-RED',
        option_values: [{ id: 1, option_id: 1, option_display_name: 'Colour', label: 'Red' }],
        inventory_level: 4,
        purchasing_disabled: false,
      },
      {
        id: 5002,
        product_id: 500,
        sku: 'TEE-BLUE',
        option_values: [{ id: 2, option_id: 1, option_display_name: 'Colour', label: 'Blue' }],
        inventory_level: 6,
        purchasing_disabled: false,
      },
    ],
  });

async function assignments(productId: number) {
  return app.database.db.selectFrom('assignments').selectAll().where('store_hash', '=', STORE).where('product_id', '=', productId).orderBy('id').execute();
}

async function itemsOf(productId: number) {
  return app.database.db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', STORE)
    .where('product_id', '=', productId)
    .where('retired_at', 'is', null)
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, {
    products: [
      bcProduct({ id: 101, name: 'Blue Jar', sku: 'JAR-1', inventory_level: 7 }),
      bcProduct({ id: 102, name: 'Green Jar', sku: 'JAR-2', inventory_level: 0 }),
      bcProduct({ id: 103, name: 'Red Jar', sku: 'JAR-3', inventory_level: 3, availability: 'preorder' }),
      bcProduct({ id: 104, name: 'Mug', sku: 'MUG', inventory_level: 2 }),
      bcProduct({ id: 105, name: 'Plate', sku: 'PLATE', inventory_level: 2 }),
      bcProduct({ id: 106, name: 'Bowl', sku: 'BOWL', inventory_level: 2 }),
      tee(),
    ],
  });
  admin = adminClient(app.url, (await install(app.url, fake, STORE)).session);
  await finishedJob(app.database.db, STORE, 'install');
  await changePlan(app.database.db, STORE, 'starter');
  await updateSettings(app.database.db, STORE, { inventory: { defaultBackorderThreshold: 5 } });
});
afterAll(async () => {
  await app?.stop();
});

describe('assign one (1.1)', () => {
  it('when the dialog opens, then it shows BigCommerce’s level, the store’s default threshold and the salable quantity', async () => {
    const { status, html } = await admin.get('/admin/products/101/assign');
    expect(status).toBe(200);
    expect(html).toContain('Assign Blue Jar to BackOrder');
    expect(html).toMatch(/name="p101.currentStock" value="7"/);
    expect(html).toMatch(/name="p101.backorderThreshold" value="5"/);
    expect(html).toMatch(/data-salable[^>]*>12<\/output>/);
  });

  it('when the merchant assigns it, then the item starts from the values given, the product shows “assigning”, and the job turns tracking off in BigCommerce', async () => {
    const saved = await admin.post('/admin/products/101/assign', {
      'p101.currentStock': '9',
      'p101.backorderThreshold': '',
      'p101.unlimited': 'on',
      'p101.incomingStock': '20',
      'p101.backInStockDate': '2099-12-24',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toMatch(/^\/admin\/products\/assigned\?session=/);
    const job = await finishedJob(app.database.db, STORE, 'assign');
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    expect(job.message).toMatch(/1 product assigned/);
    const [assignment] = await assignments(101);
    expect(assignment).toMatchObject({
      state: 'active',
      saved_inventory_tracking: 'product',
      saved_availability: 'available',
      settings_saved: true,
      released_at: null,
    });
    expect(await itemsOf(101)).toMatchObject([
      {
        variant_id: null,
        sku: 'JAR-1',
        current_stock: 9,
        starting_stock: 9,
        backorder_threshold: null,
        incoming_stock: 20,
        back_in_stock_date: '2099-12-24',
        bigcommerce_level: 7,
      },
    ]);
    expect(fake.stores.get(STORE)!.products.find((p) => p.id === 101)!.inventory_tracking).toBe('none');
    expect(fake.calls.takeOverTracking.at(-1)).toEqual({ storeHash: STORE, productIds: [101] });
    const list = await admin.get('/admin/products/assigned');
    expect(list.html).toMatch(/Blue Jar[\s\S]*?JAR-1[\s\S]*?>9<[\s\S]*?Unlimited[\s\S]*?Unlimited/);
  });

  it('when a product tracked by variant is assigned, then the dialog has one row per variant and each variant gets its item', async () => {
    const { html } = await admin.get('/admin/products/500/assign');
    expect(html).toMatch(/Colour: Red[\s\S]*name="p500v5001.currentStock" value="4"[\s\S]*Colour: Blue[\s\S]*name="p500v5002.currentStock" value="6"/);
    const saved = await admin.post('/admin/products/500/assign', {
      'p500v5001.currentStock': '4',
      'p500v5001.backorderThreshold': '2',
      'p500v5001.incomingStock': '',
      'p500v5001.backInStockDate': '',
      'p500v5002.currentStock': '',
      'p500v5002.backorderThreshold': '',
      'p500v5002.incomingStock': '',
      'p500v5002.backInStockDate': '',
    });
    expect(saved.status).toBe(303);
    await finishedJob(app.database.db, STORE, 'assign');
    expect((await itemsOf(500)).map((i) => [i.variant_id, i.current_stock, i.backorder_threshold])).toEqual([
      [5001, 4, 2],
      [5002, 6, 5],
    ]);
    expect((await assignments(500))[0]).toMatchObject({ tracked_by: 'variant', saved_inventory_tracking: 'variant', state: 'active' });
  });

  it('when a value is not a number, a threshold negative or a date not real, then every problem shows once, on its row, and nothing is assigned', async () => {
    const refused = await admin.post('/admin/products/102/assign', {
      'p102.currentStock': 'ten',
      'p102.backorderThreshold': '-1',
      'p102.incomingStock': '1.5',
      'p102.backInStockDate': '2026-02-30',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Nothing was assigned: 4 problems to fix first.');
    expect(refused.html).toMatch(/Current stock: &quot;ten&quot; is not a whole number/);
    expect(refused.html).toMatch(/Backorder threshold: -1 is negative/);
    expect(refused.html).toMatch(/Incoming stock: &quot;1.5&quot; is not a whole number/);
    expect(refused.html).toContain(
      'Back-in-stock date: 2026-02-30 is not a real date (February 2026 has days 01 to 28): give a date that exists, as YYYY-MM-DD, e.g. 2026-02-28',
    );
    expect(refused.html).toMatch(/name="p102.currentStock" value="ten"/);
    // A date box would show a date that does not exist as empty: it stays in a text box as typed, read with its problem.
    expect(refused.html).toMatch(
      /<input[^>]*type="text" id="p102-backInStockDate" name="p102.backInStockDate" value="2026-02-30"[^>]* aria-invalid="true" aria-describedby="p102-problem-3">/,
    );
    expect(refused.html).toMatch(/<li id="p102-problem-3">Back-in-stock date: 2026-02-30 is not a real date/);
    // Once each: the heading counts them and points to the rows, which list them.
    for (const message of ['&quot;ten&quot; is not a whole number', '-1 is negative', '&quot;1.5&quot; is not a whole number', '2026-02-30 is not a real date'])
      expect(refused.html.split(message)).toHaveLength(2);
    expect(refused.html).toContain('Each problem is shown on its row below:');
    expect(await assignments(102)).toEqual([]);
  });

  it('when the product is already assigned, then the dialog says so', async () => {
    const { status, html } = await admin.get('/admin/products/101/assign');
    expect(status).toBe(409);
    expect(html).toContain('Blue Jar is already assigned to BackOrder.');
  });
});

describe('bulk assign (1.2)', () => {
  it('when one row is bad, then nothing is assigned and the error shows on that row', async () => {
    const page = await admin.get('/admin/products/bulk-assign', { ids: ['102', '103'] });
    expect(page.html).toMatch(/Assign 2 products to BackOrder[\s\S]*Green Jar[\s\S]*Red Jar/);
    const refused = await admin.post('/admin/products/bulk-assign', {
      ids: '102,103',
      'p102.currentStock': '1',
      'p102.backorderThreshold': '3',
      'p102.incomingStock': '',
      'p102.backInStockDate': '',
      'p103.currentStock': '-4',
      'p103.backorderThreshold': '3',
      'p103.incomingStock': '',
      'p103.backInStockDate': '',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/bo-row--invalid[\s\S]*Red Jar[\s\S]*-4 is negative; current stock starts at 0 or more/);
    expect(await assignments(102)).toEqual([]);
    expect(await assignments(103)).toEqual([]);
    // Incoming stock whose arrival would pass the largest quantity is refused the same way.
    const values = { currentStock: '900000000', backorderThreshold: '3', incomingStock: '200000000', backInStockDate: '' };
    const tooMuch = await admin.post('/admin/products/bulk-assign', {
      ids: '102',
      ...Object.fromEntries(Object.entries(values).map(([field, value]) => [`p102.${field}`, value])),
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.html).toContain('current stock 900,000,000 and incoming stock 200,000,000 would make 1,100,000,000 when it arrives');
    expect(await assignments(102)).toEqual([]);
  });

  it('when every row is right, then all are assigned together and the job confirms them', async () => {
    const saved = await admin.post('/admin/products/bulk-assign', {
      ids: '102,103',
      'p102.currentStock': '',
      'p102.backorderThreshold': '3',
      'p102.incomingStock': '',
      'p102.backInStockDate': '',
      'p103.currentStock': '1',
      'p103.backorderThreshold': '',
      'p103.incomingStock': '',
      'p103.backInStockDate': '',
    });
    expect(saved.status).toBe(303);
    await finishedJob(app.database.db, STORE, 'assign');
    expect((await assignments(103))[0]).toMatchObject({ state: 'active', saved_availability: 'preorder' });
    expect((await itemsOf(102))[0]).toMatchObject({ current_stock: 0, backorder_threshold: 3 });
    expect((await itemsOf(103))[0]).toMatchObject({ current_stock: 1, backorder_threshold: 5 });
  });
});

describe('plan limits', () => {
  it('when assigning would exceed the plan, then it is refused with the plan’s words, in one and in bulk', async () => {
    fake.addStore('assignfree', {
      products: [
        bcProduct({ id: 201, name: 'Cup', sku: 'CUP' }),
        bcProduct({ id: 202, name: 'Saucer', sku: 'SAUCER' }),
        bcProduct({ id: 203, name: 'Spoon', sku: 'SPOON' }),
      ],
    });
    const free = adminClient(app.url, (await install(app.url, fake, 'assignfree')).session);
    await finishedJob(app.database.db, 'assignfree', 'install');
    const blank = (id: number) => ({
      [`p${id}.currentStock`]: '',
      [`p${id}.backorderThreshold`]: '',
      [`p${id}.incomingStock`]: '',
      [`p${id}.backInStockDate`]: '',
    });
    const bulk = await free.post('/admin/products/bulk-assign', { ids: '201,202', ...blank(201), ...blank(202) });
    expect(bulk.status).toBe(422);
    expect(bulk.html).toMatch(
      /<li>over the plan’s limit: 0 assigned, limit 1: your Free plan holds at most 1 product, so upgrade it to assign all 2, or assign only 1 of these 2<\/li>/,
    );
    const count = () => app.database.db.selectFrom('assignments').select('id').where('store_hash', '=', 'assignfree').execute();
    expect(await count()).toEqual([]);
    expect((await free.post('/admin/products/201/assign', blank(201))).status).toBe(303);
    const one = await free.post('/admin/products/203/assign', blank(203));
    expect(one.status).toBe(422);
    expect(one.html).toMatch(/over the plan’s limit: 1 assigned, limit 1: unassign 1 to assign more, or upgrade your Free plan/);
    const more = await free.post('/admin/products/bulk-assign', { ids: '202,203', ...blank(202), ...blank(203) });
    expect(more.status).toBe(422);
    expect(more.html).toMatch(
      /<li>over the plan’s limit: 1 assigned, limit 1: your Free plan holds at most 1 product, so upgrade it to assign all 2, or unassign 1 to assign 1 of these 2<\/li>/,
    );
    expect(await count()).toHaveLength(1);
  });

  it('when a downgrade leaves the store over the limit, then All Products and Assigned Products say so with the numbers', async () => {
    const over = 'assignover';
    fake.addStore(over, { products: [bcProduct({ id: 211, name: 'Bowl', sku: 'BOWL' }), bcProduct({ id: 212, name: 'Plate', sku: 'PLATE' })] });
    const client = adminClient(app.url, (await install(app.url, fake, over)).session);
    await finishedJob(app.database.db, over, 'install');
    await changePlan(app.database.db, over, 'starter');
    const blank = (id: number) => ({
      [`p${id}.currentStock`]: '',
      [`p${id}.backorderThreshold`]: '',
      [`p${id}.incomingStock`]: '',
      [`p${id}.backInStockDate`]: '',
    });
    expect((await client.post('/admin/products/bulk-assign', { ids: '211,212', ...blank(211), ...blank(212) })).status).toBe(303);
    const notice = 'Your Free plan is over its limit — 2 assigned, limit 1: unassign 2 to assign more, or upgrade your plan.';
    expect((await client.get('/admin/products')).html).not.toContain(notice);
    expect(await changePlan(app.database.db, over, 'free')).toBe('changed');
    for (const path of ['/admin/products', '/admin/products/assigned', '/admin/plan']) {
      const page = await client.get(path);
      expect(page.html, path).toContain(notice);
    }
  });
});

describe('a failure half-way', () => {
  it('when BigCommerce fails for a while, then the product stays “assigning” with the reason and the retry finishes it', async () => {
    fake.failWritesOf(104, new ServerError({ status: 503, title: 'Service Unavailable', context: { method: 'PUT', path: '/v3/catalog/products' } }));
    await admin.post('/admin/products/104/assign', {
      'p104.currentStock': '',
      'p104.backorderThreshold': '',
      'p104.incomingStock': '',
      'p104.backInStockDate': '',
    });
    await expect.poll(async () => (await assignments(104))[0]?.bigcommerce_error ?? '', { timeout: 15_000 }).toMatch(/503/);
    expect((await assignments(104))[0]!.state).toBe('assigning');
    expect((await admin.get('/admin/products/assigned')).html).toMatch(/Mug[\s\S]*Assigning…/);
    fake.failWritesOf(104, undefined);
    const job = await finishedJob(app.database.db, STORE, 'assign', 30_000);
    expect(job.status).toBe('succeeded');
    expect((await assignments(104))[0]).toMatchObject({ state: 'active', bigcommerce_error: null });
  });

  it('when BigCommerce refuses for good, then the products not confirmed are released with the reason and keep their tracking', async () => {
    fake.failWritesOf(106, new ValidationError({ status: 422, title: 'The product is locked', context: { method: 'PUT', path: '/v3/catalog/products' } }));
    await admin.post('/admin/products/bulk-assign', {
      ids: '105,106',
      'p105.currentStock': '',
      'p105.backorderThreshold': '',
      'p105.incomingStock': '',
      'p105.backInStockDate': '',
      'p106.currentStock': '',
      'p106.backorderThreshold': '',
      'p106.incomingStock': '',
      'p106.backInStockDate': '',
    });
    const job = await finishedJob(app.database.db, STORE, 'assign', 30_000);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/The product is locked — 2 products were left unassigned, as before/);
    for (const id of [105, 106]) {
      const [assignment] = await assignments(id);
      expect(assignment!.released_at).not.toBeNull();
      expect(assignment!.release_reason).toMatch(/BigCommerce did not let BackOrder take the product over/);
      expect(fake.stores.get(STORE)!.products.find((p) => p.id === id)!.inventory_tracking).toBe('product');
      expect(await itemsOf(id)).toEqual([]);
    }
    expect((await admin.get('/admin/products/assigned')).html).toMatch(/Unassigned by BackOrder[\s\S]*Plate[\s\S]*did not let BackOrder take the product over/);
    fake.failWritesOf(106, undefined);
  });
});

describe('resuming', () => {
  it('when products wait in “assigning” with no job to finish them, then opening Assigned Products resumes the work', async () => {
    await app.database.db.transaction().execute((trx) =>
      insertAssignment(trx, {
        storeHash: STORE,
        productId: 105,
        trackedBy: 'product',
        savedInventoryTracking: 'product',
        savedAvailability: 'available',
        state: 'assigning',
        settingsSaved: false,
        items: [{ variantId: null, sku: 'PLATE', currentStock: 2, backorderThreshold: 0, bigcommerceLevel: 2 }],
      }),
    );
    const before = (
      await app.database.db
        .selectFrom('jobs')
        .select('id')
        .where('store_hash', '=', STORE)
        .where('kind', '=', 'assign')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
    await admin.get('/admin/products/assigned');
    const job = await finishedJob(app.database.db, STORE, 'assign');
    expect(job.id).toBeGreaterThan(before);
    expect((await assignments(105)).at(-1)).toMatchObject({ state: 'active', released_at: null });
    expect(fake.stores.get(STORE)!.products.find((p) => p.id === 105)!.inventory_tracking).toBe('none');
  });
});
