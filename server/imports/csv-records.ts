/**
 * Splits CSV text into records, keeping the line each record starts on as the merchant's editor numbers
 * it — a quoted cell may span lines, and CRLF, LF and CR endings may mix. RFC 4180's rules: a cell in
 * double quotes may hold the delimiter, line breaks and doubled quotes (""); a quote anywhere else is a
 * mistake. A mistake is a CsvSyntaxError naming its line and saying how to fix it, never the parser's own
 * words. Blank lines are skipped.
 */

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

type State = 'cellStart' | 'plain' | 'quoted' | 'quoteInQuoted';

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

/** The records of `text`, one at a time, split on `delimiter`. */
export async function* csvRecords(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<CsvRecord> {
  let state: State = 'cellStart';
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let started = false;

  // Ends the record at a line break (or the end of the text); a record of empty cells is a blank line.
  const endRecord = (): CsvRecord | undefined => {
    cells.push(cell);
    const record = { cells, line: recordLine };
    cells = [];
    cell = '';
    started = false;
    state = 'cellStart';
    line++;
    return record.cells.every((c) => c === '') ? undefined : record;
  };

  for await (const chunk of newlines(text)) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (!started) {
        started = true;
        recordLine = line;
      }
      if (state === 'quoted') {
        const close = chunk.indexOf('"', i);
        const run = close < 0 ? chunk.slice(i) : chunk.slice(i, close);
        cell += run;
        for (let at = run.indexOf('\n'); at >= 0; at = run.indexOf('\n', at + 1)) line++;
        i = close < 0 ? chunk.length : close;
        if (close >= 0) state = 'quoteInQuoted';
        continue;
      }
      if (state === 'quoteInQuoted') {
        if (c === '"') {
          cell += '"';
          state = 'quoted';
          continue;
        }
        if (c !== delimiter && c !== '\n') {
          throw new CsvSyntaxError(line, `text follows the closing quote of a value: a value in quotes ends at its quote; to write a quote inside it, double it ("")`);
        }
      }
      if (c === delimiter) {
        cells.push(cell);
        cell = '';
        state = 'cellStart';
      } else if (c === '\n') {
        const record = endRecord();
        if (record) yield record;
      } else if (c === '"') {
        if (state === 'plain') {
          throw new CsvSyntaxError(line, `a quote (") inside a value that does not start with one: put the whole value in quotes and double the quote inside it, e.g. "12"" jar"`);
        }
        state = 'quoted';
        quoteLine = line;
      } else {
        // Runs of plain text are copied in one slice.
        let end = i + 1;
        while (end < chunk.length && chunk[end] !== delimiter && chunk[end] !== '\n' && chunk[end] !== '"') end++;
        cell += chunk.slice(i, end);
        i = end - 1;
        state = 'plain';
      }
    }
  }
  if (state === 'quoted') {
    throw new CsvSyntaxError(quoteLine, `a quote (") opens a value here and is never closed: close it, or double it ("") to write a quote inside a value`);
  }
  if (started) {
    const record = endRecord();
    if (record) yield record;
  }
}
