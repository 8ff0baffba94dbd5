/**
 * Shoppers' sessions and carts on the demo storefront, and checking a cart out into an order. A cart refuses
 * what the storefront would: hidden or disabled products, a missing option choice, a variant with purchasing
 * disabled, and more units of a tracked item than its level (ref §8.1, §8.4). Checking out places the order
 * through the store model as a storefront checkout (Incomplete, then paid), so its events fire (ref §6.4).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { stockSource } from '../inventory.ts';
import { backorderRoom } from '../native-backorders.ts';
import type { BillingAddress, Cart, CartLine, Order, Product, ShopperSession, StorefrontState, Variant } from '../model.ts';
import { placeOrder } from '../orders.ts';
import type { StoreContext } from '../store-context.ts';
import { resolveSelection, unitsAvailable, type Attributes } from './product-attributes.ts';

/** A cart change the storefront refuses, with the text it shows the shopper. */
export class CartError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'CartError';
  }
}

const SESSIONS_KEPT = 1_000;

/** The store's storefront state, created on first use (state files from before it lack it). */
export function storefrontState(store: StoreContext): StorefrontState {
  store.state.storefront ??= { port: null, carts: [], sessions: [] };
  return store.state.storefront;
}

/** A new session token: what the `SHOP_SESSION_TOKEN` cookie carries. */
export function newSessionToken(): string {
  return randomBytes(18).toString('base64url');
}

/** The shopper's session for a token, created when the store does not know it yet. */
export function sessionFor(store: StoreContext, token: string): ShopperSession {
  const state = storefrontState(store);
  let session = state.sessions.find((s) => s.token === token);
  if (!session) {
    session = { token, cart_id: null, order_ids: [], seen_at: store.now() };
    state.sessions.push(session);
    if (state.sessions.length > SESSIONS_KEPT) {
      state.sessions.sort((a, b) => b.seen_at - a.seen_at).splice(SESSIONS_KEPT);
    }
    store.changed();
  }
  session.seen_at = store.now();
  return session;
}

export function findCart(store: StoreContext, cartId: string): Cart | undefined {
  return storefrontState(store).carts.find((c) => c.id === cartId);
}

/** The session's cart, if it has one. */
export function cartOf(store: StoreContext, session: ShopperSession): Cart | undefined {
  return session.cart_id ? findCart(store, session.cart_id) : undefined;
}

export interface LineInput {
  productId: number;
  /** The variant to add; or the option values chosen on a product page. */
  variantId?: number;
  attributes?: Attributes;
  quantity: number;
}

/** The product and variant a line names, or the text a shopper sees when it names nothing sellable. */
function sellable(store: StoreContext, input: LineInput): { product: Product; variant: Variant } {
  const product = store.products.get(input.productId);
  if (!product || !product.is_visible) throw new CartError(404, 'The product you requested could not be found.');
  if (product.availability === 'disabled') throw new CartError(422, `${product.name} cannot be purchased.`);
  const variant =
    input.variantId !== undefined ? product.variants.find((v) => v.id === input.variantId) : resolveSelection(product, input.attributes ?? new Map()).variant;
  if (!variant) throw new CartError(422, `Please choose the options of ${product.name}.`);
  if (variant.purchasing_disabled) {
    throw new CartError(422, variant.purchasing_disabled_message || 'The selected product combination is currently unavailable.');
  }
  return { product, variant };
}

function checkQuantity(quantity: unknown, minimum: number): number {
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < minimum || quantity > 100_000) {
    throw new CartError(422, `Please enter a quantity of ${minimum} or more.`);
  }
  return quantity;
}

/** Refuses lines holding more units of a tracked item than its level (summed where the level is shared). */
function checkStock(store: StoreContext, lines: CartLine[], product: Product, variant: Variant): void {
  const onHand = unitsAvailable(product, variant);
  if (onHand === null) return;
  const available = onHand + backorderRoom(store, product, variant);
  const shared = stockSource(product) === 'product';
  const wanted = lines
    .filter((line) => line.product_id === product.id && (shared || line.variant_id === variant.id))
    .reduce((sum, line) => sum + line.quantity, 0);
  if (wanted <= available) return;
  throw new CartError(
    409,
    available === 0
      ? `${product.name} is out of stock.`
      : `We don't have enough ${product.name} stock on hand for the quantity you selected. Please try again.`,
  );
}

