/** What the app keeps of a store's own profile, read from BigCommerce (at install, and again by reconcile). */
import type { BigCommerceClient } from './client.ts';
import type { StoreProfile } from './gateway.types.ts';
import { inventoryBehaviourOf } from './inventory-levels.ts';

/** `/v2/store`, and the storefront's stock display setting and inventory behaviour (`/v3/settings/inventory`). */
export async function readStoreProfile(client: BigCommerceClient): Promise<StoreProfile> {
  const [info, inventory] = await Promise.all([
    client.store.information(),
    client.request<{ data: Record<string, unknown> & { stock_level_display?: string } }>({ version: 'v3', path: '/settings/inventory' }),
  ]);
  const display = inventory.body?.data?.stock_level_display;
  return {
    stockLevelDisplay: display === 'show' || display === 'show_when_low' ? display : 'dont_show',
    storeId: typeof info.store_id === 'number' ? info.store_id : null,
    name: info.name,
    domain: info.domain,
    secureUrl: info.secure_url,
    controlPanelUrl: info.control_panel_base_url,
    timezone: info.timezone?.name || 'UTC',
    inventory: inventoryBehaviourOf(inventory.body?.data ?? {}),
  };
}
