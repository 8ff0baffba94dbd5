/**
 * Changing the limit mode saves it and queues the job that switches every assigned product. When the job
 * cannot be queued (Redis away), nothing would ever switch them, and asking again would find the mode
 * already set: so the mode goes back, and the merchant is told to try again.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { changeLimitMode } from '../../../server/assignments/limit-mode.service.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

/** A queue whose Redis does not answer. */
const unreachable = { add: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) } as unknown as Queue;

describe('changing the limit mode while the job queue is away', () => {
  it('when the switch cannot be queued, then the mode stays as it was, the merchant is told to try again, and trying again switches', async () => {
    const store = await createStore(database.db, 'limits1');
    await expect(changeLimitMode({ db: database.db, storeJobs: unreachable }, store, 'strict')).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'The work could not be queued because Redis is unreachable. Try again in a moment.',
    });
    expect((await getSettings(database.db, store)).inventory.limitMode).toBe('flexible');

    const added: string[] = [];
    const queue = { add: async (name: string) => void added.push(name) } as unknown as Queue;
    expect(await changeLimitMode({ db: database.db, storeJobs: queue }, store, 'strict')).toBe('changed');
    expect(added).toEqual(['limit-mode']);
    expect((await getSettings(database.db, store)).inventory.limitMode).toBe('strict');
  });
});
