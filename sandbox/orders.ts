/**
 * Orders: placing one, changing its status, refunding, editing quantities — each moving stock per the
 * store's inventory settings and firing the events BigCommerce fires (ref §4.6, §5, §6.4).
 */
import { randomUUID } from 'node:crypto';
import { BcError, invalid, notFound } from './api-error.ts';
import { availableFor, holdStock } from './inventory.ts';
import { backorderRoom } from './native-backorders.ts';
import type { BillingAddress, InventorySettings, Order, OrderLine } from './model.ts';
import { ORDER_STATUSES, STATUS } from './order-statuses.ts';
import { calculatedPrice, isSimple, type StoreContext } from './store-context.ts';

export interface OrderLineInput {
  productId: number;
  /** Required for a product with options; a simple product's base variant otherwise. */
  variantId?: number;
  quantity: number;
}

export interface PlaceOrderInput {
  lines: OrderLineInput[];
  /** Default 11, Awaiting Fulfillment (a paid storefront order). */
  statusId?: number;
  /**
   * `direct` (API, control panel): created with its status. `checkout` (storefront): created Incomplete (0),
   * then moved to its status once paid — store/order/created fires for the status-0 order (ref §6.4).
   */
  flow?: 'direct' | 'checkout';
  customerId?: number;
  customerMessage?: string;
  billingAddress?: Partial<BillingAddress>;
  cartId?: string;
  channelId?: number;
  paymentMethod?: string;
  /** Accept lines beyond tracked stock (levels stop at 0). Default false: refused as a storefront would. */
  allowOutOfStock?: boolean;
  /** When it was placed (epoch ms), for demos and tests of other days; now by default. */
  dateCreated?: number;
}

const DEFAULT_BILLING: BillingAddress = {
  first_name: 'Sam',
  last_name: 'Shopper',
  email: 'sam.shopper@example.com',
  street_1: '1 Main Street',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
};

/** Places an order, moves stock (`update_stock_behavior`) and fires its events. */
export function placeOrder(store: StoreContext, input: PlaceOrderInput): Order {
  const statusId = input.statusId ?? STATUS.awaitingFulfillment;
  checkStatus(statusId);
  if (input.dateCreated !== undefined && !Number.isFinite(input.dateCreated)) throw invalid({ dateCreated: 'must be a time in epoch milliseconds' });
  if (!Array.isArray(input.lines) || input.lines.length === 0) throw invalid({ lines: 'an order needs at least one line' });
  const now = input.dateCreated ?? store.now();
  const lines = input.lines.map((line, index) => buildLine(store, line, index));
  if (!input.allowOutOfStock) refuseBeyondStock(store, lines);

  const flow = input.flow ?? 'direct';
  const order: Order = {
    id: store.nextId('order'),
    customer_id: input.customerId ?? 0,
    status_id: flow === 'checkout' ? STATUS.incomplete : statusId,
    date_created: now,
    date_modified: now,
    date_shipped: null,
    customer_message: input.customerMessage ?? '',
    staff_notes: '',
    billing_address: { ...DEFAULT_BILLING, ...input.billingAddress },
    cart_id: input.cartId ?? randomUUID(),
    channel_id: input.channelId ?? 1,
    payment_method: input.paymentMethod ?? 'Cash on Delivery',
    refunded_amount: 0,
    refunds: [],
    lines,
  };
  store.state.orders.push(order);
  store.fire('store/order/created', { type: 'order', id: order.id });
  if (flow === 'checkout' && statusId !== STATUS.incomplete) setStatus(store, order, statusId, { moveStock: true });
  else reconcileStock(store, order);
  store.changed();
  return order;
}

