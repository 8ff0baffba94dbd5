/**
 * CSV output (RFC 4180) by csv-stringify: comma-separated, CRLF line ends, no byte-order mark, fields
 * quoted when they hold a comma, a quote or a line break. Every value goes through our formula guard
 * (csv-stringify's own `escape_formulas` has other rules, and the import undoes exactly ours).
 */
import { stringify, type Options } from 'csv-stringify/sync';
import { guardFormula } from './formula-guard.ts';

export type CsvValue = string | number | boolean | null | undefined | Date;

const OPTIONS: Options = {
  record_delimiter: '\r\n',
  // With a record delimiter given, csv-stringify would quote only cells holding all of it: a lone \n or \r
  // must be quoted too, or the cell reads back as two lines.
  quote_record_delimiter: true,
  cast: {
    string: guardFormula,
    number: (value) => guardFormula(String(value)),
    boolean: String,
    date: (value) => value.toISOString(),
  },
};

/** Several CSV lines, each with its line end. */
export function csvLines(rows: CsvValue[][]): string {
  return stringify(rows, OPTIONS);
}

/** One CSV line, with its line end. */
export function csvLine(values: CsvValue[]): string {
  return csvLines([values]);
}

/** A whole CSV document from a header and rows. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return csvLines([header, ...rows]);
}
