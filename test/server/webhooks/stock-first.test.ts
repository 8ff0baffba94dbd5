/**
 * Stock first: an order's note waits while the process is applying events, and goes at the latest when it has
 * waited its patience (server/workers/stock-first.ts).
 */
import { Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreNotConnectedError, type BigCommerceGateway } from '../../../server/bigcommerce/index.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis, type Redis } from '../../../server/redis.ts';
import type { WorkerDeps } from '../../../server/workers/deps.ts';
import { createOrderNotesWorker } from '../../../server/workers/order-notes.worker.ts';
import { QUEUE_NAMES } from '../../../server/workers/queues.ts';
import { stockFirst, type StockFirst } from '../../../server/workers/stock-first.ts';
import { createWebhooksWorker } from '../../../server/workers/webhooks.worker.ts';
import { testConfig } from '../../helpers/config.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { eventually } from '../../helpers/wait.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

/** A promise settled from outside. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Whether `promise` has settled after the pending callbacks and timers of `ms` have run. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

describe('stock first', () => {
  it('when no event is being applied, then work that waits for quiet goes at once', async () => {
    expect(await settledWithin(stockFirst().quiet(Date.now() + 60_000), 0)).toBe(true);
  });

  it('when events are being applied, then it waits until the last of them ends', async () => {
    const stock = stockFirst();
    const [first, second] = [gate(), gate()];
    const applied = [stock.applying(() => first.opened), stock.applying(() => second.opened)];
    const quiet = stock.quiet(Date.now() + 60_000);
    first.open();
    expect(await settledWithin(quiet, 20)).toBe(false);
    second.open();
    await Promise.all(applied);
    expect(await settledWithin(quiet, 0)).toBe(true);
  });

  it('when events are applied past its patience, then it goes at its deadline', async () => {
    const stock = stockFirst();
    const endless = gate();
    const applied = stock.applying(() => endless.opened);
    const started = Date.now();
    await stock.quiet(started + 100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(await settledWithin(stock.quiet(started - 1), 0)).toBe(true);
    endless.open();
    await applied;
  });

  it('when an event fails, then it no longer counts as being applied', async () => {
    const stock = stockFirst();
    await expect(stock.applying(async () => Promise.reject(new Error('BigCommerce answered 503')))).rejects.toThrow('503');
    expect(await settledWithin(stock.quiet(Date.now() + 60_000), 0)).toBe(true);
  });
});

describe('an order note while the webhooks worker applies an event', () => {
  let database: TestDatabase;
  const connections: Redis[] = [];
  const workers: Worker[] = [];
  let events: Queue;
  let notes: Queue;
  const stock: StockFirst = stockFirst();
  const handling = gate();
  let handlerEntered = false;
  const noteConnected: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { queuePrefix: prefix, redisUrl } = testConfig();
    const [producer, eventsConnection, notesConnection] = [
      createRedis(redisUrl!, 'producer'),
      createRedis(redisUrl!, 'worker'),
      createRedis(redisUrl!, 'worker'),
    ];
    connections.push(producer, eventsConnection, notesConnection);
    events = new Queue(QUEUE_NAMES.webhooks, { connection: producer, prefix });
    notes = new Queue(QUEUE_NAMES.orderNotes, { connection: producer, prefix });
    workers.push(
      createWebhooksWorker({
        db: database.db,
        connection: eventsConnection,
        prefix,
        queue: events,
        logger: createLogger({ level: 'silent' }),
        stockFirst: stock,
        handlers: {
          'store/order/created': async () => {
            handlerEntered = true;
            await handling.opened;
          },
        },
      }),
    );
    // The note's store is gone by the time it connects: the job ends there, having shown when it connected.
    const gateway = {
      connect: async (storeHash: string) => {
        noteConnected.push(storeHash);
        throw new StoreNotConnectedError(storeHash, 'uninstalled');
      },
    } as unknown as BigCommerceGateway;
    workers.push(createOrderNotesWorker({ db: database.db, connection: notesConnection, prefix, gateway } as unknown as WorkerDeps, stock));
  });
  afterAll(async () => {
    handling.open();
    await Promise.all(workers.map((worker) => worker.close()));
    await events?.close();
    await notes?.close();
    for (const connection of connections) connection.disconnect();
    await database?.close();
  });

  it('when an event is being applied, then the note waits for it to end before it reaches BigCommerce', async () => {
    const envelope = webhookEnvelope('first1', 'store/order/created', { type: 'order', id: 1 });
    await events.add('store/order/created', { eventId: 1, storeHash: 'first1', scope: envelope.scope, envelope, receivedAt: Date.now() });
    await eventually(() => expect(handlerEntered).toBe(true));
    await notes.add('note', { storeHash: 'first1', orderId: 1 });
    await eventually(async () => expect(await notes.getActiveCount()).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(noteConnected).toEqual([]);
    handling.open();
    await eventually(() => expect(noteConnected).toEqual(['first1']));
  });
});
