/**
 * What each event scope means to the app. Every handler re-reads the current state from BigCommerce and
 * converges; events only say where to look.
 */
import { UnrecoverableError } from 'bullmq';
import { APP_UNINSTALLED_SCOPE, handleAppUninstalled } from '../app-lifecycle/app-uninstalled.handler.ts';
import { handBack, PRODUCT_FIELDS } from '../app-lifecycle/assignment-ports.ts';
import type { BcProduct } from '../app-lifecycle/ports.ts';
import { onProductEvent } from '../assignments/catalog-events.service.ts';
import { NotFoundError } from '../bigcommerce/index.ts';
import { requestLevelSync } from '../inventory/level-sync.jobs.ts';
import { readOrderSnapshot } from '../orders/order-reader.ts';
import { convergeOrder } from '../orders/orders.service.ts';
import type { WorkerDeps } from '../workers/deps.ts';
import type { OrderNoteJob } from '../workers/order-notes.worker.ts';
import type { EventHandler, EventHandlers, HandledEvent } from './process-event.ts';

export const ORDER_SCOPES = [
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/archived',
  'store/order/refund/created',
] as const;

export const LEVEL_SCOPES = [
  'store/product/inventory/updated',
  'store/product/inventory/order/updated',
  'store/sku/inventory/updated',
  'store/sku/inventory/order/updated',
] as const;

export const CATALOG_SCOPES = ['store/product/updated', 'store/product/deleted', 'store/sku/created', 'store/sku/deleted'] as const;

function numberAt(data: Record<string, unknown>, ...path: string[]): number | undefined {
  let node: unknown = data;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'number' && Number.isInteger(node) ? node : undefined;
}

/** The product an inventory event is about: `data.inventory.product_id`, or `data.id` for product events. */
export function productIdOf(event: HandledEvent): number | undefined {
  const data = event.envelope.data;
  return numberAt(data, 'inventory', 'product_id') ?? numberAt(data, 'sku', 'product_id') ?? (data.type === 'product' ? numberAt(data, 'id') : undefined);
}

export function createEventHandlers(deps: WorkerDeps): EventHandlers {
  const { effects } = deps;
  const onOrder: EventHandler = async ({ storeHash, envelope }) => {
    const orderId = numberAt(envelope.data, 'id');
    if (orderId === undefined) throw new UnrecoverableError(`${envelope.scope} event without an order id`);
    const client = await deps.clientFor(storeHash);
    if (!client) return 'ignored';
    const order = await readOrderSnapshot(client, orderId);
    if (!order) return 'ignored';
    // A stock change: selling and the storefront's cache follow it, a repeat delivery included.
    const { moved, items } = await convergeOrder(deps, storeHash, order);
    if (items.length === 0) return;
    // The note is asked for again on a repeat too: the writer finds its marker (or nothing backordered) and stops.
    if (moved.length === 0 || moved.some((o) => o.backordered > 0)) {
      const job: OrderNoteJob = { storeHash, orderId };
      await deps.queues.orderNotes.add('note', job, { deduplication: { id: `note-${storeHash}-${orderId}`, keepLastIfActive: true } });
    }
  };

  const onLevels: EventHandler = async (event) => {
    const productId = productIdOf(event);
    if (productId === undefined) throw new UnrecoverableError(`${event.envelope.scope} event without a product id`);
    await requestLevelSync(deps.redis, deps.queues.levels, deps.prefix, event.storeHash, [productId]);
  };

  // Product and SKU events: the catalog mirror, and assignments whose product changed under them.
  const onCatalog: EventHandler = async (event) => {
    const productId = productIdOf(event) ?? (event.envelope.scope === 'store/product/deleted' ? numberAt(event.envelope.data, 'id') : undefined);
    if (productId === undefined) throw new UnrecoverableError(`${event.envelope.scope} event without a product id`);
    const client = await deps.clientFor(event.storeHash);
    if (!client) return 'ignored';
    const read = async () => {
      try {
        return (await client.catalog.products.get(productId, { include: ['variants'], include_fields: PRODUCT_FIELDS })) as unknown as BcProduct;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    };
    const outcome = await onProductEvent(deps.db, event.storeHash, productId, read, (products) => handBack(client, products));
    if (outcome.changedItems.length > 0 || outcome.released) await effects.changed(event.storeHash, outcome.changedItems);
  };

  const onAppUninstalled: EventHandler = async ({ storeHash }) => {
    await handleAppUninstalled(deps, { storeHash });
  };

  return {
    ...Object.fromEntries(ORDER_SCOPES.map((scope) => [scope, onOrder])),
    ...Object.fromEntries(LEVEL_SCOPES.map((scope) => [scope, onLevels])),
    ...Object.fromEntries(CATALOG_SCOPES.map((scope) => [scope, onCatalog])),
    [APP_UNINSTALLED_SCOPE]: onAppUninstalled,
  };
}
