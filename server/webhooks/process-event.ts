/**
 * Processing one recorded event: find its handler by scope, run it, record the outcome. Handlers re-read
 * the current state from BigCommerce and converge, so running one twice changes nothing; a crash between
 * the work and the mark simply runs it again. An event of a store that uninstalled the app (its token is
 * erased: StoreNotConnectedError) is acknowledged and left alone.
 */
import { UnrecoverableError } from 'bullmq';
import { StoreNotConnectedError, type EventHandlers } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { groupCommit } from '../db/group-commit.ts';
import type { Logger } from '../logger.ts';
import { webhookLag } from '../metrics/metrics.ts';
import type { Envelope } from './envelope.ts';
import { findEvent, markAttemptFailed, markEventsDone, type EventDone } from './webhook-events.repo.ts';
import type { EventJob } from './webhooks.service.ts';

export type ProcessOutcome = 'processed' | 'ignored' | 'skipped';

export interface ProcessDeps {
  db: Db;
  handlers: EventHandlers;
  logger: Logger;
}

/** An event as processing sees it: its row's fields, from its job or (a job that does not carry them) read. */
interface EventToProcess {
  id: number;
  storeHash: string;
  scope: string;
  envelope: Envelope;
  receivedAt: number;
}

/** The event of a job: as it carries it, or read (undefined when already finished, or gone). */
async function eventOf(db: Db, job: EventJob): Promise<EventToProcess | undefined> {
  if (job.envelope && job.receivedAt !== undefined) {
    return { id: job.eventId, storeHash: job.storeHash, scope: job.scope, envelope: job.envelope, receivedAt: job.receivedAt };
  }
  const row = await findEvent(db, job.eventId);
  if (!row || row.status === 'processed' || row.status === 'ignored') return undefined;
  return { id: row.id, storeHash: row.store_hash, scope: row.scope, envelope: row.payload as Envelope, receivedAt: row.received_at.getTime() };
}

/**
 * The webhooks worker's processor of event jobs. Runs the event's handler; throws so BullMQ retries with
 * backoff, and on the last attempt (or an UnrecoverableError) the event is marked failed and kept for
 * inspection. A job carries its event, so a run re-reads nothing of it: one queued again after its event
 * finished runs its handler once more, which converges to what is already true. Events that finish while
 * others are being marked are marked together, in one statement.
 */
export function eventProcessor(deps: ProcessDeps): (job: EventJob, attempt: { isLast: boolean }) => Promise<ProcessOutcome> {
  const markDone = groupCommit(
    async (done: EventDone[]) => {
      await markEventsDone(deps.db, done);
      return done.map(() => undefined);
    },
    { maxSize: 500 },
  );
  return (job, attempt) => processEvent({ ...deps, markDone }, job, attempt);
}

async function processEvent(
  deps: ProcessDeps & { markDone(done: EventDone): Promise<void> },
  job: EventJob,
  attempt: { isLast: boolean },
): Promise<ProcessOutcome> {
  const event = await eventOf(deps.db, job);
  if (!event) return 'skipped';
  const handler = deps.handlers[event.scope];
  if (!handler) {
    await deps.markDone({ id: event.id, status: 'ignored' });
    return 'ignored';
  }
  try {
    const result = await handler({ eventId: event.id, storeHash: event.storeHash, envelope: event.envelope }).catch((error: unknown) => {
      if (error instanceof StoreNotConnectedError) return 'ignored' as const;
      throw error;
    });
    const status = result === 'ignored' ? 'ignored' : 'processed';
    await deps.markDone({ id: event.id, status });
    if (status === 'processed') webhookLag.observe({ scope: event.scope }, (Date.now() - event.receivedAt) / 1000);
    return status;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = attempt.isLast || error instanceof UnrecoverableError;
    await markAttemptFailed(deps.db, event.id, { final, error: message }).catch(() => {});
    deps.logger.warn({ err: error, storeHash: event.storeHash, eventId: event.id, scope: event.scope, final }, 'webhook handler failed');
    throw error;
  }
}
