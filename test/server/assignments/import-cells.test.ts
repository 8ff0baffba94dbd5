/**
 * What a file's cells say, run as the import job runs a file: columns not ticked to overwrite, dates stored
 * earlier that have passed, the template's empty cells, the nameless columns spreadsheets add, and a run
 * retried after its assign import committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type FieldProblem } from '../../../server/errors.ts';
import { VALUE_COLUMNS, type ValueColumn } from '../../../server/imports/csv-format.ts';
import { claimNextImport, finishImport, insertImport } from '../../../server/imports/imports.repo.ts';
import { applyImport } from '../../../server/imports/imports.service.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { jobDeps, startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
const STORE = 'importcells1';
const HEADER = 'sku,product_id,variant_id,current_stock,backorder_threshold,incoming_stock,back_in_stock_date';
let app: TestApp;

/** Stores the file and runs it as the import job does; returns the rows applied, or the problems it was refused for. */
async function run(text: string, mode: 'assign' | 'update', columns: ValueColumn[] = [...VALUE_COLUMNS]): Promise<number | FieldProblem[]> {
  const id = await insertImport(app.database.db, { storeHash: STORE, mode, columns, filename: 'cells.csv', content: Buffer.from(text) });
  const row = await claimNextImport(app.database.db, STORE, 1);
  expect(row?.id).toBe(id);
  try {
    return await applyImport(
      jobDeps(
        app,
        fake.gatewayWith(async () => 'token'),
      ),
      row!,
    );
  } catch (error) {
    if (error instanceof AppError && error.details.problems) return error.details.problems;
    throw error;
  } finally {
    await finishImport(app.database.db, STORE, id, {});
  }
}

const item = (productId: number) =>
  app.database.db
    .selectFrom('inventory_items')
    .select(['variant_id', 'current_stock', 'backorder_threshold', 'incoming_stock', 'back_in_stock_date'])
    .where('store_hash', '=', STORE)
    .where('product_id', '=', productId)
    .where('retired_at', 'is', null)
    .orderBy('variant_id')
    .execute();

/** A variant of product 510, the shirt, tracked by variant. */
const sizeOfShirt = (size: string, i: number) => ({
  id: 5101 + i,
  product_id: 510,
  sku: `SHIRT-${size}`,
  option_values: [{ id: i + 1, option_id: 1, option_display_name: 'Size', label: size }],
  inventory_level: 3 + i,
  purchasing_disabled: false,
});

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, {
    products: [
      ...[501, 502, 503].map((id) => bcProduct({ id, name: `Lamp ${id}`, sku: `LAMP-${id}`, inventory_level: 2 })),
      bcProduct({ id: 510, name: 'Shirt', sku: 'SHIRT', inventory_tracking: 'variant', variants: ['S', 'M'].map((size, i) => sizeOfShirt(size, i)) }),
    ],
  });
  await installed(app, fake, STORE);
  await changePlan(app.database.db, STORE, 'starter');
  expect(await run('sku\nLAMP-501\nLAMP-502\n', 'assign')).toBe(2);
});
afterAll(() => app?.stop());

describe('columns not ticked to overwrite', () => {
  it('when a column not ticked holds a value that is not right, then it is not read and the ticked column is applied', async () => {
    const file = `${HEADER}\nLAMP-501,501,,9,5,0,1/1/2099\n`;

    expect(await run(file, 'update', ['current_stock'])).toBe(1);

    expect(await item(501)).toEqual([{ variant_id: null, current_stock: 9, backorder_threshold: 0, incoming_stock: 0, back_in_stock_date: null }]);
    expect(await run(file, 'update', ['current_stock', 'back_in_stock_date'])).toEqual([
      { field: 'line 2, column back_in_stock_date', message: '"1/1/2099" is not a date in the form YYYY-MM-DD' },
    ]);
  });
});

