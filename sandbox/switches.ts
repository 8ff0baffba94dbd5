/**
 * Per-store switches: readings of behaviours the reference marks unconfirmed, and test modes of webhook
 * delivery. Each has a documented default; tests and demos change them at runtime (store.setSwitches,
 * PUT /__sandbox/stores/{hash}/switches).
 */
export interface Switches {
  /**
   * Inventory events while a product is untracked (ref §6.4, unconfirmed). `documented`: a product without
   * variants still fires store/product/inventory/updated when its level is written, as the webhook's
   * description says; a product with variants fires none. `never`: no inventory event while untracked.
   */
  inventoryEventsWhenUntracked: 'documented' | 'never';
  /** A level written while the product is untracked (ref §3.3, unconfirmed): `store` keeps it, `ignore` drops it. */
  untrackedLevelWrites: 'store' | 'ignore';
  /**
   * What `inventory.value` carries in inventory events (ref §6.4, unconfirmed): `delta` = the signed change
   * (the field's documented meaning), `level` = the new level (what the published absolute sample suggests).
   */
  inventoryValue: 'delta' | 'level';
  /** `inventory.method` of order-driven inventory events (ref §6.4): docs say `relative`, a sample shows `absolute`. */
  orderInventoryMethod: 'relative' | 'absolute';
  /**
   * What archiving an order (`DELETE /v2/orders/{id}`, ref §5.1) does to the stock BigCommerce tracks
   * (unconfirmed): `kept` leaves it taken (archiving only hides the order), `returned` gives the order's
   * units back as a cancel does. Products whose tracking is off move in neither reading.
   */
  archivedOrderStock: 'kept' | 'returned';
  /** Sign deliveries per Standard Webhooks with the client secret (ref §6.3, unconfirmed for every scope). */
  signDeliveries: boolean;
  /** BigCommerce accepts only https destinations on port 443 (ref §6.1); off so hooks can reach loopback. */
  requireHttps443: boolean;
  /** Deliver every event twice (at-least-once delivery, ref §6.3). */
  duplicateDeliveries: boolean;
  /** Hold deliveries until a batch is full (or held long enough), then send them shuffled (ref §6.3 inferred). */
  outOfOrderDeliveries: boolean;
  outOfOrderBatchSize: number;
  outOfOrderHoldMs: number;
  /** Drop each event's first delivery silently and deliver it again later. */
  dropDeliveries: boolean;
  redeliverAfterMs: number;
  /**
   * How many deliveries of one hook may be in flight at once. BigCommerce promises no order (ref §6.3) and
   * may send several of a hook's deliveries side by side; at 1 (the default) they go one after another, in
   * the order they were dispatched, so that disorder comes only from the switches above (and retries), when a
   * test asks for it. A duplicate queues right behind its first delivery: above 1, the two may overlap.
   */
  deliveriesInFlight: number;
  /**
   * A spell of BigCommerce trouble for fault tests: every API request of the store is answered `500`, or
   * `429` as when another client spent the store's quota, until `apiFaultUntil` (epoch ms; 0 = until the
   * switch is set back to `none`). Webhook deliveries, OAuth and the control surface are not affected.
   */
  apiFault: 'none' | '500' | '429';
  apiFaultUntil: number;
  /**
   * How long every API request of the store waits before it is answered (ms): BigCommerce over the internet
   * answers in 100–500 ms, the sandbox at once. Tests of what the app does while its requests are under way
   * (reads that overlap, and go together) set it.
   */
  apiLatencyMs: number;
  /**
   * BigCommerce's native backorders (beta, ref §9; field names unconfirmed): on, `/v3/settings/inventory`
   * carries `show_backorder_availability_prompt` and `backorder_availability_prompt`, inventory items carry
   * each location's `backorder_limit` (0 unless set through `PUT /v3/inventory/locations/1/items`),
   * `unlimited_backorder` and `qty_backordered`, and orders and carts may take on hand + limit − qty
   * backordered, lines carrying `quantity_backordered` (native-backorders.ts has the readings taken).
   */
  nativeBackorders: boolean;
}

export const DEFAULT_SWITCHES: Readonly<Switches> = Object.freeze({
  inventoryEventsWhenUntracked: 'documented',
  untrackedLevelWrites: 'store',
  inventoryValue: 'delta',
  orderInventoryMethod: 'relative',
  archivedOrderStock: 'kept',
  signDeliveries: true,
  requireHttps443: false,
  duplicateDeliveries: false,
  outOfOrderDeliveries: false,
  outOfOrderBatchSize: 3,
  outOfOrderHoldMs: 250,
  dropDeliveries: false,
  redeliverAfterMs: 500,
  deliveriesInFlight: 1,
  apiFault: 'none',
  apiFaultUntil: 0,
  apiLatencyMs: 0,
  nativeBackorders: false,
});

const CHOICES: Partial<Record<keyof Switches, readonly string[]>> = {
  inventoryEventsWhenUntracked: ['documented', 'never'],
  untrackedLevelWrites: ['store', 'ignore'],
  inventoryValue: ['delta', 'level'],
  orderInventoryMethod: ['relative', 'absolute'],
  archivedOrderStock: ['kept', 'returned'],
  apiFault: ['none', '500', '429'],
};

/** Number switches whose least value is not 0. */
const LEAST: Partial<Record<keyof Switches, number>> = {
  deliveriesInFlight: 1,
};

/** Checks a partial set of switches; throws naming the first bad key. */
export function validateSwitches(input: Record<string, unknown>): Partial<Switches> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(key in DEFAULT_SWITCHES)) throw new Error(`unknown switch "${key}"; known: ${Object.keys(DEFAULT_SWITCHES).join(', ')}`);
    const fallback = DEFAULT_SWITCHES[key as keyof Switches];
    const choices = CHOICES[key as keyof Switches];
    if (choices && !choices.includes(value as string)) throw new Error(`switch ${key} must be one of ${choices.join(', ')}`);
    if (typeof fallback === 'boolean' && typeof value !== 'boolean') throw new Error(`switch ${key} must be true or false`);
    const least = LEAST[key as keyof Switches] ?? 0;
    if (typeof fallback === 'number' && !(Number.isInteger(value) && (value as number) >= least)) {
      throw new Error(`switch ${key} must be a whole number ≥ ${least}`);
    }
    out[key] = value;
  }
  return out as Partial<Switches>;
}
