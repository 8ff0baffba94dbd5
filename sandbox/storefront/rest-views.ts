/**
 * The Storefront REST API's cart and checkout shapes (ref §8.1–8.2; carts.sf.yml; checkout-sdk's `Checkout`,
 * `Cart`, `LineItem`): camelCase, money as numbers, dates ISO-8601. Line options only when `include` asks.
 */
import { isoDate } from '../catalog-views.ts';
import type { BillingAddress, Cart, CartLine, Product, Variant } from '../model.ts';
import { calculatedPrice, type StoreContext } from '../store-context.ts';
import { CURRENCY, roundMoney } from './money.ts';

export type View = Record<string, unknown>;

/** What a view needs besides the data: the store, the storefront's origin and the requested includes. */
export interface ViewContext {
  store: StoreContext;
  origin: string;
  include: Set<string>;
}

/** `include=a,b` as a set (the Storefront API's comma-separated list). */
export function includesOf(query: unknown): Set<string> {
  return new Set(
    String(query ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function lineOptions(product: Product, variant: Variant): Array<{ name: string; nameId: number; value: string; valueId: number }> {
  return variant.option_values.map((value) => {
    const option = product.options.find((o) => o.id === value.option_id);
    return { name: option?.display_name ?? '', nameId: value.option_id, value: option?.values.find((v) => v.id === value.id)?.label ?? '', valueId: value.id };
  });
}

/** The product's brand name, as line items carry it. */
export function brandOf(store: StoreContext, product: Product): string {
  return store.state.brands.find((b) => b.id === product.brand_id)?.name ?? '';
}

/** The product's category names, as checkout line items carry them. */
export function categoryNames(store: StoreContext, product: Product): string[] {
  return product.categories.flatMap((id) => store.state.categories.find((c) => c.id === id)?.name ?? []);
}

interface Priced {
  product: Product;
  variant: Variant;
  quantity: number;
}

/** A physical line item of a cart (carts.sf.yml `Item Physical`). */
function physicalItem(ctx: ViewContext, id: string, { product, variant, quantity }: Priced, optionsKey: string): View {
  const original = variant.price ?? product.price;
  const list = calculatedPrice(product, variant);
  return {
    id,
    parentId: null,
    variantId: variant.id,
    productId: product.id,
    sku: variant.sku || product.sku,
    name: product.name,
    url: `${ctx.origin}${product.custom_url}`,
    quantity,
    brand: brandOf(ctx.store, product),
    isTaxable: true,
    imageUrl: `${ctx.origin}/assets/img/product.svg`,
    discounts: [],
    discountAmount: 0,
    couponAmount: 0,
    originalPrice: original,
    listPrice: list,
    salePrice: list,
    extendedListPrice: roundMoney(list * quantity),
    extendedSalePrice: roundMoney(list * quantity),
    isShippingRequired: true,
    type: 'physical',
    isMutable: true,
    giftWrapping: null,
    ...(ctx.include.has(optionsKey) ? { options: lineOptions(product, variant) } : {}),
  };
}

/** The cart's lines with their products; lines whose product or variant was deleted since are left out. */
export function pricedLines(store: StoreContext, cart: Cart): Array<Priced & { line: CartLine }> {
  return cart.lines.flatMap((line) => {
    const product = store.products.get(line.product_id);
    const variant = product?.variants.find((v) => v.id === line.variant_id);
    return product && variant ? [{ line, product, variant, quantity: line.quantity }] : [];
  });
}

/** The cart's total before tax and shipping. */
export function cartAmount(store: StoreContext, cart: Cart): number {
  return roundMoney(pricedLines(store, cart).reduce((sum, l) => sum + calculatedPrice(l.product, l.variant) * l.quantity, 0));
}

/** A cart (carts.sf.yml `Cart Read`). `prefix` is `cart.` inside a checkout, where includes are named so. */
export function cartView(ctx: ViewContext, cart: Cart, prefix = ''): View {
  const amount = cartAmount(ctx.store, cart);
  const physical = pricedLines(ctx.store, cart).map((l) => physicalItem(ctx, l.line.id, l, `${prefix}lineItems.physicalItems.options`));
  return {
    id: cart.id,
    customerId: 0,
    email: cart.email,
    currency: { code: CURRENCY.code, decimalPlaces: CURRENCY.decimalPlaces, name: CURRENCY.name, symbol: CURRENCY.symbol },
    isTaxIncluded: false,
    baseAmount: amount,
    discountAmount: 0,
    cartAmount: amount,
    coupons: [],
    discounts: [],
    lineItems: { physicalItems: physical, digitalItems: [], giftCertificates: [], customItems: [] },
    createdTime: isoDate(cart.created_at),
    updatedTime: isoDate(cart.updated_at),
    locale: 'en',
    version: cart.version,
  };
}

/** `/api/storefront/cart-summary`: what stencil-utils' `getCartQuantity` reads. */
export function cartSummaryView(store: StoreContext, cart: Cart): View {
  return {
    id: cart.id,
    total_quantity: cart.lines.reduce((sum, l) => sum + l.quantity, 0),
    total_unique_items: cart.lines.length,
    balance_due: cartAmount(store, cart),
  };
}

/** A storefront address (checkout-sdk `Address`) from the model's v2-style billing address. */
export function addressView(address: Partial<BillingAddress> | null): View | undefined {
  if (!address) return undefined;
  return {
    firstName: address.first_name ?? '',
    lastName: address.last_name ?? '',
    email: address.email ?? '',
    company: '',
    address1: address.street_1 ?? '',
    address2: '',
    city: address.city ?? '',
    stateOrProvince: address.state ?? '',
    stateOrProvinceCode: '',
    country: address.country ?? '',
    countryCode: address.country_iso2 ?? '',
    postalCode: address.zip ?? '',
    phone: '',
    customFields: [],
    shouldSaveAddress: false,
  };
}

const GUEST = {
  id: 0,
  addresses: [],
  storeCredit: 0,
  email: '',
  firstName: '',
  fullName: '',
  isGuest: true,
  lastName: '',
  shouldEncourageSignIn: false,
  customerGroup: null,
};

/** A checkout (ref §8.2; checkout-sdk `Checkout`): the cart plus totals, addresses and the checkout's own fields. */
export function checkoutView(ctx: ViewContext, cart: Cart): View {
  const amount = cartAmount(ctx.store, cart);
  const inner = cartView(ctx, cart, 'cart.');
  const lines = pricedLines(ctx.store, cart);
  const items = (inner.lineItems as { physicalItems: View[] }).physicalItems.map((item, i) => ({
    ...item,
    categoryNames: categoryNames(ctx.store, lines[i]!.product),
    comparisonPrice: item.listPrice,
    extendedComparisonPrice: item.extendedListPrice,
    retailPrice: lines[i]!.variant.retail_price ?? lines[i]!.product.retail_price,
    addedByPromotion: false,
    addedByAttributeId: null,
  }));
  const address = addressView(cart.billing_address ? { ...cart.billing_address, email: cart.email || cart.billing_address.email } : null);
  // A checkout's billing address has an id (checkout-sdk `BillingAddress`); an order's has none.
  const billing = address && { id: `${cart.id.slice(0, 8)}-billing`, ...address };
  return {
    id: cart.id,
    cart: { ...inner, companyId: null, companyName: null, lineItems: { ...(inner.lineItems as View), physicalItems: items } },
    ...(billing ? { billingAddress: billing } : {}),
    consignments: [],
    orderId: null,
    customerMessage: cart.customer_message,
    grandTotal: amount,
    subtotal: amount,
    taxTotal: 0,
    taxes: [],
    discounts: [],
    displayDiscountTotal: 0,
    isStoreCreditApplied: false,
    coupons: [],
    giftCertificates: [],
    giftWrappingCostTotal: 0,
    comparisonShippingCost: 0,
    shippingCostTotal: 0,
    shippingCostBeforeDiscount: 0,
    handlingCostTotal: 0,
    shouldExecuteSpamCheck: false,
    outstandingBalance: amount,
    balanceDue: amount,
    orderBasedAutoDiscountTotal: 0,
    manualDiscountTotal: 0,
    totalDiscount: 0,
    fees: [],
    channelId: 1,
    createdTime: isoDate(cart.created_at),
    updatedTime: isoDate(cart.updated_at),
    version: cart.version,
    ...(ctx.include.has('customer') ? { customer: GUEST } : {}),
    ...(ctx.include.has('payments') ? { payments: [] } : {}),
    ...([...ctx.include].some((i) => i.startsWith('promotions')) ? { promotions: [] } : {}),
  };
}
