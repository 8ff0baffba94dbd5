/**
 * Strict limit mode's calls: levels moved relatively (Inventory API, ref §4.1–4.2), the store's inventory
 * behaviour (`/v3/settings/inventory`, ref §4.6, with the native backorders beta's fields, ref §9), and
 * items' native backorders (limits read and written, units backordered read). A relative adjustment composes with orders BigCommerce takes at the
 * same moment (concurrent adjustments of one item are strictly ordered, ref §4.4), where an absolute write
 * would erase them.
 */
import type { BigCommerceClient } from './client.ts';
import type { BackorderLimitWrite, InventoryBehaviour, LevelAdjustment, NativeBackorders } from './gateway.types.ts';

/** Items a relative adjustment takes at most (ref §4.1). */
const ADJUSTMENT_LIMIT = 2_000;
const DEFAULT_LOCATION = 1;

/** The identity of a product's (`variantId` null) or a variant's item at the default location. */
function identityOf(item: { productId: number; variantId: number | null }) {
  return item.variantId === null ? { product_id: item.productId } : { variant_id: item.variantId };
}

/**
 * Moves levels by the given units, 2,000 items a request — and, native backorders, items' qty backordered
 * beside them (ref §9: adjustments "set or modify the qty_backordered value"; its place in the body,
 * beside `quantity`, unconfirmed).
 */
export async function adjustLevels(client: BigCommerceClient, adjustments: readonly LevelAdjustment[], reason: string): Promise<void> {
  const moving = adjustments.filter((a) => a.units !== 0 || (a.backordered ?? 0) !== 0);
  for (let i = 0; i < moving.length; i += ADJUSTMENT_LIMIT) {
    const items = moving.slice(i, i + ADJUSTMENT_LIMIT).map((a) => ({
      location_id: DEFAULT_LOCATION,
      ...identityOf(a),
      quantity: a.units,
      ...(a.backordered ? { qty_backordered: a.backordered } : {}),
    }));
    await client.request({ version: 'v3', method: 'POST', path: '/inventory/adjustments/relative', body: { reason, items } });
  }
}

/**
 * Writes items' native backorder limits at the default location (ref §9: `PUT /v3/inventory/locations/{id}/items`;
 * the fields' names and place unconfirmed — those `nativeBackorders` reads), 2,000 items a request.
 */
export async function writeBackorderLimits(client: BigCommerceClient, limits: readonly BackorderLimitWrite[]): Promise<void> {
  for (let i = 0; i < limits.length; i += ADJUSTMENT_LIMIT) {
    const settings = limits.slice(i, i + ADJUSTMENT_LIMIT).map((l) => ({
      identity: identityOf(l),
      ...(l.limit === null ? { unlimited_backorder: true } : { backorder_limit: l.limit, unlimited_backorder: false }),
    }));
    await client.request({ version: 'v3', method: 'PUT', path: `/inventory/locations/${DEFAULT_LOCATION}/items`, body: { settings } });
  }
}

/**
 * The store's inventory behaviour. Native backorders (beta, field names unconfirmed) are taken as on when
 * the settings carry the beta's backorder fields and `backorders_enabled` is not false.
 */
export async function readInventoryBehaviour(client: BigCommerceClient): Promise<InventoryBehaviour> {
  const { body } = await client.request<{ data?: Record<string, unknown> }>({ version: 'v3', path: '/settings/inventory' });
  return inventoryBehaviourOf(body?.data ?? {});
}

/** The behaviour a `/v3/settings/inventory` body describes. */
export function inventoryBehaviourOf(data: Record<string, unknown>): InventoryBehaviour {
  const beta = 'show_backorder_availability_prompt' in data || 'backorder_availability_prompt' in data;
  return {
    ordersMoveLevelWhenPlaced: data['update_stock_behavior'] !== 'order_completed_or_shipped',
    cancelsReturnUnits: data['refund_order_stock_adjustment'] !== false,
    editsMoveLevel: data['edit_order_stock_adjustment'] !== false,
    nativeBackorders: beta && data['backorders_enabled'] !== false,
  };
}

/**
 * The native backorders of each item of the products (limit 0 when none, null when unlimited; units
 * backordered), by `v<variant id>` and `p<product id>` — a product's key carries its largest limit.
 */
export async function nativeBackorders(client: BigCommerceClient, productIds: readonly number[]): Promise<Map<string, NativeBackorders>> {
  const found = new Map<string, NativeBackorders>();
  if (productIds.length === 0) return found;
  for await (const page of client.inventory.items.pages({ 'product_id:in': productIds, 'location_id:in': [DEFAULT_LOCATION] })) {
    for (const item of page) {
      const location = item.locations.find((l) => l.location_id === DEFAULT_LOCATION) ?? item.locations[0];
      if (!location) continue;
      const unlimited = location['unlimited_backorder'] === true;
      const limit = typeof location['backorder_limit'] === 'number' ? location['backorder_limit'] : 0;
      const backordered = typeof location['qty_backordered'] === 'number' ? location['qty_backordered'] : 0;
      const own = { limit: unlimited ? null : limit, backordered };
      found.set(`v${item.identity.variant_id}`, own);
      const product = found.get(`p${item.identity.product_id}`);
      if (!product || own.limit === null || (product.limit !== null && product.limit < own.limit)) found.set(`p${item.identity.product_id}`, own);
    }
  }
  return found;
}
