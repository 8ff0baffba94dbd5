/** Reads an order from BigCommerce as the stock engine sees it. */
import { NotFoundError, parseBigCommerceDate, type BigCommerceClient } from '../bigcommerce/index.ts';
import type { OrderSnapshot } from './order-snapshot.ts';

/** The order now, with its lines; undefined when BigCommerce no longer has it. */
export async function readOrderSnapshot(client: BigCommerceClient, orderId: number): Promise<OrderSnapshot | undefined> {
  try {
    const [order, products] = await Promise.all([client.orders.get(orderId), client.orders.products(orderId)]);
    const createdAt = parseBigCommerceDate(order.date_created);
    if (!createdAt) throw new Error(`Order ${orderId} has no creation date ("${order.date_created}")`);
    return {
      id: order.id,
      statusId: order.status_id,
      createdAt,
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
        })),
    };
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
