/**
 * Recording deliveries (one statement of unnested columns) on both engines: embedded PGlite, which `npm start`
 * uses without DATABASE_URL, and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrate.ts';
import type { Envelope } from '../../../server/webhooks/envelope.ts';
import { recordEvents } from '../../../server/webhooks/webhook-events.repo.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const envelope = (orderId: number, createdAt = 1_795_000_000) =>
  webhookEnvelope('rec1', 'store/order/created', { type: 'order', id: orderId, note: 'it\'s "quoted", {braced}, \\ and ü' }, createdAt) as Envelope;

describe.each(['pglite', 'postgres'] as const)('recording deliveries on %s', (engine) => {
  it('when deliveries are recorded together, a key twice among them and one recorded before, then each key has one row, its payload intact', async () => {
    database = engine === 'pglite' ? await openDatabase({}) : await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 2 });
    await migrate(database.db);
    const [before] = await recordEvents(database.db, [{ storeHash: 'rec1', envelope: envelope(1) }]);

    const deliveries = [envelope(2), envelope(1), envelope(3), envelope(2), envelope(2, 1_795_000_001)].map((e) => ({ storeHash: 'rec1', envelope: e }));
    const recorded = await recordEvents(database.db, deliveries);

    expect(recorded.map((r) => r.isNew)).toEqual([true, false, true, false, true]);
    expect(recorded[1]!.event.id).toBe(before!.event.id);
    expect(recorded[3]!.event.id).toBe(recorded[0]!.event.id);
    expect(recorded.map((r) => r.event.status)).toEqual(deliveries.map(() => 'received'));
    expect(recorded.map((r) => r.event.event_created_at)).toEqual([1_795_000_000, 1_795_000_000, 1_795_000_000, 1_795_000_000, 1_795_000_001]);
    const rows = await database.db.selectFrom('webhook_events').select(['id', 'payload']).orderBy('id').execute();
    expect(rows).toHaveLength(4);
    expect(rows.find((row) => row.id === recorded[2]!.event.id)?.payload).toEqual(envelope(3));
  });
});
