/** The CSV reader and the pace of the BigCommerce side, without a database. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { paceMessage, secondsLeft } from '../../../server/assignments/bigcommerce-pace.ts';
import { toCsv } from '../../../server/csv/csv-write.ts';
import { readCsv } from '../../../server/imports/csv-read.ts';
import { UnreadableFile } from '../../../server/imports/csv-text.ts';

const read = (text: string | Buffer, chunk = 7) => {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return readCsv(Readable.from(parts));
};

describe('reading a CSV file', () => {
  it('when the file has a BOM, semicolons, quotes and CRLF split across chunks, then every row is read with its line number', async () => {
    const { rows, problems, columns } = await read('\uFEFFSKU;Current_Stock;back_in_stock_date\r\n"A;1";5;2026-12-24\r\n\r\nB;0;\r\n');
    expect(problems).toEqual([]);
    expect(columns).toEqual(['current_stock', 'back_in_stock_date']);
    expect(rows).toEqual([
      { line: 2, sku: 'A;1', values: { currentStock: 5, backInStockDate: '2026-12-24' } },
      { line: 4, sku: 'B', values: { currentStock: 0, backInStockDate: null } },
    ]);
  });

  it('when Excel saves the file as tab-delimited text, then tabs split the cells', async () => {
    const { rows, problems } = await read('sku\tcurrent_stock\tbackorder_threshold\r\nLAMP-501\t9\tunlimited\r\n"A,B;C"\t2\t\r\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, sku: 'LAMP-501', values: { currentStock: 9, backorderThreshold: null } },
      { line: 3, sku: 'A,B;C', values: { currentStock: 2 } },
    ]);
  });

  it('when Excel saves the file as Unicode Text (UTF-16 with its byte-order mark), then it is read as the same text', async () => {
    const text = 'sku\tcurrent_stock\r\nLÄMPE-501\t9\r\n嘉-2\t3\r\n';
    const expected = [
      { line: 2, sku: 'LÄMPE-501', values: { currentStock: 9 } },
      { line: 3, sku: '嘉-2', values: { currentStock: 3 } },
    ];
    const littleEndian = Buffer.from(`\uFEFF${text}`, 'utf16le');
    // Odd chunk sizes cut characters in two; a chunk of 1 byte cuts the byte-order mark too.
    for (const chunk of [1, 7]) expect(await read(littleEndian, chunk)).toEqual({ rows: expected, checkOnly: [], problems: [], columns: ['current_stock'] });
    expect((await read(Buffer.from(littleEndian).swap16(), 5)).rows).toEqual(expected);
    await expect(read(Buffer.concat([littleEndian, Buffer.from([0x00, 0xd8, 0x41, 0x00])]))).rejects.toThrow(/not UTF-16 text.*CSV UTF-8/);
    await expect(read(Buffer.concat([littleEndian, Buffer.from([0x00, 0x00])]))).rejects.toThrow(/it holds NUL bytes/);
    await expect(read('sku\nA\0\n')).rejects.toThrow(/it holds NUL bytes/);
  });

  it('when SKUs a spreadsheet would run as formulas are exported, then they import back unchanged', async () => {
    const skus = ['=SUM(A1)', '+A', '-12-A', '@home', "'=quoted", 'PLAIN', '-5'];
    const file = toCsv(
      ['sku', 'current_stock'],
      skus.map((sku) => [sku, 1]),
    );
    expect(file).toContain("'=SUM(A1)");
    const { rows, problems } = await read(file);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.sku)).toEqual(skus);
  });

  it('when the header has an unknown or repeated column, or names no item, then each is a problem of line 1', async () => {
    const { problems } = await read('stock,current_stock,current_stock\n1,2,3\n');
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'line 1, column 1: unknown column “stock”; the columns are sku, product_id, variant_id, current_stock, backorder_threshold, incoming_stock, back_in_stock_date',
      'line 1: the column current_stock appears twice',
      'line 1: the header needs a sku or a product_id column to name each row’s item',
    ]);
  });

  it('when the header ends in columns with no name and their cells are empty, as spreadsheets write them, then they are left out', async () => {
    const { rows, problems, columns } = await read('sku,current_stock,,\r\nLAMP-501,9,,\r\nLAMP-502,,,\r\n');
    expect(problems).toEqual([]);
    expect(columns).toEqual(['current_stock']);
    expect(rows).toEqual([
      { line: 2, sku: 'LAMP-501', values: { currentStock: 9 } },
      { line: 3, sku: 'LAMP-502', values: {} },
    ]);
  });

  it('when columns with no name hold values, then each is a problem once, naming its column and the first line with a value', async () => {
    const { problems } = await read('sku,,current_stock,\nA,,1,\nB,x,2,\nC,y,3,z\n');
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'line 1, column 2: column 2 has no name, but line 3 has a value in it: name the column (one of sku, product_id, variant_id, current_stock, backorder_threshold, incoming_stock, back_in_stock_date) or delete it',
      'line 1, column 4: column 4 has no name, but line 4 has a value in it: name the column (one of sku, product_id, variant_id, current_stock, backorder_threshold, incoming_stock, back_in_stock_date) or delete it',
    ]);
  });

  it('when rows end in empty cells past the header (cells a spreadsheet once used), then they are read; a value there is refused', async () => {
    const { problems, rows } = await read('sku,current_stock\nLAMP-501,9,,\nLAMP-502,4, ,\n');
    expect(problems).toEqual([]);
    expect(rows.map((row) => [row.sku, row.values.currentStock])).toEqual([
      ['LAMP-501', 9],
      ['LAMP-502', 4],
    ]);
    expect((await read('sku,current_stock\nLAMP-501,9,,x\n')).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'line 2, column 4: holds “x”, but the header has 2 columns',
    ]);
  });

  it('when a row has bad ids, too many cells or names nothing, then every problem is kept', async () => {
    const { problems, rows, checkOnly } = await read('sku,product_id,variant_id,incoming_stock\n,abc,,\nA,,,-3\n,,7,\nB,1,2,3,4\n,0,,\n,-4,,\n,2147483648,,\n');
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'line 2, column product_id: “abc” is not a number (an id is a whole number)',
      'line 3, column incoming_stock: -3 is negative; it must be 0 or more',
      'line 4: names no item: give a sku, or a product_id (and variant_id for a variant)',
      'line 4, column product_id: a variant_id needs the product_id of its product',
      'line 5, column 5: holds “4”, but the header has 4 columns',
      'line 6, column product_id: “0” is not an id: an id is 1 or more',
      'line 7, column product_id: “-4” is not an id: an id is 1 or more',
      'line 8, column product_id: “2147483648” is not an id: an id is at most 2,147,483,647',
    ]);
    expect(rows).toEqual([]);
    // Line 3 names its item: it is checked with what it gives besides the value refused. The others name none for sure.
    expect(checkOnly).toEqual([{ line: 3, sku: 'A', values: {} }]);
  });

  it('when a row has one value refused, then its other values are kept to check, not to apply', async () => {
    const { problems, rows, checkOnly } = await read('sku,current_stock,incoming_stock\nORBIT-S,-5,x\nGT-01,-3,\n');
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual(['line 2, column incoming_stock: "x" is not a whole number']);
    expect(rows).toEqual([{ line: 3, sku: 'GT-01', values: { currentStock: -3 } }]);
    expect(checkOnly).toEqual([{ line: 2, sku: 'ORBIT-S', values: { currentStock: -5 } }]);
  });

  it('when a quoted cell spans lines and endings mix (CRLF, LF, CR), then each row is named by the line it starts on', async () => {
    const { rows, problems } = await read('sku,current_stock\r\n"A\r\nB",1\n\r\n"C\rD",x\r,,\rE,y', 3);
    expect(rows).toEqual([{ line: 2, sku: 'A\nB', values: { currentStock: 1 } }]);
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'line 5, column current_stock: "x" is not a whole number',
      'line 8, column current_stock: "y" is not a whole number',
    ]);
  });

  it('when a quote is broken, then the file is refused naming the line and how to fix it, in words and not the parser’s', async () => {
    const refusal = (text: string) =>
      read(text).then(
        () => undefined,
        (error: UnreadableFile) => `${error.field}: ${error.message}`,
      );
    expect(await refusal('sku,current_stock\nA,1\n"B,2\nC,3\n')).toBe(
      'line 3: a quote (") opens a value here and is never closed: close it, or double it ("") to write a quote inside a value',
    );
    expect(await refusal('sku,current_stock\n"A\nA",1\n12" jar,2\n')).toBe(
      'line 4: a quote (") inside a value that does not start with one: put the whole value in quotes and double the quote inside it, e.g. "12"" jar"',
    );
    expect(await refusal('sku,current_stock\nA,1\n"B"x,2\n')).toBe(
      'line 3: text follows the closing quote of a value: a value in quotes ends at its quote; to write a quote inside it, double it ("")',
    );
  });

  it('when a quote that is never closed follows blank lines and a cell spanning lines in its row, then the line it opens on is named', async () => {
    const refusal = (text: string) =>
      read(text, 2).then(
        () => undefined,
        (error: UnreadableFile) => error.field,
      );
    // Line 2 is blank (CRLF), line 3 blank (LF); the row starts on line 4, its second value opens on line 5.
    expect(await refusal('sku,current_stock\n\r\n\n"A\r\nB","1\n2\n')).toBe('line 5');
    expect(await refusal('sku,current_stock\n"A""\nB",1\n"C,""2"",3\n')).toBe('line 4');
  });

  it('when the file has more than 200,000 rows, then it is refused as a whole', async () => {
    const body = Buffer.from(`sku\n${'X\n'.repeat(200_001)}`);
    await expect(readCsv(Readable.from([body]))).rejects.toThrow(/more than 200,000 rows/);
    // Rows beyond the limit still flowing in must not turn the refusal into an aborted read.
    await expect(read(`sku\n${'X\n'.repeat(250_000)}`, 64 * 1024)).rejects.toThrow('The file has more than 200,000 rows: split it into smaller files.');
    const fine = await readCsv(Readable.from([Buffer.from(`sku\n${'X\n'.repeat(200_000)}`)]));
    expect(fine.rows).toHaveLength(200_000);
  });

  it('when the file is not UTF-8, is a workbook, or is empty, then it cannot be read', async () => {
    await expect(read(Buffer.from([0x73, 0x6b, 0x75, 0x0a, 0xe9, 0x0a]))).rejects.toBeInstanceOf(UnreadableFile);
    await expect(read(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).rejects.toThrow(/Excel workbook/);
    await expect(read('')).rejects.toThrow(/The file is empty/);
    expect((await read('sku\n')).problems).toEqual([{ field: 'file', message: 'the file has a header but no rows' }]);
  });
});

describe('the pace of the BigCommerce side', () => {
  it('when the store’s quota is known, then the time left follows it (10 products a batch, 2 requests each)', () => {
    expect(secondsLeft(1_000, { requestRate: 5, done: 0, elapsedMs: 0 })).toBe(40);
    expect(paceMessage('Turning off tracking in BigCommerce', 200, 1_200, 40)).toBe(
      'Turning off tracking in BigCommerce: 200 of 1,200 products; less than a minute left at your store’s API quota (longer while other apps use it)',
    );
    expect(paceMessage('x', 0, 10_000, secondsLeft(10_000, { requestRate: 2.5, done: 0, elapsedMs: 0 }))).toMatch(/about 13 minutes left/);
  });

  it('when the quota is not known yet, then the pace so far is used, and nothing is promised before any progress', () => {
    expect(secondsLeft(100, { done: 10, elapsedMs: 4_000 })).toBe(40);
    expect(secondsLeft(100, { done: 0, elapsedMs: 0 })).toBeUndefined();
  });
});