describe('back-in-stock dates that have passed', () => {
  const storeDate = (productId: number, date: string | null) =>
    app.database.db
      .updateTable('inventory_items')
      .set({ back_in_stock_date: date })
      .where('store_hash', '=', STORE)
      .where('product_id', '=', productId)
      .execute();

  it('when an export is imported again after its item’s date has passed, then the date is kept and the rest applied', async () => {
    await storeDate(502, '2020-01-01');

    expect(await run(`${HEADER}\nLAMP-502,502,,4,1,0,2020-01-01\n`, 'update')).toBe(1);

    expect(await item(502)).toEqual([{ variant_id: null, current_stock: 4, backorder_threshold: 1, incoming_stock: 0, back_in_stock_date: '2020-01-01' }]);
  });

  it('when a row gives a date that has passed and is not its item’s, then it is refused naming line and column, with every other problem of the file', async () => {
    await storeDate(502, '2020-01-01');
    const before = await item(501);

    const problems = await run(`${HEADER}\nLAMP-501,501,,7,,,2020-01-01\nNOPE,,,1,,,\nLAMP-502,502,,4,1,0,2020-01-02\n`, 'update');

    expect(problems).toEqual([
      {
        field: 'line 2, column back_in_stock_date',
        message: expect.stringMatching(/^2020-01-01 has passed \(today is \d{4}-\d{2}-\d{2} in the store’s time zone\)/),
      },
      { field: 'line 3, column sku', message: 'unknown SKU “NOPE”: no product or variant of the catalog has it' },
      { field: 'line 4, column back_in_stock_date', message: expect.stringMatching(/^2020-01-02 has passed/) },
    ]);
    expect(await item(501)).toEqual(before);
  });
});

describe('the template’s empty cells, to assign', () => {
  it('when a row names a product tracked by variant by its SKU and leaves every value empty, then its variants are assigned with BigCommerce’s levels', async () => {
    expect(await run(`${HEADER}\nSHIRT,,,,,,\n`, 'assign')).toBe(1);

    expect(await item(510)).toEqual([
      { variant_id: 5101, current_stock: 3, backorder_threshold: 0, incoming_stock: 0, back_in_stock_date: null },
      { variant_id: 5102, current_stock: 4, backorder_threshold: 0, incoming_stock: 0, back_in_stock_date: null },
    ]);
  });
});

describe('rows with a value refused', () => {
  it('when a row to update has a value refused, then what its item says of its other values is listed too, and nothing is applied', async () => {
    const before = [await item(501), await item(502)];

    const problems = await run('sku,current_stock,incoming_stock\nLAMP-501,-5,x\nLAMP-502,-3,\n', 'update');

    expect(problems).toEqual([
      { field: 'line 2, column incoming_stock', message: '"x" is not a whole number' },
      { field: 'line 2, column current_stock', message: expect.stringMatching(/^-5 is negative; only orders take stock below 0/) },
      { field: 'line 3, column current_stock', message: expect.stringMatching(/^-3 is negative; only orders take stock below 0/) },
    ]);
    expect([await item(501), await item(502)]).toEqual(before);
  });

  it('when a row to assign has a value refused, then its product is checked too, and nothing is assigned', async () => {
    const problems = await run('sku,current_stock,backorder_threshold\nLAMP-501,4,x\nLAMP-503,-1,lots\n', 'assign');

    expect(problems).toEqual([
      { field: 'line 2, column backorder_threshold', message: expect.stringMatching(/^"x" /) },
      { field: 'line 2', message: 'Lamp 501 is already assigned to BackOrder' },
      { field: 'line 3, column backorder_threshold', message: expect.stringMatching(/^"lots" /) },
      { field: 'line 3, column current_stock', message: '-1 is negative; current stock starts at 0 or more' },
    ]);
    expect(await item(503)).toEqual([]);
  });
});

describe('a run lost after its assign import committed', () => {
  it('when the run is tried again, then it finds the file read and its rows applied, not every product refused as already assigned', async () => {
    const db = app.database.db;
    const content = Buffer.from('sku,current_stock\nLAMP-503,6\n');
    const id = await insertImport(db, { storeHash: STORE, mode: 'assign', columns: [...VALUE_COLUMNS], filename: 'lost.csv', content });
    const row = await claimNextImport(db, STORE, 7);
    expect(
      await applyImport(
        jobDeps(
          app,
          fake.gatewayWith(async () => 'token'),
        ),
        row!,
      ),
    ).toBe(1);

    // The worker is lost here, before the job records the outcome: the retry asks for the store's next file.
    expect(await claimNextImport(db, STORE, 7)).toBeUndefined();
    expect(await db.selectFrom('imports').select(['rows_applied', 'problems']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      rows_applied: 1,
      problems: null,
    });
    expect(await item(503)).toEqual([{ variant_id: null, current_stock: 6, backorder_threshold: 0, incoming_stock: 0, back_in_stock_date: null }]);
  });
});
