/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula. Our CSV
 * files put a quote mark before such text, and our import takes one quote mark off again, so an exported
 * file imports back unchanged (a SKU such as "-12-A" stays "-12-A"). Text that already starts with quote
 * marks before such a character gets one more, which keeps the two exact inverses.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

const guarded = (text: string) => FORMULA.test(text) && !PLAIN_NUMBER.test(text);

/** The text as written to a CSV cell. */
export function guardFormula(text: string): string {
  return guarded(text) ? `'${text}` : text;
}

/** The text of a CSV cell as it was before guardFormula. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && guarded(cell.slice(1)) ? cell.slice(1) : cell;
}
