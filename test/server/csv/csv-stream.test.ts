/** CSV streamed to a reader: back-pressure honoured, and a reader that goes away stops the export. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../../server/csv/csv-stream.ts';

describe('streaming CSV', () => {
  it('when the reader goes away while it is behind, then writing stops and no further batch is read', async () => {
    // A reader that takes nothing: the first batch fills its buffer, then it closes (a cancelled download).
    const out = new Writable({ highWaterMark: 1, write: () => undefined });
    let read = 0;
    async function* batches() {
      for (let n = 0; n < 100; n++) {
        read++;
        if (n === 0) setTimeout(() => out.destroy(), 5);
        yield [n];
      }
    }
    const written = await writeCsv(out, ['n'], batches(), (n) => [n]);
    expect(written).toBe(1);
    expect(read).toBe(2);
  });

  it('when the reader is slow, then every batch is written once, in order, after the header', async () => {
    const chunks: string[] = [];
    const out = new Writable({
      highWaterMark: 1,
      write: (chunk: Buffer, _encoding, done) => {
        chunks.push(chunk.toString());
        setTimeout(done, 1);
      },
    });
    async function* batches() {
      for (let n = 0; n < 5; n++) yield [n * 2, n * 2 + 1];
    }
    expect(await writeCsv(out, ['n'], batches(), (n) => [n])).toBe(10);
    await new Promise((resolve) => out.end(resolve));
    expect(chunks.join('')).toBe(['n', ...Array.from({ length: 10 }, (_, n) => String(n))].map((l) => `${l}\r\n`).join(''));
  });
});
