/** BigCommerce's webhook scopes the app listens to (reference §6.1), grouped by what they are about. */

/** Any change to an order: its lines, status and refunds. */
export const ORDER_SCOPES = [
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/archived',
  'store/order/refund/created',
] as const;

/** A product's or variant's inventory level changed (sent only while BigCommerce tracks it). */
export const INVENTORY_SCOPES = [
  'store/product/inventory/updated',
  'store/product/inventory/order/updated',
  'store/sku/inventory/updated',
  'store/sku/inventory/order/updated',
] as const;

/** A product changed or was deleted; a variant (SKU) was added or deleted. */
export const CATALOG_SCOPES = ['store/product/updated', 'store/product/deleted', 'store/sku/created', 'store/sku/deleted'] as const;

/** The store was cancelled and the app removed with it. */
export const APP_UNINSTALLED_SCOPE = 'store/app/uninstalled';
