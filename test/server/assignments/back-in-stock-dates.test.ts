/**
 * Back-in-stock dates are promises to shoppers. A date gone by (in the store's time zone) is refused in
 * the forms and on import, naming the field or row; a stored date that passes is never shown again — not
 * by the storefront API, not in an order's note — while the incoming-stock job takes it as today.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreConnection } from '../../../server/bigcommerce/index.ts';
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { AppError } from '../../../server/errors.ts';
import { readCsv } from '../../../server/imports/csv-read.ts';
import { applyImport } from '../../../server/imports/imports.service.ts';
import { insertImport } from '../../../server/imports/imports.repo.ts';
import { receiveDueIncoming } from '../../../server/inventory/incoming.service.ts';
import { writeOrderNote } from '../../../server/orders/order-note.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { createAvailabilityCache } from '../../../server/storefront-api/availability-cache.ts';
import type { AvailabilityAnswer } from '../../../storefront/src/contract/storefront-api.ts';
import { jobDeps, startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, createStore, orderFor, recordingEffects, stockDeps } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
const STORE = 'bisdates1';
let app: TestApp;
let admin: AdminClient;
let session: string;

/** Today as YYYY-MM-DD in `zone`, and the day `offset` days from it. */
function dayIn(zone: string, offset = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

const setZone = (storeHash: string, zone: string) =>
  app.database.db.updateTable('stores').set({ timezone: zone }).where('store_hash', '=', storeHash).execute();
const itemOf = (productId: number) =>
  app.database.db.selectFrom('inventory_items').selectAll().where('store_hash', '=', STORE).where('product_id', '=', productId).executeTakeFirstOrThrow();
const editForm = (id: number, date: string) => ({
  [`p${id}.currentStock`]: '',
  [`p${id}.backorderThreshold`]: '3',
  [`p${id}.incomingStock`]: '5',
  [`p${id}.backInStockDate`]: date,
});

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: [901, 902, 903, 904, 905].map((id) => bcProduct({ id, name: `Teapot ${id}`, sku: `TEAPOT-${id}`, inventory_level: 2 })) });
  session = (await install(app.url, fake, STORE)).session;
  admin = adminClient(app.url, session);
  await finishedJob(app.database.db, STORE, 'install');
  await changePlan(app.database.db, STORE, 'starter');
  for (const id of [901, 902]) await assignProduct(app.database.db, STORE, { currentStock: 2, backorderThreshold: 3 }, { productId: id });
});
afterAll(() => app?.stop());

