/**
 * The storefront's one question per page view: for these products, what may a shopper be told? Built from
 * the store's inventory items and storefront settings, with exact stock numbers only where the store shows
 * stock levels or the merchant's texts use them (see `storefront/src/contract/storefront-api.ts`, the contract).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { salableQty } from '../inventory/stock.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import { storeDayEnd, storeToday } from '../stores/stores.repo.ts';
import { textsUseStockNumbers } from '../settings/storefront-settings.schema.ts';
import type {
  AvailabilityAnswer,
  ItemAvailability,
  ItemStatus,
  ProductAvailability,
  StorefrontSettingsView,
} from '../../storefront/src/contract/storefront-api.ts';
import { API_VERSION } from '../../storefront/src/contract/storefront-api.ts';

export const EMPTY_ANSWER: AvailabilityAnswer = { v: API_VERSION, settings: null, numbers: 'withheld', products: {} };

export interface BuiltAnswer {
  answer: AvailabilityAnswer;
  /** When the store's day ends (ms since the epoch): a back-in-stock date the answer shows may have passed then. */
  validUntil?: number;
  /** No active store has the hash. */
  noStore?: true;
}

interface ItemRow {
  product_id: number;
  variant_id: number | null;
  current_stock: number;
  backorder_threshold: number | null;
  back_in_stock_date: string | null;
  incoming_left: number;
  option_pairs: Array<[number, number]> | null;
  disabled_variants: Record<string, Array<[number, number]> | null> | null;
}

/**
 * The merchant made the item unbuyable in BigCommerce: its product's availability is `disabled` (or the
 * product is hidden from the storefront, where no shopper sees it: its stock is nobody's business), or its
 * variant has `purchasing_disabled` (for an item of a product tracked as a whole: every variant has) and no
 * hold of the app's is open on it — the app disables variants itself when selling stops, and that item reads
 * `sold_out`. BigCommerce shows the merchant's own message and refuses the units, so the answer leaves such an
 * item out, as it does a product not assigned: the components then promise no backorder and leave the theme's
 * message and button alone. Read from the catalog mirror (kept current by product and SKU events, the level
 * poll and the app's own writes); a product or variant not mirrored is not taken as disabled.
 */
const VARIANT_DISABLED_BY_MERCHANT = sql<boolean>`(cv.purchasing_disabled and not exists (select 1 from purchasing_holds h
  where h.store_hash = i.store_hash and h.item_id = i.id and h.variant_id = cv.variant_id and h.disabled_by_app and h.lifted_at is null))`;
const DISABLED_BY_MERCHANT = sql<boolean>`(
  exists (select 1 from catalog_products p
    where p.store_hash = i.store_hash and p.product_id = i.product_id and (p.availability = 'disabled' or not p.is_visible))
  -- Every one of the item's variants (at least one mirrored) disabled by the merchant: one read of them.
  or coalesce((select bool_and(${VARIANT_DISABLED_BY_MERCHANT}) from catalog_variants cv
    where cv.store_hash = i.store_hash and cv.product_id = i.product_id and (i.variant_id is null or cv.variant_id = i.variant_id)), false))`;

/** Of a product tracked as a whole, the variants the merchant disabled (the others stay buyable): variant id → option pairs. */
const DISABLED_VARIANTS = sql<Record<string, Array<[number, number]> | null> | null>`case when i.variant_id is null then
  (select json_object_agg(cv.variant_id, cv.option_pairs) from catalog_variants cv
    where cv.store_hash = i.store_hash and cv.product_id = i.product_id and ${VARIANT_DISABLED_BY_MERCHANT}) end`;

/** What one item tells a shopper. */
export function itemView(row: ItemRow, options: { exact: boolean; showDate: boolean }): ItemAvailability {
  const unlimited = row.backorder_threshold === null;
  const salable = salableQty(row.current_stock, row.backorder_threshold);
  const status: ItemStatus = row.current_stock > 0 ? 'in_stock' : salable > 0 ? 'backorder' : 'sold_out';
  const onHand = Math.max(0, row.current_stock);
  return {
    status,
    onHand: options.exact || status !== 'in_stock' ? onHand : null,
    salable: options.exact && !unlimited ? Math.max(0, salable) : null,
    backInStockDate: options.showDate ? row.back_in_stock_date : null,
    incomingLeft: options.exact && options.showDate && row.back_in_stock_date !== null ? row.incoming_left : null,
  };
}

