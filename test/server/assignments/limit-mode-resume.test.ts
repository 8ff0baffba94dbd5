/**
 * A limit-mode switch whose run was lost (Redis flushed, the job removed) is taken up by the admin's pages in
 * passing, as assigns, unassigns and imports are: the products are never left in the other mode for want of a
 * run. A run that failed on its own is left to the merchant (saving the mode again), or it would fail again
 * at every page view.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { resumePendingWork } from '../../../server/admin/pending-work.ts';
import { changeLimitMode } from '../../../server/assignments/limit-mode.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

/** A queue that keeps the names of the jobs added to it. */
function recordingQueue(): { queue: Queue; added: string[] } {
  const added: string[] = [];
  return { queue: { add: async (name: string) => void added.push(name) } as unknown as Queue, added };
}

/** A queue whose Redis does not answer. */
const unreachable = { add: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) } as unknown as Queue;

/** A store saved as strict whose one product is still flexible: its switch did not run to the end. */
async function strictStoreLeftFlexible(storeHash: string): Promise<string> {
  await createStore(database.db, storeHash);
  await assignProduct(database.db, storeHash, { currentStock: 3, backorderThreshold: 5 });
  await updateSettings(database.db, storeHash, { inventory: { limitMode: 'strict' } });
  return storeHash;
}

/** The store's limit-mode runs, oldest first. */
const runsOf = (storeHash: string) =>
  database.db
    .selectFrom('jobs')
    .select(['status', 'error', 'message'])
    .where('store_hash', '=', storeHash)
    .where('kind', '=', 'limit-mode')
    .orderBy('id')
    .execute();

const silentSince = new Date(Date.now() - 2 * 3600_000);

describe('a limit-mode switch nobody is doing', () => {
  it('when its run was lost with Redis (open, silent for two hours), then a page view abandons it and queues a new one', async () => {
    const store = await strictStoreLeftFlexible('resumelimit1');
    await database.db
      .insertInto('jobs')
      .values({ store_hash: store, kind: 'limit-mode', status: 'running', started_at: silentSince, created_at: silentSince, updated_at: silentSince })
      .execute();
    const { queue, added } = recordingQueue();
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual(['limit-mode']);
    expect(await runsOf(store)).toEqual([
      expect.objectContaining({ status: 'failed', error: 'This run stopped reporting progress and was abandoned.' }),
      expect.objectContaining({ status: 'queued', message: 'Resuming: switching the products not yet switched to the strict limit' }),
    ]);
    // Open and fresh now: the next page view leaves it be.
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual(['limit-mode']);
  });

  it('when its run could not be queued (Redis away at a page view), then the page still opens and the next page view queues it', async () => {
    const store = await strictStoreLeftFlexible('resumelimit2');
    await expect(resumePendingWork({ db: database.db, storeJobs: unreachable }, store)).resolves.toBeUndefined();
    expect(await runsOf(store)).toEqual([expect.objectContaining({ status: 'failed', error: 'The job queue (Redis) could not be reached.' })]);
    const { queue, added } = recordingQueue();
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual(['limit-mode']);
  });

  it('when its last run failed on its own, then it is left to the merchant; the run their save starts is resumed once lost', async () => {
    const store = await strictStoreLeftFlexible('resumelimit3');
    await database.db
      .insertInto('jobs')
      .values({ store_hash: store, kind: 'limit-mode', status: 'failed', error: 'BigCommerce refused', started_at: silentSince, finished_at: silentSince })
      .execute();
    const { queue, added } = recordingQueue();
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual([]);

    // Saving the mode again queues a run (changeLimitMode), which Redis then loses.
    expect(await changeLimitMode({ db: database.db, storeJobs: queue }, store, 'strict')).toBe('resumed');
    await database.db.updateTable('jobs').set({ updated_at: silentSince }).where('store_hash', '=', store).where('status', '=', 'queued').execute();
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual(['limit-mode', 'limit-mode']);
  });

  it('when BigCommerce’s inventory settings rule strict out, then no switch to strict is queued until they allow it again', async () => {
    const store = await strictStoreLeftFlexible('resumelimit4');
    const ordersMoveLevel = (on: boolean) =>
      database.db.updateTable('stores').set({ orders_move_level_when_placed: on }).where('store_hash', '=', store).execute();
    await ordersMoveLevel(false);
    const { queue, added } = recordingQueue();
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual([]);
    await ordersMoveLevel(true);
    await resumePendingWork({ db: database.db, storeJobs: queue }, store);
    expect(added).toEqual(['limit-mode']);
  });
});
