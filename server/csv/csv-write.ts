/** CSV output (RFC 4180): comma-separated, CRLF line ends, fields quoted when they need it. */
import { guardFormula } from './formula-guard.ts';

export type CsvValue = string | number | boolean | null | undefined | Date;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  const safe = guardFormula(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line, with its line end. */
export function csvLine(values: CsvValue[]): string {
  return `${values.map(field).join(',')}\r\n`;
}

/** A whole CSV document from a header and rows. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map(csvLine).join('');
}
