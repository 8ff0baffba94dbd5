/**
 * The one CSV format BackOrder reads and writes (import to assign, import to update, export):
 * - a header row naming the columns, in any order (a column with no name and no values, as spreadsheets
 *   leave, is left out); UTF-8 (a byte-order mark is fine), or UTF-16 after its byte-order mark (Excel's
 *   "Unicode Text"); comma, semicolon or tab;
 * - `sku` or `product_id` (+ `variant_id` for a variant) names the item a row is about. Ids win when given:
 *   a SKU beside them only has to be the item's SKU in BigCommerce now or the one recorded when it was
 *   assigned (a file exported before a SKU was renamed still imports), and without `variant_id` it picks
 *   the variant; a row with only a SKU is matched against the catalog's current SKUs;
 * - `current_stock` (whole number), `backorder_threshold` (whole number ≥ 0, or `unlimited`),
 *   `incoming_stock` (whole number ≥ 0), `back_in_stock_date` (YYYY-MM-DD, today or later in the store's
 *   time zone, when the incoming stock arrives, so only with incoming stock above 0; to update, an item's own
 *   date and incoming stock stay accepted as they are, so an export imports again);
 * - an empty cell keeps the value (to assign: BigCommerce's level, the store's default threshold); an
 *   empty back_in_stock_date means no date.
 * Export writes every column (the SKU as BigCommerce has it now), so export → edit → "import to update"
 * round-trips.
 */
import type { ValueField } from '../inventory/item-values.ts';

export const ID_COLUMNS = ['sku', 'product_id', 'variant_id'] as const;
export const VALUE_COLUMNS = ['current_stock', 'backorder_threshold', 'incoming_stock', 'back_in_stock_date'] as const;
export const COLUMNS = [...ID_COLUMNS, ...VALUE_COLUMNS] as const;

export type ValueColumn = (typeof VALUE_COLUMNS)[number];
export type Column = (typeof COLUMNS)[number];

export const FIELD_OF: Record<ValueColumn, ValueField> = {
  current_stock: 'currentStock',
  backorder_threshold: 'backorderThreshold',
  incoming_stock: 'incomingStock',
  back_in_stock_date: 'backInStockDate',
};

/** Limits, with the words the merchant is told. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_ROWS = 200_000;

/** An example back-in-stock date that is still to come: a date gone by is refused. */
const EXAMPLE_DATE = `${new Date().getUTCFullYear() + 1}-12-24`;

/** The template offered on the Import page: the header and two example rows. */
export const TEMPLATE_CSV = [COLUMNS.join(','), 'JAR-BLUE,,,12,10,0,', `,123,456,0,unlimited,40,${EXAMPLE_DATE}`].join('\r\n') + '\r\n';

export const FORMAT_HELP: ReadonlyArray<{ column: Column; meaning: string }> = [
  {
    column: 'sku',
    meaning:
      'The product’s or variant’s SKU. Either this or product_id names the row’s item; with product_id, the ids decide and the SKU may be the current one or the one it had when assigned.',
  },
  { column: 'product_id', meaning: 'BigCommerce’s product id (a number). Names the item even if its SKU was renamed since.' },
  { column: 'variant_id', meaning: 'With product_id, for one variant of a product tracked by variant.' },
  {
    column: 'current_stock',
    meaning:
      'Whole number. Empty: BigCommerce’s level (to assign) or unchanged (to update). To update, it is a count: it replaces current stock, so an order placed after the file was made is not taken off again; leave the column out when you change only the other values.',
  },
  { column: 'backorder_threshold', meaning: 'Whole number 0 or more, or “unlimited”. Empty: the store’s default (to assign) or unchanged.' },
  { column: 'incoming_stock', meaning: 'Whole number 0 or more. Empty: 0 (to assign) or unchanged.' },
  {
    column: 'back_in_stock_date',
    meaning: `A date as YYYY-MM-DD, e.g. ${EXAMPLE_DATE}: when the incoming stock arrives (so incoming stock must be above 0), today or later in the store’s time zone (to update, the item’s own date may stay as it is once passed). Empty: no date.`,
  },
];
