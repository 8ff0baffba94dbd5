import { Queue, UnrecoverableError, type Worker } from 'bullmq';
import express from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis, type Redis } from '../../../server/redis.ts';
import type { HandledEvent } from '../../../server/bigcommerce/index.ts';
import { WEBHOOK_PATH } from '../../../server/registration/registration.service.ts';
import { webhookRoute } from '../../../server/webhooks/webhooks.routes.ts';
import { GROUP_JOB, sweepStrandedEvents, type DeliveryVerifier, type GroupJob } from '../../../server/webhooks/webhooks.service.ts';
import { QUEUE_NAMES } from '../../../server/workers/queues.ts';
import { webhookLag } from '../../../server/metrics/metrics.ts';
import { createWebhooksWorker } from '../../../server/workers/webhooks.worker.ts';
import { testConfig } from '../../helpers/config.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { listen, type Listening } from '../../helpers/http.ts';
import { eventually } from '../../helpers/wait.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

const SECRET = 's3cret';
/** Deliveries verified so far: each goes on to be recorded at once. */
let verified = 0;
const verify: DeliveryVerifier = (_body, headers) => {
  verified++;
  return headers['x-test-secret'] === SECRET ? { ok: true } : { ok: false, reason: 'the secret header is missing or wrong' };
};
const logger = createLogger({ level: 'silent' });

let database: TestDatabase;
let producer: Redis;
let workerConnection: Redis;
let queue: Queue;
let worker: Worker;
let server: Listening;
const handled: HandledEvent[] = [];
/** Orders whose status events fail for good while listed here. */
const failing = new Set<number>();
/** Orders whose archive events fail (BigCommerce away) this many times more. */
const away = new Map<number, number>();
/** Orders whose update events wait for this, once begun. */
const held = new Map<number, Promise<void>>();

beforeAll(async () => {
  database = await createTestDatabase();
  const { queuePrefix, redisUrl } = testConfig();
  producer = createRedis(redisUrl!, 'producer');
  workerConnection = createRedis(redisUrl!, 'worker');
  queue = new Queue(QUEUE_NAMES.webhooks, { connection: producer, prefix: queuePrefix });
  worker = createWebhooksWorker({
    db: database.db,
    connection: workerConnection,
    prefix: queuePrefix,
    queue,
    logger,
    handlers: {
      'store/order/created': async (event) => void handled.push(event),
      'store/order/updated': async (event) => {
        handled.push(event);
        await held.get((event.envelope.data as { id: number }).id);
      },
      'store/order/archived': async (event) => {
        const orderId = (event.envelope.data as { id: number }).id;
        const left = away.get(orderId) ?? 0;
        if (left > 0) {
          away.set(orderId, left - 1);
          throw new Error('BigCommerce answered 503');
        }
        handled.push(event);
      },
      'store/order/statusUpdated': async (event) => {
        if (failing.has((event.envelope.data as { id: number }).id)) throw new UnrecoverableError('BigCommerce is away');
        handled.push(event);
      },
    },
  });
  const app = express();
  app.use(webhookRoute({ db: database.db, queue, verify, logger }));
  server = await listen(app);
});
afterAll(async () => {
  await worker?.close();
  await queue?.close();
  await server?.close();
  producer?.disconnect();
  workerConnection?.disconnect();
  await database?.close();
});

let nextOrder = 1;
function envelope(scope: string, data: object, createdAt = 1_795_000_000) {
  return webhookEnvelope('abc123', scope, data, createdAt, '1025646');
}

