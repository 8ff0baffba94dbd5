/** The CSV files the app writes, byte for byte: RFC 4180 with CRLF, quotes only where needed, formulas guarded. */
import { stringify, type Options } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, csvLines, toCsv, type CsvValue } from '../../../server/csv/csv-write.ts';
import { guardFormula } from '../../../server/csv/formula-guard.ts';

describe('writing CSV', () => {
  it('when values hold commas, quotes or line breaks, then only those are quoted, quotes doubled, each line ending in CRLF, without a BOM', () => {
    expect(
      toCsv(
        ['sku', 'note'],
        [
          ['A,1', 'says "hi"'],
          ['B\nC', 'x\ry'],
          ['plain', ''],
          ['semi;colon', ' spaced '],
        ],
      ),
    ).toBe('sku,note\r\n"A,1","says ""hi"""\r\n"B\nC","x\ry"\r\nplain,\r\nsemi;colon, spaced \r\n');
  });

  it('when values are numbers, dates, booleans, null or undefined, then they are written as text, empty for none', () => {
    expect(csvLine([3, -5, 0.5, new Date(Date.UTC(2026, 11, 24, 9, 30)), true, false, null, undefined])).toBe(
      '3,-5,0.5,2026-12-24T09:30:00.000Z,true,false,,\r\n',
    );
  });

  it('when text would run as a formula in a spreadsheet, then it gets a quote mark, and plain negative numbers do not', () => {
    expect(csvLine(['=SUM(A1)', '+A', '-12-A', '@home', "'=quoted", '\tTAB', '-5', '-0.5', 'PLAIN'])).toBe(
      "'=SUM(A1),'+A,'-12-A,'@home,''=quoted,'\tTAB,-5,-0.5,PLAIN\r\n",
    );
    expect(csvLine(['\rCR'])).toBe(`"'\rCR"\r\n`);
  });

  it('when rows are written in batches, then the batches join into the same document as written at once', () => {
    const rows = [
      ['A', 1],
      ['B,2', null],
      ['=C', 3],
    ];
    expect(csvLine(['sku', 'n']) + csvLines(rows.slice(0, 2)) + csvLines(rows.slice(2)) + csvLines([])).toBe(toCsv(['sku', 'n'], rows));
  });
});

/** What the app wrote before its own writer: csv-stringify with these options, every value formula-guarded. */
const STRINGIFY_OPTIONS: Options = {
  record_delimiter: '\r\n',
  quote_record_delimiter: true,
  cast: {
    string: guardFormula,
    number: (value) => guardFormula(String(value)),
    boolean: String,
    date: (value) => value.toISOString(),
  },
};
const stringified = (rows: CsvValue[][]) => stringify(rows, STRINGIFY_OPTIONS);

describe('the hand-written writer against csv-stringify', () => {
  it('when cells are tricky (quotes, commas, line breaks, formula starts, unicode, none, dates across summer time), then the bytes are the same', () => {
    const tricky: CsvValue[] = [
      'say "hi"',
      '"',
      '""',
      'a,b',
      ',',
      'two\r\nlines',
      'lf\nonly',
      'cr\ronly',
      'ends with cr\r',
      '\r\n',
      '=1+1',
      '+A',
      '-12-A',
      '-',
      '@home',
      '\tTAB',
      '\rCR',
      "'=quoted",
      "''+twice",
      "'plain",
      '-5',
      '-0.5',
      '-1e-7',
      '＝fullwidth',
      'Çà et là 😀, "ok"',
      ' spaced ',
      'semi;colon',
      '',
      null,
      undefined,
      0,
      -0,
      -5,
      0.1 + 0.2,
      -1e-7,
      1e21,
      Number.NaN,
      true,
      false,
      new Date('2026-03-08T06:59:59.999Z'),
      new Date('2026-03-08T07:00:00Z'),
      new Date('2026-11-01T05:30:00Z'),
      new Date('2026-11-01T06:30:00Z'),
    ];
    const rows = [tricky, [...tricky].reverse(), [], [null], [''], ['=lone']];
    expect(csvLines(rows)).toBe(stringified(rows));
    expect(toCsv(['h,1', '=h2'], rows)).toBe(stringified([['h,1', '=h2'], ...rows]));
  });

  it('when any rows of any values are written, then the bytes are what csv-stringify wrote', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', "'", '\r', '\n', '\t', '=', '+', '-', '@', '.', 'é', '😀') });
    const value: fc.Arbitrary<CsvValue> = fc.oneof(
      text,
      fc.string({ unit: 'grapheme' }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 8 }), { maxLength: 6 }), (rows) => {
        expect(csvLines(rows)).toBe(stringified(rows));
      }),
      { numRuns: 2_000 },
    );
  });
});
