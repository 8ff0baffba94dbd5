/**
 * v2 orders as BigCommerce shows them (orders.v2.oas2.yml, ref §5.1–5.3): RFC-2822 dates, money as strings
 * with 4 decimals, sub-resources as `{ url, resource }` links, and the consignments in place of their link
 * when `include` asks for them.
 */
import type { Order, OrderLine } from './model.ts';
import { statusName } from './order-statuses.ts';

/** `Tue, 05 Mar 2019 21:40:11 +0000` (ref §5.2). */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** Money as v2 writes it: a string with 4 decimals (ref §5.2). */
export function money(value: number): string {
  return value.toFixed(4);
}

function lineTotal(line: OrderLine): number {
  return line.base_price * line.quantity;
}

function linkTo(apiBase: string, resource: string): { url: string; resource: string } {
  return { url: `${apiBase}/v2${resource}`, resource };
}

/**
 * What `include` adds to an order: with `consignments`, its consignments (every sandbox line ships to the
 * order's one address: one shipping consignment), each line a link; with `consignments.line_items`, each line
 * itself, as `/products` answers it. Asked with `consignment_structure=object` (ref §5.1).
 */
export type OrderInclude = 'consignments' | 'consignments.line_items';

export function orderView(order: Order, apiBase: string, include?: OrderInclude): Record<string, unknown> {
  const subtotal = order.lines.reduce((sum, line) => sum + lineTotal(line), 0);
  const link = (sub: string) => linkTo(apiBase, `/orders/${order.id}/${sub}`);
  const zero = money(0);
  return {
    id: order.id,
    customer_id: order.customer_id,
    date_created: rfc2822(order.date_created),
    date_modified: rfc2822(order.date_modified),
    date_shipped: order.date_shipped === null ? '' : rfc2822(order.date_shipped),
    status_id: order.status_id,
    status: statusName(order.status_id),
    subtotal_ex_tax: money(subtotal),
    subtotal_inc_tax: money(subtotal),
    subtotal_tax: zero,
    base_shipping_cost: zero,
    shipping_cost_ex_tax: zero,
    shipping_cost_inc_tax: zero,
    shipping_cost_tax: zero,
    shipping_cost_tax_class_id: 2,
    base_handling_cost: zero,
    handling_cost_ex_tax: zero,
    handling_cost_inc_tax: zero,
    handling_cost_tax: zero,
    handling_cost_tax_class_id: 2,
    base_wrapping_cost: zero,
    wrapping_cost_ex_tax: zero,
    wrapping_cost_inc_tax: zero,
    wrapping_cost_tax: zero,
    wrapping_cost_tax_class_id: 3,
    total_ex_tax: money(subtotal),
    total_inc_tax: money(subtotal),
    total_tax: zero,
    items_total: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    items_shipped: order.lines.reduce((sum, line) => sum + line.quantity_shipped, 0),
    payment_method: order.payment_method,
    payment_provider_id: '',
    payment_status: paymentStatus(order),
    refunded_amount: money(order.refunded_amount),
    order_is_digital: false,
    store_credit_amount: zero,
    gift_certificate_amount: zero,
    ip_address: '127.0.0.1',
    ip_address_v6: '',
    geoip_country: order.billing_address.country,
    geoip_country_iso2: order.billing_address.country_iso2,
    currency_id: 1,
    currency_code: 'USD',
    currency_exchange_rate: '1.0000000000',
    default_currency_id: 1,
    default_currency_code: 'USD',
    store_default_currency_code: 'USD',
    store_default_to_transactional_exchange_rate: '1.0000000000',
    staff_notes: order.staff_notes,
    customer_message: order.customer_message,
    discount_amount: zero,
    coupon_discount: zero,
    shipping_address_count: 1,
    is_deleted: order.is_deleted === true,
    ebay_order_id: '0',
    cart_id: order.cart_id,
    billing_address: { company: '', street_2: '', phone: '', form_fields: [], ...order.billing_address },
    is_email_opt_in: false,
    order_source: 'www',
    channel_id: order.channel_id,
    external_source: null,
    external_id: null,
    external_merchant_id: null,
    tax_provider_id: '',
    customer_locale: 'en',
    external_order_id: '',
    products: link('products'),
    shipping_addresses: link('shipping_addresses'),
    coupons: link('coupons'),
    consignments: include ? consignmentsView(order, apiBase, include) : link('consignments'),
  };
}

