/**
 * A run taken up again — a retry after BigCommerce's trouble, or a run put back while the store's API budget
 * was spent — resumes from what it saved. Its bar must not fall back to 0 meanwhile: the retry's first calls
 * (reading how much there is) wait on BigCommerce as long as its trouble lasts, and a bar at 0 % beside
 * "Synced 500 of 2036 products" or "going on in about 6 s" tells the merchant the work was lost.
 */
import { describe, expect, it } from 'vitest';
import type { JobKind } from '../../../server/db/schema.ts';
import { openJob } from '../../../server/jobs/jobs.repo.ts';
import { runTracked } from '../../../server/jobs/jobs.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

/** A store's new run of `kind`: its job data, and its row as the admin reads it. */
async function openRun(store: string, kind: JobKind) {
  const storeHash = await createStore(database.db, store);
  const { job } = await openJob(database.db, storeHash, kind, 'Waiting to start');
  return {
    data: { storeHash, jobId: job.id },
    row: () => database.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow(),
  };
}

describe('a run taken up again', () => {
  it('when its work resumes, then the bar keeps the count it showed until the work gives its total, then counts on from what was saved', async () => {
    const db = database.db;
    const { data, row } = await openRun('progress1', 'catalog-sync');

    // The first attempt synced 500 products, then BigCommerce answered 500.
    const first = runTracked(db, data, { attemptsMade: 0, attempts: 8 }, async (progress) => {
      await progress.setTotal(2036, 'Reading 2036 products from BigCommerce');
      await progress.advance(500, 'Synced 500 of 2036 products');
      throw new Error('BigCommerce answered 500');
    });
    await expect(first).rejects.toThrow('answered 500');
    expect(await row()).toMatchObject({ status: 'running', progress_done: 500, progress_total: 2036 });

    let whileReadingTotal: number | undefined;
    await runTracked(db, data, { attemptsMade: 1, attempts: 8 }, async (progress) => {
      // The retry asks BigCommerce how many products there are: the bar still shows what is saved.
      whileReadingTotal = (await row()).progress_done;
      await progress.setTotal(2036, 'Reading 2036 products from BigCommerce');
      await progress.advance(500, 'Synced 500 of 2036 products');
      await progress.advance(1536, 'Synced 2036 of 2036 products');
      return 'Synced 2036 products';
    });
    expect(whileReadingTotal).toBe(500);
    expect(await row()).toMatchObject({ status: 'succeeded', progress_done: 2036, progress_total: 2036 });
  });

  it('when the resumed work counts only what is left, then its first total starts the count again', async () => {
    const db = database.db;
    const { data, row } = await openRun('progress2', 'assign');
    await runTracked(db, data, { attemptsMade: 0, attempts: 8 }, async (progress) => {
      await progress.setTotal(100);
      await progress.advance(30);
      throw new Error('BigCommerce answered 500');
    }).catch(() => {});
    await runTracked(db, data, { attemptsMade: 1, attempts: 8 }, async (progress) => {
      await progress.setTotal(70);
      expect(await row()).toMatchObject({ progress_done: 0, progress_total: 70 });
      await progress.advance(10);
      expect(await row()).toMatchObject({ progress_done: 10, progress_total: 70 });
      return 'done';
    });
  });
});
