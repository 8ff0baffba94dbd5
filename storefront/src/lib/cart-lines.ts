/**
 * Splits cart lines against their items' stock. Lines of the same item share it: earlier lines take the
 * units on hand and the room to order first, as the order will.
 */
import type { AvailabilityAnswer, ItemAvailability } from './api-types.ts';
import { itemFor, splitQuantity, type QuantitySplit } from './availability.ts';

export interface LineRef {
  productId: string | number;
  variantId?: string | number | null;
  quantity: number;
}

export interface SplitLine<T extends LineRef> {
  line: T;
  item: ItemAvailability;
  split: QuantitySplit;
}

/** The lines of assigned items, each with its split; lines of other products are left out. */
export function splitLines<T extends LineRef>(lines: T[], answer: AvailabilityAnswer): Array<SplitLine<T>> {
  const taken = new Map<ItemAvailability, number>();
  const result: Array<SplitLine<T>> = [];
  for (const line of lines) {
    const item = itemFor(answer.products[String(line.productId)], line.variantId);
    if (!item) continue;
    const earlier = taken.get(item) ?? 0;
    result.push({ line, item, split: splitQuantity(item, line.quantity, earlier) });
    taken.set(item, earlier + line.quantity);
  }
  return result;
}
