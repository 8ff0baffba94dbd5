/**
 * An import file's bytes as text: strict UTF-8 (a byte-order mark is dropped), or UTF-16 when it starts with
 * its byte-order mark (Excel's "Unicode Text"); known binary formats refused by name; and the delimiter its
 * header line splits on. What makes a file unreadable as a whole is an UnreadableFile.
 */

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
export async function* decoded(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
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
export async function splitHeader(text: AsyncIterator<string>): Promise<{ delimiter: (typeof DELIMITERS)[number]; all: AsyncGenerator<string> }> {
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

/**
 * The line breaks of the bytes (CRLF, LF and CR count one each): a file of no more rows than this plus one.
 * A UTF-16 file's CRLF counts two (a zero byte between): too many breaks, never too few.
 */
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
