/**
 * The theme's remote endpoints, as stencil-utils calls them (stencil §1.4, §2.3, §3, §4.2; ref §8.4):
 * `POST /remote/v1/product-attributes/{id}` (the serialized add-to-cart form in, `{ data, content? }` out),
 * `POST /remote/v1/cart/add` (multipart `FormData`; `data.cart_item` or `data.error`) and
 * `POST /remote/v1/cart/update` (`items[i][id|quantity]`, quantity 0 removes; `data.status` or `data.errors`).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { CartLine, Product } from '../model.ts';
import { calculatedPrice, type StoreContext } from '../store-context.ts';
import { addToCart, CartError, cartOf, setLineQuantity } from './carts.ts';
import { cartAmount, categoryNames } from './rest-views.ts';
import { attributesFrom, productAttributesData } from './product-attributes.ts';
import { bulkDiscountRatesMarkup } from './product-view.ts';
import { formPairs, renderWith, shop } from './session.ts';

/** A line as BODL's cart events describe it (stencil §3 add response `line_items`). */
function bodlLine(store: StoreContext, line: CartLine, quantity: number): Record<string, unknown> {
  const product = store.products.get(line.product_id) as Product;
  const variant = product.variants.find((v) => v.id === line.variant_id)!;
  const price = calculatedPrice(product, variant);
  return {
    product_id: product.id,
    variant_id: variant.id,
    product_name: product.name,
    sku: variant.sku || product.sku,
    base_price: variant.price ?? product.price,
    sale_price: price,
    retail_price: variant.retail_price ?? product.retail_price,
    purchase_price: price,
    quantity,
    currency: 'USD',
    discount: 0,
    brand_name: store.state.brands.find((b) => b.id === product.brand_id)?.name ?? '',
    category_names: categoryNames(store, product),
  };
}

export function remoteRoutes(): Router {
  const router = express.Router();
  router.use('/remote/v1', express.raw({ type: () => true, limit: '5mb' }));

  router.post('/remote/v1/product-attributes/:productId', async (req: Request, res: Response) => {
    const { store } = shop(res);
    const product = store.products.get(Number(req.params.productId));
    if (!product || !product.is_visible) {
      res.status(404).json({ data: { error: 'The product you requested could not be found.' } });
      return;
    }
    const data = productAttributesData(store.state.settings, product, attributesFrom(await formPairs(req)));
    // Only the bulk discount rates template is ever asked for here (products/bulk-discount-rates).
    const content = renderWith(req).length > 0 ? bulkDiscountRatesMarkup().value : undefined;
    res.json(content === undefined ? { data } : { data, content });
  });

  router.post('/remote/v1/cart/add', async (req: Request, res: Response) => {
    const { store, session, origin } = shop(res);
    const pairs = await formPairs(req);
    const field = (name: string) => pairs.find(([key]) => key === name)?.[1];
    const quantity = Number(field('qty[]') ?? field('qty') ?? 1);
    try {
      const { cart, lines } = addToCart(store, session, [{ productId: Number(field('product_id')), attributes: attributesFrom(pairs), quantity }]);
      const line = lines[0]!;
      const product = store.products.get(line.product_id)!;
      const added = bodlLine(store, line, quantity);
      res.json({
        data: {
          cart_id: cart.id,
          cart_item: {
            id: line.id,
            hash: line.id.replace(/-/g, '').slice(0, 32),
            product_id: product.id,
            thumbnail: `${origin}/assets/img/product.svg`,
            url: `${origin}${product.custom_url}`,
            cart_url: '/cart.php',
          },
          channel_id: 1,
          currency: 'USD',
          cart_value: cartAmount(store, cart),
          product_value: (added.purchase_price as number) * quantity,
          line_items: [added],
        },
      });
    } catch (error) {
      if (!(error instanceof CartError)) throw error;
      res.json({ data: { error: error.message } });
    }
  });

  router.post('/remote/v1/cart/update', async (req: Request, res: Response) => {
    const { store, session } = shop(res);
    const items = new Map<string, { id?: string; quantity?: number }>();
    for (const [key, value] of await formPairs(req)) {
      const match = /^items\[(\d+)\]\[(id|quantity)\]$/.exec(key);
      if (!match) continue;
      const item = items.get(match[1]!) ?? {};
      if (match[2] === 'id') item.id = value;
      else item.quantity = Number(value);
      items.set(match[1]!, item);
    }
    let cart = cartOf(store, session);
    const removed: Array<Record<string, unknown>> = [];
    try {
      if (!cart) throw new CartError(404, 'Your cart is empty.');
      for (const { id, quantity } of items.values()) {
        const line = cart?.lines.find((l) => l.id === id);
        if (!cart || !line || quantity === undefined) throw new CartError(404, 'The cart item could not be found.');
        if (quantity === 0) removed.push(bodlLine(store, line, line.quantity));
        cart = setLineQuantity(store, cart, line.id, quantity);
      }
      res.json({ data: { status: 'succeed', cart_id: session.cart_id, line_items: removed } });
    } catch (error) {
      if (!(error instanceof CartError)) throw error;
      res.json({ data: { status: 'failed', errors: [error.message] } });
    }
  });

  return router;
}
