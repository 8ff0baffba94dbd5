/** Processes recorded webhook events, and sweeps up events whose jobs Redis lost. */
import { Worker, type Job } from 'bullmq';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import type { EventHandlers } from '../bigcommerce/index.ts';
import { eventProcessor } from '../webhooks/process-event.ts';
import { eventRetryDelay, type EventJob } from '../webhooks/webhooks.service.ts';
import { QUEUE_NAMES } from './queues.ts';
import { delayWhenRateLimited } from './processors.ts';
import { stockFirst, type StockFirst } from './stock-first.ts';

export interface WebhookWorkerDeps {
  db: Db;
  connection: Redis;
  prefix: string;
  logger: Logger;
  handlers: EventHandlers;
  concurrency?: number;
  /** Counts the events being applied, for the work that waits for them (stock-first.ts). */
  stockFirst?: StockFirst;
}

export function createWebhooksWorker(deps: WebhookWorkerDeps): Worker<EventJob> {
  const processEvent = eventProcessor(deps);
  const stock = deps.stockFirst ?? stockFirst();
  return new Worker<EventJob>(
    QUEUE_NAMES.webhooks,
    delayWhenRateLimited((job: Job<EventJob>) => stock.applying(() => processEvent(job.data, { isLast: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }))),
    // Handlers mostly wait on BigCommerce and PostgreSQL: many at once keep the process busy. An event's
    // retries wait out an outage (EVENT_RETRIES): `eventRetryDelay` is the backoff of their type.
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 128,
      settings: { backoffStrategy: (attemptsMade: number) => eventRetryDelay(attemptsMade) },
    },
  );
}