/** The answer for `productIds`, and until when it holds. */
export async function buildAvailabilityAnswer(db: Db, storeHash: string, productIds: readonly number[]): Promise<BuiltAnswer> {
  const store = await db
    .selectFrom('stores')
    .select(['status', 'stock_level_display', storeToday(sql.ref('timezone')).as('today'), storeDayEnd(sql.ref('timezone')).as('day_end')])
    .where('store_hash', '=', storeHash)
    .executeTakeFirst();
  if (!store || store.status !== 'active') return { answer: EMPTY_ANSWER, noStore: true };
  const validUntil = new Date(store.day_end).getTime();
  const { storefront } = await getSettings(db, storeHash);
  if (!storefront.enabled) return { answer: EMPTY_ANSWER, validUntil };
  const { enabled: _enabled, ...settings } = storefront;
  const exact = store.stock_level_display !== 'dont_show' || textsUseStockNumbers(storefront);
  const options = { exact, showDate: storefront.backInStockDate.show };

  const products: Record<string, ProductAvailability> = {};
  if (productIds.length > 0) {
    const rows = await db
      .selectFrom('inventory_items as i')
      .leftJoin('catalog_variants as v', (join) => join.onRef('v.store_hash', '=', 'i.store_hash').onRef('v.variant_id', '=', 'i.variant_id'))
      .select(['i.product_id', 'i.variant_id', 'i.current_stock', 'i.backorder_threshold', 'v.option_pairs'])
      .select(DISABLED_VARIANTS.as('disabled_variants'))
      // The date is a promise only while the incoming stock reaches past the units already waiting for it:
      // the rule of the per-line ETA (backorders.repo refreshEtas), for the next unit a shopper orders. A
      // shortfall no order accounts for is served after waiting shoppers, so it does not stand in the way. A
      // date gone by (it passed since the incoming-stock job last ran) promises nothing.
      .select(
        sql<
          string | null
        >`case when i.incoming_stock > greatest(0, -i.current_stock) - i.unexplained_shortfall and i.back_in_stock_date >= ${store.today} then i.back_in_stock_date end`.as(
          'back_in_stock_date',
        ),
      )
      .select(sql<number>`greatest(0, i.incoming_stock - (greatest(0, -i.current_stock) - i.unexplained_shortfall))::int`.as('incoming_left'))
      .where('i.store_hash', '=', storeHash)
      .where('i.product_id', 'in', [...productIds])
      .where('i.retired_at', 'is', null)
      .where(sql<boolean>`not ${DISABLED_BY_MERCHANT}`)
      .where(({ exists, selectFrom }) =>
        // Only once BigCommerce confirmed the take-over: while a product is being assigned, BigCommerce still
        // tracks it and would refuse the units our messages promise.
        exists(
          selectFrom('assignments as a')
            .select(sql`1`.as('one'))
            .whereRef('a.id', '=', 'i.assignment_id')
            .where('a.released_at', 'is', null)
            .where('a.state', '<>', 'assigning'),
        ),
      )
      .orderBy('i.product_id')
      .orderBy('i.variant_id')
      .execute();
    for (const row of rows as ItemRow[]) {
      const product = (products[String(row.product_id)] ??= {});
      if (row.variant_id === null) {
        product.item = itemView(row, options);
        if (row.disabled_variants) {
          const disabled = Object.entries(row.disabled_variants).map(([variantId, pairs]) => [variantId, { options: pairs ?? [] }]);
          product.disabledVariants = Object.fromEntries(disabled);
        }
      } else (product.variants ??= {})[String(row.variant_id)] = { ...itemView(row, options), options: row.option_pairs ?? [] };
    }
  }
  return { answer: { v: API_VERSION, settings: settings as StorefrontSettingsView, numbers: exact ? 'exact' : 'withheld', products }, validUntil };
}
