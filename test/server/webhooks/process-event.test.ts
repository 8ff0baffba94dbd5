/**
 * Processing an event's job: the job carries its event (envelope, receipt), so nothing of the event is read
 * back; events that finish together are marked in one statement; a job queued before jobs carried their
 * event has it read, and is skipped when the event already finished.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHandler } from '../../../server/bigcommerce/index.ts';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { createLogger } from '../../../server/logger.ts';
import type { Envelope } from '../../../server/webhooks/envelope.ts';
import { eventProcessor } from '../../../server/webhooks/process-event.ts';
import { recordEvents } from '../../../server/webhooks/webhook-events.repo.ts';
import type { EventJob } from '../../../server/webhooks/webhooks.service.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

let database: Database;
const logger = createLogger({ level: 'silent' });
const envelope = (scope: string, orderId: number) => webhookEnvelope('proc1', scope, { type: 'order', id: orderId }) as Envelope;

beforeAll(async () => {
  database = await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 4 });
  await migrate(database.db);
});
afterAll(async () => database.close());

async function recorded(envelopes: Envelope[]): Promise<EventJob[]> {
  const rows = await recordEvents(
    database.db,
    envelopes.map((e) => ({ storeHash: 'proc1', envelope: e })),
  );
  return rows.map(({ event }, i) => ({
    eventId: event.id,
    storeHash: 'proc1',
    scope: event.scope,
    envelope: envelopes[i]!,
    receivedAt: event.received_at.getTime(),
  }));
}

const rowsOf = (jobs: EventJob[]) =>
  database.db
    .selectFrom('webhook_events')
    .select(['id', 'status', 'attempts', 'last_error', 'processed_at'])
    .where(
      'id',
      'in',
      jobs.map((j) => j.eventId),
    )
    .orderBy('id')
    .execute();

/** The transaction that last wrote each row: rows marked by one statement share it. */
const writersOf = async (jobs: EventJob[]) => {
  const { rows } = await sql<{ xmin: string }>`select xmin::text from webhook_events where id = any(${jobs.map((j) => j.eventId)}::bigint[])`.execute(
    database.db,
  );
  return new Set(rows.map((r) => r.xmin));
};

describe('processing event jobs', () => {
  it('when a job carries its event, then its handler gets the job’s envelope, and the outcome is marked', async () => {
    const jobs = await recorded([envelope('store/order/created', 1), envelope('store/order/updated', 1), envelope('store/cart/created', 2)]);
    // The row's payload is not what the handler gets: the job's envelope is.
    await database.db
      .updateTable('webhook_events')
      .set({ payload: JSON.stringify({ scope: 'rewritten' }) })
      .where('id', '=', jobs[0]!.eventId)
      .execute();
    const seen: unknown[] = [];
    const handler: EventHandler = async ({ envelope: e }) => {
      seen.push(e);
      return e.scope === 'store/order/updated' ? 'ignored' : undefined;
    };
    const process = eventProcessor({ db: database.db, handlers: { 'store/order/created': handler, 'store/order/updated': handler }, logger });

    const outcomes = [];
    for (const job of jobs) outcomes.push(await process(job, { isLast: false }));

    expect(outcomes).toEqual(['processed', 'ignored', 'ignored']);
    expect(seen).toEqual([jobs[0]!.envelope, jobs[1]!.envelope]);
    const rows = await rowsOf(jobs);
    expect(rows.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ['processed', 1, null],
      ['ignored', 1, null],
      ['ignored', 1, null],
    ]);
    expect(rows.every((r) => r.processed_at !== null)).toBe(true);
  });

  it('when events finish while another is being marked, then they are marked together, in one statement', async () => {
    const jobs = await recorded(Array.from({ length: 10 }, (_, i) => envelope('store/order/created', 100 + i)));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const process = eventProcessor({ db: database.db, handlers: { 'store/order/created': () => released }, logger });

    const running = Promise.all(jobs.map((job) => process(job, { isLast: false })));
    release();

    expect(await running).toEqual(jobs.map(() => 'processed'));
    expect((await rowsOf(jobs)).map((r) => r.status)).toEqual(jobs.map(() => 'processed'));
    // The first to finish is marked at once; the nine finishing meanwhile, in one statement after it.
    expect((await writersOf(jobs)).size).toBe(2);
  });

  it('when a job was queued without its event (by an earlier version), then the event is read, and skipped once finished', async () => {
    const [job] = await recorded([envelope('store/order/created', 200)]);
    const bare: EventJob = { eventId: job!.eventId, storeHash: job!.storeHash, scope: job!.scope };
    const seen: unknown[] = [];
    const process = eventProcessor({ db: database.db, handlers: { 'store/order/created': async ({ envelope: e }) => void seen.push(e) }, logger });

    expect(await process(bare, { isLast: false })).toBe('processed');
    expect(await process(bare, { isLast: false })).toBe('skipped');
    expect(seen).toEqual([job!.envelope]);
  });

  it('when a handler fails, then its event goes back to received with the error, and on the last attempt is marked failed', async () => {
    const [job] = await recorded([envelope('store/order/created', 300)]);
    const process = eventProcessor({
      db: database.db,
      handlers: {
        'store/order/created': async () => {
          throw new Error('BigCommerce answered 500');
        },
      },
      logger,
    });

    await expect(process(job!, { isLast: false })).rejects.toThrow('BigCommerce answered 500');
    expect((await rowsOf([job!])).map((r) => [r.status, r.attempts, r.last_error])).toEqual([['received', 1, 'BigCommerce answered 500']]);
    await expect(process(job!, { isLast: true })).rejects.toThrow('BigCommerce answered 500');
    expect((await rowsOf([job!])).map((r) => [r.status, r.attempts, r.last_error])).toEqual([['failed', 2, 'BigCommerce answered 500']]);
  });
});