function buildLine(store: StoreContext, input: OrderLineInput, index: number): OrderLine {
  const at = `lines[${index}]`;
  if (!Number.isInteger(input.quantity) || input.quantity < 1) throw invalid({ [`${at}.quantity`]: 'must be a whole number ≥ 1' });
  const product = store.products.get(input.productId);
  if (!product) throw invalid({ [`${at}.productId`]: `product ${input.productId} does not exist` });
  if (input.variantId === undefined && !isSimple(product)) {
    throw invalid({ [`${at}.variantId`]: `product ${product.id} has options: choose a variant` });
  }
  const variant = input.variantId === undefined ? product.variants[0] : product.variants.find((v) => v.id === input.variantId);
  if (!variant) throw invalid({ [`${at}.variantId`]: `variant ${input.variantId} is not a variant of product ${product.id}` });
  if (product.availability === 'disabled') throw new BcError(409, `${product.name} cannot be purchased (availability: disabled).`);
  if (variant.purchasing_disabled) {
    throw new BcError(409, variant.purchasing_disabled_message || `${variant.sku || product.name} cannot be purchased.`);
  }
  const options = variant.option_values.map((value) => {
    const option = product.options.find((o) => o.id === value.option_id);
    const label = option?.values.find((v) => v.id === value.id)?.label ?? '';
    return { option_id: value.option_id, value_id: value.id, display_name: option?.display_name ?? '', display_value: label };
  });
  return {
    id: store.nextId('orderLine'),
    product_id: product.id,
    variant_id: variant.id,
    sku: variant.sku || product.sku,
    name: product.name,
    quantity: input.quantity,
    quantity_refunded: 0,
    quantity_shipped: 0,
    base_price: calculatedPrice(product, variant),
    options,
    held: 0,
    held_on: null,
  };
}

/**
 * 409 as BigCommerce answers an order beyond tracked stock — beyond on hand plus the remaining backorder
 * limit where native backorders are on (ref §9: status, message and `details.errors`).
 */
function refuseBeyondStock(store: StoreContext, lines: OrderLine[]): void {
  const native = store.state.switches.nativeBackorders;
  const wanted = new Map<string, { available: number; forBackorder: number; quantity: number; variantId: number }>();
  for (const line of lines) {
    const product = store.products.get(line.product_id)!;
    const variant = product.variants.find((v) => v.id === line.variant_id)!;
    const available = availableFor(product, variant);
    if (available === null) continue;
    const key = isSimple(product) || product.inventory_tracking === 'product' ? `p${product.id}` : `v${variant.id}`;
    const entry = wanted.get(key) ?? { available, forBackorder: backorderRoom(store, product, variant), quantity: 0, variantId: variant.id };
    entry.quantity += line.quantity;
    wanted.set(key, entry);
  }
  const short = [...wanted.values()].filter((w) => w.quantity > w.available + w.forBackorder);
  if (short.length > 0) {
    throw new BcError(409, OUT_OF_STOCK, {
      details: {
        errors: short.map((s) => ({
          type: 'OutOfStock',
          message: native
            ? `Insufficient stock of variant(id: ${s.variantId}), available stock: ${s.available}, available quantity for backorder: ${s.forBackorder}. order(id: ), channel(id: 1), location(id: 1).`
            : `Insufficient stock of variant(id: ${s.variantId}), available stock: ${s.available}.`,
          variant_id: s.variantId,
          location_id: 1,
          available_quantity: s.available,
          ...(native ? { available_quantity_for_backorder: s.forBackorder } : {}),
        })),
      },
    });
  }
}

/** BigCommerce's message for an order beyond what its levels allow (ref §9). */
export const OUT_OF_STOCK = 'Quantities of one or more products are out of stock or did not meet quantity requirements.';

/** The units a line should hold under the order's status and the store's settings (ref §4.6 defaults). */
function targetHeld(status: number, line: OrderLine, settings: InventorySettings): number {
  if (status === STATUS.incomplete || line.quantity === 0) return 0;
  if (status === STATUS.cancelled || status === STATUS.refunded) return settings.refund_order_stock_adjustment ? 0 : line.held;
  if (settings.update_stock_behavior === 'order_placed') return line.quantity;
  const shipped: number[] = [STATUS.shipped, STATUS.partiallyShipped, STATUS.completed];
  return shipped.includes(status) ? line.quantity : line.held;
}

function reconcileStock(store: StoreContext, order: Order): void {
  const givenBack = order.is_deleted === true && store.state.switches.archivedOrderStock === 'returned';
  for (const line of order.lines) holdStock(store, line, givenBack ? 0 : targetHeld(order.status_id, line, store.state.settings));
}

/**
 * Archives the order (`DELETE /v2/orders/{id}`, ref §5.1): it still reads, with `is_deleted: true`, and
 * store/order/archived fires (ref §6.4). What it does to tracked stock is the `archivedOrderStock` switch.
 */
export function archiveOrder(store: StoreContext, order: Order): void {
  if (order.is_deleted) return;
  order.is_deleted = true;
  order.date_modified = store.now();
  store.fire('store/order/archived', { type: 'order', id: order.id });
  reconcileStock(store, order);
  store.changed();
}

function checkStatus(statusId: number): void {
  if (!ORDER_STATUSES.some((s) => s.id === statusId)) throw invalid({ status_id: 'must be an order status id 0–14' });
}

