/**
 * A sandbox store in strict limit mode, for the strict tests: products assigned through the real flow
 * (assign job, BigCommerce keeps tracking, the level written to stock + threshold), shoppers who check out
 * on its storefront over HTTP, and the numbers both sides hold.
 */
import { expect } from 'vitest';
import { assignProducts } from '../../server/assignments/assignments.service.ts';
import type { StockDeps } from '../../server/inventory/stock.service.ts';
import { updateSettings } from '../../server/settings/settings.service.ts';
import { stockEffects } from '../../server/wiring.ts';
import { finishedJob, sessionIn } from './admin.ts';
import type { InstalledApp } from './installed-app.ts';
import { stockOf } from './inventory.ts';

/** The stock service as the app's admin uses it: selling checks, the storefront's cache, strict level writes. */
export function appStock(installed: InstalledApp): StockDeps {
  const { app } = installed;
  return {
    db: app.database.db,
    effects: stockEffects({ sellingQueue: app.queues.selling, levelsQueue: app.queues.levels, redis: app.redis, prefix: app.config.queuePrefix }),
  };
}

/** The id of the demo catalog's product named `name`. */
export function productNamed(installed: InstalledApp, name: string): number {
  const product = installed.sandbox.store(installed.storeHash).context.state.products.find((p) => p.name === name);
  if (!product) throw new Error(`no product named ${name}`);
  return product.id;
}

/** BigCommerce's level of a product (or of one of its variants) in the sandbox. */
export function levelIn(installed: InstalledApp, productId: number, variantId?: number): number {
  const product = installed.sandbox.store(installed.storeHash).product(productId) as {
    inventory_level: number;
    variants: Array<{ id: number; inventory_level: number }>;
  };
  return variantId === undefined ? product.inventory_level : product.variants.find((v) => v.id === variantId)!.inventory_level;
}

/** Runs `work` with BigCommerce's native backorders (beta) switched to `on` in the sandbox store, off again after. */
export async function withNativeBackorders<T>(installed: InstalledApp, work: () => Promise<T>, on = true): Promise<T> {
  const store = installed.sandbox.store(installed.storeHash);
  store.setSwitches({ nativeBackorders: on });
  try {
    return await work();
  } finally {
    store.setSwitches({ nativeBackorders: false });
  }
}

/** Runs `work` while the app's webhook queue is paused: BigCommerce's events wait, unapplied, until it ends. */
export async function withWebhooksHeld<T>(installed: InstalledApp, work: () => Promise<T>): Promise<T> {
  const webhooks = installed.app.queues.webhooks;
  await webhooks.pause();
  try {
    return await work();
  } finally {
    await webhooks.resume();
  }
}

/** BigCommerce's native backorders of a product tracked by product (its base variant's, as the sandbox keeps them). */
export function nativeBackordersIn(installed: InstalledApp, productId: number): { limit: number | null; backordered: number } {
  const base = installed.sandbox.store(installed.storeHash).context.product(productId).variants[0]!;
  return { limit: base.backorder_limit === undefined ? 0 : base.backorder_limit, backordered: base.qty_backordered ?? 0 };
}

/** Puts the store in a limit mode with a default threshold (settings as the merchant saves them), on a plan for many products. */
export async function limitSettings(installed: InstalledApp, limitMode: 'flexible' | 'strict', defaultBackorderThreshold: number): Promise<void> {
  const db = installed.app.database.db;
  await updateSettings(db, installed.storeHash, { inventory: { limitMode, defaultBackorderThreshold } });
  await db
    .insertInto('store_plans')
    .values({ store_hash: installed.storeHash, plan_id: 'scale', cycle_started_at: null, cycle_ends_at: null, pending_plan_id: null })
    .onConflict((oc) => oc.column('store_hash').doUpdateSet({ plan_id: 'scale' }))
    .execute();
}

