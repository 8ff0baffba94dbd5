/** v2 orders, their products and order statuses (ref §5): bare JSON, 204 on an empty list. */
import express, { type Router } from 'express';
import { api, idParam, objectBody } from './api-http.ts';
import { BcError, notFound } from './api-error.ts';
import type { Order } from './model.ts';
import { consignmentsView, orderLineView, orderView, type OrderInclude } from './order-views.ts';
import { ORDER_STATUSES } from './order-statuses.ts';
import { updateOrder } from './order-update.ts';
import { archiveOrder, findOrder, placeOrder, type PlaceOrderInput } from './orders.ts';
import { intParam, listParam, param, readPage, slice, type Query } from './pagination.ts';

/** A v2 date filter: RFC-2822 or ISO-8601 (ref §5.1), compared in whole seconds. */
function dateFilter(query: Query, name: string): number | undefined {
  const value = param(query, name);
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new BcError(400, `The filter ${name} must be an RFC-2822 or ISO-8601 date.`);
  return Math.floor(ms / 1000);
}

const SORTABLE: Record<string, (o: Order) => number | string> = {
  id: (o) => o.id,
  customer_id: (o) => o.customer_id,
  date_created: (o) => o.date_created,
  date_modified: (o) => o.date_modified,
  status_id: (o) => o.status_id,
  channel_id: (o) => o.channel_id,
  external_id: (o) => o.id,
};

function listOrders(orders: Order[], query: Query): Order[] {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const bounds: Array<[string, (o: Order) => number, 'min' | 'max']> = [
    ['min_id', (o) => o.id, 'min'],
    ['max_id', (o) => o.id, 'max'],
  ];
  let out = orders.filter((order) =>
    bounds.every(([name, read, kind]) => {
      const limit = intParam(query, name);
      return limit === undefined || (kind === 'min' ? read(order) >= limit : read(order) <= limit);
    }),
  );
  const dates: Array<[string, (o: Order) => number, 'min' | 'max']> = [
    ['min_date_created', (o) => seconds(o.date_created), 'min'],
    ['max_date_created', (o) => seconds(o.date_created), 'max'],
    ['min_date_modified', (o) => seconds(o.date_modified), 'min'],
    ['max_date_modified', (o) => seconds(o.date_modified), 'max'],
  ];
  for (const [name, read, kind] of dates) {
    const limit = dateFilter(query, name);
    if (limit !== undefined) out = out.filter((o) => (kind === 'min' ? read(o) >= limit : read(o) <= limit));
  }
  for (const name of ['status_id', 'customer_id', 'channel_id'] as const) {
    const value = intParam(query, name);
    if (value !== undefined) out = out.filter((o) => o[name] === value);
  }
  const cart = param(query, 'cart_id');
  if (cart !== undefined) out = out.filter((o) => o.cart_id === cart);
  const email = param(query, 'email');
  if (email !== undefined) out = out.filter((o) => o.billing_address.email === email);

  const [field = 'id', direction = 'asc'] = (param(query, 'sort') ?? 'id').split(':');
  const key = SORTABLE[field];
  if (!key) throw new BcError(400, `The sort field ${field} is not supported.`);
  const sign = direction === 'desc' ? -1 : 1;
  return [...out].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return sign * (x < y ? -1 : x > y ? 1 : a.id - b.id);
  });
}

/** Whether `include` names `value`. */
const includes = (query: Query, value: string) => (listParam(query, 'include') ?? []).includes(value);

/**
 * The consignments an order read includes (ref §5.1): `include=consignments` or `consignments.line_items`,
 * with `consignment_structure=object`, the only structure the sandbox answers (400 otherwise).
 */
function orderInclude(query: Query): OrderInclude | undefined {
  const asked = includes(query, 'consignments.line_items') ? 'consignments.line_items' : includes(query, 'consignments') ? 'consignments' : undefined;
  if (asked && param(query, 'consignment_structure') !== 'object') {
    throw new BcError(400, 'The sandbox answers included consignments only with consignment_structure=object.');
  }
  return asked;
}

