/** Rows of `plan_checkouts`: the Unified Billing checkouts the app created for a store. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PlanCheckout } from '../db/schema.ts';

/** The store's open checkout (at most one is open: a new one replaces the others). */
export async function findOpenCheckout(db: Db, storeHash: string): Promise<PlanCheckout | undefined> {
  return db.selectFrom('plan_checkouts').selectAll().where('store_hash', '=', storeHash).where('state', '=', 'open').orderBy('id', 'desc').executeTakeFirst();
}

/** One checkout of the store by BigCommerce's id. */
export async function findCheckout(db: Db, storeHash: string, checkoutId: string): Promise<PlanCheckout | undefined> {
  return db.selectFrom('plan_checkouts').selectAll().where('store_hash', '=', storeHash).where('checkout_id', '=', checkoutId).executeTakeFirst();
}

/** Records a new checkout as the store's open one; any other open checkout is replaced. */
export async function openCheckout(
  trx: Db,
  row: {
    storeHash: string;
    checkoutId: string;
    planId: string;
    interval: 'MONTH' | 'ANNUAL';
    priceCents: number;
    subscriptionId: string | null;
    checkoutUrl: string;
    expiresAt: Date;
  },
): Promise<PlanCheckout> {
  await replaceOpenCheckouts(trx, row.storeHash);
  return trx
    .insertInto('plan_checkouts')
    .values({
      store_hash: row.storeHash,
      checkout_id: row.checkoutId,
      plan_id: row.planId,
      billing_interval: row.interval,
      price_cents: row.priceCents,
      subscription_id: row.subscriptionId,
      checkout_url: row.checkoutUrl,
      expires_at: row.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The store's open checkouts are no longer offered. */
export async function replaceOpenCheckouts(trx: Db, storeHash: string): Promise<void> {
  await trx.updateTable('plan_checkouts').set({ state: 'replaced' }).where('store_hash', '=', storeHash).where('state', '=', 'open').execute();
}

/** Notes what BigCommerce said of the checkout, and when it was asked. */
export async function noteCheckoutStatus(db: Db, id: number, status: string, subscriptionId: string | null, checkedAt: Date): Promise<void> {
  await db
    .updateTable('plan_checkouts')
    .set({ bigcommerce_status: status, checked_at: checkedAt, subscription_id: sql<string | null>`coalesce(${subscriptionId}, subscription_id)` })
    .where('id', '=', id)
    .execute();
}

/** The checkout's plan took effect. */
export async function markCheckoutApplied(trx: Db, id: number): Promise<void> {
  await trx.updateTable('plan_checkouts').set({ state: 'applied' }).where('id', '=', id).execute();
}
