/** `/v2/store`, `/v2/time` (ref §2.1), `/v3/inventory/items` (ref §4.3) and `/v3/settings/inventory` (ref §4.6). */
import express, { type Router } from 'express';
import { api, objectBody, sendData, sendPage } from './api-http.ts';
import { invalid } from './api-error.ts';
import { productLevel } from './inventory.ts';
import { defaultInventorySettings, type InventorySettings, type Product, type StoreState } from './model.ts';
import { intListParam, listParam, readPage, slice } from './pagination.ts';
import { isSimple } from './store-context.ts';

export function storeInfoView(store: StoreState, storefrontUrl: string): Record<string, unknown> {
  const url = new URL(storefrontUrl);
  return {
    id: store.hash,
    account_uuid: store.account_uuid,
    domain: url.host,
    secure_url: storefrontUrl,
    control_panel_base_url: `${url.origin}/__sandbox/stores/${store.hash}`,
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
    timezone: {
      name: 'Etc/UTC', raw_offset: 0, dst_offset: 0, dst_correction: false,
      date_format: { display: 'M jS Y', export: 'M jS Y', extended_display: 'M jS Y @ g:i A' },
    },
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
      stencil_enabled: true, sitewidehttps_enabled: false, facebook_catalog_id: '', checkout_type: 'optimized',
      wishlists_enabled: true, graphql_storefront_api_enabled: true, shopper_consent_tracking_enabled: false,
      multi_storefront_enabled: false, storefront_limits: { active: 1, total_including_inactive: 1 },
    },
  };
}

/** Inventory items at the default location (id 1): one per product tracked by product, one per variant otherwise. */
function inventoryItems(product: Product): Array<Record<string, unknown>> {
  const location = (level: number) => ({
    location_id: 1, location_code: 'BC-LOCATION-1', location_name: 'Default location', available_to_sell: level,
    total_inventory_onhand: level, location_enabled: true,
    settings: { safety_stock: 0, is_in_stock: true, warning_level: product.inventory_warning_level, bin_picking_number: '' },
  });
  if (isSimple(product) || product.inventory_tracking === 'product') {
    const base = product.variants[0]!;
    return [{ identity: { sku: product.sku, variant_id: base.id, product_id: product.id, sku_id: null }, locations: [location(productLevel(product))] }];
  }
  return product.variants.map((v) => ({
    identity: { sku: v.sku, variant_id: v.id, product_id: product.id, sku_id: v.sku_id },
    locations: [location(v.inventory_level)],
  }));
}

const SETTING_ENUMS: Partial<Record<keyof InventorySettings, readonly string[]>> = {
  product_out_of_stock_behavior: ['do_nothing', 'hide_product', 'hide_product_and_accessible', 'hide_product_and_redirect'],
  option_out_of_stock_behavior: ['do_nothing', 'hide_option', 'label_option'],
  update_stock_behavior: ['order_placed', 'order_completed_or_shipped'],
  stock_level_display: ['dont_show', 'show', 'show_when_low'],
};

/** Validates a partial inventory settings body (ref §4.6). */
export function inventorySettingsPatch(body: Record<string, unknown>): Partial<InventorySettings> {
  const defaults = defaultInventorySettings();
  const problems: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(key in defaults)) continue;
    const choices = SETTING_ENUMS[key as keyof InventorySettings];
    const kind = typeof defaults[key as keyof InventorySettings];
    if (choices ? !choices.includes(value as string) : typeof value !== kind) problems[key] = choices ? `must be one of ${choices.join(', ')}` : `must be a ${kind}`;
    else out[key] = value;
  }
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return out as Partial<InventorySettings>;
}

export function storeInfoRoutes(storefrontUrl: (storeHash: string) => string): Router {
  const router = express.Router();

  router.get('/v2/store', (_req, res) => {
    const store = api(res).store.state;
    res.json(storeInfoView(store, storefrontUrl(store.hash)));
  });

  router.get('/v2/time', (_req, res) => {
    res.json({ time: Math.floor(Date.now() / 1000) });
  });

  router.get('/v3/inventory/items', (req, res) => {
    const store = api(res).store;
    const page = readPage(req.query);
    const productIds = intListParam(req.query, 'product_id:in');
    const variantIds = intListParam(req.query, 'variant_id:in');
    const skus = listParam(req.query, 'sku:in');
    const locations = intListParam(req.query, 'location_id:in');
    const products = productIds ? productIds.flatMap((id) => store.products.get(id) ?? []) : store.state.products;
    const items = locations && !locations.includes(1) ? [] : products.flatMap(inventoryItems).filter((item) => {
      const identity = item.identity as { sku: string; variant_id: number };
      return (!variantIds || variantIds.includes(identity.variant_id)) && (!skus || skus.includes(identity.sku));
    });
    sendPage(res, slice(items, page), items.length, page);
  });

  router.get('/v3/settings/inventory', (_req, res) => {
    sendData(res, api(res).store.state.settings);
  });

  router.put('/v3/settings/inventory', (_req, res) => {
    const store = api(res).store;
    Object.assign(store.state.settings, inventorySettingsPatch(objectBody(res)));
    store.changed();
    sendData(res, store.state.settings);
  });

  return router;
}
