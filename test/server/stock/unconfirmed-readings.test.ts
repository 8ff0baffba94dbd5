/**
 * What the app does under each reading of the behaviours BigCommerce leaves unconfirmed (issue 3; ref
 * §3.3, §6.3, §6.4), against the sandbox store's switches:
 * - inventoryEventsWhenUntracked: does a product without variants still fire store/product/inventory/updated
 *   while the app holds it untracked? With `never`, the app learns the new level from the level poll.
 * - inventoryValue: a delta or the new level? The app never reads it: it re-reads the level either way.
 * - untrackedLevelWrites: does BigCommerce keep a level written while untracked? With `ignore` there is
 *   no change to see, and the app's stock stays what it was.
 * - signDeliveries: deliveries with and without a Standard Webhooks signature are both accepted.
 * A variant's level never fires an event while untracked (ref §6.4): the poll is the only path there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestFullLevelSync } from '../../../server/inventory/level-sync.jobs.ts';
import { DEFAULT_SWITCHES, type Switches } from '../../../sandbox/switches.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { stockOf } from '../../helpers/inventory.ts';

const installed = useInstalledApp({ seed: 'empty' });
afterEach(() => {
  store().setSwitches({ ...DEFAULT_SWITCHES });
});

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;
let nextSku = 1;

async function settled<T>(read: () => Promise<T>, expected: T, timeout = 30_000): Promise<void> {
  await expect.poll(read, { timeout, interval: 100 }).toEqual(expected);
}

/** A product without variants, tracked by product at `level`, then assigned (tracking turned off). */
async function assignedSimpleProduct(level: number) {
  const sku = `UNCONF-${nextSku++}`;
  const { id } = store().createProduct({ name: `Unconfirmed ${sku}`, sku, price: 10, inventory_tracking: 'product', inventory_level: level }) as { id: number };
  const [item] = await assignInSandbox(installed, id, { threshold: 5 });
  return { productId: id, item: item! };
}

/** A product with two variants tracked by variant, then assigned (tracking turned off). */
async function assignedVariantProduct(levels: [number, number]) {
  const sku = `UNCONF-${nextSku++}`;
  const product = store().createProduct({
    name: `Unconfirmed ${sku}`,
    sku,
    price: 10,
    inventory_tracking: 'variant',
    variants: levels.map((level, i) => ({ sku: `${sku}-${i}`, option_values: [{ option_display_name: 'Size', label: `S${i}` }], inventory_level: level })),
  }) as { id: number; variants: Array<{ id: number }> };
  const items = await assignInSandbox(installed, product.id, { threshold: 5 });
  return { productId: product.id, variantId: product.variants[0]!.id, item: items.find((i) => i.variant_id === product.variants[0]!.id)! };
}

const inventoryEvents = (from: number) =>
  store()
    .events()
    .slice(from)
    .filter((e) => e.payload.scope.includes('/inventory/'));
const recordedLevelEvents = (productId: number) =>
  db()
    .selectFrom('webhook_events')
    .select('status')
    .where('store_hash', '=', installed.storeHash)
    .where('scope', '=', 'store/product/inventory/updated')
    .where('payload', '@>', JSON.stringify({ data: { id: productId } }))
    .execute();

