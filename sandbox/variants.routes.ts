/** `/v3/catalog/products/{id}/variants[/{id}]` and `/v3/catalog/variants` (ref §3.4). */
import express, { type Router } from 'express';
import { api, idParam, objectBody, sendData, sendPage } from './api-http.ts';
import { BcError, STATUS_CODES_TYPE } from './api-error.ts';
import { createVariant, deleteVariant, updateVariant, type VariantInput } from './catalog.ts';
import { variantPatch } from './catalog-input.ts';
import { queryVariants } from './catalog-query.ts';
import { selectFields, variantView } from './catalog-views.ts';
import { checkLevel } from './inventory.ts';
import type { Product, Variant } from './model.ts';
import { listParam, readPage, slice, type Query } from './pagination.ts';

/** ref §3.4: `PUT /v3/catalog/variants` takes at most 50 variants. */
export const VARIANT_BATCH_LIMIT = 50;

function present(query: Query) {
  const include = listParam(query, 'include_fields');
  const exclude = listParam(query, 'exclude_fields');
  return ({ product, variant }: { product: Product; variant: Variant }) => selectFields(variantView(product, variant), include, exclude);
}

export function variantRoutes(): Router {
  const router = express.Router();

  router.get('/v3/catalog/products/:productId/variants', (req, res) => {
    const page = readPage(req.query);
    const product = api(res).store.product(idParam(req, 'productId'));
    const all = product.variants.map((variant) => ({ product, variant }));
    sendPage(res, slice(all, page).map(present(req.query)), all.length, page);
  });

  router.post('/v3/catalog/products/:productId/variants', (req, res) => {
    const store = api(res).store;
    const product = store.product(idParam(req, 'productId'));
    const variant = createVariant(store, product, objectBody(res) as unknown as VariantInput);
    sendData(res, present(req.query)({ product, variant }));
  });

  router.get('/v3/catalog/products/:productId/variants/:variantId', (req, res) => {
    const store = api(res).store;
    const product = store.product(idParam(req, 'productId'));
    sendData(res, present(req.query)({ product, variant: store.variantOf(product, idParam(req, 'variantId')) }));
  });

  router.put('/v3/catalog/products/:productId/variants/:variantId', (req, res) => {
    const store = api(res).store;
    const product = store.product(idParam(req, 'productId'));
    const variant = updateVariant(store, product, store.variantOf(product, idParam(req, 'variantId')), objectBody(res));
    sendData(res, present(req.query)({ product, variant }));
  });

  router.delete('/v3/catalog/products/:productId/variants/:variantId', (req, res) => {
    const store = api(res).store;
    const product = store.product(idParam(req, 'productId'));
    deleteVariant(store, product, store.variantOf(product, idParam(req, 'variantId')));
    res.status(204).end();
  });

  router.get('/v3/catalog/variants', (req, res) => {
    const page = readPage(req.query);
    const matches = queryVariants(api(res).store, req.query);
    sendPage(res, slice(matches, page).map(present(req.query)), matches.length, page);
  });

  router.put('/v3/catalog/variants', (req, res) => {
    const store = api(res).store;
    const body = api(res).body;
    if (!Array.isArray(body)) throw new BcError(422, 'JSON data is missing or invalid', { errors: { body: 'must be an array of variants' } });
    if (body.length > VARIANT_BATCH_LIMIT) {
      throw new BcError(413, `The request payload is too large. The maximum items allowed in the array is ${VARIANT_BATCH_LIMIT}`, { errors: {} });
    }
    // Every item is checked first; any problem answers 422 with `batch_errors` and nothing is applied (ref §3.4).
    const problems: Array<Record<string, unknown>> = [];
    const targets = body.map((item: Record<string, unknown>, i) => {
      try {
        if (typeof item !== 'object' || item === null || !Number.isInteger(item.id)) {
          throw new BcError(422, 'The variant id is required to update a variant.', { errors: { [`${i}.id`]: 'id is required' } });
        }
        const variant = store.variants.get(item.id as number);
        if (!variant) throw new BcError(422, `Variant with id ${String(item.id)} was not found.`, { errors: { [`${i}.id`]: 'no such variant' } });
        variantPatch(item);
        if (item.inventory_level !== undefined) checkLevel(item.inventory_level);
        return { product: store.products.get(variant.product_id)!, variant, item };
      } catch (error) {
        if (!(error instanceof BcError)) throw error;
        problems.push({ status: 422, title: error.title, type: STATUS_CODES_TYPE, errors: error.extra.errors ?? {} });
        return undefined;
      }
    });
    if (problems.length > 0) throw new BcError(422, 'Batch errors', { body: { batch_errors: problems } });
    const updated = targets.map((t) => ({ product: t!.product, variant: updateVariant(store, t!.product, t!.variant, t!.item) }));
    res.json({ data: updated.map(present(req.query)), meta: {} });
  });

  return router;
}
