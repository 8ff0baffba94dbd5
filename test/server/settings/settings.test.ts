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
      { store_hash: 'store3', access_token_ciphertext: null },
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

  it('when several changes are saved at the same moment, then every one of them counts', async () => {
    const texts = ['backorderText', 'soldOutText'] as const;
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        updateSettings(database.db, 'store2', { inventory: { defaultBackorderThreshold: round } }),
        updateSettings(database.db, 'store2', { orderNote: { message: `Round ${round}` } }),
        ...texts.map((key) => updateSettings(database.db, 'store2', { storefront: { badge: { [key]: `${key} ${round}` } } })),
      ]);
      const settings = await getSettings(database.db, 'store2');
      expect([
        settings.inventory.defaultBackorderThreshold,
        settings.orderNote.message,
        settings.storefront.badge.backorderText,
        settings.storefront.badge.soldOutText,
      ]).toEqual([round, `Round ${round}`, `backorderText ${round}`, `soldOutText ${round}`]);
    }
  });

  it('when a stored value no longer validates, then it reads as its default, and saving another field drops it instead of refusing the save', async () => {
    await database.db
      .insertInto('store_settings')
      .values({ store_hash: 'store3', overrides: JSON.stringify({ storefront: { badge: { backorderText: 'Only {stale}' } } }) })
      .execute();
    expect((await getSettings(database.db, 'store3')).storefront.badge.backorderText).toBe(DEFAULT_SETTINGS.storefront.badge.backorderText);
    await updateSettings(database.db, 'store3', { orderNote: { message: 'Ships later:' } });
    const stored = await database.db.selectFrom('store_settings').select('overrides').where('store_hash', '=', 'store3').executeTakeFirstOrThrow();
    expect(stored.overrides).toEqual({ storefront: { badge: {} }, orderNote: { message: 'Ships later:' } });
  });

  it('when the threshold is unlimited, then it is stored as null', async () => {
    await updateSettings(database.db, 'store2', { inventory: { defaultBackorderThreshold: null } });
    expect((await getSettings(database.db, 'store2')).inventory.defaultBackorderThreshold).toBeNull();
  });
});
