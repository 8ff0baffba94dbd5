/**
 * Splits cart lines against their items' stock. Lines of the same item share it: earlier lines take the
 * units on hand and the room to order first, as the order will.
 */
import type { AvailabilityAnswer, ItemAvailability } from '../contract/storefront-api.ts';
import { etaFor, itemFor, splitQuantity, type QuantitySplit } from './availability.ts';

export interface LineRef {
  productId: string | number;
  variantId?: string | number | null;
  quantity: number;
}

export interface SplitLine<T extends LineRef> {
  line: T;
  item: ItemAvailability;
  split: QuantitySplit;
  /** The back-in-stock date for this line's backordered units, when the expected stock covers them (see `etaFor`). */
  backInStockDate: string | null;
}

/** The lines of assigned items, each with its split; lines of other products are left out. */
export function splitLines<T extends LineRef>(lines: T[], answer: AvailabilityAnswer): Array<SplitLine<T>> {
  const taken = new Map<ItemAvailability, { units: number; backordered: number }>();
  const result: Array<SplitLine<T>> = [];
  for (const line of lines) {
    const item = itemFor(answer.products[String(line.productId)], line.variantId);
    if (!item) continue;
    const earlier = taken.get(item) ?? { units: 0, backordered: 0 };
    const split = splitQuantity(item, line.quantity, earlier.units);
    result.push({ line, item, split, backInStockDate: etaFor(item, split.backordered, earlier.backordered) });
    taken.set(item, { units: earlier.units + line.quantity, backordered: earlier.backordered + (split.backordered ?? 0) });
  }
  return result;
}
