/**
 * A product read again after its catalog event, coalesced per store. An import of thousands of products into
 * BigCommerce (an ERP's feed, a bulk edit) sends an event for each; one request each would spend the store's
 * API budget (150 requests per 30 s on Standard plans) for many minutes, the orders' reads waiting behind
 * them. Reads of one store that come while one is in flight wait for it and then go together, as one request
 * for up to 250 products (`id:in`): none takes the answer of a read that began before it, which might predate
 * its event. A lone read goes at once, so a quiet moment pays no delay.
 */
import { groupCommit } from '../db/group-commit.ts';
import { bigcommerceReadsShared } from '../metrics/metrics.ts';
import type { CatalogProduct } from './catalog.types.ts';
import { MAX_PAGE_SIZE } from './paginate.ts';

/** Reads the given products with their variants (deleted ones absent): a store connection's `productsByIds`. */
type ReadMany = (productIds: readonly number[]) => Promise<CatalogProduct[]>;

interface Ask {
  storeHash: string;
  productId: number;
  readMany: ReadMany;
}

/** Reads one product of a store (undefined when it was deleted), together with the same store's reads that wait. */
export type ProductRead = (storeHash: string, productId: number, readMany: ReadMany) => Promise<CatalogProduct | undefined>;

/** One process's coalesced product reads: the gateway keeps one for every connection it gives. */
export function coalescedProductReads(): ProductRead {
  const read = groupCommit(
    async (asks: Ask[]): Promise<Array<CatalogProduct | undefined>> => {
      // Every ask of a group is the same store's: the first one's connection reads for all.
      const found = new Map((await asks[0]!.readMany(asks.map((ask) => ask.productId))).map((product) => [product.id, product]));
      if (asks.length > 1) bigcommerceReadsShared.inc({ store: asks[0]!.storeHash, kind: 'product' }, asks.length - 1);
      return asks.map((ask) => found.get(ask.productId));
    },
    { groupOf: (ask) => ask.storeHash, maxSize: MAX_PAGE_SIZE },
  );
  return (storeHash, productId, readMany) => read({ storeHash, productId, readMany });
}