function touch(store: StoreContext, cart: Cart): void {
  cart.updated_at = store.now();
  cart.version++;
  store.changed();
}

/**
 * Adds lines to the session's cart (a new cart when it has none, or when `fresh` — a Storefront API
 * `POST /carts`), merging units of a variant already in it. All or nothing: one refused line changes nothing.
 */
export function addToCart(
  store: StoreContext,
  session: ShopperSession,
  inputs: LineInput[],
  options: { fresh?: boolean } = {},
): { cart: Cart; lines: CartLine[] } {
  if (inputs.length === 0) throw new CartError(422, 'Please add at least one item.');
  const existing = options.fresh ? undefined : cartOf(store, session);
  const now = store.now();
  const lines = existing ? existing.lines.map((l) => ({ ...l })) : [];
  const added: CartLine[] = [];
  for (const input of inputs) {
    const { product, variant } = sellable(store, input);
    const quantity = checkQuantity(input.quantity, 1);
    let line = lines.find((l) => l.variant_id === variant.id);
    if (line) line.quantity += quantity;
    else lines.push((line = { id: randomUUID(), product_id: product.id, variant_id: variant.id, quantity }));
    checkStock(store, lines, product, variant);
    if (!added.includes(line)) added.push(line);
  }
  let cart = existing;
  if (!cart) {
    const old = cartOf(store, session);
    if (old) deleteCart(store, old.id);
    cart = { id: randomUUID(), lines: [], email: '', billing_address: null, customer_message: '', created_at: now, updated_at: now, version: 0 };
    storefrontState(store).carts.push(cart);
    session.cart_id = cart.id;
  }
  cart.lines = lines;
  touch(store, cart);
  return { cart, lines: added };
}

/** Sets a line's quantity (0 removes it); the last line gone, the cart is deleted and undefined returned. */
export function setLineQuantity(store: StoreContext, cart: Cart, lineId: string, quantity: number): Cart | undefined {
  const index = cart.lines.findIndex((l) => l.id === lineId);
  if (index < 0) throw new CartError(404, 'The cart item could not be found.');
  checkQuantity(quantity, 0);
  if (quantity === 0) {
    cart.lines.splice(index, 1);
    if (cart.lines.length === 0) {
      deleteCart(store, cart.id);
      return undefined;
    }
    touch(store, cart);
    return cart;
  }
  const line = cart.lines[index]!;
  const { product, variant } = sellable(store, { productId: line.product_id, variantId: line.variant_id, quantity });
  checkStock(
    store,
    cart.lines.map((l) => (l.id === lineId ? { ...l, quantity } : l)),
    product,
    variant,
  );
  line.quantity = quantity;
  touch(store, cart);
  return cart;
}

export function deleteCart(store: StoreContext, cartId: string): void {
  const state = storefrontState(store);
  state.carts = state.carts.filter((c) => c.id !== cartId);
  for (const session of state.sessions) if (session.cart_id === cartId) session.cart_id = null;
  store.changed();
}

/**
 * Places the cart's order as a storefront checkout (created Incomplete, then Awaiting Fulfillment once paid —
 * ref §6.4), empties the session's cart and lets the session read the order. Stock beyond tracked levels is
 * refused with BigCommerce's 409 (orders.ts) and nothing changes.
 */
export function checkOut(store: StoreContext, session: ShopperSession, cart: Cart): Order {
  const billing: Partial<BillingAddress> = { ...cart.billing_address, ...(cart.email ? { email: cart.email } : {}) };
  const order = placeOrder(store, {
    flow: 'checkout',
    lines: cart.lines.map((line) => ({ productId: line.product_id, variantId: line.variant_id, quantity: line.quantity })),
    cartId: cart.id,
    customerMessage: cart.customer_message,
    billingAddress: billing,
    paymentMethod: 'Cash on Delivery',
  });
  deleteCart(store, cart.id);
  session.order_ids.push(order.id);
  store.changed();
  return order;
}
