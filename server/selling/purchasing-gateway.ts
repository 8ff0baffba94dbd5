/** Selling control's view of BigCommerce, over the client. */
import { NotFoundError, type BigCommerceClient } from '../bigcommerce/index.ts';
import type { PurchasingGateway } from './selling.service.ts';

export function purchasingGateway(client: BigCommerceClient): PurchasingGateway {
  return {
    async readProduct(productId) {
      try {
        const product = await client.catalog.products.get(productId, { include: ['variants'] });
        return {
          availability: product.availability,
          isPriceHidden: product['is_price_hidden'] === true,
          variants: (product.variants ?? []).map((variant) => ({ id: variant.id, purchasingDisabled: variant.purchasing_disabled })),
        };
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async setPurchasingDisabled(_productId, changes) {
      await client.catalog.variants.updateInChunks(
        changes.map((change) => ({
          id: change.variantId,
          purchasing_disabled: change.disabled,
          purchasing_disabled_message: change.disabled ? change.message : '',
        })),
      );
    },
  };
}
