/** `/v3/catalog/products`, `/v3/catalog/categories`, `/v3/catalog/brands` (ref §3.1–3.5). */
import express, { type Router } from 'express';
import { api, idParam, objectBody, sendData, sendPage } from './api-http.ts';
import { BcError, invalid } from './api-error.ts';
import { createProduct, deleteProduct, updateProduct, type ProductInput } from './catalog.ts';
import { productPatch } from './catalog-input.ts';
import { checkLevel } from './inventory.ts';
import { queryProducts } from './catalog-query.ts';
import { brandView, categoryView, productView, selectFields } from './catalog-views.ts';
import type { Product } from './model.ts';
import { intListParam, intParam, listParam, param, readPage, slice, type Query } from './pagination.ts';

/** ref §3.1: `PUT /v3/catalog/products` takes at most 10 products. */
export const PRODUCT_BATCH_LIMIT = 10;

function present(query: Query) {
  const include = listParam(query, 'include') ?? [];
  const includeFields = listParam(query, 'include_fields');
  const excludeFields = listParam(query, 'exclude_fields');
  return (product: Product) => selectFields(productView(product, { variants: include.includes('variants') }), includeFields, excludeFields);
}

export function catalogRoutes(): Router {
  const router = express.Router();

  router.get('/v3/catalog/products', (req, res) => {
    const page = readPage(req.query);
    const products = queryProducts(api(res).store, req.query);
    sendPage(res, slice(products, page).map(present(req.query)), products.length, page);
  });

  router.post('/v3/catalog/products', (req, res) => {
    const body = objectBody(res);
    const problems: Record<string, string> = {};
    // ref §3.1: name, type, weight and price are required on create.
    for (const field of ['name', 'type', 'weight', 'price']) if (body[field] === undefined) problems[field] = `${field} is required`;
    if (Object.keys(problems).length > 0) throw invalid(problems);
    sendData(res, present(req.query)(createProduct(api(res).store, body as unknown as ProductInput)));
  });

  router.put('/v3/catalog/products', (req, res) => {
    const store = api(res).store;
    const body = api(res).body;
    if (!Array.isArray(body)) throw invalid({ body: 'must be an array of products, each with its id' });
    if (body.length > PRODUCT_BATCH_LIMIT) {
      throw new BcError(413, `The request payload is too large. The maximum items allowed in the array is ${PRODUCT_BATCH_LIMIT}.`, { errors: {} });
    }
    // Every item is checked before any is applied: nothing half-applied.
    const targets = body.map((item: Record<string, unknown>, i) => {
      if (typeof item !== 'object' || item === null || !Number.isInteger(item.id)) throw invalid({ [`${i}.id`]: 'id is required' });
      const target = store.product(item.id as number);
      productPatch(store, item, target);
      if (item.inventory_level !== undefined) checkLevel(item.inventory_level);
      return target;
    });
    const updated = body.map((item: Record<string, unknown>, i) => updateProduct(store, targets[i]!, item));
    res.json({ data: updated.map(present(req.query)), meta: {} });
  });

  router.delete('/v3/catalog/products', (req, res) => {
    const store = api(res).store;
    const filters = Object.keys(req.query).filter((key) => !['page', 'limit'].includes(key));
    // Without a filter this would empty the catalog; BigCommerce needs one (ref §3.1 "bulk delete by filter").
    if (filters.length === 0) throw invalid({ 'id:in': 'a filter such as id:in is required' });
    for (const product of queryProducts(store, req.query)) deleteProduct(store, product);
    res.status(204).end();
  });

  router.get('/v3/catalog/products/:id', (req, res) => {
    sendData(res, present(req.query)(api(res).store.product(idParam(req, 'id'))));
  });

  router.put('/v3/catalog/products/:id', (req, res) => {
    const store = api(res).store;
    const target = store.product(idParam(req, 'id'));
    sendData(res, present(req.query)(updateProduct(store, target, objectBody(res))));
  });

  router.delete('/v3/catalog/products/:id', (req, res) => {
    const store = api(res).store;
    deleteProduct(store, store.product(idParam(req, 'id')));
    res.status(204).end();
  });

  router.get('/v3/catalog/categories', (req, res) => {
    const page = readPage(req.query);
    let categories = api(res).store.state.categories;
    const ids = intListParam(req.query, 'id:in');
    const id = intParam(req.query, 'id');
    const parent = intParam(req.query, 'parent_id');
    const name = param(req.query, 'name');
    const like = param(req.query, 'name:like')?.toLowerCase();
    categories = categories.filter(
      (c) =>
        (ids ? ids.includes(c.id) : true) &&
        (id === undefined || c.id === id) &&
        (parent === undefined || c.parent_id === parent) &&
        (name === undefined || c.name === name) &&
        (like === undefined || c.name.toLowerCase().includes(like)),
    );
    sendPage(res, slice(categories, page).map(categoryView), categories.length, page);
  });

  router.get('/v3/catalog/brands', (req, res) => {
    const page = readPage(req.query);
    const ids = intListParam(req.query, 'id:in');
    const id = intParam(req.query, 'id');
    const name = param(req.query, 'name');
    const like = param(req.query, 'name:like')?.toLowerCase();
    const brands = api(res).store.state.brands.filter(
      (b) =>
        (ids ? ids.includes(b.id) : true) &&
        (id === undefined || b.id === id) &&
        (name === undefined || b.name === name) &&
        (like === undefined || b.name.toLowerCase().includes(like)),
    );
    sendPage(res, slice(brands, page).map(brandView), brands.length, page);
  });

  return router;
}
