/**
 * Housekeeping: recurring jobs that keep the system tidy and whole.
 * - sweep-webhook-events: re-enqueues recorded events whose jobs Redis lost (every 30 s).
 * - sweep-store-jobs: re-enqueues open runs (an assign, an import, a sync …) whose jobs Redis lost, and ends those
 *   whose jobs BullMQ gave up (every minute).
 * - prune-webhook-events: deletes processed events after `WEBHOOK_EVENT_RETENTION_DAYS` (long enough to
 *   investigate a complaint).
 * - prune-signed-payloads: forgets the ids of used signed payloads once they expired (refused anyway).
 * - sync-billing: the nightly read of every store's Unified Billing subscriptions (a `billing-sync` job per
 *   store): a plan cancelled in the control panel, a failed payment, a period's end are picked up.
 * - purge-uninstalled-stores: deletes the data of stores uninstalled longer ago than their retention
 *   (PURGE_AFTER_DAYS, fixed at uninstall).
 * - poll-levels: asks for a read of every assigned item's level, store by store (BigCommerce sends no
 *   event for a variant's level while its product is untracked).
 * - receive-incoming: adds incoming stock whose back-in-stock date has come (in the store's time zone).
 * - sweep-selling: checks recently changed items whose selling is out of step (a check that could not be
 *   queued when their change committed: Redis was away), and items whose check was given up while
 *   BigCommerce was away (selling-owed.repo.ts), whatever the age of their change.
 * - reconcile-stores: the nightly reconcile of every installed store.
 */
import { Worker, type Job } from 'bullmq';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { deleteExpiredPayloads } from '../app-lifecycle/signed-payloads.repo.ts';
import { receiveDueIncoming, storesWithItems } from '../inventory/incoming.service.ts';
import { recoverLostRuns } from '../jobs/jobs.service.ts';
import { recentlyOutOfStep } from '../inventory/selling-candidates.repo.ts';
import { requestFullLevelSync } from '../inventory/level-sync.jobs.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { queueBillingSync } from '../plans/billing.jobs.ts';
import { storesWithPlans } from '../plans/plans.repo.ts';
import { forgetOwedChecks, owedSellingChecks } from '../selling/selling-owed.repo.ts';
import { queueSellingChecks } from '../selling/selling.jobs.ts';
import { activeStores, queueReconcile } from '../reconcile/reconcile.jobs.ts';
import { purgeDueStores } from '../stores/store-purge.service.ts';
import { deleteFinishedEvents } from '../webhooks/webhook-events.repo.ts';
import { sweepStrandedEvents } from '../webhooks/webhooks.service.ts';
import { QUEUE_NAMES, type Queues } from './queues.ts';

export const WEBHOOK_EVENT_RETENTION_DAYS = 30;
/** An event still unprocessed this long after it was recorded is re-enqueued (its job id keeps one job). */
const SWEEP_GRACE_MS = 10_000;
const DAY_MS = 24 * 3600 * 1000;
const SELLING_SWEEP_MS = 2 * 60_000;

const SCHEDULES = {
  'sweep-webhook-events': 30_000,
  'sweep-store-jobs': 60_000,
  'prune-webhook-events': 6 * 3600 * 1000,
  'prune-signed-payloads': 3600 * 1000,
  'sync-billing': 24 * 3600 * 1000,
  'purge-uninstalled-stores': 3600 * 1000,
  'poll-levels': 5 * 60_000,
  'receive-incoming': 15 * 60_000,
  'sweep-selling': SELLING_SWEEP_MS,
  'reconcile-stores': 24 * 3600 * 1000,
} as const;

/** The longest the selling sweep looks back: the nightly reconcile checks every item anyway. */
const SELLING_SWEEP_MAX_MS = DAY_MS;

/**
 * Where the selling sweep looks back from: twice its period, so a change made while a sweep ran is seen by the
 * next — or, when this run comes late, from when the run before it started (a scheduler's next run is added as
 * the one before starts): changes made while Redis was away, their checks unqueued and no sweep running, are
 * older than two periods by the time Redis is back.
 */
function sellingSweepSince(job: Partial<Pick<Job, 'timestamp'>>, now: Date): Date {
  const twoPeriods = now.getTime() - 2 * SELLING_SWEEP_MS;
  const previousRun = (job.timestamp ?? now.getTime()) - SELLING_SWEEP_MS;
  return new Date(Math.max(now.getTime() - SELLING_SWEEP_MAX_MS, Math.min(twoPeriods, previousRun)));
}

