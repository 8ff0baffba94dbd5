/**
 * Receiving a webhook does one thing, fast: verify, record durably, enqueue, acknowledge. Processing
 * happens in the webhooks worker. If PostgreSQL cannot record the event, BigCommerce gets a 503 and
 * retries; if Redis cannot take the job, the event is still recorded and the sweeper enqueues it later.
 * Deliveries arriving together are recorded in one INSERT and then enqueued in one bulk add, or in one job
 * that adds theirs when a worker runs it (group commit): each is still acknowledged only once its own row is
 * committed and its job, or its group's, added.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Queue } from 'bullmq';
import type { Db } from '../db/database.ts';
import type { WebhookEvent } from '../db/schema.ts';
import { asError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { groupCommit } from '../db/group-commit.ts';
import { OUTAGE_RETRIES } from '../outage-retries.ts';
import { withTimeout } from '../with-timeout.ts';
import { jobIdFor, parseEnvelope, type Envelope } from './envelope.ts';
import { findStranded, recordEvent, recordEvents, reopenEvents, reopenFailedEvents, type Delivery, type RecordedEvent } from './webhook-events.repo.ts';

/** Checks that a delivery comes from BigCommerce (the secret header; a signature when present). */
export type DeliveryVerifier = (rawBody: Buffer, headers: IncomingHttpHeaders, storeHash: string) => DeliveryCheck | Promise<DeliveryCheck>;

export type DeliveryCheck = { ok: true } | { ok: false; reason: string };

export interface ReceiveDeps {
  db: Db;
  queue: Queue;
  verify: DeliveryVerifier;
  logger: Logger;
}

/** What the delivery gets; `storeHash` once the envelope names its store. */
export type ReceiveOutcome =
  | { status: 200; storeHash: string; eventId: number; duplicate: boolean }
  | { status: 400; reason: string }
  | { status: 401 | 503; storeHash: string; reason: string };

/** How long an acknowledgement waits for Redis before leaving the event to the sweeper. */
const ENQUEUE_TIMEOUT_MS = 2_000;

/**
 * An event's job. It carries the event's envelope and receipt, so that processing it need not read its row
 * back; jobs queued by a version before these were carried have neither, and their event is read.
 */
export interface EventJob {
  eventId: number;
  storeHash: string;
  scope: string;
  envelope?: Envelope;
  /** When the event was recorded (epoch ms). */
  receivedAt?: number;
}

const jobIdOf = (event: Pick<WebhookEvent, 'store_hash' | 'scope' | 'hash' | 'event_created_at'>) =>
  jobIdFor(event.store_hash, { scope: event.scope, hash: event.hash, created_at: event.event_created_at });

/** A recorded event to queue, with its envelope. */
type QueuedEvent = Pick<WebhookEvent, 'id' | 'store_hash' | 'scope' | 'hash' | 'event_created_at' | 'received_at'> & { envelope: Envelope };

const queuedOf = (event: WebhookEvent): QueuedEvent => ({ ...event, envelope: event.payload as Envelope });

/**
 * An event's tries. BigCommerce's API down for a while must not fail the events that arrived meanwhile: their
 * stock would stay wrong until the nightly reconcile. So an event waits the outage out (OUTAGE_RETRIES: half an
 * hour to an hour), where other jobs give up after about 2 minutes.
 */
export const EVENT_RETRIES = OUTAGE_RETRIES;

const jobOf = (event: QueuedEvent) => {
  const data: EventJob = {
    eventId: event.id,
    storeHash: event.store_hash,
    scope: event.scope,
    envelope: event.envelope,
    receivedAt: event.received_at.getTime(),
  };
  return { name: event.scope, data, opts: { jobId: jobIdOf(event), ...EVENT_RETRIES } };
};

/** Adds the event's job; the job id is the event key, so adding it twice keeps one job. */
export async function enqueueEvent(queue: Queue, event: QueuedEvent): Promise<void> {
  const { name, data, opts } = jobOf(event);
  await queue.add(name, data, opts);
}

/**
 * A group this big is enqueued as one job, whose run (in the webhooks worker) adds its events' jobs
 * (`queueGroupEvents`). A bulk add costs Redis a script run per job, and the acknowledgements waited for all of
 * them. A smaller group's events are added at once, sparing them the extra job's hop at the rates a store
 * usually sends.
 */
const GROUP_JOB_FROM = 8;

