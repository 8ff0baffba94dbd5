/**
 * The Storefront REST API of a store's storefront, same-origin with the shopper's session (ref §8.1–8.3):
 * carts and their items, the cart summary stencil-utils reads, checkouts (both `/checkouts/{id}` and the
 * `/checkout/{id}` checkout-sdk requests), the checkout settings and form fields checkout-sdk loads with a
 * checkout, billing address, orders placed in this session, and checkout-sdk's order submission
 * (`POST /internalapi/v1/checkout/order`), which places the order through the store model.
 */
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { BcError, STATUS_CODES_TYPE } from '../api-error.ts';
import type { BillingAddress, Cart } from '../model.ts';
import { addToCart, CartError, cartOf, checkOut, deleteCart, findCart, setLineQuantity, type LineInput } from './carts.ts';
import { checkoutSettings, formFields } from './checkout-config.ts';
import { orderView } from './order-rest-view.ts';
import { cartSummaryView, cartView, checkoutView, includesOf, type ViewContext } from './rest-views.ts';
import { shop } from './session.ts';

/** A Storefront API error (`{ status, title, type, detail }`). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly type = STATUS_CODES_TYPE,
  ) {
    super(title);
  }
}

const notFound = (what: string) => new ApiError(404, 'Not Found', `${what} could not be found.`);

function views(req: Request, res: Response): ViewContext {
  const { store, origin } = shop(res);
  return { store, origin, include: includesOf(req.query.include) };
}

function cartParam(req: Request, res: Response, name = 'cartId'): Cart {
  const cart = findCart(shop(res).store, String(req.params[name]));
  if (!cart) throw notFound('The cart');
  return cart;
}

/** `lineItems` of a request body as cart inputs (productId, variantId, quantity, optionSelections). */
function lineInputs(body: unknown, key = 'lineItems'): LineInput[] {
  const items = (body as Record<string, unknown> | undefined)?.[key];
  if (!Array.isArray(items)) throw new ApiError(422, 'Missing or invalid data', `${key} must be an array of line items.`);
  return items.map((item: Record<string, unknown>, i) => {
    if (typeof item?.productId !== 'number') throw new ApiError(422, 'Missing or invalid data', `${key}[${i}].productId must be a number.`);
    const selections = Array.isArray(item.optionSelections) ? (item.optionSelections as Array<{ optionId: unknown; optionValue: unknown }>) : [];
    return {
      productId: item.productId,
      variantId: typeof item.variantId === 'number' ? item.variantId : undefined,
      attributes: new Map(selections.map((s) => [Number(s.optionId), Number(s.optionValue)] as [number, number])),
      quantity: item.quantity as number,
    };
  });
}

function billingFrom(body: Record<string, unknown>): Partial<BillingAddress> {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string).trim() : undefined);
  const address: Partial<BillingAddress> = {
    first_name: text('firstName'),
    last_name: text('lastName'),
    email: text('email'),
    street_1: text('address1'),
    city: text('city'),
    state: text('stateOrProvince'),
    zip: text('postalCode'),
    country_iso2: text('countryCode'),
    country: text('countryCode') === 'US' ? 'United States' : text('country'),
  };
  return Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined && v !== ''));
}

