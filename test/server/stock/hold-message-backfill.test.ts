/**
 * Migration 0111 gives the holds applied before it the message they were applied with: the store's, which
 * no screen could change until then (the built-in text, or an override written by hand). Run here on holds
 * of every kind with their message emptied, as they were before the migration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../server/db/migrate.ts';
import { saveOverrides } from '../../../server/settings/settings.repo.ts';
import { DEFAULT_SETTINGS } from '../../../server/settings/settings.schema.ts';
import { insertHolds, markHoldsApplied } from '../../../server/selling/purchasing-holds.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

/** The migration's statements after its `alter table` (which the test database has already run). */
const backfill = readFileSync(path.join(MIGRATIONS_DIR, '0111_hold_message.sql'), 'utf8')
  .replace(/^--.*$/gm, '')
  .split(';')
  .map((statement) => statement.trim())
  .filter((statement) => statement.startsWith('update'));

describe('migration 0111: the message of holds applied before it', () => {
  it('when holds were applied before the message was recorded, then the app’s open ones get the store’s message, and no other', async () => {
    const db = database.db;
    expect(backfill).toHaveLength(1);
    for (const store of ['plain', 'worded']) await createStore(db, store);
    await saveOverrides(db, 'worded', { inventory: { sellingStoppedMessage: 'Worded by hand' } });
    const holdOf = async (store: string, variantId: number, disabledByApp: boolean) => {
      const item = await assignProduct(db, store, { currentStock: 0, backorderThreshold: 0 });
      const [hold] = await insertHolds(db, [{ storeHash: store, itemId: item.id, productId: item.product_id, variantId, disabledByApp }]);
      return hold!.id;
    };
    const plainApp = await holdOf('plain', 1, true);
    const plainMerchant = await holdOf('plain', 2, false);
    const plainPending = await holdOf('plain', 3, true);
    const plainLifted = await holdOf('plain', 4, true);
    const wordedApp = await holdOf('worded', 5, true);
    for (const [store, ids] of [
      ['plain', [plainApp, plainMerchant, plainLifted]],
      ['worded', [wordedApp]],
    ] as const) {
      await markHoldsApplied(db, store, [...ids], 'any');
    }
    await db
      .updateTable('purchasing_holds')
      .set({ lifted_at: sql`now()` })
      .where('id', '=', plainLifted)
      .execute();
    await db.updateTable('purchasing_holds').set({ message: null }).execute();

    for (const statement of backfill) await sql.raw(statement).execute(db);

    const messages = await db.selectFrom('purchasing_holds').select(['id', 'message']).orderBy('id').execute();
    expect(messages).toEqual([
      { id: plainApp, message: DEFAULT_SETTINGS.inventory.sellingStoppedMessage },
      { id: plainMerchant, message: null },
      { id: plainPending, message: null },
      { id: plainLifted, message: null },
      { id: wordedApp, message: 'Worded by hand' },
    ]);
  });
});
