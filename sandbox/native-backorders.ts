/**
 * BigCommerce's native backorders (beta, ref §9; switch `nativeBackorders`). Two numbers per item and
 * location, beside the level (on hand): the backorder limit — units sellable after on hand reaches 0, or
 * unlimited — and qty backordered — units sold beyond on hand. Available to sell = on hand + (limit − qty
 * backordered), so an order beyond it is refused. Readings the reference leaves unconfirmed, taken here:
 * - the two are counters of their own ("tracked separately from on-hand inventory"): a level adjustment
 *   never moves qty backordered, and an order's backordered units never move the limit;
 * - an order takes from on hand first and backorders the rest; a line's `quantity_backordered` is the units
 *   of the line backordered when it last took units, and its backordered units are the first given back;
 * - the fields sit on each location of an inventory item (`backorder_limit`, `unlimited_backorder`,
 *   `qty_backordered`), are written through `PUT /v3/inventory/locations/{id}/items` settings, and
 *   adjustments move `qty_backordered` beside `quantity`.
 * Where the item's fields live: the variant's for a product tracked by variant, the base variant's otherwise.
 */
import type { OrderLine, Product, Variant } from './model.ts';
import { isSimple, type StoreContext } from './store-context.ts';

/** The variant carrying the item's native backorder fields. */
export function backorderHolder(product: Product, variant: Variant): Variant {
  return isSimple(product) || product.inventory_tracking !== 'variant' ? product.variants[0]! : variant;
}

/** Units sellable beyond on hand now: 0 with native backorders off or the product untracked; Infinity when unlimited. */
export function backorderRoom(store: StoreContext, product: Product, variant: Variant): number {
  if (!store.state.switches.nativeBackorders || product.inventory_tracking === 'none') return 0;
  const holder = backorderHolder(product, variant);
  if (holder.backorder_limit === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, (holder.backorder_limit ?? 0) - (holder.qty_backordered ?? 0));
}

/**
 * Of `units` an order line takes with `onHand` left, those backordered (native backorders on: beyond on
 * hand); of units it gives back, those returned to qty backordered (its backordered ones first). Moves the
 * item's qty backordered and the line's count; returns the units that move on hand.
 */
export function backorderMove(store: StoreContext, product: Product, variant: Variant, line: OrderLine, units: number, onHand: number): number {
  const holder = backorderHolder(product, variant);
  const held = line.held_backordered ?? 0;
  if (units > 0) {
    const backordered = store.state.switches.nativeBackorders ? Math.max(0, units - onHand) : 0;
    line.held_backordered = held + backordered;
    line.quantity_backordered = line.held_backordered;
    if (backordered > 0) holder.qty_backordered = (holder.qty_backordered ?? 0) + backordered;
    return units - backordered;
  }
  const returned = Math.min(-units, held);
  line.held_backordered = held - returned;
  if (returned > 0) holder.qty_backordered = Math.max(0, (holder.qty_backordered ?? 0) - returned);
  return units + returned;
}