export function storefrontApiRoutes(): Router {
  const router = express.Router();
  router.use(['/api/storefront', '/internalapi'], express.json({ limit: '1mb' }));

  router.get('/api/storefront/carts', (req, res) => {
    const cart = cartOf(shop(res).store, shop(res).session);
    res.json(cart ? [cartView(views(req, res), cart)] : []);
  });
  router.post('/api/storefront/carts', (req, res) => {
    const { store, session } = shop(res);
    const { cart } = addToCart(store, session, lineInputs(req.body), { fresh: true });
    res.json(cartView(views(req, res), cart));
  });
  router.get('/api/storefront/carts/:cartId', (req, res) => void res.json(cartView(views(req, res), cartParam(req, res))));
  router.delete('/api/storefront/carts/:cartId', (req, res) => {
    deleteCart(shop(res).store, cartParam(req, res).id);
    res.status(204).end();
  });
  router.post('/api/storefront/carts/:cartId/items', (req, res) => {
    const { store, session } = shop(res);
    const cart = cartParam(req, res);
    if (session.cart_id !== cart.id) throw notFound('The cart');
    res.json(cartView(views(req, res), addToCart(store, session, lineInputs(req.body)).cart));
  });
  router.put('/api/storefront/carts/:cartId/items/:itemId', (req, res) => {
    const [input] = lineInputs({ lineItems: [(req.body as Record<string, unknown>)?.lineItem] });
    const cart = setLineQuantity(shop(res).store, cartParam(req, res), String(req.params.itemId), input!.quantity);
    if (cart) res.json(cartView(views(req, res), cart));
    else res.status(204).end();
  });
  router.delete('/api/storefront/carts/:cartId/items/:itemId', (req, res) => {
    // ref §8.1: removing the last line item deletes the cart (answered 204, no body).
    const cart = setLineQuantity(shop(res).store, cartParam(req, res), String(req.params.itemId), 0);
    if (cart) res.json(cartView(views(req, res), cart));
    else res.status(204).end();
  });
  router.get('/api/storefront/cart-summary', (_req, res) => {
    const cart = cartOf(shop(res).store, shop(res).session);
    if (cart) res.json(cartSummaryView(shop(res).store, cart));
    else res.status(204).end();
  });

  const checkout = (req: Request, res: Response) => void res.json(checkoutView(views(req, res), cartParam(req, res, 'checkoutId')));
  router.get('/api/storefront/checkouts/:checkoutId', checkout);
  router.get('/api/storefront/checkout/:checkoutId', checkout);
  const billing = (req: Request, res: Response) => {
    const cart = cartParam(req, res, 'checkoutId');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const address = billingFrom(body);
    if (!address.email && !cart.email) throw new ApiError(422, 'Missing or invalid data', 'email is required.');
    cart.billing_address = { ...cart.billing_address, ...address };
    if (address.email) cart.email = address.email;
    cart.version++;
    shop(res).store.changed();
    res.json(checkoutView(views(req, res), cart));
  };
  router.post('/api/storefront/checkouts/:checkoutId/billing-address', billing);
  router.put('/api/storefront/checkouts/:checkoutId/billing-address/:addressId', billing);
  router.get('/api/storefront/checkout-settings', (req, res) => {
    const { store, session, origin } = shop(res);
    const asked = typeof req.query.checkoutId === 'string' ? req.query.checkoutId : undefined;
    res.json(checkoutSettings(store, origin, asked ?? cartOf(store, session)?.id));
  });
  router.get('/api/storefront/form-fields', (_req, res) => void res.json(formFields()));

  router.get('/api/storefront/orders/:orderId', (req, res) => {
    const { store, session } = shop(res);
    const id = Number(req.params.orderId);
    // ref §8.3: an order is readable in the session that placed it.
    const order = session.order_ids.includes(id) ? store.state.orders.find((o) => o.id === id) : undefined;
    if (!order) throw notFound('The order');
    res.json(orderView(views(req, res), order));
  });

  router.post('/internalapi/v1/checkout/order', (req, res) => {
    const { store, session } = shop(res);
    const body = (req.body ?? {}) as { cartId?: unknown; customerMessage?: unknown };
    const cart = typeof body.cartId === 'string' ? findCart(store, body.cartId) : cartOf(store, session);
    if (!cart || cart.lines.length === 0) throw new ApiError(400, 'Your cart is empty.', undefined, 'empty_cart');
    if (typeof body.customerMessage === 'string') cart.customer_message = body.customerMessage;
    const order = checkOut(store, session, cart);
    res.json({ data: { order: { orderId: order.id, token: randomBytes(16).toString('hex'), payment: {} } }, meta: {} });
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof CartError) {
      res.status(error.status).json({ status: error.status, title: error.message, type: STATUS_CODES_TYPE, detail: error.message });
    } else if (error instanceof BcError) {
      // The model's refusals (stock, purchasing disabled) while placing the order.
      res.status(error.status).json({ status: error.status, title: error.title, type: 'cart_has_changed', detail: error.title });
    } else if (error instanceof ApiError) {
      res.status(error.status).json({ status: error.status, title: error.title, type: error.type, ...(error.detail ? { detail: error.detail } : {}) });
    } else {
      next(error);
    }
  });
  return router;
}
