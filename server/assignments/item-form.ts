/**
 * The table of item inputs shared by the assign and edit dialogs and the Bulk Assign / Bulk Edit pages:
 * one row per item (per variant for a product tracked by variant). Inputs are named `<key>.<field>` with
 * key `p<productId>` or `p<productId>v<variantId>`, so one form carries any number of products. An edit
 * row also carries, hidden as `<key>.shown.<field>`, the values the page showed: a save changes only what
 * the merchant changed relative to them, so an order that arrived while the page was open is never undone.
 * An edit form also carries its edit key, one per page shown: the same form posted twice (a double click,
 * a page resubmitted from the browser's history) changes stock once.
 */
import type { FieldProblem } from '../errors.ts';
import { idFrom } from '../http/route-ids.ts';
import { FIELD_LABELS, formatField, parseDate, parseField, UNLIMITED, type ItemValues, type ValueField } from '../inventory/item-values.ts';

export interface FormRow {
  key: string;
  productId: number;
  variantId: number | null;
  itemId?: number;
  /** "Blue Jar" or "Blue Jar — Size: L". */
  label: string;
  name: string;
  optionLabels: string;
  sku: string;
  /** Shown in the inputs. */
  currentStock: string;
  backorderThreshold: string;
  unlimited: boolean;
  incomingStock: string;
  backInStockDate: string;
  /**
   * The back-in-stock date as posted is not a date a date box can show (2027-13-45, "soon"): its input is then a
   * text box, as the report's filters do, since a date box shows such a value empty — losing what was typed beside
   * the problem that quotes it, and clearing the item's date if the form were saved again as it shows.
   */
  dateAsText: boolean;
  /** salable = stock + threshold, as the page opens; the script keeps it live. */
  salable: string;
  /** The first row of its product (where the product's name heads a group). */
  first: boolean;
  /** What is wrong on the row, each with the field it is about (none: the row as a whole). */
  problems: RowProblem[];
  /** Per field with a problem: the ids of its problems, for the input's `aria-describedby` (and `aria-invalid`). */
  invalid: Partial<Record<ValueField, string>>;
  /** Edit rows: the item's values when the row was built. */
  stored?: ItemValues;
  /** Edit rows: the values the page showed, as the hidden inputs carry them. */
  shown?: Record<ValueField, string>;
  /** Edit rows: what the item's unexplained shortfall asks of the merchant, if it has one. */
  shortfallNote?: string;
  movements?: Array<{ at: Date; delta: number; stockAfter: number; reason: string; note: string | null }>;
}

export interface RowProblem {
  text: string;
  field?: ValueField;
}

export function keyOf(productId: number, variantId: number | null): string {
  return variantId === null ? `p${productId}` : `p${productId}v${variantId}`;
}

export function salableText(stock: string, threshold: string, unlimited: boolean): string {
  if (unlimited) return 'Unlimited';
  const s = Number(stock);
  const t = Number(threshold);
  return stock.trim() !== '' && threshold.trim() !== '' && Number.isInteger(s) && Number.isInteger(t) ? String(s + t) : '';
}

const FIELDS: ValueField[] = ['currentStock', 'backorderThreshold', 'incomingStock', 'backInStockDate'];

/** Adds a problem to the row, once, tying it to its field's input (the ids match item-form.hbs). */
function addProblem(row: FormRow, text: string, field?: ValueField): void {
  if (row.problems.some((p) => p.text === text)) return;
  const id = `${row.key}-problem-${row.problems.length}`;
  row.problems.push({ text, ...(field ? { field } : {}) });
  if (field) row.invalid[field] = row.invalid[field] ? `${row.invalid[field]} ${id}` : id;
}

/** The field a problem's name ends with ("Blue Jar, current stock" → currentStock), if any. */
function fieldNamed(name: string): ValueField | undefined {
  return FIELDS.find((field) => FIELD_LABELS[field].toLowerCase() === name.trim().toLowerCase());
}

/** Puts `value` in the row's input for `field` (the threshold's Unlimited box included). */
function showValue(row: FormRow, field: ValueField, value: ItemValues[ValueField]): void {
  if (field === 'backorderThreshold') {
    row.unlimited = value === null;
    row.backorderThreshold = row.unlimited ? '' : formatField(field, value);
  } else {
    row[field] = formatField(field, value);
  }
}

