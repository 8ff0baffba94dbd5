/**
 * The storefront's pages: home, category, brand and search listings, product pages at their custom URLs (with
 * their related products' cards), quick view (`/products.php?productId=N` rendered with
 * `products/quick-view`), the cart page and its sections
 * (`/cart.php`, also adding by link or plain form post), checkout (`/checkout`) and order confirmation
 * (`/checkout/order-confirmation`).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Product } from '../model.ts';
import { addToCart, CartError, cartOf, type LineInput } from './carts.ts';
import { CART_TEMPLATES, cartContentMarkup, cartPageTitleMarkup, cartQuantity, cartStatusMarkup, cartTotalsMarkup, type CartContext } from './cart-markup.ts';
import { html, type Html } from './html.ts';
import { checkoutPage, storefrontPage, type PageFrame } from './layout.ts';
import { listed, productGrid, relatedProductsMarkup } from './listing.ts';
import { attributesFrom } from './product-attributes.ts';
import { productContext, productViewMarkup, quickViewMarkup } from './product-view.ts';
import { formPairs, renderWith, sendTemplates, shop } from './session.ts';

type FrameInput = Omit<PageFrame, 'store' | 'origin' | 'cartId' | 'cartQuantity' | 'csrfToken'>;

function frame(res: Response, input: FrameInput): PageFrame {
  const { store, session, origin, csrfToken } = shop(res);
  const cart = cartOf(store, session);
  return { store, origin, csrfToken, cartId: cart?.id ?? null, cartQuantity: cartQuantity({ store, cart }), ...input };
}

function page(res: Response, input: FrameInput, status = 200): void {
  res
    .status(status)
    .type('html')
    .send(storefrontPage(frame(res, input)));
}

function pageNumber(req: Request): number {
  const page = Number(req.query.page);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

function listingPage(req: Request, res: Response, options: { title: string; pageType: string; template: string; products: Product[]; base: string }): void {
  const { store } = shop(res);
  const link = (n: number) => `${options.base}${options.base.includes('?') ? '&' : '?'}page=${n}`;
  const body = html`<h1 class="page-heading">${options.title}</h1>
<div class="page"><main class="page-content" id="product-listing-container">${productGrid(store, options.products, pageNumber(req), link)}</main></div>`;
  page(res, { title: options.title, pageType: options.pageType, template: options.template, body });
}

function notFoundPage(res: Response): void {
  page(
    res,
    {
      title: '404 Error',
      pageType: '404',
      template: 'pages/errors/404',
      body: html`<h1 class="page-heading">404 Error — Page not Found</h1><p>The page you were looking for does not exist.</p>`,
    },
    404,
  );
}

function productPage(res: Response, product: Product): void {
  const pc = productContext(shop(res).store, product);
  const data = pc.data;
  page(res, {
    title: product.name,
    pageType: 'product',
    template: 'pages/product',
    bcData: { product_attributes: data },
    // The `{{inject}}` calls of pages/product.html and product-view.html (stencil §1.6, §5.1).
    jsContext: {
      productId: product.id,
      showSwatchNames: true,
      productQuantityErrorMessage: 'Please enter a valid quantity',
      outOfStockDefaultMessage: 'Out of stock',
      availableOnHand: data.available_on_hand,
      availableForBackorder: data.available_for_backorder,
      availableToSell: data.available_to_sell,
      unlimitedBackorder: data.unlimited_backorder,
      showQuantityOnBackorder: false,
      showBackorderAvailabilityPrompt: false,
      backorderAvailabilityPrompt: '',
      quantityBackorderedMessage: '__QTY__ will be backordered',
      quantityMaxMessage: 'The maximum purchasable quantity is __QTY__',
      quantityMaxPicklistMessage: 'The maximum purchasable quantity of __PRODUCT__ is __QTY__',
      backorderMessages: [],
      showBackorderMessage: false,
    },
    context: {
      product: { id: product.id, title: product.name, sku: product.sku, url: product.custom_url, can_purchase: pc.canPurchase, out_of_stock: pc.outOfStock },
    },
    // pages/product.html: the product view, then the tabs with related products.
    body: html`<div itemscope itemtype="http://schema.org/Product">${productViewMarkup(pc)}${relatedProductsMarkup(shop(res).store, product)}</div>`,
  });
}

function cartContext(res: Response, extra: Partial<CartContext> = {}): CartContext {
  const { store, session } = shop(res);
  return { store, cart: cartOf(store, session), ...extra };
}

function cartPage(res: Response, status?: string): void {
  const ctx = cartContext(res, { status });
  const empty = cartQuantity(ctx) === 0;
  const body: Html = html`<div class="page">
  <main class="page-content" data-cart>
    ${cartPageTitleMarkup(ctx)}
    ${cartStatusMarkup(ctx)}
    <div class="loadingOverlay"></div>
    ${
      empty
        ? html`<h3 tabindex="0">Your cart is empty</h3>`
        : html`<div data-cart-content class="cart-content-padding-right">${cartContentMarkup(ctx)}</div>
    <div data-cart-coupons class="cart-content-padding-right"></div>
    <div data-cart-totals class="cart-content-padding-right">${cartTotalsMarkup(ctx)}</div>
    <div data-content-region="cart_below_totals"></div>
    <div class="cart-actions cart-content-padding-right">
      <a class="button button--primary" href="/checkout" title="Click here to proceed to checkout" data-primary-checkout-now-action>Check out</a>
    </div>
    <div data-cart-additional-checkout-buttons></div>`
    }
  </main>
</div>`;
  const { cart } = ctx;
  page(res, {
    title: 'Shopping Cart',
    pageType: 'cart',
    template: 'pages/cart',
    jsContext: { cancelButtonText: 'Cancel', invalidEntryMessage: 'Invalid entry for item:', multiCouponUIEnabled: false },
    context: { cart: cart ? { id: cart.id, quantity: cartQuantity(ctx) } : {} },
    body,
  });
}

/** Adds from a card link or a product form posted without JavaScript, then shows the cart (with the refusal if any). */
function addAndShowCart(res: Response, input: LineInput): void {
  try {
    addToCart(shop(res).store, shop(res).session, [input]);
    res.redirect(303, '/cart.php');
  } catch (error) {
    if (!(error instanceof CartError)) throw error;
    cartPage(res, error.message);
  }
}

