/**
 * An import runs in bounded batches, from the stored file to the database: the file is read part by part, its
 * rows matched, kept and applied a batch at a time — no step is handed more rows than a batch, whatever
 * the file's length — and it stays all or nothing: a problem found in the last batch, under its items'
 * locks, leaves the batches before it unapplied.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../server/db/database.ts';
import { AppError } from '../../../server/errors.ts';
import { applyImport } from '../../../server/imports/imports.service.ts';
import { claimNextImport, finishImport, insertImport } from '../../../server/imports/imports.repo.ts';
import { VALUE_COLUMNS } from '../../../server/imports/csv-format.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { jobDeps, startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

/** What each step was handed: bytes per part read (the file stored in parts of SLICE bytes), rows per batch matched and kept, items per batch locked. */
const seen = vi.hoisted(() => ({ slices: [] as number[], matched: [] as number[], staged: [] as number[], locked: [] as number[] }));
const SLICE = 64;

vi.mock('../../../server/imports/imports.repo.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../server/imports/imports.repo.ts')>();
  return {
    ...actual,
    async *importContent(db: Db, storeHash: string, importId: number) {
      for await (const slice of actual.importContent(db, storeHash, importId)) {
        seen.slices.push(slice.length);
        yield slice;
      }
    },
  };
});
vi.mock('../../../server/imports/import-targets.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../server/imports/import-targets.ts')>();
  return { ...actual, matchRows: (...args: Parameters<typeof actual.matchRows>) => (seen.matched.push(args[2].length), actual.matchRows(...args)) };
});
vi.mock('../../../server/imports/import-rows.repo.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../server/imports/import-rows.repo.ts')>();
  return { ...actual, stageRows: (...args: Parameters<typeof actual.stageRows>) => (seen.staged.push(args[3].length), actual.stageRows(...args)) };
});
vi.mock('../../../server/inventory/inventory.repo.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../server/inventory/inventory.repo.ts')>();
  return { ...actual, lockItems: (...args: Parameters<typeof actual.lockItems>) => (seen.locked.push(args[2].length), actual.lockItems(...args)) };
});

describe('an import in bounded batches', () => {
  const fake = fakeBigCommerce();
  const STORE = 'batches1';
  const PRODUCTS = Array.from({ length: 23 }, (_, i) => 801 + i);
  const BATCH = 4;
  let app: TestApp;

  const deps = () =>
    jobDeps(
      app,
      fake.gatewayWith(async () => 'token'),
    );

  /** Stores the file and runs it as the import job does: claimed without its file, in batches of BATCH rows, then done with. */
  const run = async (text: string, mode: 'assign' | 'update') => {
    const id = await insertImport(
      app.database.db,
      { storeHash: STORE, mode, columns: [...VALUE_COLUMNS], filename: 'long.csv', content: Buffer.from(text) },
      SLICE,
    );
    const row = await claimNextImport(app.database.db, STORE, 1);
    expect(row?.id).toBe(id);
    try {
      return await applyImport(deps(), row!, undefined, { batchRows: BATCH });
    } finally {
      await finishImport(app.database.db, STORE, id, {});
    }
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('the file was applied'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).details.problems ?? [];
      },
    );

  const stock = async () =>
    app.database.db
      .selectFrom('inventory_items')
      .select(['product_id', 'current_stock', 'backorder_threshold', 'incoming_stock'])
      .where('store_hash', '=', STORE)
      .orderBy('product_id')
      .execute();
  const movements = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from stock_movements where store_hash = ${STORE}`.execute(app.database.db)).rows[0]!.n;
  const updateFile = (stockOf: (id: number) => number) =>
    ['sku,current_stock,backorder_threshold', ...PRODUCTS.map((id) => `PLATE-${id},${stockOf(id)},${id % 3}`)].join('\n') + '\n';

  beforeAll(async () => {
    app = await startTestApp({ gateway: fake.factory() });
    fake.addStore(STORE, { products: PRODUCTS.map((id) => bcProduct({ id, name: `Plate ${id}`, sku: `PLATE-${id}`, inventory_level: 2 })) });
    await installed(app, fake, STORE);
    await changePlan(app.database.db, STORE, 'starter');
    await run(`sku\n${PRODUCTS.map((id) => `PLATE-${id}`).join('\n')}\n`, 'assign');
  });
  afterAll(() => app?.stop());
  beforeEach(() => {
    for (const list of Object.values(seen)) list.length = 0;
  });

  it('when a file is longer than one batch, then no step is handed more than a batch — slices read, rows matched and kept, items locked — and every row is applied', async () => {
    const text = updateFile((id) => id % 7);
    expect(await run(text, 'update')).toBe(PRODUCTS.length);

    expect(seen.slices.length).toBeGreaterThan(1);
    expect(Math.max(...seen.slices)).toBeLessThanOrEqual(SLICE);
    // The file is read twice, slice by slice: once to count its line breaks, once for its rows.
    expect(seen.slices.reduce((a, b) => a + b, 0)).toBe(2 * Buffer.byteLength(text));
    for (const sizes of [seen.matched, seen.staged, seen.locked]) {
      expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(PRODUCTS.length / BATCH));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(PRODUCTS.length);
    }
    expect(await stock()).toEqual(PRODUCTS.map((id) => ({ product_id: id, current_stock: id % 7, backorder_threshold: id % 3, incoming_stock: 0 })));
  });

  it('when only the last batch has a problem, found under its items’ locks, then the batches before it are not applied and the problem names its line', async () => {
    await run(
      updateFile(() => 1),
      'update',
    );
    const before = { stock: await stock(), movements: await movements() };
    const last = PRODUCTS.at(-1)!;

    const problems = await refusal(
      run(
        updateFile((id) => (id === last ? -4 : 30)),
        'update',
      ),
    );

    expect(problems).toEqual([{ field: `line ${PRODUCTS.length + 1}, column current_stock`, message: expect.stringContaining('-4 is negative') }]);
    expect(seen.locked.length).toBeGreaterThan(1);
    expect({ stock: await stock(), movements: await movements() }).toEqual(before);
  });

  it('when rows in different batches name the same product, then the later one is refused naming the first, and nothing is applied', async () => {
    const before = await stock();
    const text = updateFile(() => 9) + `PLATE-${PRODUCTS[1]},3,0\n`;

    const problems = await refusal(run(text, 'update'));

    expect(problems).toEqual([{ field: `line ${PRODUCTS.length + 2}`, message: 'duplicate row: line 3 names the same product' }]);
    expect(await stock()).toEqual(before);
  });
});