/** A row of inputs showing `values`. */
export function formRow(
  base: Pick<FormRow, 'productId' | 'variantId' | 'name' | 'optionLabels' | 'sku' | 'first'> & { itemId?: number },
  values: ItemValues,
): FormRow {
  const row: FormRow = {
    ...base,
    key: keyOf(base.productId, base.variantId),
    label: base.optionLabels ? `${base.name} — ${base.optionLabels}` : base.name,
    currentStock: '',
    backorderThreshold: '',
    unlimited: false,
    incomingStock: '',
    backInStockDate: '',
    dateAsText: false,
    salable: '',
    problems: [],
    invalid: {},
  };
  for (const field of FIELDS) showValue(row, field, values[field]);
  row.salable = salableText(row.currentStock, row.backorderThreshold, row.unlimited);
  return row;
}

/** A row to edit an item holding `values`: the page shows them, and says so in its hidden inputs. */
export function editRow(base: Parameters<typeof formRow>[0], values: ItemValues): FormRow {
  const row = formRow(base, values);
  row.stored = values;
  row.shown = Object.fromEntries(FIELDS.map((field) => [field, formatField(field, values[field])])) as Record<ValueField, string>;
  return row;
}

/**
 * Reads the posted inputs of `rows` (their own values re-shown on error) and returns the values given per
 * row key; bad text becomes a problem naming the row and field. `today` is the store's date: a
 * back-in-stock date before it is refused, unless it is the row's own date left as it was.
 */
export function readRows(body: Record<string, unknown>, rows: FormRow[], problems: FieldProblem[], today: string): Map<string, ItemValues> {
  const values = new Map<string, ItemValues>();
  for (const row of rows) {
    const text = (field: string) => {
      const value = body[`${row.key}.${field}`];
      return typeof value === 'string' ? value : undefined;
    };
    const given: ItemValues = {};
    const wasUnlimited = row.unlimited;
    const dates = { today, present: row.backInStockDate || null };
    row.unlimited = text('unlimited') !== undefined;
    row.currentStock = text('currentStock') ?? '';
    row.backorderThreshold = text('backorderThreshold') ?? '';
    row.incomingStock = text('incomingStock') ?? '';
    row.backInStockDate = text('backInStockDate') ?? '';
    row.dateAsText = row.backInStockDate !== '' && !(row.backInStockDate === row.backInStockDate.trim() && parseDate(row.backInStockDate).ok);
    row.salable = salableText(row.currentStock, row.backorderThreshold, row.unlimited);
    for (const field of FIELDS) {
      const raw = field === 'backorderThreshold' && row.unlimited ? UNLIMITED : text(field);
      const parsed = parseField(field, raw, dates);
      if (!parsed.ok) {
        problems.push({ field: `${row.label}, ${FIELD_LABELS[field]}`, message: parsed.message });
        addProblem(row, `${FIELD_LABELS[field]}: ${parsed.message}`, field);
      } else if (field === 'backorderThreshold' && wasUnlimited && !row.unlimited && parsed.value === undefined) {
        // An empty number would keep the threshold unlimited: the merchant unticked it to change it.
        const message = 'Unlimited is unticked: give the threshold a number (0 or more), or tick Unlimited again';
        problems.push({ field: `${row.label}, ${FIELD_LABELS[field]}`, message });
        addProblem(row, `${FIELD_LABELS[field]}: ${message}`, field);
      } else if (parsed.value !== undefined) {
        (given as Record<string, unknown>)[field] = parsed.value;
      }
    }
    values.set(row.key, given);
  }
  return values;
}

/**
 * Reads what the page showed for each edit row (`<key>.shown.<field>`); the hidden inputs keep the posted
 * texts, so a form shown again still saves relative to the page the merchant first opened.
 */
export function readShown(body: Record<string, unknown>, rows: FormRow[], problems: FieldProblem[]): Map<string, ItemValues> {
  const shown = new Map<string, ItemValues>();
  for (const row of rows) {
    const values: ItemValues = {};
    const texts = {} as Record<ValueField, string>;
    for (const field of FIELDS) {
      const text = body[`${row.key}.shown.${field}`];
      const parsed = typeof text === 'string' ? parseField(field, text) : undefined;
      // Only the date may have shown empty (no date).
      if (!parsed?.ok || parsed.value === undefined) {
        problems.push({ field: row.label, message: 'this page is out of date: open it again from Assigned Products' });
        break;
      }
      texts[field] = text as string;
      (values as Record<string, unknown>)[field] = parsed.value;
    }
    row.shown = texts;
    shown.set(row.key, values);
  }
  return shown;
}