describe('the forms', () => {
  it('when the edit form gives a date before today in the store’s time zone, then nothing is saved and the row names the field; today is accepted', async () => {
    // 25 hours apart: today in Pago Pago is always a day gone by in Kiritimati.
    for (const [zone, other] of [
      ['Pacific/Kiritimati', 'Pacific/Pago_Pago'],
      ['Pacific/Pago_Pago', 'Pacific/Kiritimati'],
    ] as const) {
      await setZone(STORE, zone);
      const yesterday = zone === 'Pacific/Kiritimati' ? dayIn(other) : dayIn(zone, -1);
      const refused = await admin.post('/admin/products/901/edit', { ...(await admin.formOf('/admin/products/901/edit')), ...editForm(901, yesterday) });
      expect(refused.status).toBe(422);
      expect(refused.html).toContain(
        `<li id="p901-problem-0">Back-in-stock date: ${yesterday} has passed (today is ${dayIn(zone)} in the store’s time zone): give today or a later date, or leave it empty`,
      );
      expect((await itemOf(901)).back_in_stock_date).not.toBe(yesterday);

      const saved = await admin.post('/admin/products/901/edit', { ...(await admin.formOf('/admin/products/901/edit')), ...editForm(901, dayIn(zone)) });
      expect(saved.status).toBe(303);
      expect(await itemOf(901)).toMatchObject({ back_in_stock_date: dayIn(zone), incoming_stock: 5 });
    }
  });

  it('when the assign form gives a date gone by, then nothing is assigned and the row names the field', async () => {
    await setZone(STORE, 'UTC');
    const refused = await admin.post('/admin/products/903/assign', {
      'p903.currentStock': '1',
      'p903.backorderThreshold': '2',
      'p903.incomingStock': '4',
      'p903.backInStockDate': '2020-01-01',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<li id="p903-problem-0">Back-in-stock date: 2020-01-01 has passed');
    expect(await app.database.db.selectFrom('assignments').select('id').where('store_hash', '=', STORE).where('product_id', '=', 903).execute()).toEqual([]);
  });

  it('when an item’s stored date has passed and the form is saved with it unchanged, then it is kept for the incoming-stock job to take as today', async () => {
    await app.database.db
      .updateTable('inventory_items')
      .set({ back_in_stock_date: '2020-01-01', incoming_stock: 5 })
      .where('store_hash', '=', STORE)
      .where('product_id', '=', 902)
      .execute();
    const saved = await admin.post('/admin/products/902/edit', { ...(await admin.formOf('/admin/products/902/edit')), ...editForm(902, '2020-01-01') });
    expect(saved.status).toBe(303);
    expect(await itemOf(902)).toMatchObject({ back_in_stock_date: '2020-01-01', backorder_threshold: 3 });
    await app.database.db
      .updateTable('inventory_items')
      .set({ back_in_stock_date: null, incoming_stock: 0 })
      .where('store_hash', '=', STORE)
      .where('product_id', '=', 902)
      .execute();
  });
});

describe('the files the admin exports', () => {
  it('when a file is exported, then its name carries the store’s date, as the dates in it do, not the server’s', async () => {
    // 25 hours apart: at any moment at least one of the two is on another day than UTC.
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      await setZone(STORE, zone);
      for (const [path, name] of [
        ['/admin/products/assigned/export.csv', 'backorder-assigned'],
        ['/admin/report/export.csv', 'backorder-report'],
        ['/admin/report/reorder.csv', 'backorder-reorder'],
      ]) {
        const response = await fetch(`${app.url}${path}?session=${session}`);
        await response.arrayBuffer();
        expect(response.headers.get('content-disposition'), `${path} in ${zone}`).toBe(`attachment; filename="${name}-${dayIn(zone)}.csv"`);
      }
    }
  });
});

describe('import', () => {
  const deps = () =>
    jobDeps(
      app,
      fake.gatewayWith(async () => 'token'),
    );
  const applied = async (mode: 'assign' | 'update', content: string) => {
    const id = await insertImport(app.database.db, {
      storeHash: STORE,
      mode,
      columns: ['back_in_stock_date', 'incoming_stock'],
      filename: 'dates.csv',
      content: Buffer.from(content),
    });
    const row = await app.database.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return applyImport(deps(), row).then(
      (n) => ({ applied: n, problems: [] }),
      (error: AppError) => ({ applied: 0, problems: error.details.problems ?? [] }),
    );
  };

  it('when a row gives a date gone by, then the file is refused naming the row and column, and nothing changes', async () => {
    await setZone(STORE, 'UTC');
    const before = await itemOf(901);
    expect(await applied('update', `sku,incoming_stock,back_in_stock_date\nTEAPOT-901,9,2099-01-01\nTEAPOT-902,9,${dayIn('UTC', -1)}\n`)).toEqual({
      applied: 0,
      problems: [
        { field: 'line 3, column back_in_stock_date', message: expect.stringMatching(/ has passed \(today is \d{4}-\d\d-\d\d in the store’s time zone\)/) },
      ],
    });
    expect(await itemOf(901)).toEqual(before);
    expect((await applied('assign', 'sku,incoming_stock,back_in_stock_date\nTEAPOT-904,9,2020-01-01\n')).problems).toEqual([
      { field: 'line 2, column back_in_stock_date', message: expect.stringMatching(/^2020-01-01 has passed/) },
    ]);
    expect(await applied('update', `sku,incoming_stock,back_in_stock_date\nTEAPOT-901,9,${dayIn('UTC')}\n`)).toEqual({ applied: 1, problems: [] });
  });

  it('when the assign form or a file to assign gives a date and no incoming stock, then it is refused on the date, saying what to do', async () => {
    // The date is when incoming stock arrives: with none, no shopper is ever told it (the ETA rule).
    await setZone(STORE, 'UTC');
    const refused = await admin.post('/admin/products/905/assign', { ...editForm(905, '2099-01-01'), 'p905.incomingStock': '' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain(
      '<li id="p905-problem-0">Back-in-stock date: 2099-01-01 is when incoming stock arrives, and incoming stock is 0, so no shopper would be told it: give the incoming stock due that day, or leave the date empty',
    );
    expect((await applied('assign', 'sku,incoming_stock,back_in_stock_date\nTEAPOT-905,0,2099-01-01\n')).problems).toEqual([
      { field: 'line 2, column back_in_stock_date', message: expect.stringMatching(/^2099-01-01 is when incoming stock arrives, and incoming stock is 0/) },
    ]);
    expect(await app.database.db.selectFrom('assignments').select('id').where('store_hash', '=', STORE).where('product_id', '=', 905).execute()).toEqual([]);
  });

  it('when an edit leaves an item a date with no incoming stock, then nothing is saved and the date is named; an item holding one already imports again unchanged', async () => {
    await setZone(STORE, 'UTC');
    const hold = (incoming: number, date: string | null) =>
      app.database.db
        .updateTable('inventory_items')
        .set({ incoming_stock: incoming, back_in_stock_date: date })
        .where('store_hash', '=', STORE)
        .where('product_id', '=', 902)
        .execute();
    await hold(5, '2099-02-01');
    const form = { ...(await admin.formOf('/admin/products/902/edit')), ...editForm(902, '2099-02-01'), 'p902.incomingStock': '0' };
    const refused = await admin.post('/admin/products/902/edit', form);
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<li id="p902-problem-0">Back-in-stock date: 2099-02-01 is when incoming stock arrives, and incoming stock is 0');
    expect(await itemOf(902)).toMatchObject({ incoming_stock: 5, back_in_stock_date: '2099-02-01' });
    expect((await applied('update', 'sku,incoming_stock,back_in_stock_date\nTEAPOT-902,0,2099-02-01\n')).problems).toEqual([
      { field: 'line 2, column back_in_stock_date', message: expect.stringMatching(/^2099-02-01 is when incoming stock arrives/) },
    ]);
    // As an older version saved it: the file exported then imports again, changing nothing.
    await hold(0, '2099-02-01');
    expect(await applied('update', 'sku,incoming_stock,back_in_stock_date\nTEAPOT-902,0,2099-02-01\n')).toEqual({ applied: 1, problems: [] });
    const cleared = await admin.post('/admin/products/902/edit', {
      ...(await admin.formOf('/admin/products/902/edit')),
      ...editForm(902, ''),
      'p902.incomingStock': '0',
    });
    expect(cleared.status).toBe(303);
    expect(await itemOf(902)).toMatchObject({ incoming_stock: 0, back_in_stock_date: null });
  });

  it('when the reader is given no date to measure against, then it reads dates as dates only', async () => {
    const { problems } = await readCsv(Readable.from([Buffer.from('sku,back_in_stock_date\nA,2020-01-01\n')]));
    expect(problems).toEqual([]);
  });
});

describe('what shoppers are told once a stored date has passed', () => {
  const SHOP = 'bisdates2';
  const answer = async (products: string): Promise<AvailabilityAnswer> =>
    (await fetch(`${app.url}/storefront-api/v1/stores/${SHOP}/availability?products=${products}`)).json() as Promise<AvailabilityAnswer>;

  beforeAll(async () => {
    await createStore(app.database.db, SHOP);
    await setZone(SHOP, 'Pacific/Kiritimati');
  });

  it('when an item’s date passed since the incoming-stock job last ran, then the storefront API gives no date; a date of today is still given', async () => {
    await assignProduct(
      app.database.db,
      SHOP,
      { currentStock: 0, backorderThreshold: 5, incomingStock: 8, backInStockDate: dayIn('Pacific/Kiritimati', -1) },
      { productId: 951 },
    );
    await assignProduct(
      app.database.db,
      SHOP,
      { currentStock: 0, backorderThreshold: 5, incomingStock: 8, backInStockDate: dayIn('Pacific/Kiritimati') },
      { productId: 952 },
    );
    const body = await answer('951,952');
    expect(body.products['951']?.item).toMatchObject({ status: 'backorder', backInStockDate: null });
    expect(body.products['952']?.item).toMatchObject({ status: 'backorder', backInStockDate: dayIn('Pacific/Kiritimati') });
  });

  it('when an order waits on a date that has passed, then its note promises no date; a date to come is still written', async () => {
    const connection = (notes: Record<number, string>): Pick<StoreConnection, 'orderNote' | 'writeOrderNote'> => ({
      orderNote: async (id, field) => (field === 'staff_notes' ? (notes[id] ?? '') : ''),
      writeOrderNote: async (id, _field, text) => void (notes[id] = text),
    });
    const notes: Record<number, string> = {};
    const deps = { db: app.database.db, lock: keyedLock(app.database), connection: connection(notes) };
    const gone = await assignProduct(
      app.database.db,
      SHOP,
      { currentStock: 0, backorderThreshold: 5, incomingStock: 8, backInStockDate: '2020-01-01' },
      { productId: 953 },
    );
    const coming = await assignProduct(
      app.database.db,
      SHOP,
      { currentStock: 0, backorderThreshold: 5, incomingStock: 8, backInStockDate: '2099-05-01' },
      { productId: 954 },
    );
    const late = orderFor(gone, 2);
    const fine = orderFor(coming, 2);
    for (const order of [late, fine]) {
      await convergeOrder(stockDeps(app.database.db), SHOP, order);
      expect(await writeOrderNote(deps, SHOP, order.id)).toBe('written');
    }
    expect(notes[late.id]).toMatch(/: 2 backordered$/);
    expect(notes[fine.id]).toMatch(/: 2 backordered, expected 2099-05-01$/);
  });

  it('when a stored date passed before the incoming-stock job ran, then the job takes it as today: the incoming stock joins current stock and the date is cleared', async () => {
    const item = await assignProduct(
      app.database.db,
      SHOP,
      { currentStock: 1, backorderThreshold: 5, incomingStock: 6, backInStockDate: '2020-01-01' },
      { productId: 955 },
    );
    const { effects, dropped } = recordingEffects();
    await receiveDueIncoming(stockDeps(app.database.db, effects));
    expect(dropped).toContain(SHOP);
    expect(
      await app.database.db
        .selectFrom('inventory_items')
        .select(['current_stock', 'incoming_stock', 'back_in_stock_date'])
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      current_stock: 7,
      incoming_stock: 0,
      back_in_stock_date: null,
    });
  });

  it('when a cached answer reaches its end (the store’s day ends), then neither this process nor Redis gives it again', async () => {
    let clock = Date.now();
    const redis: Redis = createRedis(process.env.REDIS_URL!, 'producer');
    const subscriber: Redis = createRedis(process.env.REDIS_URL!, 'worker');
    // A producer connection queues nothing while it connects: wait for it, as the app does at start. A prefix of
    // its own: the test app's background work (its selling sweep, its level polls) invalidates this store's
    // answers on the app's, which would leave this cache nothing to keep at a moment no test chooses.
    await Promise.all([waitUntilReady(redis, process.env.REDIS_URL!), waitUntilReady(subscriber, process.env.REDIS_URL!)]);
    const cache = await createAvailabilityCache({ redis, subscriber, prefix: `bisdates-${randomUUID()}`, now: () => clock });
    try {
      let computed = 0;
      const compute = async () => ({ body: `{"n":${++computed}}`, etag: `W/"${computed}"`, expiresAt: clock + 1_000 });
      expect((await cache.get(SHOP, 'k', compute)).body).toBe('{"n":1}');
      expect(cache.peek(SHOP, 'k')?.body).toBe('{"n":1}');
      clock += 1_001;
      expect(cache.peek(SHOP, 'k')).toBeUndefined();
      expect((await cache.get(SHOP, 'k', compute)).body).toBe('{"n":2}');
    } finally {
      await cache.close();
      redis.disconnect();
      subscriber.disconnect();
    }
  });
});