/** The order's consignments (`GET /v2/orders/{id}/consignments`, or `include` on the order). */
export function consignmentsView(order: Order, apiBase: string, include: OrderInclude): Record<string, unknown> {
  const address = order.billing_address;
  return {
    pickups: [],
    shipping: [
      {
        id: 1,
        first_name: address.first_name,
        last_name: address.last_name,
        company: '',
        street_1: address.street_1,
        street_2: '',
        city: address.city,
        state: address.state,
        zip: address.zip,
        country: address.country,
        country_iso2: address.country_iso2,
        phone: '',
        email: address.email,
        form_fields: [],
        shipping_method: 'Free Shipping',
        line_items: order.lines.map((line) =>
          include === 'consignments.line_items' ? orderLineView(order, line) : linkTo(apiBase, `/orders/${order.id}/products/${line.id}`),
        ),
        items_total: order.lines.reduce((sum, line) => sum + line.quantity, 0),
        items_shipped: order.lines.reduce((sum, line) => sum + line.quantity_shipped, 0),
        base_cost: 0,
        cost_ex_tax: 0,
        cost_inc_tax: 0,
        cost_tax: 0,
        cost_tax_class_id: 2,
        base_handling_cost: 0,
        handling_cost_ex_tax: 0,
        handling_cost_inc_tax: 0,
        handling_cost_tax: 0,
        handling_cost_tax_class_id: 2,
        shipping_zone_id: 1,
        shipping_zone_name: 'United States',
        shipping_quotes: linkTo(apiBase, `/orders/${order.id}/consignments/shipping/1/shipping_quotes`),
      },
    ],
    downloads: [],
    email: { gift_certificates: [] },
  };
}

function paymentStatus(order: Order): string {
  if (order.status_id === 0) return '';
  if (order.status_id === 4) return 'refunded';
  if (order.status_id === 14) return 'partially refunded';
  if (order.status_id === 1 || order.status_id === 7) return 'pending';
  return 'captured';
}

export function orderLineView(order: Order, line: OrderLine): Record<string, unknown> {
  const total = money(lineTotal(line));
  const price = money(line.base_price);
  return {
    id: line.id,
    order_id: order.id,
    product_id: line.product_id,
    variant_id: line.variant_id,
    order_address_id: 1,
    order_pickup_method_id: 0,
    name: line.name,
    name_customer: line.name,
    name_merchant: line.name,
    sku: line.sku,
    upc: '',
    type: 'physical',
    base_price: price,
    price_ex_tax: price,
    price_inc_tax: price,
    price_tax: money(0),
    base_total: total,
    total_ex_tax: total,
    total_inc_tax: total,
    total_tax: money(0),
    discounted_total_inc_tax: total,
    quantity: line.quantity,
    quantity_shipped: line.quantity_shipped,
    quantity_refunded: line.quantity_refunded,
    // ref §9: returned when the line has backordered units (native backorders).
    ...(line.quantity_backordered ? { quantity_backordered: line.quantity_backordered } : {}),
    is_refunded: line.quantity_refunded >= line.quantity,
    refund_amount: money(line.quantity_refunded * line.base_price),
    return_id: 0,
    fixed_shipping_cost: money(0),
    is_bundled_product: false,
    parent_order_product_id: null,
    bin_picking_number: '',
    brand: '',
    applied_discounts: [],
    product_options: line.options.map((option, index) => ({
      id: line.id * 100 + index,
      option_id: option.option_id,
      order_product_id: line.id,
      product_option_id: option.option_id,
      display_name: option.display_name,
      display_value: option.display_value,
      value: String(option.value_id),
      type: 'Multiple choice',
      name: option.display_name,
      display_style: 'Dropdown',
    })),
    configurable_fields: [],
    external_id: null,
    gift_certificate_id: null,
  };
}
