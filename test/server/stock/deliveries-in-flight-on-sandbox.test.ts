/**
 * Many orders on a few backordered items of three stores, BigCommerce sending four of each hook's deliveries at
 * once (the sandbox's deliveriesInFlight switch, ref §6.3), each twice and shuffled, while the merchant edits the
 * items in the admin: some orders cancelled, stock added, thresholds and incoming stock changed. Once it has all
 * arrived, each item's stock is what the orders and edits add up to, its lines hold every unit beyond stock with
 * the oldest served first, the units over the limit are those sold beyond the salable quantity, and the reconcile,
 * re-reading every order, finds nothing to fix.
 */
import { describe, expect, it } from 'vitest';
import { editItems } from '../../../server/inventory/item-edits.service.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { assignInSandbox, useInstalledApp, type InstalledApp } from '../../helpers/installed-app.ts';
import { installedEffects, reconciled, settled } from '../../helpers/installed-stock.ts';
import { stockDeps, stockOf } from '../../helpers/inventory.ts';

/** The first store is the installed app's; two more get the app installed as a merchant would. */
const stores: InstalledApp[] = [];
const installed = useInstalledApp({}, async (first) => {
  stores.push(first);
  for (const name of ['Second store', 'Third store']) {
    const { storeHash } = await first.sandbox.createStore({ name, seed: 'demo' });
    const answer = await first.sandbox.install(storeHash, { call: true });
    if (answer.status !== 302 && answer.status !== 200) throw new Error(`/auth of ${name} answered ${answer.status}`);
    if ((await finishedJob(first.app.database.db, storeHash, 'install', 60_000)).status !== 'succeeded') throw new Error(`install of ${name} failed`);
    stores.push({ ...first, storeHash });
  }
});
const db = () => installed.app.database.db;
const admin = () => stockDeps(db(), installedEffects(installed));

/**
 * The items, simple products of the demo catalog: `limited` sells to stock 3 + threshold 10 and gets incoming
 * stock meanwhile; `zero` sells its 5 units and no more; `open` has no limit (its threshold moves between none
 * and 500, never reached) and gets stock added. Orders cancelled are `open`'s alone: cancelling an order that
 * holds units beyond a limit would make which units count as over it depend on the order events arrived in.
 */
const ITEMS = {
  limited: { productId: 110, stock: 3, threshold: 10 },
  zero: { productId: 113, stock: 5, threshold: 0 },
  open: { productId: 120, stock: 0, threshold: null },
} as const;
type ItemName = keyof typeof ITEMS;
const ROUNDS = 6;
const ORDERS_PER_ROUND = 6;
const INCOMING = 4;

/** The same "random" carts every run. */
function carts(): Array<Partial<Record<ItemName, number>>> {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  return Array.from({ length: ROUNDS * ORDERS_PER_ROUND }, (_, i) => {
    if (i % 4 === 3) return { open: 1 + next(3) };
    const cart: Partial<Record<ItemName, number>> = {};
    for (const name of Object.keys(ITEMS) as ItemName[]) if (next(3) > 0) cart[name] = 1 + next(3);
    return Object.keys(cart).length > 0 ? cart : { limited: 1 };
  });
}

