/** Orders as the Storefront Orders API answers them (ref §8.3; checkout-sdk `Order`), for the placing session. */
import type { Order, OrderLine } from '../model.ts';
import { statusName } from '../order-statuses.ts';
import { CURRENCY, roundMoney } from './money.ts';
import { addressView, brandOf, categoryNames, type View, type ViewContext } from './rest-views.ts';

/** `status` of a Storefront order: the status name in UPPER_SNAKE case (ref §8.3 enum). */
export function storefrontStatus(statusId: number): string {
  return statusName(statusId)
    .toUpperCase()
    .replace(/[^A-Z]+/g, '_');
}

function orderItem(ctx: ViewContext, line: OrderLine): View {
  const product = ctx.store.products.get(line.product_id);
  const variant = product?.variants.find((v) => v.id === line.variant_id);
  const total = roundMoney(line.base_price * line.quantity);
  return {
    id: line.id,
    parentId: null,
    productId: line.product_id,
    variantId: line.variant_id,
    sku: line.sku,
    name: line.name,
    url: product ? `${ctx.origin}${product.custom_url}` : '',
    quantity: line.quantity,
    brand: product ? brandOf(ctx.store, product) : '',
    categoryNames: product ? categoryNames(ctx.store, product) : [],
    isTaxable: true,
    imageUrl: `${ctx.origin}/assets/img/product.svg`,
    discounts: [],
    discountAmount: 0,
    couponAmount: 0,
    listPrice: line.base_price,
    salePrice: line.base_price,
    retailPrice: variant?.retail_price ?? product?.retail_price ?? 0,
    comparisonPrice: line.base_price,
    extendedListPrice: total,
    extendedSalePrice: total,
    extendedComparisonPrice: total,
    type: 'physical',
    isShippingRequired: true,
    addedByPromotion: false,
    ...(ctx.include.has('lineItems.physicalItems.options')
      ? { options: line.options.map((o) => ({ name: o.display_name, nameId: o.option_id, value: o.display_value, valueId: o.value_id })) }
      : {}),
    ...(ctx.include.has('lineItems.physicalItems.socialMedia') ? { socialMedia: [] } : {}),
  };
}

/** An order as `/api/storefront/orders/{id}` answers it (ref §8.3; checkout-sdk `Order`). */
export function orderView(ctx: ViewContext, order: Order): View {
  const amount = roundMoney(order.lines.reduce((sum, l) => sum + l.base_price * l.quantity, 0));
  const billing = addressView(order.billing_address);
  return {
    orderId: order.id,
    cartId: order.cart_id,
    channelId: order.channel_id,
    customerId: order.customer_id,
    customerMessage: order.customer_message,
    status: storefrontStatus(order.status_id),
    isComplete: order.status_id !== 0,
    isDownloadable: false,
    hasDigitalItems: false,
    customerCanBeCreated: true,
    currency: { name: CURRENCY.name, code: CURRENCY.code, symbol: CURRENCY.symbol, decimalPlaces: CURRENCY.decimalPlaces },
    isTaxIncluded: false,
    baseAmount: amount,
    discountAmount: 0,
    displayDiscountTotal: 0,
    orderBasedAutoDiscountTotal: 0,
    manualDiscountTotal: 0,
    productAutoDiscountedSubtotal: amount,
    totalDiscount: 0,
    giftWrappingCostTotal: 0,
    orderAmount: amount,
    orderAmountAsInteger: Math.round(amount * 100),
    taxTotal: 0,
    taxes: [],
    shippingCostTotal: 0,
    shippingCostBeforeDiscount: 0,
    comparisonShippingCost: 0,
    handlingCostTotal: 0,
    coupons: [],
    fees: [],
    billingAddress: billing,
    consignments: { shipping: [] },
    lineItems: { physicalItems: order.lines.map((line) => orderItem(ctx, line)), digitalItems: [], giftCertificates: [] },
    bundledItems: { physicalItems: [], digitalItems: [] },
    ...(ctx.include.has('payments')
      ? {
          payments: [
            {
              providerId: 'cod',
              gatewayId: null,
              methodId: null,
              paymentId: null,
              description: order.payment_method,
              amount,
              detail: { step: 'FINALIZE', instructions: '' },
            },
          ],
        }
      : {}),
  };
}
