/** Processes recorded webhook events, and adds the event jobs of groups received together. */
import { Worker, type Job, type Queue } from 'bullmq';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import type { EventHandlers } from '../bigcommerce/index.ts';
import { eventProcessor } from '../webhooks/process-event.ts';
import { GROUP_JOB, queueGroupEvents, type EventJob, type GroupJob } from '../webhooks/webhooks.service.ts';
import { QUEUE_NAMES } from './queues.ts';
import { outageRetryDelay } from '../outage-retries.ts';
import { delayWhenRateLimited } from './processors.ts';
import { stockFirst, type StockFirst } from './stock-first.ts';

export interface WebhookWorkerDeps {
  db: Db;
  connection: Redis;
  prefix: string;
  /** The webhooks queue, where a group's job adds its events' jobs. */
  queue: Queue;
  logger: Logger;
  handlers: EventHandlers;
  concurrency?: number;
  /** Counts the events being applied, for the work that waits for them (stock-first.ts). */
  stockFirst?: StockFirst;
}

const isGroupJob = (job: Job<EventJob | GroupJob>): job is Job<GroupJob> => job.name === GROUP_JOB;

export function createWebhooksWorker(deps: WebhookWorkerDeps): Worker<EventJob | GroupJob> {
  const processEvent = eventProcessor(deps);
  const stock = deps.stockFirst ?? stockFirst();
  const processEventJob = delayWhenRateLimited((job: Job<EventJob>) =>
    stock.applying(() => processEvent(job.data, { isLast: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) })),
  );
  return new Worker<EventJob | GroupJob>(
    QUEUE_NAMES.webhooks,
    (job, token) => (isGroupJob(job) ? queueGroupEvents(deps.queue, job.data) : processEventJob(job as Job<EventJob>, token)),
    // Handlers mostly wait on BigCommerce and PostgreSQL: many at once keep the process busy. An event's
    // retries wait out an outage (EVENT_RETRIES): `outageRetryDelay` is the backoff of their type.
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 128,
      settings: { backoffStrategy: (attemptsMade: number) => outageRetryDelay(attemptsMade) },
    },
  );
}
