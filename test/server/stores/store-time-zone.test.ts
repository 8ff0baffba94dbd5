/**
 * A store's dates are read in the time zone BigCommerce names for it (`/v2/store`). A name this server's
 * PostgreSQL or Node does not know (a zone newer than their time zone data) must not stop the store's
 * dates — nor, through the incoming-stock job that reads every store's day in one statement, any other store's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigCommerceClient } from '../../../server/bigcommerce/client.ts';
import type { StoreProfile } from '../../../server/bigcommerce/gateway.types.ts';
import { readStoreProfile } from '../../../server/bigcommerce/store-profile.ts';
import { receiveDueIncoming } from '../../../server/inventory/incoming.service.ts';
import { saveProfile, todayInStore } from '../../../server/stores/stores.repo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, stockDeps } from '../../helpers/inventory.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

let nextStoreId = 1;
const profile = (timezone: string, fixedTimezone: string): StoreProfile => ({
  storeId: nextStoreId++,
  name: 'Shop',
  domain: 'shop.example',
  secureUrl: 'https://shop.example',
  controlPanelUrl: 'https://store-x.mybigcommerce.com/manage',
  timezone,
  fixedTimezone,
  stockLevelDisplay: 'dont_show',
  inventory: { ordersMoveLevelWhenPlaced: true, cancelsReturnUnits: true, editsMoveLevel: true, nativeBackorders: false },
});

const zoneOf = async (storeHash: string) =>
  (await database.db.selectFrom('stores').select('timezone').where('store_hash', '=', storeHash).executeTakeFirstOrThrow()).timezone;

/** Today as YYYY-MM-DD in `zone`, as Node reads it. */
const todayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** A client answering `/v2/store` with `timezone` and `/v3/settings/inventory` with nothing. */
const clientWith = (timezone: Record<string, unknown>) =>
  ({
    store: { information: async () => ({ name: 'Shop', domain: 'shop.example', secure_url: '', control_panel_base_url: '', store_id: 1, timezone }) },
    request: async () => ({ status: 200, body: { data: {} } }),
  }) as unknown as BigCommerceClient;

describe('a store’s time zone', () => {
  it('when BigCommerce names a zone the database does not know, then the store’s day is read at its fixed offset, and the incoming stock of every other store still arrives', async () => {
    const unknown = await createStore(database.db, 'tzunknown1');
    await saveProfile(database.db, unknown, profile('Pacific/Atlantis', 'Etc/GMT+10'));
    expect(await zoneOf(unknown)).toBe('Etc/GMT+10');
    expect(await todayInStore(database.db, unknown)).toBe(todayIn('Etc/GMT+10'));
    await assignProduct(database.db, unknown, { currentStock: 0, backorderThreshold: 5, incomingStock: 4, backInStockDate: '2099-01-01' });

    const other = await createStore(database.db, 'tzknown1');
    await saveProfile(database.db, other, profile('Pacific/Honolulu', 'Etc/GMT+10'));
    expect(await zoneOf(other)).toBe('Pacific/Honolulu');
    const item = await assignProduct(database.db, other, { currentStock: 0, backorderThreshold: 5, incomingStock: 4, backInStockDate: '2020-01-01' });
    expect(await receiveDueIncoming(stockDeps(database.db))).toBe(1);
    expect(
      await database.db.selectFrom('inventory_items').select(['current_stock', 'back_in_stock_date']).where('id', '=', item.id).executeTakeFirstOrThrow(),
    ).toEqual({
      current_stock: 4,
      back_in_stock_date: null,
    });
  });

  it('when /v2/store names a zone Node does not know, then the profile keeps BigCommerce’s standard offset instead; a known name is kept as given', async () => {
    const read = (timezone: Record<string, unknown>) => readStoreProfile(clientWith(timezone)).then((p) => [p.timezone, p.fixedTimezone]);
    expect(await read({ name: 'Pacific/Kiritimati', raw_offset: 50_400, dst_offset: 50_400 })).toEqual(['Pacific/Kiritimati', 'Etc/GMT-14']);
    expect(await read({ name: 'America/New_York', raw_offset: -18_000, dst_offset: -14_400 })).toEqual(['America/New_York', 'Etc/GMT+5']);
    expect(await read({ name: 'Pacific/Atlantis', raw_offset: -36_000, dst_offset: -36_000 })).toEqual(['Etc/GMT+10', 'Etc/GMT+10']);
    // An offset of hours and minutes has no Etc zone: UTC then, as for a store that names none.
    expect(await read({ name: 'Asia/Nowhere', raw_offset: 19_800, dst_offset: 19_800 })).toEqual(['UTC', 'UTC']);
    expect(await read({ name: '', raw_offset: 0, dst_offset: 0 })).toEqual(['UTC', 'UTC']);
  });
});
