/**
 * CSV streamed to a reader a batch at a time: the header, then each batch as it comes, waiting whenever the
 * reader is behind, and stopping when it has gone — so an export of a million rows holds one batch in
 * memory, and a download the merchant cancels stops reading the database.
 */
import type { Writable } from 'node:stream';
import type { Response } from 'express';
import { csvLine, csvLines, type CsvValue } from './csv-write.ts';

/** Where CSV text goes: an HTTP response, or a file. */
type CsvOut = Pick<Writable, 'write' | 'on' | 'off' | 'destroyed'>;

/** Resolves once the reader has taken what was written, or has gone. */
function drained(out: CsvOut): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Writes the header, then each batch as it comes, waiting whenever the reader is behind; returns the rows written. */
export async function writeCsv<T>(out: CsvOut, header: readonly string[], batches: AsyncIterable<T[]>, cells: (row: T) => CsvValue[]): Promise<number> {
  let rows = 0;
  out.write(csvLine([...header]));
  for await (const batch of batches) {
    if (out.destroyed) break;
    rows += batch.length;
    if (!out.write(csvLines(batch.map(cells)))) await drained(out);
  }
  return rows;
}

/** Sends a CSV attachment, streamed as `writeCsv` writes it. */
export async function sendCsv<T>(
  res: Response,
  filename: string,
  header: readonly string[],
  batches: AsyncIterable<T[]>,
  cells: (row: T) => CsvValue[],
): Promise<void> {
  res.set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
  await writeCsv(res, header, batches, cells);
  res.end();
}
