/** Rows of `jobs`: what a long run of work is doing, for the admin's progress bar. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Job, JobKind } from '../db/schema.ts';

const OPEN = ['queued', 'running'] as const;

/** An open run silent for this long lost its queue entry (Redis flushed, say): it no longer blocks a new one. */
export const STALE_AFTER_MS = 3600 * 1000;

/** Whether an open run has been silent past STALE_AFTER_MS: it will do nothing more (`openJob` replaces it). */
export const isStale = (job: Pick<Job, 'updated_at'>, now = Date.now()) => now - new Date(job.updated_at).getTime() >= STALE_AFTER_MS;

/** Opens a run of `kind` for the store, unless one is already open: then that one is returned. */
export async function openJob(db: Db, storeHash: string, kind: JobKind, message: string): Promise<{ job: Job; created: boolean }> {
  await db
    .updateTable('jobs')
    .set({ status: 'failed', error: 'This run stopped reporting progress and was abandoned.', finished_at: sql`now()`, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('kind', '=', kind)
    .where('status', 'in', OPEN)
    .where('updated_at', '<', new Date(Date.now() - STALE_AFTER_MS))
    .execute();
  // The partial index's predicate in literals: PostgreSQL matches it to the index when it plans, which a plan
  // made for any values (a statement prepared on its connection, db/prepared-statements.ts) cannot do with parameters.
  const inserted = await db
    .insertInto('jobs')
    .values({ store_hash: storeHash, kind, message })
    .onConflict((oc) =>
      oc
        .columns(['store_hash', 'kind'])
        .where(sql<boolean>`status in (${sql.join(OPEN.map((status) => sql.lit(status)))})`)
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { job: inserted, created: true };
  const open = await db
    .selectFrom('jobs')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('kind', '=', kind)
    .where('status', 'in', OPEN)
    .executeTakeFirst();
  // The open run finished between the two statements: open a new one.
  return open ? { job: open, created: false } : openJob(db, storeHash, kind, message);
}

export async function findJob(db: Db, storeHash: string, jobId: number): Promise<Job | undefined> {
  return db.selectFrom('jobs').selectAll().where('store_hash', '=', storeHash).where('id', '=', jobId).executeTakeFirst();
}

/** The store's open run of `kind` (queued or running), if any. */
export async function findOpenJob(db: Db, storeHash: string, kind: JobKind): Promise<Job | undefined> {
  return db.selectFrom('jobs').selectAll().where('store_hash', '=', storeHash).where('kind', '=', kind).where('status', 'in', OPEN).executeTakeFirst();
}

/** Open runs of every store (queued or running), oldest first: those the housekeeping checks are still queued. */
export async function openRuns(db: Db, limit: number): Promise<Job[]> {
  return db.selectFrom('jobs').selectAll().where('status', 'in', OPEN).orderBy('id').limit(limit).execute();
}

/** The store's latest run of `kind`, whatever its status. */
export async function latestJob(db: Db, storeHash: string, kind: JobKind): Promise<Job | undefined> {
  return db.selectFrom('jobs').selectAll().where('store_hash', '=', storeHash).where('kind', '=', kind).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * Marks the run running; false when it is no longer open (abandoned as stale), so it must not run. Its count
 * stays as it was (a retry's work counts again from its first total: runTracked).
 */
export async function markStarted(db: Db, storeHash: string, jobId: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'running',
      started_at: sql`coalesce(started_at, now())`,
      attempts: sql`attempts + 1`,
      error: null,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('id', '=', jobId)
    .where('status', 'in', OPEN)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface ProgressUpdate {
  done?: number;
  total?: number | null;
  message?: string;
}

export async function updateProgress(db: Db, storeHash: string, jobId: number, update: ProgressUpdate): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      ...(update.done !== undefined ? { progress_done: update.done } : {}),
      ...(update.total !== undefined ? { progress_total: update.total } : {}),
      ...(update.message !== undefined ? { message: update.message } : {}),
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('id', '=', jobId)
    .execute();
}

export async function markFinished(db: Db, storeHash: string, jobId: number, message: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'succeeded', message, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', '=', jobId)
    .execute();
}

/** Records an attempt's error; `final` ends the run as failed, otherwise it waits for its retry. */
export async function markAttemptFailed(db: Db, storeHash: string, jobId: number, error: string, final: boolean): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      error,
      ...(final ? { status: 'failed' as const, finished_at: sql<Date>`now()` } : {}),
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('id', '=', jobId)
    .execute();
}

/** The runs the admin shows: every unfinished one, and the latest of a kind when it failed after `failedSince`. */
export async function jobsToShow(db: Db, storeHash: string, failedSince: Date): Promise<Job[]> {
  const latest = await db.selectFrom('jobs').selectAll().distinctOn('kind').where('store_hash', '=', storeHash).orderBy('kind').orderBy('id', 'desc').execute();
  return latest
    .filter((job) => job.status === 'queued' || job.status === 'running' || (job.status === 'failed' && (job.finished_at ?? job.updated_at) >= failedSince))
    .sort((a, b) => a.id - b.id);
}
