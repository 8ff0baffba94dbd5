/** Asking for a store's reconcile: at most one runs per store, and one more waits behind it. */
import type { Queue } from 'bullmq';
import type { Db } from '../db/database.ts';

export interface ReconcileJob {
  storeHash: string;
}

export async function queueReconcile(queue: Queue, storeHash: string): Promise<void> {
  const data: ReconcileJob = { storeHash };
  await queue.add('reconcile', data, { deduplication: { id: `reconcile-${storeHash}`, keepLastIfActive: true } });
}

export async function activeStores(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('stores').select('store_hash').where('status', '=', 'active').orderBy('store_hash').execute();
  return rows.map((row) => row.store_hash);
}
