/**
 * Orders (v2): bare JSON, RFC-2822 dates (parse them with `parseBigCommerceDate`), money as strings with
 * four decimals, 204 for an empty list.
 */
import { isObject } from './errors.ts';
import { v2Listing, type V2Listing } from './paginate.ts';
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

/** Status ids 0–14 and their system names (§5.4); a merchant may relabel them, the ids stay. */
export const ORDER_STATUS_NAMES = {
  0: 'Incomplete',
  1: 'Pending',
  2: 'Shipped',
  3: 'Partially Shipped',
  4: 'Refunded',
  5: 'Cancelled',
  6: 'Declined',
  7: 'Awaiting Payment',
  8: 'Awaiting Pickup',
  9: 'Awaiting Shipment',
  10: 'Completed',
  11: 'Awaiting Fulfillment',
  12: 'Manual Verification Required',
  13: 'Disputed',
  14: 'Partially Refunded',
} as const;

export type OrderStatusId = keyof typeof ORDER_STATUS_NAMES;

/** A v2 sub-resource link, e.g. `{ url, resource: '/orders/218/products' }`. */
export interface ResourceLink {
  url: string;
  resource: string;
}

export interface Order {
  id: number;
  customer_id: number;
  channel_id: number;
  status_id: OrderStatusId;
  /** The status's label, read-only. */
  status: string;
  custom_status?: string;
  /** RFC-2822, e.g. `Tue, 05 Mar 2019 21:40:11 +0000`. */
  date_created: string;
  date_modified: string;
  /** `""` until shipped. */
  date_shipped: string;
  staff_notes: string;
  customer_message: string;
  items_total: number;
  items_shipped: number;
  payment_status: string;
  currency_code: string;
  /** Money fields are strings, e.g. `"62.6793"`. */
  total_inc_tax: string;
  order_source: string;
  is_deleted: boolean;
  billing_address?: { first_name: string; last_name: string; email: string; [field: string]: unknown };
  products: ResourceLink;
  [field: string]: unknown;
}

export interface OrderProductOption {
  id: number;
  option_id: number;
  product_option_id: number;
  display_name: string;
  display_value: string;
  [field: string]: unknown;
}

/** One line of an order. */
export interface OrderProduct {
  id: number;
  order_id: number;
  product_id: number;
  /** Absent for a custom product. */
  variant_id?: number;
  name: string;
  sku: string;
  type: 'physical' | 'digital' | 'giftcertificate';
  quantity: number;
  quantity_shipped: number;
  quantity_refunded: number;
  /** Native backorders (beta, ref §9): the line's units sold beyond on hand; absent when none. */
  quantity_backordered?: number;
  is_refunded: boolean;
  parent_order_product_id: number | null;
  is_bundled_product: boolean;
  product_options: OrderProductOption[];
  [field: string]: unknown;
}

export interface OrderQuery extends Query {
  min_id?: number;
  max_id?: number;
  status_id?: OrderStatusId;
  /** A Date is sent as RFC-2822. */
  min_date_created?: Date | string;
  max_date_created?: Date | string;
  min_date_modified?: Date | string;
  max_date_modified?: Date | string;
  sort?: `${'id' | 'date_created' | 'date_modified' | 'status_id'}:${'asc' | 'desc'}`;
  channel_id?: number;
  page?: number;
  limit?: number;
}

/** The fields the app writes on an order. */
export type OrderUpdate = Partial<Pick<Order, 'staff_notes' | 'customer_message'>> & { status_id?: OrderStatusId };

/** An order read with its consignments' lines; `lines` undefined when they do not account for its items. */
export interface OrderWithLines {
  order: Order;
  lines: OrderProduct[] | undefined;
  /** When the request that read it was sent. */
  readAt: Date;
}

export interface OrdersApi extends V2Listing<Order, OrderQuery> {
  get(id: number): Promise<Order>;
  /** The order and its lines in one request (`include=consignments.line_items`, ref §5.1). */
  withLines(id: number): Promise<OrderWithLines>;
  /** The lines of an order, every page. */
  products(orderId: number): Promise<OrderProduct[]>;
  update(id: number, changes: OrderUpdate): Promise<Order>;
}

export function ordersApi(request: Requester): OrdersApi {
  const listing = v2Listing<Order, OrderQuery>(request, '/orders');
  return {
    ...listing,
    async get(id) {
      return (await request<Order>({ version: 'v2', path: `/orders/${id}` })).body as Order;
    },
    async withLines(id) {
      const query = { include: 'consignments.line_items', consignment_structure: 'object' };
      const { body, sentAt } = await request<Order>({ version: 'v2', path: `/orders/${id}`, query });
      const order = body as Order;
      return { order, lines: consignedLines(order), readAt: sentAt };
    },
    async products(orderId) {
      const lines: OrderProduct[] = [];
      for await (const line of v2Listing<OrderProduct, Query>(request, `/orders/${orderId}/products`).all()) lines.push(line);
      return lines;
    },
    async update(id, changes) {
      return (await request<Order>({ version: 'v2', method: 'PUT', path: `/orders/${id}`, body: changes })).body as Order;
    },
  };
}

/** Order lines grouped by how they reach the shopper (ref §5.1, `consignment_structure=object`). */
const CONSIGNMENT_KINDS = ['pickups', 'shipping', 'downloads'] as const;

/**
 * The order's lines as its consignments carry them, each once; undefined unless their units add up to the
 * order's `items_total`. A consignment of a shape this code does not know, or a line found in none of them,
 * therefore never passes for an order without that line: its lines are read from `/products` instead.
 */
function consignedLines(order: Order): OrderProduct[] | undefined {
  const consignments = order.consignments;
  if (!isObject(consignments)) return undefined;
  const email = consignments.email;
  const groups = [...CONSIGNMENT_KINDS.map((kind) => consignments[kind]), isObject(email) ? email.gift_certificates : undefined];
  const lines = new Map<number, OrderProduct>();
  for (const group of groups) {
    if (group === undefined) continue;
    if (!Array.isArray(group)) return undefined;
    for (const consignment of group) {
      const items: unknown = isObject(consignment) ? consignment.line_items : undefined;
      if (!Array.isArray(items) || !items.every(isOrderProduct)) return undefined;
      for (const line of items) lines.set(line.id, line);
    }
  }
  const units = [...lines.values()].reduce((sum, line) => sum + line.quantity, 0);
  return units === order.items_total ? [...lines.values()] : undefined;
}

function isOrderProduct(value: unknown): value is OrderProduct {
  if (!isObject(value)) return false;
  const numbers = ['id', 'product_id', 'quantity', 'quantity_shipped', 'quantity_refunded'] as const;
  return numbers.every((field) => typeof value[field] === 'number') && typeof value.sku === 'string' && typeof value.name === 'string';
}
