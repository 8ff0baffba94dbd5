/**
 * Assigning against the sandbox store with the production gateway (the real client over HTTP): the
 * tracking and availability changes show in the sandbox, its webhooks come back to the app (its own
 * writes change nothing; tracking turned on by someone else, a deleted product, variants added and
 * removed do), and a product deleted half-way through a bulk assign leaves both sides consistent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, sessionIn } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';

let sandbox: Sandbox;
let app: TestApp;
let admin: AdminClient;
let storeHash: string;
type Lamp = 'lamp1' | 'lamp2' | 'lamp3' | 'lamp4' | 'lamp5' | 'lamp6' | 'lamp7' | 'lamp8' | 'lamp9' | 'lamp10' | 'lamp11' | 'lamp12';
const ids = {} as Record<Lamp | 'shirt', number>;
const blank = (id: number) => ({
  [`p${id}.currentStock`]: '',
  [`p${id}.backorderThreshold`]: '',
  [`p${id}.incomingStock`]: '',
  [`p${id}.backInStockDate`]: '',
});
const store = () => sandbox.store(storeHash);
const bc = (id: number) =>
  store().product(id) as {
    inventory_tracking: string;
    availability: string;
    inventory_level: number;
    variants: Array<{ id: number; inventory_level: number }>;
  };
const assignment = (productId: number) =>
  app.database.db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', '=', productId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
const activeItems = (productId: number) =>
  app.database.db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', '=', productId)
    .where('retired_at', 'is', null)
    .orderBy('variant_id')
    .execute();
/** Waits until every webhook the sandbox sent has been processed by the app. */
async function webhooksSettled() {
  await sandbox.webhooksIdle();
  await expect
    .poll(
      async () =>
        (await app.database.db.selectFrom('webhook_events').select('id').where('store_hash', '=', storeHash).where('status', '=', 'received').execute()).length,
      { timeout: 20_000 },
    )
    .toBe(0);
}

beforeAll(async () => {
  sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
    seed: 'empty',
  });
  ({ storeHash } = await sandbox.createStore({ name: 'Assign sandbox store', seed: 'empty' }));
  for (let i = 1; i <= 12; i++) {
    ids[`lamp${i}` as Lamp] = (
      store().createProduct({ name: `Lamp ${i}`, price: 10, sku: `LAMP-${i}`, inventory_tracking: 'product', inventory_level: i }) as { id: number }
    ).id;
  }
  ids.shirt = (
    store().createProduct({
      name: 'Shirt',
      price: 20,
      sku: 'SHIRT',
      inventory_tracking: 'variant',
      variants: [
        { sku: 'SHIRT-S', option_values: [{ option_display_name: 'Size', label: 'S' }], inventory_level: 3 },
        { sku: 'SHIRT-M', option_values: [{ option_display_name: 'Size', label: 'M' }], inventory_level: 5 },
      ],
    }) as { id: number }
  ).id;
  app = await startTestApp({ config: { bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url } } });
  sandbox.setAppUrl(app.url);
  const { url } = await sandbox.install(storeHash);
  const response = await fetch(url, { redirect: 'manual' });
  admin = adminClient(app.url, sessionIn(response.headers.get('location')));
  expect((await finishedJob(app.database.db, storeHash, 'install', 60_000)).status).toBe('succeeded');
  await changePlan(app.database.db, storeHash, 'starter');
}, 90_000);
afterAll(async () => {
  await app?.stop();
  await sandbox?.stop();
});

