/**
 * Properties of the CSV import, over generated files: whatever the bytes, reading ends in rows and problems
 * that name real lines, or in a refusal naming the file or a line — never in another error; what our own
 * export writes reads back exactly, each row at the line it starts on; and applying a file to the store
 * either changes every named item as the file says or, refused, changes nothing at all.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../../server/csv/csv-write.ts';
import type { Import } from '../../../server/db/schema.ts';
import { AppError } from '../../../server/errors.ts';
import { readCsv } from '../../../server/imports/csv-read.ts';
import { UnreadableFile } from '../../../server/imports/csv-text.ts';
import { applyImport } from '../../../server/imports/imports.service.ts';
import { insertImport } from '../../../server/imports/imports.repo.ts';
import { VALUE_COLUMNS, type ValueColumn } from '../../../server/imports/csv-format.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { jobDeps, startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

/** The file in chunks of `size` bytes, as the import reads a stored file. */
const chunked = (bytes: Uint8Array, size: number) => {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(parts);
};

/** How many lines an editor shows for the text (CRLF, LF and CR each end one). */
const lineCount = (text: string) => (text.match(/\r\n?|\n/g)?.length ?? 0) + 1;

const PROBLEM_FIELD = /^(file|columns|line (\d+)(, column [a-z_0-9]+)?)$/;

/** Every problem names the file, the columns or a line the file has. */
function expectNamedProblems(problems: ReadonlyArray<{ field: string; message: string }>, lines: number): void {
  for (const { field, message } of problems) {
    const match = PROBLEM_FIELD.exec(field);
    expect(match, `problem field "${field}"`).not.toBeNull();
    if (match?.[2]) expect(Number(match[2])).toBeLessThanOrEqual(lines);
    expect(message.length).toBeGreaterThan(0);
  }
}

/** Reads the bytes; returns the problems found or the refusal, failing on any other outcome. */
async function readOutcome(bytes: Uint8Array, chunk: number): Promise<{ field: string; message: string }[]> {
  try {
    return (await readCsv(chunked(bytes, chunk))).problems;
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    return [{ field: error.field, message: error.message }];
  }
}

const cellText = fc.oneof(
  fc.constantFrom('', 'JAR-1', '12', '-3', 'unlimited', '2099-12-24', '2020-01-01', '"', '""', '"a,b"', 'x"y', ';', '\r\n', '\n', '\r', ' ', '\uFEFF', '=1+1'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

const csvLike = fc
  .record({
    header: fc.subarray(['sku', 'product_id', 'variant_id', ...VALUE_COLUMNS, 'colour'], { minLength: 1 }),
    rows: fc.array(fc.array(cellText, { maxLength: 9 }), { maxLength: 12 }),
    delimiter: fc.constantFrom(',', ';'),
    ending: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ header, rows, delimiter, ending }) => [header, ...rows].map((cells) => cells.join(delimiter)).join(ending));

describe('reading any file', () => {
  it('when the bytes are anything at all, then reading ends in problems naming real lines or a refusal naming the file or a line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const text = Buffer.from(bytes).toString('utf8');
        expectNamedProblems(await readOutcome(bytes, chunk), lineCount(text));
      }),
      { numRuns: 400 },
    );
  });

  it('when the text looks like CSV with broken quotes, stray delimiters and mixed line ends, then the same holds', async () => {
    await fc.assert(
      fc.asyncProperty(csvLike, fc.integer({ min: 1, max: 64 }), async (text, chunk) => {
        expectNamedProblems(await readOutcome(Buffer.from(text), chunk), lineCount(text));
      }),
      { numRuns: 600 },
    );
  });
});

const sku = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }).filter((s) => s.trim() === s && s !== '' && !s.includes('\0'));

