/** Orders as the app reads and writes them: the stock engine's view of an order, and the order's note fields. */
import type { BigCommerceClient } from './client.ts';
import { parseBigCommerceDate } from './dates.ts';
import { NotFoundError } from './errors.ts';
import type { ChangedOrder, OrderNoteField, OrderSnapshot } from './gateway.types.ts';
import type { Order } from './orders.ts';

/**
 * The order now, with its lines; undefined when BigCommerce no longer has it. One request reads both, the
 * lines as the order's consignments carry them (one snapshot, half the API calls an order event costs);
 * only when those do not account for every item are the lines read from `/products`.
 */
export async function readOrder(client: BigCommerceClient, orderId: number): Promise<OrderSnapshot | undefined> {
  try {
    const { order, lines, readAt } = await client.orders.withLines(orderId);
    const products = lines ?? (await client.orders.products(orderId));
    return {
      id: order.id,
      statusId: order.status_id,
      createdAt: dateOf(order, 'date_created', 'creation'),
      modifiedAt: dateOf(order, 'date_modified', 'modification'),
      readAt,
      archived: order.is_deleted === true,
      lines: products
        .filter((line) => line.type !== 'giftcertificate')
        .map((line) => ({
          orderProductId: line.id,
          productId: line.product_id,
          variantId: line.variant_id ?? null,
          sku: line.sku,
          name: line.name,
          quantity: line.quantity,
          quantityRefunded: line.quantity_refunded,
          quantityShipped: line.quantity_shipped,
          quantityBackordered: typeof line.quantity_backordered === 'number' ? line.quantity_backordered : 0,
        })),
    };
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** One of the order's dates: without it, the order cannot be converged. */
function dateOf(order: Order, field: 'date_created' | 'date_modified', what: string): Date {
  const date = parseBigCommerceDate(order[field]);
  if (!date) throw new Error(`Order ${order.id} has no ${what} date ("${order[field]}")`);
  return date;
}

/** The orders modified since `since`, oldest change first: each id with its last change as listed. */
export async function* ordersChangedSince(client: BigCommerceClient, since: Date): AsyncGenerator<ChangedOrder> {
  for await (const order of client.orders.all({ min_date_modified: since, sort: 'date_modified:asc' })) {
    yield { id: order.id, modifiedAt: dateOf(order, 'date_modified', 'modification') };
  }
}

/** One of the order's note fields (`''` when empty). */
export async function readOrderNote(client: BigCommerceClient, orderId: number, field: OrderNoteField): Promise<string> {
  return (await client.orders.get(orderId))[field] ?? '';
}

/** Replaces one of the order's note fields with `text`. */
export async function writeOrderNote(client: BigCommerceClient, orderId: number, field: OrderNoteField, text: string): Promise<void> {
  await client.orders.update(orderId, { [field]: text });
}
