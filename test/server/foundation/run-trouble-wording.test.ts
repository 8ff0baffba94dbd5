/**
 * While a run waits out BigCommerce's trouble, its progress line tells the merchant in plain words what is
 * wrong and when it goes on; it showed the raw request ("retrying after: BigCommerce GET /stores/…/v3/catalog/
 * products?include=…&limit=250 answered 500: Internal Server Error"). The error itself, with its request, is
 * still what the attempt throws, and the worker logs it for the operator (job-failures.ts).
 */
import { describe, expect, it } from 'vitest';
import { NetworkError, RateLimitedError, ServerError } from '../../../server/bigcommerce/index.ts';
import type { JobKind } from '../../../server/db/schema.ts';
import { jobView } from '../../../server/jobs/job-view.ts';
import { openJob } from '../../../server/jobs/jobs.repo.ts';
import { runTracked } from '../../../server/jobs/jobs.service.ts';
import { defaultJobOptions } from '../../../server/workers/queues.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

const context = { method: 'GET', path: '/stores/trouble1/v3/catalog/products?include=variants,images&limit=250&page=3' };
const serverError = () => new ServerError({ status: 500, title: 'Internal Server Error', context });

/** The status line of a catalog sync whose attempt (after `attemptsMade` failed ones) met `error`, and what it threw. */
async function statusAfter(store: string, error: Error, attemptsMade: number, attempts = 8, kind: JobKind = 'catalog-sync') {
  const storeHash = await createStore(database.db, store);
  const { job } = await openJob(database.db, storeHash, kind, 'Waiting to start');
  const attempt = { attemptsMade, attempts, backoff: defaultJobOptions.backoff };
  const thrown = await runTracked(database.db, { storeHash, jobId: job.id }, attempt, async (progress) => {
    await progress.setTotal(2036);
    await progress.advance(500, 'Synced 500 of 2,036 products');
    throw error;
  }).catch((e: unknown) => e);
  const row = await database.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
  return { statusText: jobView(row).statusText, thrown };
}

describe('a run meeting BigCommerce’s trouble', () => {
  it('when BigCommerce answers 500, then the merchant reads that it is having trouble and when the run tries again, not the request', async () => {
    const error = serverError();
    const { statusText, thrown } = await statusAfter('trouble1', error, 3);
    // The fourth attempt failed: the next waits between 4 and 8 s (doubling from 1 s, jittered by half).
    expect(statusText).toBe('Synced 500 of 2,036 products — BigCommerce is having trouble (error 500); trying again in about 6 s');
    // The operator's log line carries the error thrown, request and all.
    expect(thrown).toBe(error);
    expect((thrown as Error).message).toContain('/v3/catalog/products?include=variants,images&limit=250&page=3 answered 500');
  });

  it('when BigCommerce cannot be reached or turns requests away, then the line says so in plain words', async () => {
    const unreachable = new NetworkError({
      status: 0,
      title: 'timed out after 30000 ms',
      context,
      message: `BigCommerce GET ${context.path}: timed out after 30000 ms`,
    });
    expect((await statusAfter('trouble2', unreachable, 0)).statusText).toBe(
      'Synced 500 of 2,036 products — BigCommerce is not answering; trying again in about 1 s',
    );
    const refused = new RateLimitedError({ status: 429, title: 'Too Many Requests', context });
    expect((await statusAfter('trouble3', refused, 1)).statusText).toBe(
      'Synced 500 of 2,036 products — BigCommerce is turning requests away for now (error 429); trying again in about 2 s',
    );
  });

  it('when the last attempt fails, then the run is failed with the same plain words', async () => {
    const { statusText } = await statusAfter('trouble4', serverError(), 7);
    expect(statusText).toBe('Failed: BigCommerce is having trouble (error 500)');
  });
});
