/**
 * Inventory events, and `store/sku/updated` (a variant's purchasing_disabled, which the read mirrors): the
 * product's levels are read again, coalesced per store (level-sync.jobs.ts) — except after an order.
 * BigCommerce fires `…/inventory/order/updated` only for a tracked item (a strict one: the app's flexible
 * items are untracked), whose level the order moved by the units the order event brings itself; reading it as
 * a counter would count the order twice.
 */
import { UnrecoverableError, type Queue } from 'bullmq';
import { INVENTORY_SCOPES, productIdOf, VARIANT_UPDATED_SCOPE, type EventHandler, type EventHandlers } from '../bigcommerce/index.ts';
import type { Redis } from '../redis.ts';
import { requestLevelSync } from './level-sync.jobs.ts';

export interface LevelEventDeps {
  redis: Redis;
  prefix: string;
  queues: { levels: Queue };
}

/** The handler of every inventory scope: a read of the product's levels is asked for, unless an order moved them. */
export function levelEventHandlers(deps: LevelEventDeps): EventHandlers {
  const onLevels: EventHandler = async (event) => {
    const productId = productIdOf(event);
    if (productId === undefined) throw new UnrecoverableError(`${event.envelope.scope} event without a product id`);
    await requestLevelSync(deps.redis, deps.queues.levels, deps.prefix, event.storeHash, [productId]);
  };
  const afterOrder: EventHandler = async () => {};
  return {
    ...Object.fromEntries(INVENTORY_SCOPES.map((scope) => [scope, scope.endsWith('/order/updated') ? afterOrder : onLevels])),
    [VARIANT_UPDATED_SCOPE]: onLevels,
  };
}