/** The fields of `given` that differ from what the page showed: a field left as it was changes nothing. */
export function changedFrom(given: ItemValues, shown: ItemValues): ItemValues {
  const changed: ItemValues = {};
  for (const field of FIELDS) {
    if (given[field] !== undefined && given[field] !== shown[field]) (changed as Record<string, unknown>)[field] = given[field];
  }
  return changed;
}

/**
 * Before a refused edit form is shown again: fields the merchant left as the page showed them show the
 * item's values now (they changed nothing, so nothing is lost); after a conflict, each field someone else
 * changed meanwhile takes its new value as what the page showed, so saving again applies what the merchant
 * typed — now that both values were shown. Current stock keeps what the page first showed: a change to it
 * is applied relative to that, whatever orders did since. A field refused keeps what the merchant typed: its
 * problem quotes it, and it is theirs to correct.
 */
export function refreshShown(rows: FormRow[], given: Map<string, ItemValues>, shown: Map<string, ItemValues>, conflict: boolean): void {
  for (const row of rows) {
    const typed = given.get(row.key);
    const before = shown.get(row.key);
    if (!row.stored || !row.shown || !typed || !before) continue;
    const changed = changedFrom(typed, before);
    for (const field of FIELDS) {
      if (row.invalid[field]) continue;
      const now = row.stored[field];
      if (!(field in changed)) showValue(row, field, now);
      else if (!conflict || field === 'currentStock' || now === before[field]) continue;
      row.shown[field] = formatField(field, now);
    }
    row.salable = salableText(row.currentStock, row.backorderThreshold, row.unlimited);
  }
}

/**
 * Puts each problem on the row it names (problems name rows by their label, then the field), once: a
 * problem the form already found on that row is not added again. A problem naming a field marks that input. Returns the problems that name no row,
 * for the form's heading to list.
 */
export function attachProblems(rows: FormRow[], problems: readonly FieldProblem[]): FieldProblem[] {
  const byLongestLabel = [...rows].sort((a, b) => b.label.length - a.label.length);
  const unplaced: FieldProblem[] = [];
  for (const problem of problems) {
    const row = byLongestLabel.find((r) => problem.field.startsWith(r.label));
    if (!row) {
      unplaced.push(problem);
      continue;
    }
    const field = problem.field.slice(row.label.length).replace(/^,\s*/, '');
    addProblem(row, field ? `${field}: ${problem.message}` : problem.message, fieldNamed(field));
  }
  return unplaced;
}

/** A link in the summary of problems to where one row's problems are: its field's input, or the row itself. */
export interface ProblemLink {
  /** "Blue Jar — Size: L, Current stock", or the row's label for a problem about the row as a whole. */
  text: string;
  /** The id it goes to (`p12v3-currentStock`, `p12-problems`), as item-form.hbs writes it. */
  target: string;
}

/** The id of a row's input for `field` (item-form.hbs), which the summary of problems links to. */
const inputId = (row: Pick<FormRow, 'key'>, field: ValueField) => `${row.key}-${field}`;

/**
 * One link per input with a problem (and per row with a problem about it as a whole), in the form's order:
 * the summary names what to fix and takes the keyboard there, while the message itself shows once, on its row.
 */
export function problemLinks(rows: readonly FormRow[]): ProblemLink[] {
  return rows.flatMap((row) => {
    const links: ProblemLink[] = row.problems.some((p) => !p.field) ? [{ text: row.label, target: `${row.key}-problems` }] : [];
    for (const field of FIELDS) if (row.invalid[field]) links.push({ text: `${row.label}, ${FIELD_LABELS[field]}`, target: inputId(row, field) });
    return links;
  });
}

/** The rows that would be assigned with a threshold of 0 (typed, or left empty over a default of 0): nothing of them can be backordered. */
export function zeroThresholdRows(rows: readonly FormRow[], defaultThreshold: number | null): FormRow[] {
  return rows.filter((row) => {
    if (row.unlimited) return false;
    const text = row.backorderThreshold.trim();
    return text === '' ? defaultThreshold === 0 : /^[-+]?0+$/.test(text);
  });
}

/** Ids from `?ids=1&ids=2` or `ids=1,2`, distinct, at most `max`; what `column` cannot hold (product ids: `int`; the app's own: `bigint`) is left out. */
export function idsFrom(value: unknown, max = 100, column: 'int' | 'bigint' = 'int'): number[] {
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : []));
  const ids = [...new Set(list.map((v) => idFrom(v.trim(), column)).filter((n) => n !== undefined))];
  return ids.slice(0, max);
}
