import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

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

  it('when a job name is unknown, then it fails saying so', async () => {
    await expect(runHousekeeping({ db: database.db, queues: {} as never }, { name: 'nope' })).rejects.toThrow('Unknown housekeeping job "nope"');
  });
});
