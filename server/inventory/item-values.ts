/**
 * The values a merchant gives an inventory item — in the assign and edit dialogs, the bulk pages and CSV
 * files alike — and the one set of rules that reads them from text. Names are the domain's: the same in
 * CSV headers (snake_case), forms and TypeScript (camelCase).
 */

export interface ItemValues {
  currentStock?: number;
  /** null: unlimited. */
  backorderThreshold?: number | null;
  incomingStock?: number;
  /** YYYY-MM-DD; null: no date. */
  backInStockDate?: string | null;
}

export type ValueField = keyof ItemValues;

/** The largest number an item field takes (PostgreSQL integer, with room for arithmetic). */
export const MAX_QUANTITY = 1_000_000_000;

/** The word for an unlimited threshold in forms, CSV files and exports. */
export const UNLIMITED = 'unlimited';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** A whole number, `min` or more. */
export function parseWhole(text: string, min: number): Parsed<number> {
  const trimmed = text.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) return fail(`"${trimmed.slice(0, 20)}" is not a whole number`);
  const value = Number(trimmed);
  if (Math.abs(value) > MAX_QUANTITY) return fail(`${trimmed} is too large (at most ${MAX_QUANTITY.toLocaleString('en-US')})`);
  if (value < min) return fail(min === 0 ? `${value} is negative; it must be 0 or more` : `${value} is below ${min}`);
  return { ok: true, value };
}

/** A threshold: a whole number ≥ 0, or "unlimited". */
export function parseThreshold(text: string): Parsed<number | null> {
  if (text.trim().toLowerCase() === UNLIMITED) return { ok: true, value: null };
  const parsed = parseWhole(text, 0);
  return parsed.ok ? parsed : fail(`${parsed.message}, or "${UNLIMITED}"`);
}

/** An ISO calendar date, YYYY-MM-DD, that exists. */
export function parseDate(text: string): Parsed<string> {
  const trimmed = text.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (!match) return fail(`"${trimmed.slice(0, 20)}" is not a date in the form YYYY-MM-DD`);
  const date = new Date(`${trimmed}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== trimmed) return fail(unrealDateMessage(trimmed, match));
  return { ok: true, value: trimmed };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Why a date in the right form does not exist, and the nearest one that does as the example: the merchant
 * most likely meant the month's last day (2027-02-30 → 2027-02-28) or its last month.
 */
function unrealDateMessage(text: string, [, yearText, monthText, dayText]: RegExpExecArray): string {
  const year = Number(yearText);
  const month = Math.min(Math.max(Number(monthText), 1), 12);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lastDay = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  const day = Math.min(Math.max(Number(dayText), 1), lastDay);
  const example = `${yearText}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const why = month === Number(monthText) ? `${MONTHS[month - 1]} ${yearText} has days 01 to ${lastDay}` : 'months run 01 to 12';
  return `${text} is not a real date (${why}): give a date that exists, as YYYY-MM-DD, e.g. ${example}`;
}

/**
 * What a back-in-stock date is measured against: `today` in the store's time zone (YYYY-MM-DD), and the
 * item's `present` date, which may stay as it is even once passed (the incoming-stock job takes it as today).
 */
export interface DateRules {
  today: string;
  present?: string | null;
}

/** Why a back-in-stock date is refused, if it is: a date gone by would promise shoppers an arrival already missed. */
export function pastDateProblem(value: string, rules: DateRules): string | undefined {
  if (value >= rules.today || value === rules.present) return undefined;
  return `${value} has passed (today is ${rules.today} in the store’s time zone): give today or a later date, or leave it empty`;
}

/**
 * Why a back-in-stock date is refused beside no incoming stock: the date is when incoming stock arrives, and
 * shoppers are told it only while incoming stock covers the units waiting (the ETA rule), so a date with
 * none would be saved, shown in the admin, and told to no shopper.
 */
export function dateWithoutIncomingProblem(date: string | null, incoming: number): string | undefined {
  if (date === null || incoming > 0) return undefined;
  return `${date} is when incoming stock arrives, and incoming stock is 0, so no shopper would be told it: give the incoming stock due that day, or leave the date empty`;
}

/**
 * Reads one field from text; an empty text means "not given" (undefined), except that an empty date is "no
 * date". With `dates`, a back-in-stock date that has passed is refused.
 */
export function parseField(field: ValueField, text: string | undefined, dates?: DateRules): Parsed<ItemValues[ValueField] | undefined> {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { ok: true, value: field === 'backInStockDate' && text !== undefined ? null : undefined };
  switch (field) {
    case 'currentStock':
      return parseWhole(trimmed, -MAX_QUANTITY);
    case 'backorderThreshold':
      return parseThreshold(trimmed);
    case 'incomingStock':
      return parseWhole(trimmed, 0);
    case 'backInStockDate': {
      const parsed = parseDate(trimmed);
      const problem = parsed.ok && dates ? pastDateProblem(parsed.value, dates) : undefined;
      return problem ? fail(problem) : parsed;
    }
  }
}

/** A value as forms and CSV files write it. */
export function formatField(field: ValueField, value: ItemValues[ValueField]): string {
  if (field === 'backorderThreshold' && value === null) return UNLIMITED;
  return value === null || value === undefined ? '' : String(value);
}

export const FIELD_LABELS: Record<ValueField, string> = {
  currentStock: 'Current stock',
  backorderThreshold: 'Backorder threshold',
  incomingStock: 'Incoming stock',
  backInStockDate: 'Back-in-stock date',
};

/**
 * Why current stock and incoming stock are refused together: when the incoming stock arrives their sum
 * would pass MAX_QUANTITY, which the restock cannot add (incoming.service).
 */
export function arrivalProblem(stock: number, incoming: number): string | undefined {
  if (incoming === 0 || stock + incoming <= MAX_QUANTITY) return undefined;
  const n = (value: number) => value.toLocaleString('en-US');
  return `current stock ${n(stock)} and incoming stock ${n(incoming)} would make ${n(stock + incoming)} when it arrives, more than ${n(MAX_QUANTITY)}: lower one of them`;
}

/** Why a new current stock is refused, if it is: below 0 only orders may take it (units owed to shoppers). */
export function stockProblem(value: number, present: number | undefined): string | undefined {
  if (value >= 0 || value === present) return undefined;
  return present === undefined
    ? `${value} is negative; current stock starts at 0 or more`
    : `${value} is negative; only orders take stock below 0 (it is ${present} now), so set 0 or more`;
}
