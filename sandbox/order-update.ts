/**
 * `PUT /v2/orders/{id}` (ref §5.5): a partial update of the writable fields. A read-only or unknown field is
 * refused whole with v2's 400 text; a status change fires statusUpdated and updated and moves stock; other
 * changes fire store/order/updated once.
 */
import { BcError } from './api-error.ts';
import type { BillingAddress, Order } from './model.ts';
import { editOrderQuantities, setStatus } from './orders.ts';
import type { StoreContext } from './store-context.ts';

const WRITABLE = new Set(['staff_notes', 'customer_message', 'status_id', 'billing_address', 'products', 'customer_id']);
const ADDRESS_FIELDS = new Set(['first_name', 'last_name', 'email', 'street_1', 'city', 'state', 'zip', 'country', 'country_iso2']);

function refuse(field: string): BcError {
  return new BcError(400, `The field '${field}' cannot be written to. Please remove it from your request before trying again.`);
}

function invalidField(field: string, message: string): BcError {
  return new BcError(400, `The field '${field}' is invalid: ${message}.`);
}

/** Applies the body to the order and fires the events of what changed. */
export function updateOrder(store: StoreContext, order: Order, body: Record<string, unknown>): Order {
  for (const field of Object.keys(body)) if (!WRITABLE.has(field)) throw refuse(field);
  for (const field of ['staff_notes', 'customer_message'] as const) {
    if (field in body && typeof body[field] !== 'string') throw invalidField(field, 'must be a string');
  }
  if ('customer_id' in body && !(Number.isInteger(body.customer_id) && (body.customer_id as number) >= 0)) {
    throw invalidField('customer_id', 'must be a whole number ≥ 0');
  }
  if ('status_id' in body && !(Number.isInteger(body.status_id) && (body.status_id as number) >= 0 && (body.status_id as number) <= 14)) {
    throw invalidField('status_id', 'must be an order status id 0–14');
  }
  const address = body.billing_address as Record<string, unknown> | undefined;
  if (address !== undefined) {
    if (typeof address !== 'object' || address === null) throw invalidField('billing_address', 'must be an object');
    for (const [key, value] of Object.entries(address)) {
      if (!ADDRESS_FIELDS.has(key)) throw refuse(`billing_address.${key}`);
      if (typeof value !== 'string') throw invalidField(`billing_address.${key}`, 'must be a string');
    }
  }
  const lines = body.products as Array<{ id?: unknown; quantity?: unknown }> | undefined;
  if (lines !== undefined && (!Array.isArray(lines) || lines.some((l) => !Number.isInteger(l?.id) || !Number.isInteger(l?.quantity)))) {
    throw invalidField('products', 'must list { id, quantity } of existing order products');
  }

  let changed = false;
  for (const field of ['staff_notes', 'customer_message'] as const) {
    if (typeof body[field] === 'string' && body[field] !== order[field]) {
      order[field] = body[field];
      changed = true;
    }
  }
  if (typeof body.customer_id === 'number' && body.customer_id !== order.customer_id) {
    order.customer_id = body.customer_id;
    changed = true;
  }
  if (address && Object.entries(address).some(([key, value]) => order.billing_address[key as keyof BillingAddress] !== value)) {
    order.billing_address = { ...order.billing_address, ...(address as Partial<BillingAddress>) };
    changed = true;
  }
  if (changed) order.date_modified = store.now();
  if (lines && lines.length > 0) {
    // Quantity edits fire their own store/order/updated.
    editOrderQuantities(
      store,
      order,
      lines.map((l) => ({ orderProductId: l.id as number, quantity: l.quantity as number })),
    );
    changed = false;
  }
  const status = body.status_id as number | undefined;
  if (status !== undefined && status !== order.status_id) {
    // statusUpdated + updated (ref §6.4): the one updated event also covers the other fields.
    setStatus(store, order, status, { moveStock: true });
  } else if (changed) {
    store.fire('store/order/updated', { type: 'order', id: order.id });
  }
  store.changed();
  return order;
}
