/**
 * Splits CSV text into records with csv-parse (RFC 4180: a cell in double quotes may hold the delimiter,
 * line breaks and doubled quotes; a quote anywhere else is a mistake), keeping the line each record starts
 * on as the merchant's editor numbers it. Blank lines are skipped. A mistake is a CsvSyntaxError naming its
 * line and saying how to fix it, never the parser's own words.
 *
 * Line breaks become `\n` before parsing. csv-parse counts a CRLF inside a quoted cell as two lines, and a
 * CRLF that ends a record leaves only its `\r` in the record's raw text, so after mixed endings neither its
 * `info.lines` nor its raw text would say where a record starts; with one kind of break both are exact.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type Options } from 'csv-parse';

/** One record and the line (1-based) it starts on. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** Text that is not CSV as RFC 4180 writes it; `line` is where the mistake is. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Line breaks as `\n`, a `\r` at the end of one chunk paired with a `\n` that starts the next. */
async function* newlines(text: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of text) {
    let part = carry + chunk;
    carry = part.endsWith('\r') ? '\r' : '';
    if (carry) part = part.slice(0, -1);
    if (part) yield part.replace(/\r\n?/g, '\n');
  }
  if (carry) yield '\n';
}

const breaksIn = (text: string) => text.split('\n').length - 1;

/**
 * Where the quote that is never closed opens in the text of a record: after it every quote is doubled
 * (a single one would have closed it), and before it is a delimiter or a line break, so it starts the last
 * run of quotes of odd length.
 */
function unclosedQuoteAt(raw: string): number {
  let end = raw.length;
  for (let last = raw.lastIndexOf('"', end - 1); last >= 0; last = raw.lastIndexOf('"', end - 1)) {
    let first = last;
    while (first > 0 && raw[first - 1] === '"') first--;
    if ((last - first) % 2 === 0) return first;
    end = first;
  }
  return 0;
}

/** csv-parse's error for a record whose text so far (from the line `line`) is `raw`, in our words. */
function syntaxError(error: CsvError & { raw?: string }, line: number): CsvSyntaxError | CsvError {
  const raw = error.raw ?? '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvSyntaxError(
        line + breaksIn(raw.slice(0, unclosedQuoteAt(raw))),
        `a quote (") opens a value here and is never closed: close it, or double it ("") to write a quote inside a value`,
      );
    case 'INVALID_OPENING_QUOTE':
      return new CsvSyntaxError(
        line + breaksIn(raw),
        `a quote (") inside a value that does not start with one: put the whole value in quotes and double the quote inside it, e.g. "12"" jar"`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvSyntaxError(
        line + breaksIn(raw),
        `text follows the closing quote of a value: a value in quotes ends at its quote; to write a quote inside it, double it ("")`,
      );
    default:
      return error;
  }
}

/** The records of `text`, one at a time, split on `delimiter`. */
export async function* csvRecords(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<CsvRecord> {
  // The line the text of the next record starts on. Its raw text holds the blank lines skipped before it
  // and its closing line break, so the raw texts add up to the whole file.
  let nextLine = 1;
  const options: Options<CsvRecord, { record: string[]; raw: string }> = {
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    skip_empty_lines: true,
    raw: true,
    on_record: ({ record, raw }) => {
      const line = nextLine + raw.length - raw.replace(/^\n+/, '').length;
      nextLine += breaksIn(raw);
      // A record of empty cells (",,") is a blank line too.
      return record.every((cell) => cell === '') ? null : { cells: record, line };
    },
  };
  // parse()'s typings know records of cells only; with `raw` and `on_record` they are the types above.
  const parser = parse(options as unknown as Options);
  // A failure of the text (not UTF-8) reaches the parser, and so the loop below; stopping early ends both.
  pipeline(Readable.from(newlines(text)), parser).catch(() => undefined);
  try {
    for await (const record of parser) yield record as CsvRecord;
  } catch (error) {
    throw error instanceof CsvError ? syntaxError(error, nextLine) : error;
  }
}
