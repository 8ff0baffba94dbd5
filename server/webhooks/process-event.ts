/**
 * Processing one recorded event: find its handler by scope, run it, record the outcome. Handlers re-read
 * the current state from BigCommerce and converge, so running one twice changes nothing; a crash between
 * the work and the mark simply runs it again. An event of a store that uninstalled the app (its token is
 * erased: StoreNotConnectedError) is acknowledged and left alone.
 */
import { UnrecoverableError } from 'bullmq';
import { StoreNotConnectedError, type EventHandlers } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { webhookLag } from '../metrics/metrics.ts';
import type { Envelope } from './envelope.ts';
import { findEvent, markEvent } from './webhook-events.repo.ts';

export type ProcessOutcome = 'processed' | 'ignored' | 'skipped';

/**
 * Runs the event's handler. Throws so BullMQ retries with backoff; on the last attempt (or an
 * UnrecoverableError) the event is marked failed and kept for inspection.
 */
export async function processEvent(
  deps: { db: Db; handlers: EventHandlers; logger: Logger },
  eventId: number,
  attempt: { isLast: boolean },
): Promise<ProcessOutcome> {
  const event = await findEvent(deps.db, eventId);
  if (!event || event.status === 'processed' || event.status === 'ignored') return 'skipped';
  const handler = deps.handlers[event.scope];
  if (!handler) {
    await markEvent(deps.db, eventId, { status: 'ignored' });
    return 'ignored';
  }
  try {
    const result = await handler({ eventId, storeHash: event.store_hash, envelope: event.payload as Envelope }).catch((error: unknown) => {
      if (error instanceof StoreNotConnectedError) return 'ignored' as const;
      throw error;
    });
    const status = result === 'ignored' ? 'ignored' : 'processed';
    await markEvent(deps.db, eventId, { status });
    if (status === 'processed') webhookLag.observe({ scope: event.scope }, (Date.now() - event.received_at.getTime()) / 1000);
    return status;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = attempt.isLast || error instanceof UnrecoverableError;
    await markEvent(deps.db, eventId, { status: final ? 'failed' : 'received', error: message }).catch(() => {});
    deps.logger.warn({ err: error, storeHash: event.store_hash, eventId, scope: event.scope, final }, 'webhook handler failed');
    throw error;
  }
}
