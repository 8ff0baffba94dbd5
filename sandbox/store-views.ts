/** Hooks, scripts, store information and inventory items as the v2/v3 API shows them (ref §2.1, §4.3, §6.1, §7). */
import { isoDate } from './catalog-views.ts';
import { productLevel } from './inventory.ts';
import type { Hook, Product, Script, StoreState, Variant } from './model.ts';
import { isSimple } from './store-context.ts';

export function hookView(store: StoreState, hook: Hook): Record<string, unknown> {
  return {
    id: hook.id,
    client_id: hook.client_id,
    store_hash: store.hash,
    scope: hook.scope,
    destination: hook.destination,
    headers: hook.headers,
    is_active: hook.is_active,
    ...(hook.events_history_enabled === undefined ? {} : { events_history_enabled: hook.events_history_enabled }),
    created_at: hook.created_at,
    updated_at: hook.updated_at,
  };
}

export function scriptView(script: Script): Record<string, unknown> {
  return {
    uuid: script.uuid,
    name: script.name,
    description: script.description,
    html: script.html,
    src: script.src,
    auto_uninstall: script.auto_uninstall,
    load_method: script.load_method,
    location: script.location,
    visibility: script.visibility,
    kind: script.kind,
    api_client_id: script.api_client_id,
    consent_category: script.consent_category,
    enabled: script.enabled,
    channel_id: script.channel_id,
    integrity_hashes: script.integrity_hashes,
    date_created: isoDate(script.date_created),
    date_modified: isoDate(script.date_modified),
  };
}

/** The zone's offset from UTC in seconds at `at`, as Node's time zone data has it. */
function offsetSeconds(zone: string, at: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  const match = /([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
}

/**
 * `/v2/store`'s `timezone`: the name, and its offsets in winter and summer time (ref: store_information.v2
 * `Timezone`). Read in January and July of this year: the smaller is standard time, whichever hemisphere.
 */
export function timezoneView(zone: string): { name: string; raw_offset: number; dst_offset: number; dst_correction: boolean } {
  const year = new Date().getUTCFullYear();
  const [january, july] = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)].map((at) => offsetSeconds(zone, at)) as [number, number];
  const standard = Math.min(january, july);
  const summer = Math.max(january, july);
  return { name: zone, raw_offset: standard, dst_offset: summer, dst_correction: standard !== summer };
}

/** `/v2/store`; `controlPanelBaseUrl` is where the store's control panel pages are (`…/manage/app` opens the app). */
export function storeInfoView(store: StoreState, storefrontUrl: string, controlPanelBaseUrl: string): Record<string, unknown> {
  const url = new URL(storefrontUrl);
  return {
    id: store.hash,
    account_uuid: store.account_uuid,
    domain: url.host,
    secure_url: storefrontUrl,
    control_panel_base_url: controlPanelBaseUrl,
    status: 'live',
    name: store.name,
    first_name: 'Sandbox',
    last_name: 'Owner',
    address: '1 Main Street, Austin, Texas',
    country: 'United States',
    country_code: 'US',
    phone: '',
    admin_email: store.owner.email,
    order_email: store.owner.email,
    favicon_url: '',
    timezone: { ...timezoneView(store.timezone ?? 'Etc/UTC'), date_format: { display: 'M jS Y', export: 'M jS Y', extended_display: 'M jS Y @ g:i A' } },
    language: 'en',
    currency: 'USD',
    currency_symbol: '$',
    decimal_separator: '.',
    thousands_separator: ',',
    decimal_places: 2,
    currency_symbol_location: 'left',
    weight_units: 'Ounces',
    dimension_units: 'Inches',
    dimension_decimal_places: 2,
    dimension_decimal_token: '.',
    dimension_thousands_token: ',',
    plan_name: 'Standard',
    plan_level: 'Standard',
    plan_is_trial: false,
    industry: '',
    logo: [],
    is_price_entered_with_tax: false,
    store_id: Number(store.id),
    default_channel_id: 1,
    default_site_id: 1000,
    active_comparison_modules: [],
    features: {
      stencil_enabled: true,
      sitewidehttps_enabled: false,
      facebook_catalog_id: '',
      checkout_type: 'optimized',
      wishlists_enabled: true,
      graphql_storefront_api_enabled: true,
      shopper_consent_tracking_enabled: false,
      multi_storefront_enabled: false,
      storefront_limits: { active: 1, total_including_inactive: 1 },
    },
  };
}

/** Inventory items at the default location (id 1): one per product tracked by product, one per variant otherwise. */
export function inventoryItems(product: Product, nativeBackorders = false): Array<Record<string, unknown>> {
  const backorders = (variant: Variant) =>
    nativeBackorders
      ? { backorder_limit: variant.backorder_limit ?? 0, unlimited_backorder: variant.backorder_limit === null, qty_backordered: variant.qty_backordered ?? 0 }
      : {};
  const location = (level: number, variant: Variant) => ({
    ...backorders(variant),
    location_id: 1,
    location_code: 'BC-LOCATION-1',
    location_name: 'Default location',
    available_to_sell: level,
    total_inventory_onhand: level,
    location_enabled: true,
    settings: { safety_stock: 0, is_in_stock: true, warning_level: product.inventory_warning_level, bin_picking_number: '' },
  });
  if (isSimple(product) || product.inventory_tracking === 'product') {
    const base = product.variants[0]!;
    return [{ identity: { sku: product.sku, variant_id: base.id, product_id: product.id, sku_id: null }, locations: [location(productLevel(product), base)] }];
  }
  return product.variants.map((v) => ({
    identity: { sku: v.sku, variant_id: v.id, product_id: product.id, sku_id: v.sku_id },
    locations: [location(v.inventory_level, v)],
  }));
}