function deliver(body: object | string, headers: Record<string, string> = { 'x-test-secret': SECRET }, url = server.url) {
  return fetch(`${url}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const eventsFor = (orderId: number) => handled.filter((e) => (e.envelope.data as { id: number }).id === orderId);

describe('receiving webhooks', () => {
  it('when the same event is delivered 5 times at once, then it is recorded once, handled, and processed', async () => {
    const orderId = nextOrder++;
    const event = envelope('store/order/created', { type: 'order', id: orderId });
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(event)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    await eventually(() => expect(eventsFor(orderId).length).toBeGreaterThanOrEqual(1));
    // The outcome is recorded after the handler, with the events that finished beside it.
    const rows = () => database.db.selectFrom('webhook_events').selectAll().where('hash', '=', event.hash).execute();
    await eventually(async () => expect((await rows()).map((row) => row.status)).toEqual(['processed']));
  });

  it('when many deliveries arrive while others are being recorded, then they are queued as one job, and each event is handled once', async () => {
    const orders = Array.from({ length: 40 }, () => nextOrder++);
    // The table held: the first deliveries' INSERTs wait, and the rest gather behind them.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = database.db.transaction().execute(async (trx) => {
      await sql`lock table webhook_events in share mode`.execute(trx);
      locked();
      await held;
    });
    await lockTaken;
    const before = verified;
    const answers = Promise.all(orders.map((id) => deliver(envelope('store/order/created', { type: 'order', id }))));
    await eventually(() => expect(verified - before).toBe(orders.length));
    release();
    await holding;
    expect((await answers).map((r) => r.status)).toEqual(orders.map(() => 200));

    await eventually(() => expect(orders.map((id) => eventsFor(id).length)).toEqual(orders.map(() => 1)));
    const groups = (await queue.getJobs(['completed'])).filter((job) => job.name === GROUP_JOB).map((job) => (job.data as GroupJob).events.length);
    expect(Math.max(0, ...groups)).toBeGreaterThanOrEqual(8);
    const statuses = () =>
      database.db
        .selectFrom('webhook_events')
        .select('status')
        .where(
          'hash',
          'in',
          orders.map((id) => envelope('store/order/created', { type: 'order', id }).hash),
        )
        .execute();
    await eventually(async () => expect((await statuses()).map((row) => row.status)).toEqual(orders.map(() => 'processed')));
  });

  it('when an event is delivered again after it was handled, then it is handled again: a second change within the same second looks the same', async () => {
    const orderId = nextOrder++;
    const event = envelope('store/order/updated', { type: 'order', id: orderId });
    await deliver(event);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(1));
    // Its lag runs from its own delivery, not the first one's (a retry hours later is not hours late).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const lagSum = async () =>
      (await webhookLag.get()).values.find((v) => v.metricName?.endsWith('_sum') && v.labels['scope'] === 'store/order/updated')?.value ?? 0;
    const before = await lagSum();
    await deliver(event);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(2));
    await eventually(async () => expect(await lagSum()).toBeGreaterThan(before));
    expect((await lagSum()) - before).toBeLessThan(1);
    const rows = await database.db.selectFrom('webhook_events').select('status').where('hash', '=', event.hash).execute();
    expect(rows).toEqual([{ status: 'processed' }]);
  });

  it('when an event is delivered again many times while a repeat waits, then one repeat waits and runs', async () => {
    const orderId = nextOrder++;
    const event = envelope('store/order/updated', { type: 'order', id: orderId });
    const jobsOfEvent = async () =>
      (await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).filter(
        (job) => job.data.eventId !== undefined && (job.data.envelope?.data as { id: number } | undefined)?.id === orderId,
      );
    await worker.pause();
    try {
      for (let i = 0; i < 10; i++) expect((await deliver(event)).status).toBe(200);
      // The first delivery's job and one repeat's: the repeat reads after the last delivery was sent.
      expect(await jobsOfEvent()).toHaveLength(2);
    } finally {
      worker.resume();
    }
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(2));
    await eventually(async () => expect(await jobsOfEvent()).toHaveLength(0));
    // Once the repeat has run, a new delivery runs again.
    await deliver(event);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(3));
  });

  it('when an event is delivered again while its repeat runs, then one more run follows that run', async () => {
    const orderId = nextOrder++;
    const event = envelope('store/order/updated', { type: 'order', id: orderId });
    await deliver(event);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(1));
    let release!: () => void;
    held.set(orderId, new Promise((resolve) => (release = resolve)));
    await deliver(event);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(2));
    // The running repeat may have read before these were sent: the last of them runs after it.
    for (let i = 0; i < 5; i++) await deliver(event);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventsFor(orderId)).toHaveLength(2);
    held.delete(orderId);
    release();
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventsFor(orderId)).toHaveLength(3);
  });

  it('when a later event has the same hash but a later created_at, then it is processed too', async () => {
    const orderId = nextOrder++;
    const first = envelope('store/order/updated', { type: 'order', id: orderId }, 1_795_000_000);
    const later = envelope('store/order/updated', { type: 'order', id: orderId }, 1_795_000_060);
    expect(later.hash).toBe(first.hash);
    await deliver(first);
    await deliver(later);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(2));
  });

  it('when the secret header is missing or wrong, then the delivery is refused and not recorded', async () => {
    const event = envelope('store/order/created', { type: 'order', id: nextOrder++ });
    const missing = await deliver(event, {});
    const wrong = await deliver(event, { 'x-test-secret': 'guess' });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(await missing.json()).toEqual({ error: 'Delivery not verified: the secret header is missing or wrong' });
    const rows = await database.db.selectFrom('webhook_events').select('id').where('hash', '=', event.hash).execute();
    expect(rows).toHaveLength(0);
  });

  it('when the body is not a BigCommerce envelope, then it is refused saying what is wrong', async () => {
    const response = await deliver({ scope: 'store/order/created', data: {} });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/store_id.*hash.*created_at.*producer/s);
  });

  it('when the scope is unknown, then the event is recorded, acknowledged and marked ignored', async () => {
    const event = envelope('store/cart/created', { type: 'cart', id: 'x' });
    expect((await deliver(event)).status).toBe(200);
    await eventually(async () => {
      const row = await database.db.selectFrom('webhook_events').select('status').where('hash', '=', event.hash).executeTakeFirst();
      expect(row?.status).toBe('ignored');
    });
  });

  it('when PostgreSQL cannot record the event, then BigCommerce gets a 503 to retry', async () => {
    const deadDatabase = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    const app = express();
    app.use(webhookRoute({ db: deadDatabase.db, queue, verify, logger }));
    const deadServer = await listen(app);
    try {
      const response = await deliver(envelope('store/order/created', { type: 'order', id: nextOrder++ }), undefined, deadServer.url);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
    } finally {
      await deadServer.close();
      await deadDatabase.close();
    }
  });

  it('when Redis cannot take the job, then the event is still acknowledged and the sweeper gets it processed', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'producer');
    const deadQueue = new Queue(QUEUE_NAMES.webhooks, { connection: deadRedis, prefix: '{dead}' });
    const app = express();
    app.use(webhookRoute({ db: database.db, queue: deadQueue, verify, logger }));
    const deadServer = await listen(app);
    const orderId = nextOrder++;
    try {
      expect((await deliver(envelope('store/order/created', { type: 'order', id: orderId }), undefined, deadServer.url)).status).toBe(200);
    } finally {
      await deadServer.close();
      await deadQueue.close().catch(() => {});
      deadRedis.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(eventsFor(orderId)).toHaveLength(0);

    expect(await sweepStrandedEvents(database.db, queue, 0)).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(1));
  });

  it('when a repeat of an event already processed arrives while Redis cannot take its job, then it is acknowledged and the sweeper runs the event again', async () => {
    const orderId = nextOrder++;
    const event = envelope('store/order/created', { type: 'order', id: orderId });
    expect((await deliver(event)).status).toBe(200);
    const row = () => database.db.selectFrom('webhook_events').selectAll().where('hash', '=', event.hash).executeTakeFirstOrThrow();
    await eventually(async () => expect((await row()).status).toBe('processed'));
    expect(eventsFor(orderId)).toHaveLength(1);

    // The same delivery again (a second change of the order within its second), while Redis is away.
    const deadRedis = createRedis('redis://127.0.0.1:1', 'producer');
    const deadQueue = new Queue(QUEUE_NAMES.webhooks, { connection: deadRedis, prefix: '{dead}' });
    const app = express();
    app.use(webhookRoute({ db: database.db, queue: deadQueue, verify, logger }));
    const deadServer = await listen(app);
    try {
      expect((await deliver(event, undefined, deadServer.url)).status).toBe(200);
    } finally {
      await deadServer.close();
      await deadQueue.close().catch(() => {});
      deadRedis.disconnect();
    }
    expect((await row()).status).toBe('received');

    expect(await sweepStrandedEvents(database.db, queue, 0)).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(2));
    await eventually(async () => expect((await row()).status).toBe('processed'));
  });

  it('when BigCommerce is away as an event is handled, then the event waits for its next tries (twenty, half an hour and more) and is handled once it is back', async () => {
    const orderId = nextOrder++;
    away.set(orderId, 2);
    const event = envelope('store/order/archived', { type: 'order', id: orderId });
    expect((await deliver(event)).status).toBe(200);
    const row = () => database.db.selectFrom('webhook_events').selectAll().where('hash', '=', event.hash).executeTakeFirstOrThrow();
    const { id: eventId } = await row();
    const job = await eventually(async () => {
      const found = (await queue.getJobs(['waiting', 'active', 'delayed'])).find((queued) => queued.data.eventId === eventId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(job.opts).toMatchObject({ attempts: 20, backoff: { type: 'outage' } });
    await eventually(async () => expect(await job.getState()).toBe('delayed'));
    expect((await row()).status).toBe('received');
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(1), 15_000);
    // The handler has run; its outcome is recorded after it, with the others finished at the same moment.
    await eventually(async () => expect((await row()).status).toBe('processed'));
  });

  it('when an event’s job ended but its outcome never reached PostgreSQL, then the sweeper runs the job again', async () => {
    const orderId = nextOrder++;
    failing.add(orderId);
    const event = envelope('store/order/statusUpdated', { type: 'order', id: orderId });
    expect((await deliver(event)).status).toBe(200);
    const row = () => database.db.selectFrom('webhook_events').selectAll().where('hash', '=', event.hash).executeTakeFirstOrThrow();
    await eventually(async () => expect((await row()).status).toBe('failed'));
    // As when PostgreSQL was down through the last attempt: the job failed, the row still says received.
    await database.db.updateTable('webhook_events').set({ status: 'received' }).where('hash', '=', event.hash).execute();
    failing.delete(orderId);

    expect(await sweepStrandedEvents(database.db, queue, 0)).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(eventsFor(orderId)).toHaveLength(1));
    await eventually(async () => expect((await row()).status).toBe('processed'));
  });
});
