/**
 * Reads an import file as a stream: strict UTF-8 (a byte-order mark is dropped), or UTF-16 when it starts
 * with its byte-order mark (Excel's "Unicode Text"); comma, semicolon or tab as found in the header; one
 * record at a time (`csv-records.ts`). Every problem of every row is collected — never only the first —
 * with its line number and column; the file is never applied here. What makes the file unreadable as a
 * whole (not text, broken quotes, too many rows) is an UnreadableFile, at once.
 */
import type { Readable } from 'node:stream';
import { parseField, type DateRules, type ItemValues } from '../inventory/item-values.ts';
import { unguardFormula } from '../csv/formula-guard.ts';
import type { FieldProblem } from '../errors.ts';
import { idFrom } from '../http/route-ids.ts';
import { COLUMNS, FIELD_OF, MAX_ROWS, VALUE_COLUMNS, type Column, type ValueColumn } from './csv-format.ts';
import { csvRecords, CsvSyntaxError } from './csv-records.ts';

export interface CsvRow {
  /** The line the row starts on (the header is line 1). */
  line: number;
  sku: string;
  productId?: number;
  variantId?: number;
  values: ItemValues;
}

export interface CsvRead {
  rows: CsvRow[];
  problems: FieldProblem[];
  /** The value columns the header has. */
  columns: ValueColumn[];
}

/** Thrown for a file that cannot be read as CSV at all (not text, no header, broken quotes, too long). */
export class UnreadableFile extends Error {
  /** `file`, or the `line N` where reading stopped. */
  readonly field: string;

  constructor(message: string, field = 'file') {
    super(message);
    this.name = 'UnreadableFile';
    this.field = field;
  }
}

const BINARY_SIGNATURES: ReadonlyArray<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (or another ZIP file)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
];

/** The source's chunks, the first holding at least `n` bytes (fewer only in a shorter file), so a file's signature is read whole. */
async function* headFirst(source: AsyncIterable<Buffer>, n: number): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of source) {
    if (!head) yield chunk;
    else if ((head = Buffer.concat([head, chunk])).length >= n) {
      yield head;
      head = undefined;
    }
  }
  if (head?.length) yield head;
}

/** The encoding the first bytes say: UTF-16 after its byte-order mark (Excel's "Unicode Text" is UTF-16LE), else UTF-8. */
function encodingOf(first: Buffer): { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; name: string } {
  if (first[0] === 0xff && first[1] === 0xfe) return { encoding: 'utf-16le', name: 'UTF-16' };
  if (first[0] === 0xfe && first[1] === 0xff) return { encoding: 'utf-16be', name: 'UTF-16' };
  return { encoding: 'utf-8', name: 'UTF-8' };
}