describe('assigning and unassigning in the sandbox', () => {
  it('when a product is assigned, then the sandbox has tracking off and its own events change nothing', async () => {
    expect((await admin.post(`/admin/products/${ids.lamp1}/assign`, blank(ids.lamp1))).status).toBe(303);
    await finishedJob(app.database.db, storeHash, 'assign', 30_000);
    expect(bc(ids.lamp1)).toMatchObject({ inventory_tracking: 'none', availability: 'available' });
    await webhooksSettled();
    expect(await assignment(ids.lamp1)).toMatchObject({ state: 'active', released_at: null, saved_inventory_tracking: 'product' });
    expect((await activeItems(ids.lamp1))[0]).toMatchObject({ current_stock: 1, bigcommerce_level: 1 });
  });

  it('when the product tracked by variant is assigned and a variant is added then removed in the sandbox, then its items follow', async () => {
    const fields = {
      ...Object.fromEntries(
        bc(ids.shirt).variants.flatMap((v: { id: number }) =>
          Object.entries(blank(ids.shirt)).map(([k, val]) => [k.replace(`p${ids.shirt}.`, `p${ids.shirt}v${v.id}.`), val]),
        ),
      ),
    };
    expect((await admin.post(`/admin/products/${ids.shirt}/assign`, fields)).status).toBe(303);
    await finishedJob(app.database.db, storeHash, 'assign', 30_000);
    expect(bc(ids.shirt).inventory_tracking).toBe('none');
    const added = store().addVariant(ids.shirt, { sku: 'SHIRT-L', option_values: [{ option_display_name: 'Size', label: 'L' }], inventory_level: 7 }) as {
      id: number;
    };
    await webhooksSettled();
    expect((await activeItems(ids.shirt)).map((i) => [i.sku, i.current_stock])).toEqual([
      ['SHIRT-S', 3],
      ['SHIRT-M', 5],
      ['SHIRT-L', 7],
    ]);
    store().deleteVariant(ids.shirt, added.id);
    await webhooksSettled();
    expect((await activeItems(ids.shirt)).map((i) => i.sku)).toEqual(['SHIRT-S', 'SHIRT-M']);
    expect((await assignment(ids.shirt))!.released_at).toBeNull();
  });

  it('when someone turns tracking back on in the control panel, then the product is unassigned with the reason shown', async () => {
    // An event's key is its hash (the product) and created_at (whole seconds): the merchant acts in a later
    // second than the app's own write, as a person would, or BigCommerce's two events would be one.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    store().setInventoryTracking(ids.lamp1, 'product');
    await webhooksSettled();
    expect(await assignment(ids.lamp1)).toMatchObject({
      release_reason: expect.stringMatching(/Someone other than BackOrder .* turned its inventory tracking back on in BigCommerce, so BackOrder unassigned it/),
    });
    expect((await admin.get('/admin/products/assigned')).html).toMatch(
      /Unassigned by BackOrder[\s\S]*Lamp 1[\s\S]*turned its inventory tracking back on in BigCommerce/,
    );
  });

  it('when an assigned product is deleted in the sandbox, then its assignment is released and its history kept', async () => {
    expect((await admin.post(`/admin/products/${ids.lamp2}/assign`, blank(ids.lamp2))).status).toBe(303);
    await finishedJob(app.database.db, storeHash, 'assign', 30_000);
    const [item] = await activeItems(ids.lamp2);
    store().deleteProduct(ids.lamp2);
    await webhooksSettled();
    expect(await assignment(ids.lamp2)).toMatchObject({ release_reason: 'The product was deleted in BigCommerce.' });
    const kept = await app.database.db.selectFrom('inventory_items').select(['id', 'retired_at']).where('id', '=', item!.id).executeTakeFirstOrThrow();
    expect(kept.retired_at).not.toBeNull();
    const mirror = await app.database.db
      .selectFrom('catalog_products')
      .select('product_id')
      .where('store_hash', '=', storeHash)
      .where('product_id', '=', ids.lamp2)
      .execute();
    expect(mirror).toEqual([]);
  });

  it('when a product is deleted half-way through a bulk assign, then the others are assigned and it is released with the reason', async () => {
    const lamps = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => ids[`lamp${n}` as Lamp]);
    const page = await admin.get('/admin/products/bulk-assign', { ids: lamps.map(String) });
    expect(page.html).toContain('Assign 10 products to BackOrder');
    // The deletion's webhook is held back, so the catalog mirror still lists the product when it is assigned.
    store().setSwitches({ dropDeliveries: true, redeliverAfterMs: 60_000 });
    store().deleteProduct(ids.lamp12!);
    const fields = Object.assign({ ids: lamps.join(',') }, ...lamps.map(blank));
    expect((await admin.post('/admin/products/bulk-assign', fields)).status).toBe(303);
    const job = await finishedJob(app.database.db, storeHash, 'assign', 30_000);
    store().setSwitches({ dropDeliveries: false });
    expect(job.message).toMatch(/9 products assigned[\s\S]*1 could not be assigned/);
    for (const id of lamps.slice(0, 9)) {
      expect(bc(id).inventory_tracking).toBe('none');
      expect((await assignment(id))!.state).toBe('active');
    }
    expect(await assignment(ids.lamp12!)).toMatchObject({
      release_reason: expect.stringMatching(/deleted in BigCommerce before BackOrder could take it over/),
    });
  });

  it('when products are unassigned with both choices, then the sandbox tracks them again at current stock and they cannot be bought', async () => {
    const [item] = await activeItems(ids.lamp3!);
    const form = await admin.formOf(`/admin/products/${ids.lamp3}/edit`);
    await admin.post(`/admin/products/${ids.lamp3}/edit`, {
      ...form,
      [`p${ids.lamp3}.currentStock`]: '8',
      [`p${ids.lamp3}.backorderThreshold`]: '0',
      [`p${ids.lamp3}.incomingStock`]: '',
      [`p${ids.lamp3}.backInStockDate`]: '',
    });
    expect((await activeItems(ids.lamp3!))[0]!.id).toBe(item!.id);
    expect((await admin.post('/admin/products/bulk-unassign', { ids: `${ids.lamp3},${ids.shirt}`, restoreTracking: 'on', notPurchasable: 'on' })).status).toBe(
      303,
    );
    expect((await finishedJob(app.database.db, storeHash, 'unassign', 30_000)).status).toBe('succeeded');
    expect(bc(ids.lamp3!)).toMatchObject({ inventory_tracking: 'product', inventory_level: 8, availability: 'disabled' });
    expect(store().purchasability(ids.lamp3!).purchasable).toBe(false);
    expect(bc(ids.shirt)).toMatchObject({ inventory_tracking: 'variant', availability: 'disabled' });
    expect(bc(ids.shirt).variants.map((v) => v.inventory_level)).toEqual([3, 5]);
    await webhooksSettled();
    expect((await assignment(ids.lamp3!))!.release_reason).toBe('Unassigned by the merchant');
  });
});
