/**
 * Issue 19's "done when", strict limit mode against the sandbox store: BigCommerce keeps tracking, the app keeps
 * its level at stock + threshold, and BigCommerce itself refuses every unit beyond the cap — at any concurrency.
 */
import type { Insertable } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { JobsTable } from '../../../server/db/schema.ts';
import { OUT_OF_STOCK } from '../../../sandbox/orders.ts';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { unassignProducts } from '../../../server/assignments/unassign.service.ts';
import { changeLimitMode, limitModeView } from '../../../server/assignments/limit-mode.service.ts';
import { queueReconcile } from '../../../server/reconcile/reconcile.jobs.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { adminClient } from '../../helpers/admin-pages.ts';
import { editItem, stockOf } from '../../helpers/inventory.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import {
  appStock,
  assignThroughJob,
  levelIn,
  limitSettings,
  nativeBackordersIn,
  ownerSession,
  productNamed,
  settledItem,
  shopper,
  withNativeBackorders,
} from '../../helpers/strict-store.ts';

const installed = useInstalledApp({}, async (installed) => {
  await limitSettings(installed, 'strict', 50);
});

const store = () => installed.sandbox.store(installed.storeHash);

/** The store's profile read again from BigCommerce, as the nightly reconcile does. */
async function saveProfileFromSandbox(): Promise<void> {
  const { app, storeHash } = installed;
  await queueReconcile(app.queues.reconcile, storeHash);
  await expect
    .poll(
      async () =>
        (await app.database.db.selectFrom('stores').select('native_backorders').where('store_hash', '=', storeHash).executeTakeFirstOrThrow())
          .native_backorders,
      { timeout: 30_000 },
    )
    .toBe(true);
}

/**
 * A strict product of `name`, assigned and settled, left strict by a switch to flexible that `run` (its row in
 * `jobs`) did not carry out: the mode is saved as flexible. Returns the product's id.
 */
async function strictProductLeftBy(name: string, run: Partial<Insertable<JobsTable>>): Promise<number> {
  const { app, storeHash } = installed;
  const productId = productNamed(installed, name);
  const [item] = await assignThroughJob(installed, [productId]);
  await settledItem(installed, item!.id, { stock: item!.current_stock, level: item!.current_stock + 50 });
  await updateSettings(app.database.db, storeHash, { inventory: { limitMode: 'flexible' } });
  await app.database.db
    .insertInto('jobs')
    .values({ store_hash: storeHash, kind: 'limit-mode', message: 'Switching', ...run })
    .execute();
  return productId;
}

