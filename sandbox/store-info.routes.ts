/** `/v2/store`, `/v2/time` (ref §2.1), `/v3/inventory/items` (ref §4.3) and `/v3/settings/inventory` (ref §4.6). */
import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { adjustRelative, updateLocationItems } from './inventory-adjustments.ts';
import { api, objectBody, sendData, sendPage } from './api-http.ts';
import { inventorySettingsPatch } from './inventory-settings.ts';
import { intListParam, listParam, readPage, slice } from './pagination.ts';
import { inventoryItems, storeInfoView } from './store-views.ts';

/** `sandboxUrl()`: the sandbox's own base URL, where each store's control panel page lives. */
export function storeInfoRoutes(storefrontUrl: (storeHash: string) => string, sandboxUrl: () => string): Router {
  const router = express.Router();

  router.get('/v2/store', (_req, res) => {
    const store = api(res).store.state;
    res.json(storeInfoView(store, storefrontUrl(store.hash), `${sandboxUrl()}/__sandbox/stores/${store.hash}`));
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
    const items =
      locations && !locations.includes(1)
        ? []
        : products
            .flatMap((p) => inventoryItems(p, store.state.switches.nativeBackorders))
            .filter((item) => {
              const identity = item.identity as { sku: string; variant_id: number };
              return (!variantIds || variantIds.includes(identity.variant_id)) && (!skus || skus.includes(identity.sku));
            });
    sendPage(res, slice(items, page), items.length, page);
  });

  router.get('/v3/settings/inventory', (_req, res) => {
    const { state } = api(res).store;
    // ref §9 (beta): the backorder settings appear on a store with native backorders.
    const backorders = state.switches.nativeBackorders
      ? { show_backorder_availability_prompt: true, backorder_availability_prompt: 'Available on backorder' }
      : {};
    sendData(res, { ...state.settings, ...backorders });
  });

  // ref §4.1, §4.2, §4.4: levels moved by units; the identity must match the tracking mode; below 0 is refused.
  router.post('/v3/inventory/adjustments/relative', (_req, res) => {
    const store = api(res).store;
    adjustRelative(store, objectBody(res)['items']);
    res.json({ transaction_id: randomUUID() });
  });

  // ref §4.1, §4.2, §9: items' settings at a location, native backorder limits among them.
  router.put('/v3/inventory/locations/:locationId/items', (req, res) => {
    const store = api(res).store;
    updateLocationItems(store, Number(req.params['locationId']), objectBody(res)['settings']);
    res.json({ transaction_id: randomUUID() });
  });

  router.put('/v3/settings/inventory', (_req, res) => {
    const store = api(res).store;
    Object.assign(store.state.settings, inventorySettingsPatch(objectBody(res)));
    store.changed();
    sendData(res, store.state.settings);
  });

  return router;
}