export function orderRoutes(apiBase: (storeHash: string) => string): Router {
  const router = express.Router();

  router.get('/v2/orders', (req, res) => {
    const store = api(res).store;
    const page = readPage(req.query);
    const orders = slice(listOrders(store.state.orders, req.query), page);
    // ref §2.2: an empty v2 list answers 204 with no body.
    if (orders.length === 0) return void res.status(204).end();
    res.json(orders.map((order) => orderView(order, apiBase(store.state.hash))));
  });

  // ref §5, §9: an order created through the API; beyond a tracked item's level it is refused with 409.
  router.post('/v2/orders', (req, res) => {
    const store = api(res).store;
    const order = placeOrder(store, orderInput(objectBody(res)));
    res.status(201).json(orderView(order, apiBase(store.state.hash)));
  });

  router.get('/v2/orders/:id', (req, res) => {
    const store = api(res).store;
    res.json(orderView(findOrder(store, idParam(req, 'id')), apiBase(store.state.hash), orderInclude(req.query)));
  });

  router.get('/v2/orders/:id/consignments', (req, res) => {
    const store = api(res).store;
    const include = includes(req.query, 'consignments.line_items') ? 'consignments.line_items' : 'consignments';
    res.json(consignmentsView(findOrder(store, idParam(req, 'id')), apiBase(store.state.hash), include));
  });

  router.put('/v2/orders/:id', (req, res) => {
    const store = api(res).store;
    const order = updateOrder(store, findOrder(store, idParam(req, 'id')), objectBody(res));
    res.json(orderView(order, apiBase(store.state.hash)));
  });

  // Archives the order (ref §5.1): 204, and the order then reads is_deleted: true.
  router.delete('/v2/orders/:id', (req, res) => {
    const store = api(res).store;
    archiveOrder(store, findOrder(store, idParam(req, 'id')));
    res.status(204).end();
  });

  router.get('/v2/orders/:id/products', (req, res) => {
    const order = findOrder(api(res).store, idParam(req, 'id'));
    const lines = slice(order.lines, readPage(req.query));
    if (lines.length === 0) return void res.status(204).end();
    res.json(lines.map((line) => orderLineView(order, line)));
  });

  router.get('/v2/orders/:id/products/:lineId', (req, res) => {
    const order = findOrder(api(res).store, idParam(req, 'id'));
    const line = order.lines.find((l) => l.id === idParam(req, 'lineId'));
    if (!line) throw notFound();
    res.json(orderLineView(order, line));
  });

  router.get('/v2/order_statuses', (_req, res) => {
    res.json(ORDER_STATUSES.map(statusView));
  });

  router.get('/v2/order_statuses/:id', (req, res) => {
    const status = ORDER_STATUSES.find((s) => s.id === idParam(req, 'id'));
    if (!status) throw notFound();
    res.json(statusView(status));
  });

  return router;
}

function statusView(status: (typeof ORDER_STATUSES)[number]): Record<string, unknown> {
  return {
    id: status.id,
    name: status.name,
    system_label: status.name,
    custom_label: status.name,
    system_description: status.description,
    order: status.order,
  };
}

/** A `POST /v2/orders` body (ref openapi orderCatalogProduct_Post): catalog products by id, variant and quantity. */
function orderInput(body: Record<string, unknown>): PlaceOrderInput {
  const products = body['products'];
  if (!Array.isArray(products) || products.length === 0) throw new BcError(400, 'The field products is required: an order needs at least one product.');
  const lines = products.map((raw: unknown, i) => {
    const line = (raw ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(line['product_id'])) throw new BcError(400, `products[${i}].product_id must be a product id.`);
    if (!Number.isInteger(line['quantity'])) throw new BcError(400, `products[${i}].quantity must be a whole number.`);
    return {
      productId: line['product_id'] as number,
      quantity: line['quantity'] as number,
      ...(Number.isInteger(line['variant_id']) ? { variantId: line['variant_id'] as number } : {}),
    };
  });
  const statusId = body['status_id'];
  return {
    lines,
    statusId: Number.isInteger(statusId) ? (statusId as number) : 1,
    ...(Number.isInteger(body['customer_id']) ? { customerId: body['customer_id'] as number } : {}),
  };
}