describe('strict limit mode', () => {
  it('when a tracked product is assigned, then BigCommerce keeps tracking it and its level becomes stock + threshold', async () => {
    const productId = productNamed(installed, 'Watering Can'); // tracked by product, 9 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    expect(item!.strict_since).not.toBeNull();
    await settledItem(installed, item!.id, { stock: 9, level: 59 });
    expect((store().product(productId) as { inventory_tracking: string }).inventory_tracking).toBe('product');
  }, 60_000);

  // The same 200 checkouts on a store without and with BigCommerce's native backorders: there the level
  // stays at what is on hand (0) and BigCommerce's own backorder limit, 50, refuses the 51st unit.
  it.each([
    { model: 'an inflated level', native: false, product: 'Garden Trowel', levelBefore: 50 },
    { model: 'native backorder limits', native: true, product: 'Espresso Cups (Set of 2)', levelBefore: 0 },
  ])(
    'when 200 shoppers check out 1 unit of a strict item with stock 0 and threshold 50 at once ($model), then 50 orders exist, 150 are refused with BigCommerce’s message, and the app holds -50 with 50 waiting and none over the cap',
    async ({ native, product, levelBefore }) => {
      await withNativeBackorders(
        installed,
        async () => {
          const productId = productNamed(installed, product); // tracked by product, 0 on hand
          const [item] = await assignThroughJob(installed, [productId]);
          expect(item!.native_backorders).toBe(native);
          await settledItem(installed, item!.id, { stock: 0, level: levelBefore });
          if (native) await expect.poll(() => nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 0 });

          const shoppers = Array.from({ length: 200 }, (_, i) => shopper(installed, `${native ? 'native' : 'level'}-${i}`));
          const added = await Promise.all(shoppers.map((s) => s.addToCart(productId, 1)));
          expect(added.map((r) => r.status)).toEqual(Array(200).fill(200));
          const checkouts = await Promise.all(shoppers.map((s) => s.checkOut()));
          const refused = checkouts.filter((r) => r.status === 409);
          expect(checkouts.filter((r) => r.status === 200)).toHaveLength(50);
          expect(refused).toHaveLength(150);
          for (const response of refused) expect(((await response.json()) as { title: string }).title).toBe(OUT_OF_STOCK);
          const orders = store().context.state.orders.filter((o) => o.lines.some((l) => l.product_id === productId));
          expect(orders).toHaveLength(50);

          const after = await settledItem(installed, item!.id, { stock: -50, level: 0 });
          expect(after).toMatchObject({ waiting: 50, overCap: 0, shortfall: 0 });
          if (native) {
            expect(nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 50 });
            expect(orders.every((o) => o.lines[0]!.quantity_backordered === 1)).toBe(true);
          }
        },
        native,
      );
    },
    120_000,
  );

  it('when the merchant raises the threshold or the stock, then BigCommerce’s level follows and the next unit beyond it is refused', async () => {
    const productId = productNamed(installed, 'Pruning Shears'); // 1 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 1, level: 51 });
    await editItem(appStock(installed), installed.storeHash, item!.id, { backorderThreshold: 5, currentStock: 3 });
    await settledItem(installed, item!.id, { stock: 3, level: 8 });
    expect(levelIn(installed, productId)).toBe(8);
    expect(() => store().placeOrder({ lines: [{ productId, quantity: 9 }] })).toThrow(OUT_OF_STOCK);
    store().placeOrder({ lines: [{ productId, quantity: 8 }] });
    const after = await settledItem(installed, item!.id, { stock: -5, level: 0 });
    // Every unit below 0 is accounted for (waiting, or short when a level read met the order on its way).
    expect(after.waiting + after.shortfall).toBe(5);
    expect(after.overCap).toBe(0);
  }, 60_000);

  it('when the store switches to flexible and back to strict, then BigCommerce stops tracking the product, then tracks it again at stock + threshold', async () => {
    const productId = productNamed(installed, 'Oak Cheese Grater'); // 25 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 25, level: 75 });
    const deps = { db: installed.app.database.db, storeJobs: installed.app.queues.storeJobs };
    const tracking = () => (store().product(productId) as { inventory_tracking: string }).inventory_tracking;
    expect(await changeLimitMode(deps, installed.storeHash, 'flexible')).toBe('changed');
    expect((await finishedJob(installed.app.database.db, installed.storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
    expect(tracking()).toBe('none');
    await editItem(appStock(installed), installed.storeHash, item!.id, { currentStock: 20 });
    expect(await changeLimitMode(deps, installed.storeHash, 'strict')).toBe('changed');
    expect((await finishedJob(installed.app.database.db, installed.storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
    expect(tracking()).toBe('product');
    await settledItem(installed, item!.id, { stock: 20, level: 70 });
  }, 60_000);

  it('when a switch did not finish (its run lost with Redis), then opening Settings takes it up and the products are switched', async () => {
    const { app, storeHash } = installed;
    // Its run lost with Redis: still open, silent for two hours.
    const silent = new Date(Date.now() - 2 * 3600_000);
    const productId = await strictProductLeftBy('Bath Brush', { status: 'running', created_at: silent, updated_at: silent });
    const tracking = () => (store().product(productId) as { inventory_tracking: string }).inventory_tracking;
    const admin = adminClient(app.url, await ownerSession(installed));
    expect((await admin.get('/admin/settings')).html).not.toContain('data-unswitched');
    expect((await finishedJob(app.database.db, storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
    expect(tracking()).toBe('none');
    expect((await admin.get('/admin/settings')).html).not.toContain('data-unswitched');

    const deps = { db: app.database.db, storeJobs: app.queues.storeJobs };
    expect(await changeLimitMode(deps, storeHash, 'strict')).toBe('changed');
    expect((await finishedJob(app.database.db, storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
    expect(tracking()).toBe('product');
  }, 60_000);

  it('when a switch failed on its own, then Settings says how many products it left, and saving the mode again switches them', async () => {
    const { app, storeHash } = installed;
    // Its run failed after starting (BigCommerce refused, say): not tried again at every page view.
    const failed = new Date();
    const productId = await strictProductLeftBy('Recipe Notebook', { status: 'failed', error: 'BigCommerce refused', started_at: failed, finished_at: failed });
    const tracking = () => (store().product(productId) as { inventory_tracking: string }).inventory_tracking;
    const admin = adminClient(app.url, await ownerSession(installed));
    const left = /data-unswitched>(\d+) products? (?:is|are) not yet switched to the flexible limit in BigCommerce/.exec(
      (await admin.get('/admin/settings')).html,
    );
    expect(Number(left?.[1])).toBeGreaterThanOrEqual(1);

    const saved = await admin.post('/admin/settings/limit-mode', { limitMode: 'flexible' });
    expect(saved.status).toBe(303);
    expect((await finishedJob(app.database.db, storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
    expect(tracking()).toBe('none');
    const page = await admin.get('/admin/settings');
    expect(page.html).not.toContain('data-unswitched');
    expect(page.html).toContain('The limit mode is flexible: the products not yet switched are being switched in BigCommerce.');

    const deps = { db: app.database.db, storeJobs: app.queues.storeJobs };
    expect(await changeLimitMode(deps, storeHash, 'flexible')).toBe('unchanged');
    expect(await changeLimitMode(deps, storeHash, 'strict')).toBe('changed');
    expect((await finishedJob(app.database.db, storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
    expect(tracking()).toBe('product');
  }, 60_000);
});

describe('BigCommerce’s native backorders', () => {
  it('when native backorders are on and a product has a native backorder limit, then assigning it is refused with the reason; one without a limit is assigned', async () => {
    await withNativeBackorders(installed, async () => {
      const limited = productNamed(installed, 'Linen Hand Towel');
      const plain = productNamed(installed, 'Smith Journal 13');
      store().context.product(limited).variants[0]!.backorder_limit = 10;
      await expect(assignThroughJob(installed, [limited])).rejects.toThrow(/backorder limit in BigCommerce’s own backorders/);
      expect(await assignThroughJob(installed, [plain])).toHaveLength(1);
    });
  }, 60_000);

  it('when a native limit BigCommerce shows is the one BackOrder wrote, then assigning the product again is not refused (one the merchant changed is); unassigning hands the limit back', async () => {
    await withNativeBackorders(installed, async () => {
      const { app, storeHash } = installed;
      const db = app.database.db;
      const mug = productNamed(installed, 'Enamel Mug');
      const detergent = productNamed(installed, 'Laundry Detergent');
      await assignThroughJob(installed, [mug, detergent]);
      await expect
        .poll(() => [nativeBackordersIn(installed, mug), nativeBackordersIn(installed, detergent)])
        .toEqual([
          { limit: 50, backordered: 0 },
          { limit: 50, backordered: 0 },
        ]);
      // Released without the limits handed back (as when BigCommerce did not answer): they stay the app's own.
      const held = await db.selectFrom('assignments').select('id').where('store_hash', '=', storeHash).where('product_id', 'in', [mug, detergent]).execute();
      for (const { id } of held) await releaseAssignment(db, storeHash, id, 'test: released without handing back');
      store().context.product(detergent).variants[0]!.backorder_limit = 10; // the merchant's now

      const [item] = await assignThroughJob(installed, [mug]);
      expect(item!.native_backorders).toBe(true);
      await expect(assignThroughJob(installed, [detergent])).rejects.toThrow(/backorder limit in BigCommerce’s own backorders/);

      await unassignProducts({ ...appStock(installed), storeJobs: app.queues.storeJobs }, storeHash, [mug], { restoreTracking: true, notPurchasable: false });
      expect((await finishedJob(db, storeHash, 'unassign', 30_000)).status).toBe('succeeded');
      expect(nativeBackordersIn(installed, mug)).toEqual({ limit: 0, backordered: 0 });
    });
  }, 90_000);

  it('when the store switches to flexible and back to strict on native backorders, then the limit goes back to 0 with tracking off, and returns with tracking, on hand and the units owed', async () => {
    await withNativeBackorders(installed, async () => {
      const { app, storeHash } = installed;
      const productId = productNamed(installed, 'Cotton Bath Towel'); // 2 on hand
      const [item] = await assignThroughJob(installed, [productId]);
      await settledItem(installed, item!.id, { stock: 2, level: 2 });
      for (let i = 0; i < 4; i++) store().placeOrder({ lines: [{ productId, quantity: 1 }] });
      await settledItem(installed, item!.id, { stock: -2, level: 0 });
      expect(nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 2 });

      const deps = { db: app.database.db, storeJobs: app.queues.storeJobs };
      const tracking = () => (store().product(productId) as { inventory_tracking: string }).inventory_tracking;
      await changeLimitMode(deps, storeHash, 'flexible');
      expect((await finishedJob(app.database.db, storeHash, 'limit-mode', 30_000)).status).toBe('succeeded');
      expect(tracking()).toBe('none');
      expect(nativeBackordersIn(installed, productId)).toEqual({ limit: 0, backordered: 2 });
      store().placeOrder({ lines: [{ productId, quantity: 1 }] }); // untracked: BigCommerce backorders nothing
      await expect.poll(async () => (await stockOf(app.database.db, item!.id)).currentStock, { timeout: 30_000 }).toBe(-3);

      await changeLimitMode(deps, storeHash, 'strict');
      expect(await finishedJob(app.database.db, storeHash, 'limit-mode', 30_000)).toMatchObject({ status: 'succeeded', error: null });
      expect(tracking()).toBe('product');
      await settledItem(installed, item!.id, { stock: -3, level: 0 });
      expect(nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 3 });
      expect(() => store().placeOrder({ lines: [{ productId, quantity: 48 }] })).toThrow(OUT_OF_STOCK);
      store().placeOrder({ lines: [{ productId, quantity: 47 }] });
      await settledItem(installed, item!.id, { stock: -50, level: 0 });
    });
  }, 90_000);

  it('when BigCommerce’s inventory settings change under strict mode, then the Settings page says strict cannot hold the limit and which setting to change', async () => {
    const { app, storeHash } = installed;
    const admin = adminClient(app.url, await ownerSession(installed));
    const edits = (on: boolean) => app.database.db.updateTable('stores').set({ edits_move_level: on }).where('store_hash', '=', storeHash).execute();
    await edits(false);
    try {
      const page = await admin.get('/admin/settings');
      expect(page.html).toMatch(/Now: <strong>strict<\/strong>/);
      expect(page.html).toMatch(/Strict cannot hold your limit now, though it is on: BigCommerce does not adjust stock when an order is edited/);
      // Still chosen, so saving the form keeps it until the merchant chooses flexible.
      expect(page.html).toMatch(/value="strict" checked aria-describedby/);
    } finally {
      await edits(true);
    }
    expect((await admin.get('/admin/settings')).html).not.toContain('data-strict-refused');
  });

  it('when native backorders are on, then the Settings page says so, and says which limit mode is active', async () => {
    await withNativeBackorders(installed, async () => {
      const { app, storeHash } = installed;
      await saveProfileFromSandbox();
      const admin = adminClient(app.url, await ownerSession(installed));
      const page = await admin.get('/admin/settings');
      expect(page.html).toMatch(/Now: <strong>strict<\/strong>/);
      expect(page.html).toMatch(/Backorders in BigCommerce itself \(beta\): <strong>on for this store<\/strong>/);
      expect(page.html).toMatch(
        /keeps their stock level at what is on hand, their backordered quantity at the units owed and their BigCommerce backorder limit at the backorder threshold/,
      );
      expect(page.html).toMatch(/In strict mode BackOrder writes the backorder limits of its products itself/);
      const refused = await admin.post('/admin/settings/limit-mode', { limitMode: 'sideways' });
      expect(refused.status).toBe(303);
      expect((await limitModeView(app.database.db, storeHash)).mode).toBe('strict');
    });
  }, 60_000);
});
