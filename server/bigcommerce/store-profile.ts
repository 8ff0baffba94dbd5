/** What the app keeps of a store's own profile, read from BigCommerce (at install, and again by reconcile). */
import type { BigCommerceClient } from './client.ts';
import type { StoreProfile } from './gateway.types.ts';
import type { StoreInformation } from './store.ts';
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
    ...timezonesOf(info.timezone),
    inventory: inventoryBehaviourOf(inventory.body?.data ?? {}),
  };
}

/** An IANA zone Node can read dates in. */
function knownToNode(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The store's zone name and its fixed-offset stand-in. A name Node does not know (a zone newer than its time
 * zone data) gives way to the offset BigCommerce sends with it, so the store's days are read an hour off at
 * most in summer rather than in UTC. Etc zones are named with the sign reversed: UTC+14 is `Etc/GMT-14`.
 */
function timezonesOf(timezone: StoreInformation['timezone'] | undefined): Pick<StoreProfile, 'timezone' | 'fixedTimezone'> {
  const hours = typeof timezone?.raw_offset === 'number' ? timezone.raw_offset / 3600 : 0;
  const fixedTimezone = hours === 0 || !Number.isInteger(hours) || hours < -12 || hours > 14 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  const name = timezone?.name?.trim() ?? '';
  return { timezone: name && knownToNode(name) ? name : fixedTimezone, fixedTimezone };
}
