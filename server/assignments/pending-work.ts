/**
 * The loop both BigCommerce jobs share: take the store's products waiting in a state, 10 at a time (one
 * batch request), until none is left — including products added while it runs — telling the merchant the
 * progress and the time left. A failure is told apart: one that may pass is recorded beside the products
 * of the batch and rethrown for the job's retry (which resumes from the database state); one that will
 * not — or the last attempt — is handed to `giveUp`, which settles the products left and returns the
 * merchant's message, and the run ends as failed.
 */
import { PRODUCT_BATCH_LIMIT, type StoreConnection } from '../bigcommerce/index.ts';
import { AppError } from '../errors.ts';
import { describe, isBudgetWait, isRetryable, type Attempt, type Progress, type StoreJobDeps } from '../jobs/jobs.service.ts';
import { countPending, nextPending, recordBigCommerceError, type PendingAssignment } from './assignment-states.repo.ts';
import { paceMessage, secondsLeft } from './bigcommerce-pace.ts';

export interface PendingWork {
  state: 'assigning' | 'unassigning';
  /** "Turning off tracking in BigCommerce" */
  verb: string;
  batch(connection: StoreConnection, batch: PendingAssignment[]): Promise<void>;
  /** Settles what is left after a failure for good; returns what the merchant is told. */
  giveUp(connection: StoreConnection | undefined, error: unknown): Promise<string>;
}

/** Works through every pending product of the store; returns how many were handled. */
export async function drainPending(deps: StoreJobDeps, storeHash: string, progress: Progress, attempt: Attempt, work: PendingWork): Promise<number> {
  let connection: StoreConnection | undefined;
  let current: PendingAssignment[] = [];
  let done = 0;
  try {
    connection = await deps.gateway.connect(storeHash);
    let total = await countPending(deps.db, storeHash, work.state);
    await progress.setTotal(
      total,
      paceMessage(work.verb, 0, total, secondsLeft(total, { requestRate: await connection.requestRate(), done: 0, elapsedMs: 0 })),
    );
    const started = Date.now();
    for (;;) {
      current = await nextPending(deps.db, storeHash, work.state, PRODUCT_BATCH_LIMIT);
      if (current.length === 0) return done;
      await work.batch(connection, current);
      done += current.length;
      const remaining = await countPending(deps.db, storeHash, work.state);
      if (done + remaining > total) await progress.setTotal((total = done + remaining));
      const seconds = secondsLeft(remaining, { requestRate: await connection.requestRate(), done, elapsedMs: Date.now() - started });
      await progress.advance(current.length, paceMessage(work.verb, done, total, seconds));
    }
  } catch (error) {
    // The store's API budget is spent: the run waits in its queue and resumes from the database state.
    if (isBudgetWait(error)) throw error;
    if (isRetryable(error) && attempt.attemptsMade + 1 < attempt.attempts) {
      await recordBigCommerceError(
        deps.db,
        storeHash,
        current.map((c) => c.assignment.id),
        `BigCommerce: ${describe(error)} (retrying)`,
      );
      throw error;
    }
    // Not retryable: nothing is left to retry, and the run must end as failed for the merchant to see.
    throw new AppError('conflict', `${describe(error)} — ${await work.giveUp(connection, error)}`, {}, { cause: error });
  }
}
