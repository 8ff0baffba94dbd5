/** Rows of `order_notes`: the orders whose BackOrder note is written in BigCommerce. */
import type { Db } from '../db/database.ts';

export async function isNoted(db: Db, storeHash: string, orderId: number): Promise<boolean> {
  const row = await db.selectFrom('order_notes').select('order_id').where('store_hash', '=', storeHash).where('order_id', '=', orderId).executeTakeFirst();
  return row !== undefined;
}

export async function markNoted(db: Db, storeHash: string, orderId: number): Promise<void> {
  await db
    .insertInto('order_notes')
    .values({ store_hash: storeHash, order_id: orderId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
