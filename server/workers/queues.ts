/**
 * Queue names and the job options every queue starts from (BullMQ's production advice: natural job ids,
 * exponential backoff with jitter, bounded completed/failed sets, no secrets in job data).
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from '../redis.ts';

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

/** One Queue per name, sharing the producer connection and key prefix. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const entries = Object.entries(QUEUE_NAMES).map(([key, name]) => [key, new Queue(name, { connection, prefix, defaultJobOptions })] as const);
  const queues = Object.fromEntries(entries) as Record<keyof typeof QUEUE_NAMES, Queue>;
  return {
    ...queues,
    async close() {
      await Promise.all(entries.map(([, queue]) => queue.close()));
    },
  };
}

/** The queues as a list (without `close`). */
export function queueList(queues: Queues): Queue[] {
  return (Object.keys(QUEUE_NAMES) as Array<keyof typeof QUEUE_NAMES>).map((key) => queues[key]);
}

/** Each queue's job counts by state, for `backorder_queue_jobs`. */
export async function queueDepths(queues: Queues): Promise<Array<{ queue: string; counts: Record<string, number> }>> {
  return Promise.all(queueList(queues).map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts() })));
}
