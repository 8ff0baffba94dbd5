/**
 * Housekeeping: trims what only needs to be kept for a while. Processed webhook events are kept for
 * `WEBHOOK_EVENT_RETENTION_DAYS` (long enough to investigate a complaint), then deleted. Uninstalled
 * stores are purged once their retention (PURGE_AFTER_DAYS, fixed at uninstall) has run out.
 */
import { Worker, type Job } from 'bullmq';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { purgeDueStores } from '../stores/store-purge.service.ts';
import { deleteFinishedEvents } from '../webhooks/webhook-events.repo.ts';
import { QUEUE_NAMES, type Queues } from './queues.ts';

export const WEBHOOK_EVENT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** Runs one housekeeping job. */
export async function runHousekeeping(db: Db, job: Pick<Job, 'name'>, now = new Date()): Promise<{ deleted: number } | { purged: string[] }> {
  switch (job.name) {
    case 'prune-webhook-events':
      return { deleted: await deleteFinishedEvents(db, new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_DAYS * DAY_MS)) };
    case 'purge-uninstalled-stores':
      return { purged: await purgeDueStores(db, now) };
    default:
      throw new Error(`Unknown housekeeping job "${job.name}"`);
  }
}

/** Schedules the recurring housekeeping jobs (idempotent: a scheduler id is upserted). */
export async function scheduleHousekeeping(queues: Queues): Promise<void> {
  await queues.housekeeping.upsertJobScheduler('prune-webhook-events', { every: 6 * 3600 * 1000 }, {
    name: 'prune-webhook-events',
  });
  await queues.housekeeping.upsertJobScheduler('purge-uninstalled-stores', { every: 3600 * 1000 }, {
    name: 'purge-uninstalled-stores',
  });
}

export function createHousekeepingWorker(deps: { db: Db; connection: Redis; prefix: string; logger: Logger }): Worker {
  const worker = new Worker(QUEUE_NAMES.housekeeping, (job) => runHousekeeping(deps.db, job), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, error) => deps.logger.error({ err: error, job: job?.name }, 'housekeeping job failed'));
  worker.on('completed', (_job, result: Awaited<ReturnType<typeof runHousekeeping>>) => {
    if ('purged' in result && result.purged.length > 0) deps.logger.info({ stores: result.purged }, 'uninstalled stores purged');
  });
  return worker;
}
