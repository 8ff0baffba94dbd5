/**
 * CSV output (RFC 4180): comma-separated, CRLF line ends, no byte-order mark, a field quoted (its quotes
 * doubled) only when it holds a comma, a quote, a CR or an LF — a lone CR or LF too, or the cell reads back
 * as two lines. Every value goes through our formula guard. Written by hand, one string per call, because
 * an export of a million lines spent as long in a general CSV library as in PostgreSQL; the output is
 * byte for byte what csv-stringify wrote with those options (test/server/csv/csv-write.test.ts compares).
 */
import { guardFormula } from './formula-guard.ts';

export type CsvValue = string | number | boolean | null | undefined | Date;

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** One value as its CSV field. */
function field(value: CsvValue): string {
  let text: string;
  if (typeof value === 'string') text = guardFormula(value);
  // A whole number prints as digits with at most a minus sign: a plain number, never guarded or quoted.
  else if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : field(String(value));
  else if (typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else return '';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** One CSV line, with its line end. */
export function csvLine(values: readonly CsvValue[]): string {
  const fields = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) fields[i] = field(values[i]);
  return `${fields.join(',')}\r\n`;
}

/** Several CSV lines, each with its line end. */
export function csvLines(rows: readonly (readonly CsvValue[])[]): string {
  // Joined rather than appended with +=: one flat string instead of a chain of pieces per field, which
  // left the garbage collector a third of an export's time.
  return rows.map(csvLine).join('');
}

/** A whole CSV document from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvLine(header) + csvLines(rows);
}
