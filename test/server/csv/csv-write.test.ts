/** The CSV files the app writes, byte for byte: RFC 4180 with CRLF, quotes only where needed, formulas guarded. */
import { describe, expect, it } from 'vitest';
import { csvLine, csvLines, toCsv } from '../../../server/csv/csv-write.ts';

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