/**
 * Deliveries taken together, each group recorded (one INSERT) and then enqueued. While a group is taken the
 * next one gathers, so a group grows with the load; once a group's worth waits, it goes beside the one in
 * flight, its INSERT overlapping the other's queue add. In the receive benchmark (32 connections), one job per
 * big group took about 40 % more deliveries a second than a bulk add of its events, and the second group in
 * flight about 15 % more again; a second group in flight whatever its size gave fewer (smaller groups, more
 * statements).
 */
const GROUP = { concurrency: 2, overlapFrom: GROUP_JOB_FROM, maxSize: 200 };

/** The name of the job that adds a group's event jobs. */
export const GROUP_JOB = 'queue-events';

/** An event's job as it is added: BullMQ's name, data and options. */
type EventJobToAdd = ReturnType<typeof jobOf>;

/** A group's job: the jobs of its events, added when it runs. */
export interface GroupJob {
  events: EventJobToAdd[];
}

/**
 * Adds a group's event jobs. Each keeps its own id, so a run repeated after a crash adds none twice; and an
 * event whose jobs never come (its group's job lost with Redis) is enqueued by the sweeper, as any other.
 */
export async function queueGroupEvents(queue: Queue, group: GroupJob): Promise<void> {
  await queue.addBulk(group.events);
}

type Recorded = { event: RecordedEvent; isNew: boolean };

/** A delivery taken: recorded, and enqueued unless `enqueueError` says why not (the sweeper will). */
type Taken = Recorded & { enqueueError?: Error };

/**
 * Records deliveries together; should the shared statement fail, each is tried alone, so that one
 * delivery PostgreSQL refuses is answered 503 without its neighbours.
 */
async function recordTogether(db: Db, deliveries: Delivery[]): Promise<Array<Recorded | Error>> {
  try {
    return await recordEvents(db, deliveries);
  } catch (error) {
    if (deliveries.length === 1) return [asError(error)];
    const alone = await Promise.allSettled(deliveries.map(({ storeHash, envelope }) => recordEvent(db, storeHash, envelope)));
    return alone.map((r) => (r.status === 'fulfilled' ? r.value : asError(r.reason)));
  }
}

/**
 * A repeated delivery's job. Two changes of one order or product within a second are two identical deliveries
 * (BigCommerce's `hash` is of `{type, id}`, its `created_at` in seconds): a repeat may be a later change that
 * the first run read too early to see, so its handler runs again. Handlers converge: a true duplicate changes
 * nothing. The event stays recorded once.
 *
 * An event's repeats share one deduplication id, so however many arrive (a backlog retried, a sender looping)
 * at most one waits: a repeat arriving while another waits is dropped, the waiting one reading later than it
 * was sent; one arriving while another runs (which may have read already) is kept, the latest only, and
 * queued when that run ends: an event's repeats are never more than one running and one waiting.
 */
const repeatJobOf = (event: QueuedEvent) => {
  const job = jobOf(event);
  const deduplication = { id: `${job.opts.jobId}-again`, keepLastIfActive: true };
  // Its lag runs from this delivery: a retry BigCommerce sends hours later is not hours late.
  return { ...job, data: { ...job.data, receivedAt: Date.now() }, opts: { ...job.opts, jobId: `${job.opts.jobId}-again-${randomUUID()}`, deduplication } };
};

/** Records deliveries together, then adds their jobs in one bulk add, or one group job (a repeat's as `repeatJobOf`). */
async function takeTogether(deps: ReceiveDeps, deliveries: Delivery[]): Promise<Array<Taken | Error>> {
  const recorded = await recordTogether(deps.db, deliveries);
  const jobs = recorded.flatMap((r, index) => {
    if (r instanceof Error) return [];
    const event = { ...r.event, envelope: deliveries[index]!.envelope };
    return [r.isNew ? jobOf(event) : repeatJobOf(event)];
  });
  let enqueueError: Error | undefined;
  if (jobs.length > 0) {
    try {
      const added: Promise<unknown> = jobs.length >= GROUP_JOB_FROM ? deps.queue.add(GROUP_JOB, { events: jobs } satisfies GroupJob) : deps.queue.addBulk(jobs);
      // BullMQ waits for a lost Redis indefinitely; the acknowledgements must not.
      await withTimeout(added, ENQUEUE_TIMEOUT_MS, 'no answer from Redis');
    } catch (error) {
      enqueueError = asError(error);
    }
  }
  if (enqueueError) {
    // A repeat's event may have finished already, and the sweeper queues only events still `received`: the
    // run the repeat is owed (a later change of the order, read too early by the first) would be lost with
    // the job. Reopened, it waits for the sweeper; if PostgreSQL cannot reopen it, BigCommerce retries it.
    const repeats = recorded.flatMap((r) => (r instanceof Error || r.isNew ? [] : [r.event.id]));
    try {
      await reopenEvents(deps.db, repeats);
    } catch (error) {
      const failed = asError(error);
      return recorded.map((r) => (r instanceof Error ? r : r.isNew ? { ...r, enqueueError } : failed));
    }
  }
  return recorded.map((r) => (r instanceof Error ? r : { ...r, enqueueError }));
}

