/**
 * Queue names and the job options every queue starts from (BullMQ's production advice: natural job ids,
 * exponential backoff with jitter, bounded completed/failed sets, no secrets in job data).
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import { atMostEvery, type Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { ERROR_LOG_INTERVAL_MS } from './job-failures.ts';

export const QUEUE_NAMES = {
  housekeeping: 'housekeeping',
  /** Long work of one store with a progress bar: install, catalog sync, release all. */
  storeJobs: 'store-jobs',
  webhooks: 'webhooks',
  /** Stop / resume selling an item whose salable quantity crossed 0. */
  selling: 'selling',
  /** Re-read levels from BigCommerce, coalesced per store. */
  levels: 'levels',
  /** Write the BackOrder note into an order. */
  orderNotes: 'order-notes',
  /** Prove and heal one store (nightly, or on demand). */
  reconcile: 'reconcile',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const defaultJobOptions: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 14 * 24 * 3600 },
};

export type Queues = Record<keyof typeof QUEUE_NAMES, Queue> & { close(): Promise<void> };

/** One Queue per name, sharing the producer connection and key prefix; their errors go to `logger`. */
export function createQueues(connection: Redis, prefix: string, logger: Logger): Queues {
  const entries = Object.entries(QUEUE_NAMES).map(([key, name]) => [key, new Queue(name, { connection, prefix, defaultJobOptions })] as const);
  const queues = Object.fromEntries(entries) as Record<keyof typeof QUEUE_NAMES, Queue>;
  const stopReporting = reportErrors(
    entries.map(([, queue]) => queue),
    connection,
    logger,
  );
  return {
    ...queues,
    async close() {
      stopReporting();
      await Promise.all(entries.map(([, queue]) => queue.close()));
    },
  };
}

/**
 * The queues' errors as JSON lines: the first when their connection fails, then at most one a minute while
 * it stays down, and one when it is back. Without an 'error' listener, a queue whose job scheduler is open
 * (housekeeping's, and any bull-board reads) has BullMQ print each error it is handed to stderr, a stack
 * block for every reconnect attempt: 1,240 lines in 40 s of an outage.
 */
function reportErrors(queues: Queue[], connection: Redis, logger: Logger): () => void {
  const name = connection.options.connectionName;
  let failingSince: number | undefined;
  const logGate = atMostEvery(ERROR_LOG_INTERVAL_MS);
  const onError = (error: Error) => {
    failingSince ??= Date.now();
    // Every queue hears each error of the connection they share: one line says it for all.
    if (!logGate.due()) return;
    logger.warn({ err: error, connection: name }, `queues: ${error.message} (the connection retries by itself)`);
  };
  const onReady = () => {
    if (failingSince === undefined) return;
    const downMs = Date.now() - failingSince;
    failingSince = undefined;
    logGate.reopen();
    logger.info({ connection: name, downMs }, `queues: Redis connection back after ${Math.round(downMs / 1000)} s`);
  };
  for (const queue of queues) queue.on('error', onError);
  connection.on('ready', onReady);
  return () => connection.off('ready', onReady);
}

/** The queues as a list (without `close`). */
export function queueList(queues: Queues): Queue[] {
  return (Object.keys(QUEUE_NAMES) as Array<keyof typeof QUEUE_NAMES>).map((key) => queues[key]);
}

/** Each queue's job counts by state, for `backorder_queue_jobs`. */
export async function queueDepths(queues: Queues): Promise<Array<{ queue: string; counts: Record<string, number> }>> {
  return Promise.all(queueList(queues).map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts() })));
}
