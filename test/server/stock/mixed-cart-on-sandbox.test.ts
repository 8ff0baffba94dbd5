/**
 * A product tracked by variant and a product at its limit, in the same carts, through the whole pipeline while
 * BigCommerce's deliveries come twice, shuffled and late: orders placed before selling stopped, a threshold
 * raised, a refund, a cancel and its reinstatement, a quantity edit, a restock and incoming stock. After each
 * step stock, waiting, allocated and over-the-limit units, ETAs, selling in BigCommerce, the storefront's
 * answer and the reconcile are compared with what the steps add up to, worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { overLimitSummary } from '../../../server/reports/report.repo.ts';
import { todayInStore } from '../../../server/stores/stores.repo.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { installedEffects, reconciled, settled } from '../../helpers/installed-stock.ts';
import { editItem, stockDeps, stockOf } from '../../helpers/inventory.ts';

const installed = useInstalledApp();
const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;
const effects = () => installedEffects(installed);
const admin = () => stockDeps(db(), effects());

type Product = { id: number; name: string; variants: Array<{ id: number; sku: string }> };
function productNamed(name: string): Product {
  for (let id = 100; id < 200; id++) {
    try {
      const product = store().product(id) as Product;
      if (product.name === name) return product;
    } catch {
      // not a product of the demo store
    }
  }
  throw new Error(`no product ${name}`);
}

/**
 * Stock, waiting, allocated and over-the-limit units of an item, and each of its lines by order as
 * "status fromStock+backordered allocated over-the-limit ETA".
 */
async function numbers(itemId: number, orders: Array<{ id: number }>) {
  const stock = await stockOf(db(), itemId);
  const line = (orderId: number) => {
    const l = stock.lines.find((row) => row.order_id === orderId);
    return l ? `${l.status} ${l.from_stock_qty}+${l.backordered_qty} ${l.allocated_qty} ${l.over_cap_qty} ${l.eta ?? '-'}` : null;
  };
  return { stock: stock.currentStock, waiting: stock.waiting, allocated: stock.allocated, overCap: stock.overCap, lines: orders.map((o) => line(o.id)) };
}