export function pageRoutes(): Router {
  const router = express.Router();
  const visible = (res: Response) =>
    shop(res)
      .store.state.products.filter((p) => listed(shop(res).store, p))
      .sort((a, b) => a.id - b.id);

  router.get('/', (req, res) =>
    listingPage(req, res, { title: 'New Products', pageType: 'default', template: 'pages/home', products: visible(res), base: '/' }),
  );
  router.get('/search.php', (req, res) => {
    const query = String(req.query.search_query ?? '')
      .trim()
      .toLowerCase();
    const products = query ? visible(res).filter((p) => p.name.toLowerCase().includes(query) || p.sku.toLowerCase().includes(query)) : [];
    listingPage(req, res, {
      title: `${products.length} results for '${query}'`,
      pageType: 'search',
      template: 'pages/search',
      products,
      base: `/search.php?search_query=${encodeURIComponent(query)}`,
    });
  });
  router.get('/brands/', (_req, res) => {
    const brands = [...shop(res).store.state.brands].sort((a, b) => a.name.localeCompare(b.name));
    page(res, {
      title: 'Brands',
      pageType: 'brands',
      template: 'pages/brands',
      body: html`<h1 class="page-heading">Brands</h1><ul class="brandGrid">${brands.map((b) => html`<li class="brand"><a href="${b.custom_url}">${b.name}</a></li>`)}</ul>`,
    });
  });

  router.get('/products.php', (req, res) => {
    const { store } = shop(res);
    const product = store.products.get(Number(req.query.productId));
    if (!product || !product.is_visible) return notFoundPage(res);
    const templates = renderWith(req);
    if (templates.length === 0) return res.redirect(301, product.custom_url);
    const pc = productContext(store, product);
    sendTemplates(res, templates, (t) => (t === 'products/quick-view' ? quickViewMarkup(pc).value : undefined));
  });

  router.get('/cart.php', (req, res) => {
    if (req.query.action === 'add') return addAndShowCart(res, { productId: Number(req.query.product_id), quantity: Number(req.query.qty ?? 1) });
    const templates = renderWith(req);
    if (templates.length === 0) return cartPage(res);
    const ctx = cartContext(res, { addedItemId: typeof req.query.suggest === 'string' ? req.query.suggest : undefined });
    sendTemplates(res, templates, (t) => CART_TEMPLATES[t]?.(ctx).value);
  });
  router.post('/cart.php', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const pairs = await formPairs(req);
    const field = (name: string) => pairs.find(([key]) => key === name)?.[1];
    if (field('action') !== 'add') return cartPage(res);
    addAndShowCart(res, { productId: Number(field('product_id')), attributes: attributesFrom(pairs), quantity: Number(field('qty[]') ?? 1) });
  });

  router.get('/checkout', (_req, res) => {
    const { store, session } = shop(res);
    const cart = cartOf(store, session);
    if (!cart || cart.lines.length === 0) return res.redirect(302, '/cart.php');
    const content = html`<div id="checkout-app" class="checkout-app"></div>
<script src="/assets/checkout-app.js"></script>
<script>window.checkoutApp.renderCheckout({ containerId: 'checkout-app', checkoutId: '${cart.id}' });</script>`;
    res
      .type('html')
      .send(
        checkoutPage(
          frame(res, { title: 'Checkout', pageType: 'checkout', template: 'pages/checkout', context: { checkout: { id: cart.id } }, body: content }),
          'checkout',
        ),
      );
  });
  // The order this session placed last, as BigCommerce's confirmation page shows it.
  router.get('/checkout/order-confirmation', (_req, res) => {
    const asked = shop(res).session.order_ids.at(-1);
    if (asked === undefined) return res.redirect(302, '/');
    const content = html`<div id="checkout-app" class="checkout-app"></div>
<script src="/assets/checkout-app.js"></script>
<script>window.checkoutApp.renderOrderConfirmation({ containerId: 'checkout-app', orderId: ${asked} });</script>`;
    res.type('html').send(
      checkoutPage(
        frame(res, {
          title: 'Order Confirmation',
          pageType: 'order_confirmation',
          template: 'pages/order-confirmation',
          context: { checkout: { order: { id: asked } } },
          body: content,
        }),
        'order_confirmation',
      ),
    );
  });

  // Everything else is a custom URL: a product, a category or a brand (ref §3.3 `custom_url`).
  router.get(/.*/, (req, res) => {
    const { store } = shop(res);
    const path = req.path.endsWith('/') ? req.path : `${req.path}/`;
    const product = store.state.products.find((p) => p.custom_url === path && p.is_visible);
    if (product) return productPage(res, product);
    const category = store.state.categories.find((c) => c.custom_url === path && c.is_visible);
    if (category) {
      const products = visible(res).filter((p) => p.categories.includes(category.id));
      return listingPage(req, res, { title: category.name, pageType: 'category', template: 'pages/category', products, base: category.custom_url });
    }
    const brand = store.state.brands.find((b) => b.custom_url === path);
    if (brand) {
      const products = visible(res).filter((p) => p.brand_id === brand.id);
      return listingPage(req, res, { title: brand.name, pageType: 'brand', template: 'pages/brand', products, base: brand.custom_url });
    }
    notFoundPage(res);
  });
  return router;
}