/** Text from bytes, refusing anything that is not UTF-8 or UTF-16 as its byte-order mark says (or is a known binary format). */
async function* decoded(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let name = 'UTF-8';
  // With no chunk, the end of the file: a character cut short there is not text either.
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder!.decode(chunk, { stream: true }) : (decoder?.decode() ?? '');
    } catch {
      throw new UnreadableFile(`This file is not ${name} text. In your spreadsheet, choose “Save as” → “CSV UTF-8” and upload that file.`);
    }
  };
  for await (const chunk of headFirst(source, 4)) {
    if (!decoder) {
      const binary = BINARY_SIGNATURES.find((s) => s.bytes.every((b, i) => chunk[i] === b));
      if (binary) throw new UnreadableFile(`This file is ${binary.what}, not a CSV file. In your spreadsheet, choose “Save as” → “CSV UTF-8”.`);
      const found = encodingOf(chunk);
      name = found.name;
      decoder = new TextDecoder(found.encoding, { fatal: true, ignoreBOM: false });
    }
    // A NUL character, not a zero byte: UTF-16 writes one in every ASCII character.
    const text = decode(chunk);
    if (text.includes('\0')) throw new UnreadableFile('This file is not text (it holds NUL bytes): upload a CSV file saved as UTF-8.');
    yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Reads up to the end of the header line to find the delimiter; returns it and all the text, unchanged. */
async function splitHeader(text: AsyncIterator<string>): Promise<{ delimiter: (typeof DELIMITERS)[number]; all: AsyncGenerator<string> }> {
  let head = '';
  let finished = false;
  while (!/[\r\n]/.test(head) && head.length < 64 * 1024) {
    const next = await text.next();
    if (next.done) {
      finished = true;
      break;
    }
    head += next.value;
  }
  const header = head.split(/[\r\n]/)[0] ?? '';
  // The one the header splits on most; a comma unless another splits it more (a header of one column has none).
  const delimiter = DELIMITERS.reduce((best, d) => (header.split(d).length > header.split(best).length ? d : best));
  async function* all(): AsyncGenerator<string> {
    if (head) yield head;
    if (finished) return;
    for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
  }
  return { delimiter, all: all() };
}

/** The header's line, its columns by position (undefined: not one of ours), and the positions of the columns with no name. */
interface Header {
  line: number;
  columns: Array<Column | undefined>;
  unnamed: Set<number>;
}

function readHeader(record: string[], line: number, problems: FieldProblem[]): Header {
  const header = record.map((name) =>
    name
      .trim()
      .toLowerCase()
      .replace(/^\uFEFF/, ''),
  );
  const known = new Set<string>(COLUMNS);
  // A column with no name is what a spreadsheet writes for cells once used: it is a problem only if it holds a value (`nameless`).
  const named = header.filter((name) => name !== '');
  header.forEach((name, i) => {
    if (name !== '' && !known.has(name))
      problems.push({ field: `line ${line}, column ${i + 1}`, message: `unknown column “${name.slice(0, 40)}”; the columns are ${COLUMNS.join(', ')}` });
  });
  for (const name of new Set(named)) {
    if (named.filter((h) => h === name).length > 1) problems.push({ field: `line ${line}`, message: `the column ${name} appears twice` });
  }
  if (!header.includes('sku') && !header.includes('product_id')) {
    problems.push({ field: `line ${line}`, message: 'the header needs a sku or a product_id column to name each row’s item' });
  }
  return {
    line,
    columns: header.map((name) => (known.has(name) ? (name as Column) : undefined)),
    unnamed: new Set(header.flatMap((name, i) => (name === '' ? [i] : []))),
  };
}

/** Says of each column with no name the first time a row has a value in it, and forgets it then: once a column. */
function nameless(record: string[], line: number, header: Header, problems: FieldProblem[]): void {
  for (const i of header.unnamed) {
    if ((record[i] ?? '').trim() === '') continue;
    header.unnamed.delete(i);
    problems.push({
      field: `line ${header.line}, column ${i + 1}`,
      message: `column ${i + 1} has no name, but line ${line} has a value in it: name the column (one of ${COLUMNS.join(', ')}) or delete it`,
    });
  }
}

/** What a row's values are read as: the value columns to read, and the rules for a back-in-stock date. */
interface ValueRules {
  columns: readonly ValueColumn[];
  dates?: DateRules;
}

function readRow(record: string[], line: number, header: Array<Column | undefined>, problems: FieldProblem[], rules: ValueRules): CsvRow | undefined {
  const cell = (column: Column) => {
    const index = header.indexOf(column);
    return index < 0 ? undefined : (record[index] ?? '').trim();
  };
  const before = problems.length;
  // Empty cells past the header's last column are what a spreadsheet writes for cells once used: only a value there is a problem.
  const lastValue = record.findLastIndex((text) => text.trim() !== '');
  if (lastValue >= header.length)
    problems.push({
      field: `line ${line}, column ${lastValue + 1}`,
      message: `holds “${record[lastValue]!.trim().slice(0, 20)}”, but the header has ${header.length} columns`,
    });
  const id = (column: 'product_id' | 'variant_id') => {
    const text = cell(column);
    if (!text) return undefined;
    const id = idFrom(text);
    if (id === undefined)
      problems.push({ field: `line ${line}, column ${column}`, message: `“${text.slice(0, 20)}” is not a number (an id is a whole number)` });
    return id;
  };
  const row: CsvRow = { line, sku: unguardFormula(cell('sku') ?? ''), values: {} };
  const productId = id('product_id');
  const variantId = id('variant_id');
  if (productId !== undefined) row.productId = productId;
  if (variantId !== undefined) row.variantId = variantId;
  const namesItems = header.includes('sku') || header.includes('product_id');
  if (namesItems && !row.sku && row.productId === undefined && problems.length === before) {
    problems.push({ field: `line ${line}`, message: 'names no item: give a sku, or a product_id (and variant_id for a variant)' });
  }
  if (row.variantId !== undefined && row.productId === undefined && !row.sku) {
    problems.push({ field: `line ${line}, column product_id`, message: 'a variant_id needs the product_id of its product' });
  }
  for (const column of rules.columns) {
    const text = cell(column);
    if (text === undefined) continue;
    const field = FIELD_OF[column];
    const parsed = parseField(field, text, rules.dates);
    if (!parsed.ok) problems.push({ field: `line ${line}, column ${column}`, message: parsed.message });
    else if (parsed.value !== undefined) (row.values as Record<string, unknown>)[field] = parsed.value;
  }
  return problems.length === before ? row : undefined;
}

export interface ReadOptions {
  /** Told how many rows were read so far (every 5,000 rows), for the progress bar. */
  onRows?: (count: number) => Promise<void>;
  /** The store's date (YYYY-MM-DD): a back-in-stock date before it is a problem of its row. */
  today?: string;
  /**
   * The value columns to read (to update: those ticked to overwrite); all of them unless told. A column left
   * out is not parsed: a value the merchant chose to keep cannot refuse the file.
   */
  columns?: readonly ValueColumn[];
}

/** Up to `batchRows` rows of the file, with the problems of those rows (the header's come with the first). */
export interface CsvBatch {
  rows: CsvRow[];
  problems: FieldProblem[];
  /** The value columns the header has. */
  columns: ValueColumn[];
}

/** Rows per batch, unless told otherwise. */
export const BATCH_ROWS = 5_000;

/**
 * Reads the file batch by batch, never holding more than `batchRows` rows (and their problems): a batch is
 * yielded once it holds that many rows read, good or bad, and the last one at the end of the file — at
 * least one, even for a file with no rows. Throws UnreadableFile for a file that is not CSV text at all.
 */
export async function* readCsvBatches(source: Readable | AsyncIterable<Buffer>, options: ReadOptions & { batchRows?: number } = {}): AsyncGenerator<CsvBatch> {
  const { onRows, batchRows = BATCH_ROWS } = options;
  const rules: ValueRules = { columns: options.columns ?? VALUE_COLUMNS, ...(options.today ? { dates: { today: options.today } } : {}) };
  let batch: CsvBatch = { rows: [], problems: [], columns: [] };
  let inBatch = 0;
  let header: Header | undefined;
  let count = 0;
  const { delimiter, all } = await splitHeader(decoded(source)[Symbol.asyncIterator]());
  try {
    for await (const { cells, line } of csvRecords(all, delimiter)) {
      if (!header) {
        header = readHeader(cells, line, batch.problems);
        batch.columns = VALUE_COLUMNS.filter((c) => header!.columns.includes(c));
        continue;
      }
      count++;
      if (count > MAX_ROWS) throw new UnreadableFile(`The file has more than ${MAX_ROWS.toLocaleString('en-US')} rows: split it into smaller files.`);
      nameless(cells, line, header, batch.problems);
      const row = readRow(cells, line, header.columns, batch.problems, rules);
      if (row) batch.rows.push(row);
      if (onRows && count % 5_000 === 0) await onRows(count);
      if (++inBatch === batchRows) {
        yield batch;
        batch = { rows: [], problems: [], columns: batch.columns };
        inBatch = 0;
      }
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new UnreadableFile(error.message, `line ${error.line}`);
    throw error;
  }
  if (!header) throw new UnreadableFile('The file is empty: it needs a header row and at least one row.');
  if (count === 0) batch.problems.push({ field: 'file', message: 'the file has a header but no rows' });
  if (inBatch > 0 || count === 0) yield batch;
}

/** The line breaks of the bytes (CRLF, LF and CR count one each): a file of no more rows than this plus one. */
export async function lineBreaks(source: AsyncIterable<Buffer>): Promise<number> {
  let breaks = 0;
  let afterCr = false;
  for await (const chunk of source) {
    for (const byte of chunk) {
      // A CR is a break; an LF is one unless it follows a CR (CRLF), also across chunks.
      if (byte === 0x0d || (byte === 0x0a && !afterCr)) breaks++;
      afterCr = byte === 0x0d;
    }
  }
  return breaks;
}

/** Reads every row of the file at once (for files known to be small). Throws UnreadableFile for a file that is not CSV text at all. */
export async function readCsv(source: Readable | AsyncIterable<Buffer>, options: ReadOptions = {}): Promise<CsvRead> {
  const read: CsvRead = { rows: [], problems: [], columns: [] };
  for await (const batch of readCsvBatches(source, options)) {
    read.rows.push(...batch.rows);
    read.problems.push(...batch.problems);
    read.columns = batch.columns;
  }
  return read;
}
