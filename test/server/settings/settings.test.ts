import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../server/settings/settings.schema.ts';
import { getSettings, updateSettings } from '../../../server/settings/settings.service.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db
    .insertInto('stores')
    .values([
      { store_hash: 'store1', access_token_ciphertext: null },
      { store_hash: 'store2', access_token_ciphertext: null },
    ])
    .execute();
});
afterAll(async () => {
  await database?.close();
});

describe('settings', () => {
  it('when a store never changed anything, then it has every default', async () => {
    expect(await getSettings(database.db, 'store1')).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.inventory.defaultBackorderThreshold).toBe(0);
    expect(DEFAULT_SETTINGS.orderNote.target).toBe('staff_notes');
  });

  it('when a merchant changes one setting, then only that one differs, and only in that store', async () => {
    await updateSettings(database.db, 'store1', { inventory: { defaultBackorderThreshold: 25 } });
    const settings = await getSettings(database.db, 'store1');
    expect(settings.inventory.defaultBackorderThreshold).toBe(25);
    expect(settings.orderNote).toEqual(DEFAULT_SETTINGS.orderNote);
    expect(await getSettings(database.db, 'store2')).toEqual(DEFAULT_SETTINGS);
  });

  it('when several values are invalid, then each field is named and nothing is saved', async () => {
    await expect(updateSettings(database.db, 'store1', { inventory: { defaultBackorderThreshold: -1 }, orderNote: { target: 'email' } })).rejects.toMatchObject(
      {
        kind: 'validation',
        details: { problems: [{ field: 'inventory.defaultBackorderThreshold' }, { field: 'orderNote.target' }] },
      },
    );
    expect((await getSettings(database.db, 'store1')).inventory.defaultBackorderThreshold).toBe(25);
  });

  it('when the threshold is unlimited, then it is stored as null', async () => {
    await updateSettings(database.db, 'store2', { inventory: { defaultBackorderThreshold: null } });
    expect((await getSettings(database.db, 'store2')).inventory.defaultBackorderThreshold).toBeNull();
  });
});
