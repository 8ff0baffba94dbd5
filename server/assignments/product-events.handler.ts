/** Product and SKU events: the catalog mirror (new products too), and assignments whose product changed under them (catalog-events.service.ts). */
import { UnrecoverableError } from 'bullmq';
import { CATALOG_SCOPES, numberAt, productIdOf, type BigCommerceGateway, type EventHandler, type EventHandlers } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { onProductEvent } from './catalog-events.service.ts';

export interface ProductEventDeps {
  db: Db;
  gateway: Pick<BigCommerceGateway, 'connect'>;
  effects: StockEffects;
}

/** The handler of every product and SKU scope: the mirror and the product's assignment follow BigCommerce. */
export function productEventHandlers(deps: ProductEventDeps): EventHandlers {
  const onCatalog: EventHandler = async (event) => {
    const productId = productIdOf(event) ?? (event.envelope.scope === 'store/product/deleted' ? numberAt(event.envelope.data, 'id') : undefined);
    if (productId === undefined) throw new UnrecoverableError(`${event.envelope.scope} event without a product id`);
    const connection = await deps.gateway.connect(event.storeHash);
    const outcome = await onProductEvent(
      deps.db,
      event.storeHash,
      productId,
      () => connection.product(productId),
      (products) => connection.handBack(products),
    );
    if (outcome.changedItems.length > 0 || outcome.released || outcome.purchasingChanged) await deps.effects.changed(event.storeHash, outcome.changedItems);
  };
  return Object.fromEntries(CATALOG_SCOPES.map((scope) => [scope, onCatalog]));
}
