/**
 * Housekeeping: recurring jobs that keep the system tidy and whole.
 * - sweep-webhook-events: re-enqueues recorded events whose jobs Redis lost (every minute).
 * - prune-webhook-events: deletes processed events after `WEBHOOK_EVENT_RETENTION_DAYS` (long enough to
 *   investigate a complaint).
 * - renew-plans: ends billing cycles that ran out: scheduled downgrades take effect, paid plans renew.
 * - purge-uninstalled-stores: deletes the data of stores uninstalled longer ago than their retention
 *   (PURGE_AFTER_DAYS, fixed at uninstall).
 */
import { Worker, type Job } from 'bullmq';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { renewCycles } from '../plans/plans.service.ts';
import { purgeDueStores } from '../stores/store-purge.service.ts';
import { deleteFinishedEvents } from '../webhooks/webhook-events.repo.ts';
import { sweepStrandedEvents } from '../webhooks/webhooks.service.ts';
import { QUEUE_NAMES, type Queues } from './queues.ts';

export const WEBHOOK_EVENT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

const SCHEDULES = {
  'sweep-webhook-events': 60_000,
  'prune-webhook-events': 6 * 3600 * 1000,
  'renew-plans': 3600 * 1000,
  'purge-uninstalled-stores': 3600 * 1000,
} as const;

/** Runs one housekeeping job. */
export async function runHousekeeping(
  deps: { db: Db; queues: Pick<Queues, 'webhooks'> },
  job: Pick<Job, 'name'>,
  now = new Date(),
): Promise<Record<string, number | string[]>> {
  switch (job.name) {
    case 'sweep-webhook-events':
      return { enqueued: await sweepStrandedEvents(deps.db, deps.queues.webhooks, 60_000, now) };
    case 'prune-webhook-events':
      return { deleted: await deleteFinishedEvents(deps.db, new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_DAYS * DAY_MS)) };
    case 'renew-plans':
      return { renewed: await renewCycles(deps.db, now) };
    case 'purge-uninstalled-stores':
      return { purged: await purgeDueStores(deps.db, now) };
    default:
      throw new Error(`Unknown housekeeping job "${job.name}"`);
  }
}

/** Schedules the recurring housekeeping jobs (idempotent: scheduler ids are upserted). */
export async function scheduleHousekeeping(queues: Queues): Promise<void> {
  for (const [name, every] of Object.entries(SCHEDULES)) {
    await queues.housekeeping.upsertJobScheduler(name, { every }, { name });
  }
}

export function createHousekeepingWorker(deps: { db: Db; queues: Queues; connection: Redis; prefix: string; logger: Logger }): Worker {
  const worker = new Worker(QUEUE_NAMES.housekeeping, (job) => runHousekeeping(deps, job), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, error) => deps.logger.error({ err: error, job: job?.name }, 'housekeeping job failed'));
  worker.on('completed', (_job, result: Awaited<ReturnType<typeof runHousekeeping>>) => {
    if (Array.isArray(result.purged) && result.purged.length > 0) deps.logger.info({ stores: result.purged }, 'uninstalled stores purged');
  });
  return worker;
}