/** A delivery's receipt, as the webhook route runs it (`webhookReceiver`). */
export type Receive = (rawBody: Buffer, headers: IncomingHttpHeaders) => Promise<ReceiveOutcome>;

/** The webhook route's receiver: deliveries that arrive together share one INSERT and one bulk add. */
export function webhookReceiver(deps: ReceiveDeps): Receive {
  const means = { ...deps, take: groupCommit(async (deliveries: Delivery[]) => takeTogether(deps, deliveries), GROUP) };
  return (rawBody, headers) => receiveDelivery(means, rawBody, headers);
}

/** Receives one delivery with this means of taking it (recording and enqueueing). */
async function receiveDelivery(
  deps: ReceiveDeps & { take(delivery: Delivery): Promise<Taken> },
  rawBody: Buffer,
  headers: IncomingHttpHeaders,
): Promise<ReceiveOutcome> {
  const parsed = parseEnvelope(rawBody);
  if (!parsed.ok) return { status: 400, reason: `Not a BigCommerce webhook: ${parsed.reason}` };
  let verified: DeliveryCheck;
  try {
    verified = await deps.verify(rawBody, headers, parsed.storeHash);
  } catch (error) {
    // A delivery without the current secret needs PostgreSQL to say which older secret the store's hooks carry.
    deps.logger.error({ err: error, storeHash: parsed.storeHash, scope: parsed.envelope.scope }, 'webhook could not be verified; asking BigCommerce to retry');
    return { status: 503, storeHash: parsed.storeHash, reason: 'The delivery could not be verified now; please retry.' };
  }
  if (!verified.ok) return { status: 401, storeHash: parsed.storeHash, reason: `Delivery not verified: ${verified.reason}` };

  let taken: Taken;
  try {
    taken = await deps.take({ storeHash: parsed.storeHash, envelope: parsed.envelope as Envelope });
  } catch (error) {
    deps.logger.error({ err: error, storeHash: parsed.storeHash, scope: parsed.envelope.scope }, 'webhook could not be recorded; asking BigCommerce to retry');
    return { status: 503, storeHash: parsed.storeHash, reason: 'The event could not be recorded; please retry.' };
  }
  if (taken.enqueueError) {
    deps.logger.warn(
      { err: taken.enqueueError, storeHash: parsed.storeHash, eventId: taken.event.id },
      'webhook recorded but not enqueued; the sweeper will enqueue it',
    );
  }
  return { status: 200, storeHash: parsed.storeHash, eventId: taken.event.id, duplicate: !taken.isNew };
}

/**
 * Re-enqueues events recorded more than `graceMs` ago and still unprocessed; returns how many. An event
 * whose job already ended without recording its outcome (PostgreSQL was away through every attempt) has
 * its job run again with fresh attempts: adding a job under the same id would be a no-op.
 */
export async function sweepStrandedEvents(db: Db, queue: Queue, graceMs = 60_000, now = new Date()): Promise<number> {
  const stranded = await findStranded(db, new Date(now.getTime() - graceMs), 1_000);
  for (const event of stranded) await requeueEvent(queue, event);
  return stranded.length;
}

/**
 * Queues an unprocessed event's job again: added when Redis has none, or run again with fresh attempts when
 * its job already ended (adding a job under the same id would be a no-op).
 */
async function requeueEvent(queue: Queue, event: WebhookEvent): Promise<void> {
  const job = await queue.getJob(jobIdOf(event));
  if (!job) await enqueueEvent(queue, queuedOf(event));
  else if (job.finishedOn !== undefined) {
    // Only a job that ended needs its state asked: one still waiting or retrying is left alone.
    const state = await job.getState();
    if (state === 'failed' || state === 'completed') await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
  }
}

/** The operator's replay: the store's failed events are processed again (each after `onEach`); returns how many. */
export async function replayFailedEvents(db: Db, queue: Queue, storeHash: string, onEach?: (done: number, total: number) => void): Promise<number> {
  const events = await reopenFailedEvents(db, storeHash);
  for (const [index, event] of events.entries()) {
    await requeueEvent(queue, event);
    onEach?.(index + 1, events.length);
  }
  return events.length;
}