describe('mixed carts over variants and a product at its limit, deliveries duplicated, shuffled and late', () => {
  it('then after every step each variant’s stock, lines, flags, ETAs, selling and the storefront agree with what happened, and reconcile finds nothing', async () => {
    const shirt = productNamed('Linen T-Shirt');
    const can = productNamed('Watering Can');
    const [sItem, mItem] = await assignInSandbox(installed, shirt.id, { threshold: 2, stock: 0 });
    const [canItem] = await assignInSandbox(installed, can.id, { threshold: 2, stock: 0 });
    const [small, medium] = shirt.variants;
    await editItem(admin(), installed.storeHash, sItem!.id, { currentStock: 3 });
    await editItem(admin(), installed.storeHash, mItem!.id, { backorderThreshold: 1 });
    const { queues } = installed.app;
    /** Waits until S, M and the can have these stocks. */
    const stocksAre = (s: number, m: number, can: number) =>
      settled(async () => Promise.all([sItem!, mItem!, canItem!].map(async (item) => (await stockOf(db(), item.id)).currentStock)), [s, m, can]);
    const busy = async () => (await Promise.all([queues.webhooks, queues.levels, queues.selling].map((q) => q.count()))).some((n) => n > 0);
    await settled(busy, false);

    store().setSwitches({ duplicateDeliveries: true, outOfOrderDeliveries: true, dropDeliveries: true });
    try {
      // Two carts BigCommerce accepts before the app's stop reaches it (its selling checks held back).
      await queues.selling.pause();
      const o1 = store().placeOrder({
        lines: [
          { productId: shirt.id, variantId: small!.id, quantity: 4 },
          { productId: shirt.id, variantId: medium!.id, quantity: 1 },
          { productId: can.id, quantity: 2 },
        ],
      }) as { id: number };
      // S: 3 − 4 = −1 (3 from stock, 1 waiting); M: 0 − 1 = −1, salable 1 → 0; can: 0 − 2 = −2, salable 2 → 0.
      await stocksAre(-1, -1, -2);
      const o2 = store().placeOrder({
        lines: [
          { productId: shirt.id, variantId: medium!.id, quantity: 2 },
          { productId: can.id, quantity: 1 },
          { productId: shirt.id, variantId: small!.id, quantity: 1 },
        ],
      }) as { id: number };
      const orders = [o1, o2];
      // M: −1 − 2 = −3, both units beyond the limit; can: −3, 1 beyond; S: −2, salable 1 → 0, none beyond.
      await stocksAre(-2, -3, -3);
      await queues.selling.resume();
      expect(await Promise.all([sItem!, mItem!, canItem!].map((item) => numbers(item.id, orders)))).toMatchObject([
        { waiting: 2, allocated: 0, overCap: 0, lines: ['waiting 3+1 0 0 -', 'waiting 0+1 0 0 -'] },
        { waiting: 3, overCap: 2, lines: ['waiting 0+1 0 0 -', 'waiting 0+2 0 2 -'] },
        { waiting: 3, overCap: 1, lines: ['waiting 0+2 0 0 -', 'waiting 0+1 0 1 -'] },
      ]);
      // Selling stops for S, M and the can; L and XL (nothing sold) go on.
      await settled(() => store().purchasability(shirt.id, small!.id).purchasable, false);
      await settled(() => store().purchasability(shirt.id, medium!.id).purchasable, false);
      await settled(() => store().purchasability(can.id).purchasable, false);
      expect(store().purchasability(shirt.id, shirt.variants[2]!.id).purchasable).toBe(true);
      expect(await overLimitSummary(db(), installed.storeHash)).toMatchObject({ units: 3, orders: 1 });

      // The merchant raises M's threshold to 5: salable −3 + 5 = 2, selling resumes for M alone.
      await editItem(admin(), installed.storeHash, mItem!.id, { backorderThreshold: 5 });
      await settled(() => store().purchasability(shirt.id, medium!.id).purchasable, true);
      expect(store().purchasability(shirt.id, small!.id).purchasable).toBe(false);

      // o2's can line refunded: can −3 + 1 = −2, its unit over the limit given back first; salable 0, still stopped.
      const lines2 = store().orderProducts(o2.id) as Array<{ id: number; product_id: number; variant_id: number; quantity: number }>;
      const canLine = lines2.find((l) => l.product_id === can.id)!;
      store().refundOrder(o2.id, [{ orderProductId: canLine.id, quantity: 1 }]);
      await stocksAre(-2, -3, -2);
      expect(await numbers(canItem!.id, orders)).toMatchObject({ waiting: 2, overCap: 0, lines: ['waiting 0+2 0 0 -', 'cancelled 0+1 0 1 -'] });

      // o1 cancelled: S −2 + 4 = 2 (o2's S unit allocated), M −3 + 1 = −2, can −2 + 2 = 0 (salable 2: resumes).
      store().setOrderStatus(o1.id, 5);
      await stocksAre(2, -2, 0);
      expect((await numbers(sItem!.id, orders)).lines).toEqual(['cancelled 3+1 0 0 -', 'allocated 0+1 1 0 -']);
      await settled(() => store().purchasability(can.id).purchasable, true);
      await settled(() => store().purchasability(shirt.id, small!.id).purchasable, true);

      // o1 reinstated: it takes again as if new. S 2 − 4 = −2 (2 from stock, 2 beyond); o1 is the older order, so
      // o2's allocated unit is o1's now and o2 waits again; salable 0: stops. M −2 − 1 = −3 (salable 3 before: none
      // beyond). Can 0 − 2 = −2: stops.
      store().setOrderStatus(o1.id, 11);
      await stocksAre(-2, -3, -2);
      expect((await numbers(sItem!.id, orders)).lines).toEqual(['waiting 2+2 1 0 -', 'waiting 0+1 0 0 -']);
      await settled(() => store().purchasability(shirt.id, small!.id).purchasable, false);
      await settled(() => store().purchasability(can.id).purchasable, false);

      // o2's M line edited from 2 to 1: M −3 + 1 = −2; its waiting unit over the limit goes first.
      const mLine = lines2.find((l) => l.variant_id === medium!.id)!;
      store().editOrderQuantities(o2.id, [{ orderProductId: mLine.id, quantity: 1 }]);
      await stocksAre(-2, -2, -2);
      expect(await numbers(mItem!.id, orders)).toMatchObject({ waiting: 2, overCap: 1, lines: ['waiting 0+1 0 0 -', 'waiting 0+1 0 1 -'] });

      // 2 of M arrive today: both waiting lines allocated, oldest first. S gets 3 incoming tomorrow: it covers the
      // 2 units waiting, o1's and o2's.
      const today = await todayInStore(db(), installed.storeHash);
      await editItem(admin(), installed.storeHash, mItem!.id, { incomingStock: 2, backInStockDate: today });
      await runHousekeeping({ db: db(), queues, effects: effects() }, { name: 'receive-incoming' });
      const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      await editItem(admin(), installed.storeHash, sItem!.id, { incomingStock: 3, backInStockDate: tomorrow });
      await installed.sandbox.webhooksIdle();
      await settled(busy, false);

      expect(await Promise.all([sItem!, mItem!, canItem!].map((item) => numbers(item.id, orders)))).toMatchObject([
        { stock: -2, waiting: 2, allocated: 1, overCap: 0, lines: [`waiting 2+2 1 0 ${tomorrow}`, `waiting 0+1 0 0 ${tomorrow}`] },
        { stock: 0, waiting: 0, allocated: 2, overCap: 1, lines: ['allocated 0+1 1 0 -', 'allocated 0+1 1 1 -'] },
        { stock: -2, waiting: 2, overCap: 0 },
      ]);
      expect(await overLimitSummary(db(), installed.storeHash)).toMatchObject({ units: 1, orders: 1 });
      expect(store().purchasability(shirt.id, small!.id).purchasable).toBe(false);
      expect(store().purchasability(shirt.id, medium!.id).purchasable).toBe(true);
      expect(store().purchasability(can.id).purchasable).toBe(false);

      // The storefront: S sold out, M in backorder with 5 salable, the can sold out.
      const answer = (await (
        await fetch(`${installed.app.url}/storefront-api/v1/stores/${installed.storeHash}/availability?products=${shirt.id},${can.id}`)
      ).json()) as {
        products: Record<string, { item?: { status: string }; variants?: Record<string, { status: string; onHand: number | null }> }>;
      };
      expect(answer.products[String(shirt.id)]!.variants![String(small!.id)]).toMatchObject({ status: 'sold_out', onHand: 0 });
      expect(answer.products[String(shirt.id)]!.variants![String(medium!.id)]).toMatchObject({ status: 'backorder', onHand: 0 });
      expect(answer.products[String(can.id)]!.item).toMatchObject({ status: 'sold_out' });
    } finally {
      store().setSwitches({ duplicateDeliveries: false, outOfOrderDeliveries: false, dropDeliveries: false });
      await queues.selling.resume();
    }

    // The nightly reconcile re-reads every order and agrees: nothing to restore, no order changed, no movement.
    const movements = async () => (await db().selectFrom('stock_movements').select('id').execute()).length;
    const before = await movements();
    const run = await reconciled(installed);
    expect(run.error).toBeNull();
    expect(run.fixes.filter((f) => /stock was|orders re-read|waiting and/.test(f))).toEqual([]);
    expect(await movements()).toBe(before);
  }, 240_000);
});