/** Assigns products as the admin does and waits for the assign job; returns the items, by product. */
export async function assignThroughJob(installed: InstalledApp, productIds: number[]) {
  const { app, storeHash } = installed;
  const db = app.database.db;
  const before = await db.selectFrom('jobs').select('id').where('store_hash', '=', storeHash).where('kind', '=', 'assign').execute();
  // Only this call's assignments: a product may have been assigned and released before.
  const { last } = await db.selectFrom('assignments').select(db.fn.max('id').as('last')).where('store_hash', '=', storeHash).executeTakeFirstOrThrow();
  await assignProducts(
    { ...appStock(installed), storeJobs: app.queues.storeJobs },
    storeHash,
    productIds.map((productId) => ({ productId, label: `product ${productId}` })),
  ).catch((error: { details?: unknown; message: string }) => {
    throw new Error(`${error.message} ${JSON.stringify(error.details)}`);
  });
  await expect
    .poll(async () => (await db.selectFrom('jobs').select('id').where('store_hash', '=', storeHash).where('kind', '=', 'assign').execute()).length, {
      timeout: 20_000,
    })
    .toBeGreaterThan(before.length);
  const job = await finishedJob(db, storeHash, 'assign', 60_000);
  if (job.status !== 'succeeded') throw new Error(`assign failed: ${job.error}`);
  const released = await db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', 'in', productIds)
    .where('id', '>', Number(last ?? 0))
    .where('released_at', 'is not', null)
    .execute();
  if (released.length > 0) throw new Error(`not assigned: ${released.map((a) => a.release_reason).join('; ')} (${job.message})`);
  return db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', 'in', productIds)
    .where('retired_at', 'is', null)
    .execute();
}

/** A shopper of the store's storefront: a session of its own, a cart, a checkout (Storefront API and checkout-sdk's order call). */
export function shopper(installed: InstalledApp, name: string) {
  const origin = installed.sandbox.storefrontUrl(installed.storeHash);
  const cookie = `SHOP_SESSION_TOKEN=${`shopper-${name}`.padEnd(16, '-')}`;
  const post = (path: string, body: unknown) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    addToCart: (productId: number, quantity: number) => post('/api/storefront/carts', { lineItems: [{ productId, quantity }] }),
    checkOut: () => post('/internalapi/v1/checkout/order', {}),
  };
}

/** The item's numbers on both sides, once the app has caught up with BigCommerce. */
export async function settledItem(installed: InstalledApp, itemId: number, expected: { stock: number; level: number }, timeout = 60_000) {
  const db = installed.app.database.db;
  await expect
    .poll(
      async () => {
        const item = await db.selectFrom('inventory_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
        return { stock: item.current_stock, level: levelIn(installed, item.product_id, item.variant_id ?? undefined), expected: item.bigcommerce_level };
      },
      { timeout, interval: 200 },
    )
    .toEqual({ ...expected, expected: expected.level })
    .catch(async (error: unknown) => {
      const moves = await db
        .selectFrom('stock_movements')
        .select(['delta', 'stock_after', 'reason', 'note', 'created_at'])
        .where('item_id', '=', itemId)
        .orderBy('id')
        .execute();
      const assignment = await db
        .selectFrom('inventory_items as i')
        .innerJoin('assignments as a', 'a.id', 'i.assignment_id')
        .select(['a.released_at', 'a.release_reason', 'i.strict_since', 'i.retired_at'])
        .where('i.id', '=', itemId)
        .executeTakeFirst();
      console.log('LEDGER', itemId, JSON.stringify(assignment), JSON.stringify(moves));
      throw error;
    });
  return stockOf(db, itemId);
}

/** An admin session of the store's owner, opened through /load as the control panel opens it. */
export async function ownerSession(installed: InstalledApp): Promise<string> {
  const response = await fetch(installed.sandbox.loadUrl(installed.storeHash), { redirect: 'manual' });
  return sessionIn(response.headers.get('location'));
}