/** A form's edit of one item, as the edit dialog posts it: relative to what the page showed a moment before. */
async function editAsShown(storeHash: string, itemId: number, change: (shown: { stock: number }) => Parameters<typeof editItems>[2][0]['values']) {
  const item = await db().selectFrom('inventory_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
  const shown = {
    currentStock: item.current_stock,
    backorderThreshold: item.backorder_threshold,
    incomingStock: item.incoming_stock,
    backInStockDate: item.back_in_stock_date,
  };
  await editItems(admin(), storeHash, [{ itemId, label: item.sku, shown, values: change({ stock: item.current_stock }) }], { reason: 'manual' });
}

describe('four deliveries of each hook in flight at once, duplicated and shuffled, over three stores, with the merchant editing', () => {
  it('then every item’s stock, lines, units over the limit, ETAs and selling are what happened, and reconcile finds nothing', async () => {
    const { queues } = installed.app;
    const busy = async () => (await Promise.all([queues.webhooks, queues.levels, queues.selling].map((q) => q.count()))).some((n) => n > 0);
    const items = new Map<string, Record<ItemName, number>>();
    for (const store of stores) {
      const ids = {} as Record<ItemName, number>;
      for (const [name, item] of Object.entries(ITEMS) as Array<[ItemName, (typeof ITEMS)[ItemName]]>)
        ids[name] = (await assignInSandbox(store, item.productId, { threshold: item.threshold, stock: item.stock }))[0]!.id;
      items.set(store.storeHash, ids);
    }
    await settled(busy, false);
    // A first reconcile, so that the last one shows only what the orders and the edits left to fix.
    for (const store of stores) expect((await reconciled(store)).error).toBeNull();
    // Two days on: a date still to come in any store's time zone.
    const arrival = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const sandboxStore = (store: InstalledApp) => store.sandbox.store(store.storeHash);

    const placed = new Map<string, Array<{ id: number; cart: Partial<Record<ItemName, number>>; cancelled: boolean }>>();
    const added = new Map<string, number>(stores.map((s) => [s.storeHash, 0]));
    /** Units of the item the store's orders hold: those placed and not cancelled. */
    const takenIn = (store: InstalledApp, name: ItemName) =>
      (placed.get(store.storeHash) ?? []).filter((o) => !o.cancelled).reduce((sum, o) => sum + (o.cart[name] ?? 0), 0);
    /** Each item's stock as the orders placed and the edits made add up to. */
    const expectedStocks = (store: InstalledApp) => ({
      limited: ITEMS.limited.stock - takenIn(store, 'limited'),
      zero: ITEMS.zero.stock - takenIn(store, 'zero'),
      open: ITEMS.open.stock + added.get(store.storeHash)! - takenIn(store, 'open'),
    });
    const stocksOf = async (store: InstalledApp) => {
      const ids = items.get(store.storeHash)!;
      const [limited, zero, open] = await Promise.all([ids.limited, ids.zero, ids.open].map(async (id) => (await stockOf(db(), id)).currentStock));
      return { limited, zero, open };
    };
    for (const store of stores) sandboxStore(store).setSwitches({ deliveriesInFlight: 4, duplicateDeliveries: true, outOfOrderDeliveries: true });
    // Selling checks held back: BigCommerce keeps accepting every cart (the units beyond a limit are what is flagged).
    await queues.selling.pause();
    try {
      const all = carts();
      for (let round = 0; round < ROUNDS; round++) {
        // Each store's orders of the round at once, so that its hook has more deliveries than places in flight.
        for (const store of stores) {
          const orders = placed.get(store.storeHash) ?? [];
          placed.set(store.storeHash, orders);
          for (const cart of all.slice(round * ORDERS_PER_ROUND, (round + 1) * ORDERS_PER_ROUND)) {
            const lines = (Object.entries(cart) as Array<[ItemName, number]>).map(([name, quantity]) => ({ productId: ITEMS[name].productId, quantity }));
            orders.push({ id: (sandboxStore(store).placeOrder({ lines }) as { id: number }).id, cart, cancelled: false });
          }
          // Every other `open`-only order cancelled, some before their creation was even delivered.
          for (const order of orders.filter((o) => Object.keys(o.cart).join() === 'open' && !o.cancelled).filter((_, i) => i % 2 === 0)) {
            sandboxStore(store).setOrderStatus(order.id, 5);
            order.cancelled = true;
          }
        }
        // The first round is applied before the merchant's first edit, so that stock added to `open` finds
        // units waiting (allocated to the oldest); after it, the edits come while the round's deliveries are in
        // flight, later into each round.
        if (round === 0) for (const store of stores) await settled(() => stocksOf(store), expectedStocks(store));
        else await new Promise((resolve) => setTimeout(resolve, 25 * round));
        // The merchant meanwhile, in each store's admin: stock added and the threshold changed on `open`, the
        // incoming stock and its date on `limited`.
        await Promise.all(
          stores.map(async ({ storeHash }) => {
            const ids = items.get(storeHash)!;
            // The merchant types a count of 0 or more (only orders take stock below 0): the stock moves by what
            // they typed less what the page showed, whatever orders take meanwhile.
            await editAsShown(storeHash, ids.open, ({ stock }) => {
              const typed = Math.max(0, stock) + 1;
              added.set(storeHash, added.get(storeHash)! + typed - stock);
              return { currentStock: typed, backorderThreshold: round % 2 === 0 ? 500 : null };
            });
            await editAsShown(storeHash, ids.limited, () => ({ incomingStock: round === ROUNDS - 1 ? INCOMING : round + 1, backInStockDate: arrival }));
          }),
        );
      }
      await installed.sandbox.webhooksIdle();
    } finally {
      await queues.selling.resume();
      for (const store of stores) sandboxStore(store).setSwitches({ deliveriesInFlight: 1, duplicateDeliveries: false, outOfOrderDeliveries: false });
    }

    for (const store of stores) {
      const orders = placed.get(store.storeHash)!;
      const ids = items.get(store.storeHash)!;
      const taken = (name: ItemName) => takenIn(store, name);
      await settled(() => stocksOf(store), expectedStocks(store), 120_000);
      await settled(busy, false);

      // Every order applied once: each of its lines holds what it ordered, a cancelled order's nothing.
      const held = await db()
        .selectFrom('order_lines')
        .select(['order_id', 'item_id', 'held_qty'])
        .where('store_hash', '=', store.storeHash)
        .orderBy('order_id')
        .orderBy('item_id')
        .execute();
      const names = Object.keys(ITEMS) as ItemName[];
      expect(held).toEqual(
        orders.flatMap((o) =>
          names
            .filter((name) => o.cart[name] !== undefined)
            .map((name) => ({ order_id: o.id, item_id: ids[name], held_qty: o.cancelled ? 0 : o.cart[name] }))
            .sort((a, b) => a.item_id - b.item_id),
        ),
      );

      for (const name of names) {
        const stock = await stockOf(db(), ids[name]);
        const where = `${store.storeHash} ${name}`;
        // Every unit beyond stock waits on a line, no more, no fewer.
        expect(stock.waiting, `${where}: units waiting`).toBe(Math.max(0, -stock.currentStock));
        // Each line is its order's: the quantity ordered, taken from stock or backordered; a cancelled order's gives all back.
        for (const line of stock.lines) {
          const order = orders.find((o) => o.id === line.order_id)!;
          expect(line.ordered_qty, `${where}: order ${order.id}`).toBe(order.cart[name]);
          expect(line.from_stock_qty + line.backordered_qty, `${where}: order ${order.id}`).toBe(order.cart[name]);
          expect(line.status, `${where}: order ${order.id}`).toBe(
            order.cancelled ? 'cancelled' : line.allocated_qty === line.backordered_qty ? 'allocated' : 'waiting',
          );
        }
        // The oldest are served first: no line holds allocated units while an older one waits.
        const open = stock.lines.filter((l) => l.status === 'waiting' || l.status === 'allocated');
        const firstWaiting = open.findIndex((l) => l.backordered_qty > l.allocated_qty);
        if (firstWaiting >= 0)
          expect(
            open.slice(firstWaiting + 1).filter((l) => l.allocated_qty > 0),
            `${where}: allocated after a waiting line`,
          ).toEqual([]);
        if (name === 'open') expect(stock.allocated, `${where}: units allocated by the stock added`).toBeGreaterThan(0);
        // Units over the limit: those sold beyond the salable quantity, whichever orders they fell to.
        const salable = ITEMS[name].threshold === null ? Infinity : ITEMS[name].stock + ITEMS[name].threshold;
        expect(stock.overCap, `${where}: units over the limit`).toBe(Math.max(0, taken(name) - salable));
      }
      // The incoming units cover the oldest waiting lines of `limited`: those wholly covered have its date, no other.
      let running = 0;
      const etas = (await stockOf(db(), ids.limited)).lines
        .filter((l) => l.status === 'waiting')
        .map((l) => {
          running += l.backordered_qty - l.allocated_qty;
          return { order: l.order_id, eta: l.eta, covered: running <= INCOMING };
        });
      expect(etas.filter((l) => (l.eta === arrival) !== l.covered)).toEqual([]);
      expect(etas.filter((l) => l.covered)).not.toEqual([]);
      // Selling stopped for the two items past their limit; the one without a limit sells on.
      await settled(() => sandboxStore(store).purchasability(ITEMS.limited.productId).purchasable, false);
      await settled(() => sandboxStore(store).purchasability(ITEMS.zero.productId).purchasable, false);
      expect(sandboxStore(store).purchasability(ITEMS.open.productId).purchasable).toBe(true);
    }

    // Each store's reconcile re-reads every order and agrees: nothing to fix, no movement.
    for (const store of stores) {
      const movements = async () => (await db().selectFrom('stock_movements').select('id').where('store_hash', '=', store.storeHash).execute()).length;
      const before = await movements();
      const run = await reconciled(store);
      expect(run.error, store.storeHash).toBeNull();
      expect(run.fixes, store.storeHash).toEqual([]);
      expect(await movements(), store.storeHash).toBe(before);
    }
  }, 300_000);
});
