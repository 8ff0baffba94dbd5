/**
 * The table of item inputs shared by the assign and edit dialogs and the Bulk Assign / Bulk Edit pages:
 * one row per item (per variant for a product tracked by variant). Inputs are named `<key>.<field>` with
 * key `p<productId>` or `p<productId>v<variantId>`, so one form carries any number of products.
 */
import type { FieldProblem } from '../errors.ts';
import { idFrom } from '../http/route-ids.ts';
import { FIELD_LABELS, formatField, parseField, UNLIMITED, type ItemValues, type ValueField } from './item-values.ts';

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
  /** salable = stock + threshold, as the page opens; the script keeps it live. */
  salable: string;
  /** The first row of its product (where the product's name heads a group). */
  first: boolean;
  problems: string[];
  movements?: Array<{ at: Date; delta: number; stockAfter: number; reason: string; note: string | null }>;
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

/** A row of inputs showing `values`. */
export function formRow(base: Pick<FormRow, 'productId' | 'variantId' | 'name' | 'optionLabels' | 'sku' | 'first'> & { itemId?: number }, values: ItemValues): FormRow {
  const unlimited = values.backorderThreshold === null;
  const stock = formatField('currentStock', values.currentStock);
  const threshold = unlimited ? '' : formatField('backorderThreshold', values.backorderThreshold);
  return {
    ...base,
    key: keyOf(base.productId, base.variantId),
    label: base.optionLabels ? `${base.name} — ${base.optionLabels}` : base.name,
    currentStock: stock,
    backorderThreshold: threshold,
    unlimited,
    incomingStock: formatField('incomingStock', values.incomingStock),
    backInStockDate: formatField('backInStockDate', values.backInStockDate),
    salable: salableText(stock, threshold, unlimited),
    problems: [],
  };
}

const FIELDS: ValueField[] = ['currentStock', 'backorderThreshold', 'incomingStock', 'backInStockDate'];

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
    row.salable = salableText(row.currentStock, row.backorderThreshold, row.unlimited);
    for (const field of FIELDS) {
      const raw = field === 'backorderThreshold' && row.unlimited ? UNLIMITED : text(field);
      const parsed = parseField(field, raw, dates);
      if (!parsed.ok) {
        problems.push({ field: `${row.label}, ${FIELD_LABELS[field]}`, message: parsed.message });
        row.problems.push(`${FIELD_LABELS[field]}: ${parsed.message}`);
      } else if (field === 'backorderThreshold' && wasUnlimited && !row.unlimited && parsed.value === undefined) {
        // An empty number would keep the threshold unlimited: the merchant unticked it to change it.
        const message = 'Unlimited is unticked: give the threshold a number (0 or more), or tick Unlimited again';
        problems.push({ field: `${row.label}, ${FIELD_LABELS[field]}`, message });
        row.problems.push(`${FIELD_LABELS[field]}: ${message}`);
      } else if (parsed.value !== undefined) {
        (given as Record<string, unknown>)[field] = parsed.value;
      }
    }
    values.set(row.key, given);
  }
  return values;
}

/** Puts each service problem on the row it names (problems name rows by their label). */
export function attachProblems(rows: FormRow[], problems: readonly FieldProblem[]): void {
  for (const problem of problems) {
    const row = [...rows].sort((a, b) => b.label.length - a.label.length).find((r) => problem.field.startsWith(r.label));
    if (row && !row.problems.includes(problem.message)) row.problems.push(problem.message);
  }
}

/** Product ids from `?ids=1&ids=2` or `ids=1,2`, distinct, at most `max`; what is not a product id is left out. */
export function idsFrom(value: unknown, max = 100): number[] {
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : []));
  const ids = [...new Set(list.map((v) => idFrom(v.trim())).filter((n) => n !== undefined))];
  return ids.slice(0, max);
}
