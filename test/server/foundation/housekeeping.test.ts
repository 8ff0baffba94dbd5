import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../../server/redis.ts';
import { oweSellingCheck } from '../../../server/selling/selling-owed.repo.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { QUEUE_NAMES } from '../../../server/workers/queues.ts';
import { testConfig } from '../../helpers/config.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore } from '../../helpers/inventory.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Runs `test` with the selling queue the sweep fills, emptied and closed after. */
async function withSellingQueue(test: (selling: Queue) => Promise<void>): Promise<void> {
  const { redisUrl, queuePrefix } = testConfig();
  const connection = createRedis(redisUrl!, 'producer');
  const selling = new Queue(QUEUE_NAMES.selling, { connection, prefix: queuePrefix });
  try {
    await test(selling);
  } finally {
    await selling.obliterate({ force: true });
    await selling.close();
    connection.disconnect();
  }
}

describe('housekeeping', () => {
  it('when processed webhook events are older than the retention, then they are deleted and the rest kept', async () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000);
    const event = (hash: string, status: 'processed' | 'received' | 'failed', processedAt: Date | null) => ({
      store_hash: 'abc123',
      scope: 'store/order/created',
      hash,
      event_created_at: 1,
      payload: JSON.stringify({}),
      status,
      processed_at: processedAt,
    });
    await database.db
      .insertInto('webhook_events')
      .values([
        event('old-processed', 'processed', daysAgo(31)),
        event('recent-processed', 'processed', daysAgo(2)),
        event('old-unprocessed', 'received', null),
        event('old-failed', 'failed', daysAgo(40)),
      ])
      .execute();

    expect(await runHousekeeping({ db: database.db, queues: {} as never }, { name: 'prune-webhook-events' }, now)).toEqual({ deleted: 1 });
    const left = await database.db.selectFrom('webhook_events').select('hash').orderBy('hash').execute();
    expect(left.map((r) => r.hash)).toEqual(['old-failed', 'old-unprocessed', 'recent-processed']);
  });

  it('when Redis was away for longer than two selling sweeps, then the first sweep after it checks the items changed while it was away', () =>
    withSellingQueue(async (selling) => {
      const store = await createStore(database.db, 'sweep1');
      // Nothing left to sell and no hold: selling must stop. Its check could not be queued: Redis was away.
      const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
      const now = new Date();
      const minutesAgo = (minutes: number) => now.getTime() - minutes * 60_000;
      await database.db
        .updateTable('inventory_items')
        .set({ updated_at: new Date(minutesAgo(10)) })
        .where('id', '=', item.id)
        .execute();
      const deps = { db: database.db, queues: { selling } as never };

      // A sweep on time (its run added as the one before started, 2 minutes ago) looks back 4 minutes.
      expect(await runHousekeeping(deps, { name: 'sweep-selling', timestamp: minutesAgo(2) }, now)).toEqual({ items: 0 });
      // The run added 12 minutes ago, before Redis went away, runs only now: it looks back to then.
      expect(await runHousekeeping(deps, { name: 'sweep-selling', timestamp: minutesAgo(12) }, now)).toEqual({ items: 1 });
      expect((await selling.getJobs(['waiting'])).map((job) => job.data)).toEqual([{ storeHash: store, itemId: Number(item.id) }]);
    }));

  it('when a selling check was given up while BigCommerce was away, then the next sweep asks again whatever the age of the change, once', () =>
    withSellingQueue(async (selling) => {
      const store = await createStore(database.db, 'sweep2');
      // Both changed 3 hours ago, long before the sweep looks back; their checks were given up.
      const owed = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
      const settled = await assignProduct(database.db, store, { currentStock: 4, backorderThreshold: 0 });
      await database.db
        .updateTable('inventory_items')
        .set({ updated_at: new Date(Date.now() - 3 * 3600_000) })
        .where('id', 'in', [owed.id, settled.id])
        .execute();
      await oweSellingCheck(database.db, store, owed.id);
      await oweSellingCheck(database.db, store, settled.id); // in step since: nothing to ask
      const deps = { db: database.db, queues: { selling } as never };

      expect(await runHousekeeping(deps, { name: 'sweep-selling', timestamp: Date.now() - 120_000 })).toEqual({ items: 1 });
      expect((await selling.getJobs(['waiting'])).map((job) => job.data)).toEqual([{ storeHash: store, itemId: Number(owed.id) }]);
      expect(await database.db.selectFrom('selling_checks_owed').selectAll().where('store_hash', '=', store).execute()).toEqual([]);
      // Asked once: the check now owes it, and gives it up again, if it must, with a row of its own.
      await selling.drain();
      expect(await runHousekeeping(deps, { name: 'sweep-selling', timestamp: Date.now() - 120_000 })).toEqual({ items: 0 });
    }));

  it('when a job name is unknown, then it fails saying so', async () => {
    await expect(runHousekeeping({ db: database.db, queues: {} as never }, { name: 'nope' })).rejects.toThrow('Unknown housekeeping job "nope"');
  });
});