/** Looks an order up; 404 as v2 answers (ref §5.1). */
export function findOrder(store: StoreContext, orderId: number): Order {
  // Orders are only ever appended, with ids that grow: the list is in id order, and halving it finds one
  // among the many thousands a benchmark places without walking them all.
  const orders = store.state.orders;
  let low = 0;
  let high = orders.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const order = orders[middle]!;
    if (order.id === orderId) return order;
    if (order.id < orderId) low = middle + 1;
    else high = middle - 1;
  }
  throw notFound();
}

/**
 * Changes the status: statusUpdated, then updated, then the stock the change moves (ref §6.4). A status set by
 * processing a refund moves no stock (ref §6.4 …/inventory/order/updated: "not when processing a refund").
 */
export function setStatus(store: StoreContext, order: Order, statusId: number, options: { moveStock: boolean }): void {
  checkStatus(statusId);
  const previous = order.status_id;
  if (previous === statusId) return;
  order.status_id = statusId;
  order.date_modified = store.now();
  if (statusId === STATUS.shipped && order.date_shipped === null) order.date_shipped = order.date_modified;
  store.fire('store/order/statusUpdated', { type: 'order', id: order.id, status: { previous_status_id: previous, new_status_id: statusId } });
  store.fire('store/order/updated', { type: 'order', id: order.id });
  if (options.moveStock) reconcileStock(store, order);
  store.changed();
}

export interface LineQuantity {
  orderProductId: number;
  quantity: number;
}

function lineOf(order: Order, orderProductId: number, field: string): OrderLine {
  const line = order.lines.find((l) => l.id === orderProductId);
  if (!line) throw invalid({ [field]: `order ${order.id} has no product line ${orderProductId}` });
  return line;
}

/** Refunds units of lines: refund/created, then Refunded or Partially Refunded; no stock moves (ref §6.4). */
export function refundOrder(store: StoreContext, order: Order, items: LineQuantity[]): number {
  if (items.length === 0) throw invalid({ items: 'a refund needs at least one line' });
  items.forEach((item, i) => {
    const line = lineOf(order, item.orderProductId, `items[${i}].orderProductId`);
    const left = line.quantity - line.quantity_refunded;
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > left) {
      throw invalid({ [`items[${i}].quantity`]: `must be between 1 and ${left}, the units not yet refunded` });
    }
  });
  for (const item of items) {
    const line = lineOf(order, item.orderProductId, 'orderProductId');
    line.quantity_refunded += item.quantity;
    order.refunded_amount += item.quantity * line.base_price;
  }
  const refundId = store.nextId('refund');
  order.refunds.push({ id: refundId, at: store.now(), items: items.map((i) => ({ order_product_id: i.orderProductId, quantity: i.quantity })) });
  order.date_modified = store.now();
  store.fire('store/order/refund/created', { type: 'order', id: order.id, refund: { refund_id: refundId } });
  const all = order.lines.every((l) => l.quantity_refunded >= l.quantity);
  const status = all ? STATUS.refunded : STATUS.partiallyRefunded;
  if (status !== order.status_id) setStatus(store, order, status, { moveStock: false });
  else store.fire('store/order/updated', { type: 'order', id: order.id });
  store.changed();
  return refundId;
}

/** Edits line quantities (0 removes the line): updated, then stock per `edit_order_stock_adjustment` (ref §4.6). */
export function editOrderQuantities(store: StoreContext, order: Order, items: LineQuantity[]): void {
  items.forEach((item, i) => {
    const line = lineOf(order, item.orderProductId, `items[${i}].orderProductId`);
    if (!Number.isInteger(item.quantity) || item.quantity < line.quantity_refunded) {
      throw invalid({ [`items[${i}].quantity`]: `must be a whole number ≥ ${line.quantity_refunded}, the units refunded` });
    }
  });
  const changed = items.filter((item) => lineOf(order, item.orderProductId, 'orderProductId').quantity !== item.quantity);
  if (changed.length === 0) return;
  for (const item of changed) lineOf(order, item.orderProductId, 'orderProductId').quantity = item.quantity;
  order.date_modified = store.now();
  store.fire('store/order/updated', { type: 'order', id: order.id });
  // A removed line (quantity 0) gives its units back too, when edits adjust stock at all.
  if (store.state.settings.edit_order_stock_adjustment) reconcileStock(store, order);
  order.lines = order.lines.filter((l) => l.quantity > 0);
  store.changed();
}