/** Runs one housekeeping job. */
export async function runHousekeeping(
  deps: { db: Db; queues: Pick<Queues, 'webhooks' | 'levels' | 'reconcile' | 'selling' | 'storeJobs'>; effects?: StockEffects; logger?: Logger },
  job: Pick<Job, 'name'> & Partial<Pick<Job, 'timestamp'>>,
  now = new Date(),
): Promise<Record<string, number | string[]>> {
  switch (job.name) {
    case 'sweep-webhook-events':
      return { enqueued: await sweepStrandedEvents(deps.db, deps.queues.webhooks, SWEEP_GRACE_MS, now) };
    case 'sweep-store-jobs':
      return recoverLostRuns(deps.db, deps.queues.storeJobs, now.getTime());
    case 'prune-webhook-events':
      return { deleted: await deleteFinishedEvents(deps.db, new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_DAYS * DAY_MS)) };
    case 'prune-signed-payloads':
      return { deleted: await deleteExpiredPayloads(deps.db, now) };
    case 'sync-billing': {
      const stores = await storesWithPlans(deps.db);
      for (const storeHash of stores) await queueBillingSync(deps.queues.reconcile, storeHash);
      return { stores: stores.length };
    }
    case 'purge-uninstalled-stores':
      return { purged: await purgeDueStores(deps.db, now) };
    case 'poll-levels': {
      const stores = await storesWithItems(deps.db);
      for (const storeHash of stores) await requestFullLevelSync(deps.queues.levels, storeHash);
      return { stores: stores.length };
    }
    case 'receive-incoming':
      if (!deps.effects) throw new Error('receive-incoming needs the stock effects');
      return { received: await receiveDueIncoming({ db: deps.db, effects: deps.effects, ...(deps.logger ? { logger: deps.logger } : {}) }) };
    case 'sweep-selling': {
      const due = await recentlyOutOfStep(deps.db, sellingSweepSince(job, now));
      // Checks given up while BigCommerce was away, whatever the age of their change: asked again, then forgotten.
      const owed = await owedSellingChecks(deps.db);
      for (const check of owed.filter((c) => c.due)) due.set(check.store_hash, [...(due.get(check.store_hash) ?? []), check.item_id]);
      for (const [storeHash, itemIds] of due) await queueSellingChecks(deps.queues.selling, storeHash, itemIds);
      await forgetOwedChecks(deps.db, owed);
      return { items: [...due.values()].reduce((sum, items) => sum + new Set(items).size, 0) };
    }
    case 'reconcile-stores': {
      const stores = await activeStores(deps.db);
      for (const storeHash of stores) await queueReconcile(deps.queues.reconcile, storeHash);
      return { stores: stores.length };
    }
    default:
      throw new Error(`Unknown housekeeping job "${job.name}"`);
  }
}

/** Schedules the recurring housekeeping jobs (idempotent: scheduler ids are upserted). */
export async function scheduleHousekeeping(queues: Queues): Promise<void> {
  // Plans renewed themselves before Unified Billing; BigCommerce renews subscriptions now.
  await queues.housekeeping.removeJobScheduler('renew-plans');
  for (const [name, every] of Object.entries(SCHEDULES)) {
    await queues.housekeeping.upsertJobScheduler(name, { every }, { name });
  }
}

/** How often each worker process makes sure the recurring jobs are scheduled (`keepHousekeepingScheduled`). */
export const SCHEDULE_CHECK_MS = 60_000;

/**
 * Schedules the recurring jobs again every `everyMs`, until the returned function is called. Redis that comes
 * back empty (restarted without its append-only file, a failover to a replica that was behind, a FLUSHALL)
 * loses the schedulers, and BullMQ adds no next run of a scheduler whose job it could not move on as it
 * started (Redis failing at that moment): either would leave the webhook sweeper, the selling sweep and the
 * nightly reconcile unscheduled until a worker restarts. An upsert keeps a scheduled run's time, so a check
 * changes nothing while all is well; one waiting for Redis is not joined by the next.
 */
export function keepHousekeepingScheduled(queues: Queues, logger: Logger, everyMs = SCHEDULE_CHECK_MS): () => void {
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    scheduleHousekeeping(queues)
      .catch((error: unknown) => logger.warn({ err: error }, 'the recurring housekeeping jobs could not be scheduled again; the next check tries again'))
      .finally(() => (checking = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function createHousekeepingWorker(deps: { db: Db; queues: Queues; connection: Redis; prefix: string; logger: Logger; effects: StockEffects }): Worker {
  const worker = new Worker(QUEUE_NAMES.housekeeping, (job) => runHousekeeping(deps, job), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 1,
  });
  worker.on('completed', (_job, result: Awaited<ReturnType<typeof runHousekeeping>>) => {
    if (Array.isArray(result.purged) && result.purged.length > 0) deps.logger.info({ stores: result.purged }, 'uninstalled stores purged');
  });
  return worker;
}
