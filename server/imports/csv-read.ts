/**
 * Reads an import file as a stream: its text and delimiter as `csv-text.ts` finds them, one record at a time
 * (`csv-records.ts`). Every problem of every row is collected — never only the first — with its line number
 * and column; the file is never applied here. A row with a value refused still names its item: it is kept
 * to check only (its other cells), so that what its item says of them is listed with the rest. What makes the
 * file unreadable as a whole (not text, broken quotes, too many rows) is an UnreadableFile, at once.
 */
import type { Readable } from 'node:stream';
import { parseField, type DateRules, type ItemValues } from '../inventory/item-values.ts';
import { unguardFormula } from '../csv/formula-guard.ts';
import type { FieldProblem } from '../errors.ts';
import { idFrom, INT_MAX } from '../http/route-ids.ts';
import { COLUMNS, FIELD_OF, MAX_ROWS, VALUE_COLUMNS, type Column, type ValueColumn } from './csv-format.ts';
import { csvRecords, CsvSyntaxError } from './csv-records.ts';
import { decoded, splitHeader, UnreadableFile } from './csv-text.ts';

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
  /** Rows that name their item but have a value refused (in `problems`): their other values, to check, never to apply. */
  checkOnly: CsvRow[];
  problems: FieldProblem[];
  /** The value columns the header has. */
  columns: ValueColumn[];
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

/**
 * Reads one row, its problems added to `problems`. A row with none is to apply; one whose ids name its item
 * but with a value refused is to check only (the values that were read); a row that names no item for sure
 * (a bad id, no sku or product_id, a cell past the header's columns: its cells may not be in theirs) is
 * neither.
 */
function readRow(
  record: string[],
  line: number,
  header: Array<Column | undefined>,
  problems: FieldProblem[],
  rules: ValueRules,
): { row: CsvRow; checkOnly: boolean } | undefined {
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
    if (id === undefined) problems.push({ field: `line ${line}, column ${column}`, message: idProblem(text) });
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
  const named = problems.length === before;
  for (const column of rules.columns) {
    const text = cell(column);
    if (text === undefined) continue;
    const field = FIELD_OF[column];
    const parsed = parseField(field, text, rules.dates);
    if (!parsed.ok) problems.push({ field: `line ${line}, column ${column}`, message: parsed.message });
    else if (parsed.value !== undefined) (row.values as Record<string, unknown>)[field] = parsed.value;
  }
  if (!named) return undefined;
  return { row, checkOnly: problems.length > before };
}

/** Why `text` is not an id of the column: not a whole number, below 1, or more than PostgreSQL's `integer` holds. */
function idProblem(text: string): string {
  const shown = `“${text.slice(0, 20)}”`;
  if (!/^[-+]?\d+$/.test(text)) return `${shown} is not a number (an id is a whole number)`;
  if (Number(text) < 1) return `${shown} is not an id: an id is 1 or more`;
  return `${shown} is not an id: an id is at most ${INT_MAX.toLocaleString('en-US')}`;
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
  /** Rows to check only: see `CsvRead`. */
  checkOnly: CsvRow[];
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
  let batch: CsvBatch = { rows: [], checkOnly: [], problems: [], columns: [] };
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
      const read = readRow(cells, line, header.columns, batch.problems, rules);
      if (read) (read.checkOnly ? batch.checkOnly : batch.rows).push(read.row);
      if (onRows && count % 5_000 === 0) await onRows(count);
      if (++inBatch === batchRows) {
        yield batch;
        batch = { rows: [], checkOnly: [], problems: [], columns: batch.columns };
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

/** Reads every row of the file at once (for files known to be small). Throws UnreadableFile for a file that is not CSV text at all. */
export async function readCsv(source: Readable | AsyncIterable<Buffer>, options: ReadOptions = {}): Promise<CsvRead> {
  const read: CsvRead = { rows: [], checkOnly: [], problems: [], columns: [] };
  for await (const batch of readCsvBatches(source, options)) {
    read.rows.push(...batch.rows);
    read.checkOnly.push(...batch.checkOnly);
    read.problems.push(...batch.problems);
    read.columns = batch.columns;
  }
  return read;
}
