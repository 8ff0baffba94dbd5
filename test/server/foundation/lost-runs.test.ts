/**
 * A run (an assign, an import, a sync …) whose job Redis lost — Redis back empty after a restart without its
 * append-only file, a failover, a FLUSHALL — is queued again, by the next ask for the same work or by the
 * housekeeping's sweep, instead of showing "Waiting to start" for an hour while the work waits behind it; one
 * whose job BullMQ gave up (the processes running it stopped twice under it) ends, saying why.
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { LOST_RUN_SILENCE_MS, queueStoreJob, STALLED_RUN_MESSAGE } from '../../../server/jobs/jobs.service.ts';
import { createRedis } from '../../../server/redis.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { QUEUE_NAMES } from '../../../server/workers/queues.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';

const installed = useInstalledApp({ config: { logLevel: 'warn' } });
const db = () => installed.app.database.db;
const queue = () => installed.app.queues.storeJobs;

/** Opens a catalog sync whose job Redis then loses before any worker takes it. */
async function lostRun(): Promise<number> {
  await queue().pause();
  try {
    const { job, alreadyOpen } = await queueStoreJob(db(), queue(), installed.storeHash, 'catalog-sync', 'Waiting to start');
    expect(alreadyOpen).toBe(false);
    await (await queue().getJob(`catalog-sync-${installed.storeHash}-${job.id}`))!.remove();
    return job.id;
  } finally {
    await queue().resume();
  }
}

describe('a run whose job Redis lost', () => {
  it('when the merchant asks for the same work again, then the open run is queued again and finishes', async () => {
    const runId = await lostRun();
    const asked = await queueStoreJob(db(), queue(), installed.storeHash, 'catalog-sync', 'Waiting to start');
    expect(asked).toMatchObject({ alreadyOpen: true, job: { id: runId } });
    expect(await finishedJob(db(), installed.storeHash, 'catalog-sync', 15_000)).toMatchObject({ id: runId, status: 'succeeded' });
  }, 30_000);

  it('when nobody asks, then the housekeeping’s sweep queues it again; a running run is left to whoever runs it until it has been silent a while', async () => {
    const runId = await lostRun();
    // As though a process had started it and reported a moment ago: it may still be running it.
    await db()
      .updateTable('jobs')
      .set({ status: 'running', updated_at: sql`now()` })
      .where('id', '=', runId)
      .execute();
    const deps = { db: db(), queues: installed.app.queues };
    expect(await runHousekeeping(deps, { name: 'sweep-store-jobs' })).toEqual({ requeued: 0, ended: 0 });
    expect(await queue().getJob(`catalog-sync-${installed.storeHash}-${runId}`)).toBeUndefined();

    const later = new Date(Date.now() + LOST_RUN_SILENCE_MS + 1_000);
    expect(await runHousekeeping(deps, { name: 'sweep-store-jobs' }, later)).toEqual({ requeued: 1, ended: 0 });
    expect(await finishedJob(db(), installed.storeHash, 'catalog-sync', 15_000)).toMatchObject({ id: runId, status: 'succeeded' });
    // Finished, it is queued no more.
    expect(await runHousekeeping(deps, { name: 'sweep-store-jobs' }, later)).toEqual({ requeued: 0, ended: 0 });
  }, 30_000);

  it('when BullMQ gave the run’s job up (the worker running it was stopped twice), then the sweep ends the run saying why, and the next ask opens a new one', async () => {
    const { storeHash } = installed;
    // A store-jobs queue of its own, where this test plays the worker that takes the job and dies with it.
    const connection = createRedis(installed.app.config.redisUrl!, 'worker');
    const prefix = `{lost${randomBytes(4).toString('hex')}}`;
    const storeJobs = new Queue(QUEUE_NAMES.storeJobs, { connection, prefix });
    const dying = new Worker(QUEUE_NAMES.storeJobs, null, { connection, prefix });
    try {
      const { job: run } = await queueStoreJob(db(), storeJobs, storeHash, 'sync', 'Waiting to start');
      const taken = await dying.getNextJob('dying-worker');
      expect(taken?.id).toBe(`sync-${storeHash}-${run.id}`);
      await db().updateTable('jobs').set({ status: 'running', message: 'Reading levels' }).where('id', '=', run.id).execute();
      // What BullMQ's stalled-job check does to a job whose processes stopped under it more often than it allows.
      await taken!.moveToFailed(new Error('job stalled more than allowable limit'), 'dying-worker');

      const later = new Date(Date.now() + LOST_RUN_SILENCE_MS + 1_000);
      expect(await runHousekeeping({ db: db(), queues: { ...installed.app.queues, storeJobs } }, { name: 'sweep-store-jobs' }, later)).toEqual({
        requeued: 0,
        ended: 1,
      });
      const ended = await db().selectFrom('jobs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
      expect(ended).toMatchObject({ status: 'failed', error: STALLED_RUN_MESSAGE });
      expect(ended.finished_at).not.toBeNull();
      const next = await queueStoreJob(db(), storeJobs, storeHash, 'sync', 'Waiting to start');
      expect(next.alreadyOpen).toBe(false);
      expect(next.job.id).not.toBe(run.id);
      await db().updateTable('jobs').set({ status: 'failed' }).where('id', '=', next.job.id).execute();
    } finally {
      await dying.close(true);
      await storeJobs.obliterate({ force: true });
      await storeJobs.close();
      connection.disconnect();
    }
  }, 30_000);
});