const validRow = fc.record({
  sku,
  currentStock: fc.integer({ min: -1_000, max: 1_000_000 }),
  backorderThreshold: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: null }),
  incomingStock: fc.integer({ min: 0, max: 5_000 }),
  backInStockDate: fc.option(fc.date({ min: new Date('2100-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }), { nil: null }),
});

describe('reading what the export writes', () => {
  it('when rows are written as the export writes them, then they read back exactly, each at the line it starts on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validRow, { minLength: 1, maxLength: 15 }), fc.integer({ min: 1, max: 64 }), async (rows, chunk) => {
        let text = csvLine(['sku', 'current_stock', 'backorder_threshold', 'incoming_stock', 'back_in_stock_date']);
        const lines: number[] = [];
        for (const row of rows) {
          lines.push(lineCount(text));
          const date = row.backInStockDate?.toISOString().slice(0, 10) ?? '';
          text += csvLine([row.sku, row.currentStock, row.backorderThreshold ?? 'unlimited', row.incomingStock, date]);
        }
        const read = await readCsv(chunked(Buffer.from(text), chunk));
        expect(read.problems).toEqual([]);
        expect(read.rows).toEqual(
          rows.map((row, i) => ({
            line: lines[i],
            sku: row.sku.replace(/\r\n?/g, '\n'),
            values: {
              currentStock: row.currentStock,
              backorderThreshold: row.backorderThreshold,
              incomingStock: row.incomingStock,
              backInStockDate: row.backInStockDate?.toISOString().slice(0, 10) ?? null,
            },
          })),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('applying any file to the store', () => {
  const fake = fakeBigCommerce();
  const STORE = 'csvprops1';
  const PRODUCTS = [701, 702, 703, 704, 705];
  let app: TestApp;

  const snapshot = async () => ({
    items: await app.database.db
      .selectFrom('inventory_items')
      .select(['product_id', 'current_stock', 'backorder_threshold', 'incoming_stock', 'back_in_stock_date'])
      .where('store_hash', '=', STORE)
      .orderBy('product_id')
      .execute(),
    movements: Number(
      (
        await app.database.db
          .selectFrom('stock_movements')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('store_hash', '=', STORE)
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  const importRow = async (content: Buffer, mode: 'assign' | 'update', columns: ValueColumn[]): Promise<Import> => {
    const id = await insertImport(app.database.db, { storeHash: STORE, mode, columns, filename: 'generated.csv', content });
    return app.database.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  };

  const deps = () =>
    jobDeps(
      app,
      fake.gatewayWith(async () => 'token'),
    );

  beforeAll(async () => {
    app = await startTestApp({ gateway: fake.factory() });
    fake.addStore(STORE, { products: PRODUCTS.map((id) => bcProduct({ id, name: `Bowl ${id}`, sku: `BOWL-${id}`, inventory_level: 3 })) });
    await installed(app, fake, STORE);
    await changePlan(app.database.db, STORE, 'starter');
    await applyImport(deps(), await importRow(Buffer.from(`sku\n${PRODUCTS.map((id) => `BOWL-${id}`).join('\n')}\n`), 'assign', [...VALUE_COLUMNS]));
  });
  afterAll(() => app?.stop());

  const rightCells = {
    current_stock: fc.integer({ min: 0, max: 500 }).map(String),
    backorder_threshold: fc.oneof(fc.integer({ min: 0, max: 50 }).map(String), fc.constant('unlimited')),
    incoming_stock: fc.integer({ min: 0, max: 50 }).map(String),
    back_in_stock_date: fc.constantFrom('', '2099-01-31', '2150-06-01'),
  };
  /** Rows that are right: distinct items, values the rules accept. */
  const rightRows = fc
    .shuffledSubarray(PRODUCTS, { minLength: 1 })
    .chain((ids) => fc.tuple(...ids.map((id) => fc.record({ sku: fc.constant(`BOWL-${id}`), ...rightCells }))));
  /** Rows of which any cell may be wrong or noise, items repeated or unknown. */
  const noisy = (right: fc.Arbitrary<string>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: cellText });
  const noisyRows = fc.array(
    fc.record({
      sku: noisy(fc.constantFrom(...PRODUCTS.map((id) => `BOWL-${id}`), 'NOPE-1')),
      current_stock: noisy(rightCells.current_stock),
      backorder_threshold: noisy(rightCells.backorder_threshold),
      incoming_stock: noisy(rightCells.incoming_stock),
      back_in_stock_date: noisy(rightCells.back_in_stock_date),
    }),
    { minLength: 1, maxLength: 6 },
  );
  const updateFile = fc.record({
    columns: fc.subarray([...VALUE_COLUMNS], { minLength: 1 }),
    rows: fc.oneof(rightRows, noisyRows),
    ending: fc.constantFrom('\n', '\r\n'),
    // One file in five is damaged: a character slipped in anywhere.
    damage: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ at: fc.nat(), insert: fc.constantFrom('"', ',', '\n', '\uFFFD') }) },
    ),
  });

  it('when a generated file is imported to update, then every named item takes its values, or the file is refused with named problems and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(updateFile, async ({ columns, rows, ending, damage }) => {
        const header = ['sku', ...VALUE_COLUMNS] as const;
        const cells: string[][] = [[...header], ...(rows as Array<Record<(typeof header)[number], string>>).map((row) => header.map((column) => row[column]))];
        let text = cells.map((line) => line.join(',')).join(ending) + ending;
        if (damage) {
          const at = damage.at % (text.length + 1);
          text = text.slice(0, at) + damage.insert + text.slice(at);
        }
        const before = await snapshot();
        let applied: number | undefined;
        try {
          applied = await applyImport(deps(), await importRow(Buffer.from(text), 'update', columns));
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(AppError);
          expect((error as AppError).kind).toBe('validation');
          expectNamedProblems((error as AppError).details.problems ?? [], lineCount(text));
          expect(await snapshot()).toEqual(before);
          return;
        }
        // Applied: the file was right in the columns read (those ticked), so each row named one item, and that
        // item now holds the row's values.
        const after = await snapshot();
        const read = await readCsv(Readable.from([Buffer.from(text)]), { columns });
        expect(applied).toBe(read.rows.length);
        for (const row of read.rows) {
          const item = after.items.find((i) => `BOWL-${i.product_id}` === row.sku)!;
          const wanted = before.items.find((i) => i.product_id === item.product_id)!;
          const values = row.values;
          expect(item).toEqual({
            ...wanted,
            ...(columns.includes('current_stock') && values.currentStock !== undefined ? { current_stock: values.currentStock } : {}),
            ...(columns.includes('backorder_threshold') && values.backorderThreshold !== undefined ? { backorder_threshold: values.backorderThreshold } : {}),
            ...(columns.includes('incoming_stock') && values.incomingStock !== undefined ? { incoming_stock: values.incomingStock } : {}),
            ...(columns.includes('back_in_stock_date') && values.backInStockDate !== undefined ? { back_in_stock_date: values.backInStockDate } : {}),
          });
        }
        const named = new Set(read.rows.map((r) => r.sku));
        expect(after.items.filter((i) => !named.has(`BOWL-${i.product_id}`))).toEqual(before.items.filter((i) => !named.has(`BOWL-${i.product_id}`)));
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
