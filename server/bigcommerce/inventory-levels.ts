/**
 * Strict limit mode's calls: levels moved relatively (Inventory API, ref §4.1–4.2), the store's inventory
 * behaviour (`/v3/settings/inventory`, ref §4.6, with the native backorders beta's fields, ref §9), and the
 * native backorder limits of items. A relative adjustment composes with orders BigCommerce takes at the
 * same moment (concurrent adjustments of one item are strictly ordered, ref §4.4), where an absolute write
 * would erase them.
 */
import type { BigCommerceClient } from './client.ts';
import type { InventoryBehaviour, LevelAdjustment } from './gateway.types.ts';

/** Items a relative adjustment takes at most (ref §4.1). */
const ADJUSTMENT_LIMIT = 2_000;
const DEFAULT_LOCATION = 1;

/** Moves levels by the given units, 2,000 items a request. */
export async function adjustLevels(client: BigCommerceClient, adjustments: readonly LevelAdjustment[], reason: string): Promise<void> {
  const moving = adjustments.filter((a) => a.units !== 0);
  for (let i = 0; i < moving.length; i += ADJUSTMENT_LIMIT) {
    const items = moving.slice(i, i + ADJUSTMENT_LIMIT).map((a) => ({
      location_id: DEFAULT_LOCATION,
      ...(a.variantId === null ? { product_id: a.productId } : { variant_id: a.variantId }),
      quantity: a.units,
    }));
    await client.request({ version: 'v3', method: 'POST', path: '/inventory/adjustments/relative', body: { reason, items } });
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
    nativeBackorders: beta && data['backorders_enabled'] !== false,
  };
}

/** The native backorder limit of each item of the products (0 when none; null when unlimited), by `p<id>` / `v<id>`. */
export async function nativeBackorderLimits(client: BigCommerceClient, productIds: readonly number[]): Promise<Map<string, number | null>> {
  const limits = new Map<string, number | null>();
  if (productIds.length === 0) return limits;
  for await (const page of client.inventory.items.pages({ 'product_id:in': productIds, 'location_id:in': [DEFAULT_LOCATION] })) {
    for (const item of page) {
      const location = item.locations.find((l) => l.location_id === DEFAULT_LOCATION) ?? item.locations[0];
      if (!location) continue;
      const unlimited = location['unlimited_backorder'] === true;
      const limit = typeof location['backorder_limit'] === 'number' ? location['backorder_limit'] : 0;
      const units = unlimited ? null : limit;
      limits.set(`v${item.identity.variant_id}`, units);
      if (!limits.has(`p${item.identity.product_id}`) || units === null || (limits.get(`p${item.identity.product_id}`) ?? 0) < units) {
        limits.set(`p${item.identity.product_id}`, units);
      }
    }
  }
  return limits;
}