/** Runs the 5-minute level poll now and waits until the level jobs it queued have run. */
async function pollLevels(): Promise<void> {
  await runHousekeeping({ db: db(), queues: installed.app.queues }, { name: 'poll-levels' });
  await expect
    .poll(async () => Object.values(await installed.app.queues.levels.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((n) => n === 0), {
      timeout: 30_000,
      interval: 100,
    })
    .toBe(true);
}

describe.each([{ inventoryValue: 'delta' as const }, { inventoryValue: 'level' as const }])(
  'a level written in BigCommerce while the app holds a product (inventory.value read as $inventoryValue)',
  ({ inventoryValue }) => {
    it('when a product without variants fires its inventory event while untracked, then the event alone brings the new level in', async () => {
      store().setSwitches({ inventoryValue, inventoryEventsWhenUntracked: 'documented', untrackedLevelWrites: 'store' });
      const { productId, item } = await assignedSimpleProduct(10);
      const eventsBefore = store().events().length;

      store().setInventoryLevel({ productId, level: 25 });

      expect(inventoryEvents(eventsBefore).map((e) => e.payload.scope)).toEqual(['store/product/inventory/updated']);
      await settled(async () => (await stockOf(db(), item.id)).currentStock, 25);
      // The event's outcome is recorded after its handler, which may be after the level it queued was read.
      await settled(() => recordedLevelEvents(productId), [{ status: 'processed' }]);
    }, 60_000);

    it('when no inventory event fires while untracked, then the app keeps its stock until the level poll reads the new level', async () => {
      store().setSwitches({ inventoryValue, inventoryEventsWhenUntracked: 'never', untrackedLevelWrites: 'store' });
      const { productId, item } = await assignedSimpleProduct(10);
      const eventsBefore = store().events().length;

      store().setInventoryLevel({ productId, level: 25 });
      expect(inventoryEvents(eventsBefore)).toEqual([]);
      await installed.sandbox.webhooksIdle();
      expect((await stockOf(db(), item.id)).currentStock).toBe(10);

      await pollLevels();
      await settled(async () => (await stockOf(db(), item.id)).currentStock, 25);
    }, 60_000);
  },
);

describe.each([{ inventoryEventsWhenUntracked: 'documented' as const }, { inventoryEventsWhenUntracked: 'never' as const }])(
  'a variant level written in BigCommerce while the app holds its product (events: $inventoryEventsWhenUntracked)',
  ({ inventoryEventsWhenUntracked }) => {
    it('when BigCommerce keeps the level, then no event fires and the forced level sync brings it in', async () => {
      store().setSwitches({ inventoryEventsWhenUntracked, untrackedLevelWrites: 'store' });
      const { productId, variantId, item } = await assignedVariantProduct([3, 5]);
      const eventsBefore = store().events().length;

      store().setInventoryLevel({ productId, variantId, level: 9 });
      expect(inventoryEvents(eventsBefore)).toEqual([]);

      await requestFullLevelSync(installed.app.queues.levels, installed.storeHash);
      await settled(async () => (await stockOf(db(), item.id)).currentStock, 9);
    }, 60_000);

    it('when BigCommerce drops the level written while untracked, then the app sees no change and keeps its own stock', async () => {
      store().setSwitches({ inventoryEventsWhenUntracked, untrackedLevelWrites: 'ignore' });
      const { productId, variantId, item } = await assignedVariantProduct([3, 5]);
      const eventsBefore = store().events().length;

      store().setInventoryLevel({ productId, variantId, level: 9 });
      const variant = (store().product(productId) as { variants: Array<{ id: number; inventory_level: number }> }).variants.find((v) => v.id === variantId);
      expect(variant?.inventory_level).toBe(3);
      expect(inventoryEvents(eventsBefore)).toEqual([]);

      await pollLevels();
      expect((await stockOf(db(), item.id)).currentStock).toBe(3);
      const movements = await db().selectFrom('stock_movements').select('reason').where('item_id', '=', item.id).execute();
      expect(movements.filter((m) => m.reason === 'sync')).toEqual([]);
    }, 60_000);
  },
);

describe('a product without variants when BigCommerce drops levels written while untracked', () => {
  it('when the merchant writes a level, then no event fires, the poll reads the old level, and the stock stays the app’s', async () => {
    store().setSwitches({ untrackedLevelWrites: 'ignore', inventoryEventsWhenUntracked: 'documented' });
    const { productId, item } = await assignedSimpleProduct(10);
    const eventsBefore = store().events().length;

    store().setInventoryLevel({ productId, level: 25 });
    expect((store().product(productId) as { inventory_level: number }).inventory_level).toBe(10);
    expect(inventoryEvents(eventsBefore)).toEqual([]);

    await pollLevels();
    expect((await stockOf(db(), item.id)).currentStock).toBe(10);
    expect(await recordedLevelEvents(productId)).toEqual([]);
  }, 60_000);
});

describe.each([{ signDeliveries: true }, { signDeliveries: false }])('deliveries (signed: $signDeliveries)', ({ signDeliveries }) => {
  it('when an order is placed for a held product, then the delivery is accepted and the stock follows', async () => {
    store().setSwitches({ signDeliveries } as Partial<Switches>);
    const { productId, item } = await assignedSimpleProduct(4);
    const order = store().placeOrder({ lines: [{ productId, quantity: 6 }] }) as { id: number };

    await settled(async () => (await stockOf(db(), item.id)).currentStock, -2);
    await installed.sandbox.webhooksIdle();
    const created = store()
      .deliveries()
      .filter((d) => d.scope === 'store/order/created' && (d.payload.data as { id?: number }).id === order.id);
    expect(created.map((d) => [d.outcome, d.status, 'webhook-signature' in d.headers])).toEqual([['delivered', 200, signDeliveries]]);
  }, 60_000);
});
