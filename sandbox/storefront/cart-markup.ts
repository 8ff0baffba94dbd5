/**
 * The cart's templates as Cornerstone renders them (templates/components/cart/*.html, common/cart-preview.html;
 * stencil §2): the rows `tr.cart-item[data-item-row]` keyed by `data-cart-itemid`, the sections the cart page
 * re-renders after every change, the post-add preview and the header's dropdown.
 */
import type { Cart, Product, Variant } from '../model.ts';
import { calculatedPrice, type StoreContext } from '../store-context.ts';
import { html, type Html } from './html.ts';
import { formatMoney } from './money.ts';
import { quantityTimesPrice } from './product-view.ts';
import { cartAmount, pricedLines } from './rest-views.ts';

/** The cart as its templates see it (an absent cart is an empty one); `status` is a message to show. */
export interface CartContext {
  store: StoreContext;
  cart: Cart | undefined;
  status?: string | undefined;
  /** `cart.added_item` of cart/preview: the line the add answered (`?suggest=` of the request). */
  addedItemId?: string | undefined;
}

function lines(ctx: CartContext) {
  return ctx.cart ? pricedLines(ctx.store, ctx.cart) : [];
}

/** The number of units in the cart (`cart.quantity`). */
export function cartQuantity(ctx: CartContext): number {
  return lines(ctx).reduce((sum, l) => sum + l.quantity, 0);
}

function brandName(ctx: CartContext, brandId: number): string {
  return ctx.store.state.brands.find((b) => b.id === brandId)?.name ?? '';
}

function optionList(options: Array<{ name: string; value: string }>): Html {
  if (options.length === 0) return html``;
  return html`<dl class="definitionList">${options.map((o) => html`<dt class="definitionList-key">${o.name}:</dt><dd class="definitionList-value">${o.value}</dd>`)}</dl>`;
}

function optionsOf(product: Product, variant: Variant): Array<{ name: string; value: string }> {
  return variant.option_values.map((value) => {
    const option = product.options.find((o) => o.id === value.option_id);
    return { name: option?.display_name ?? '', value: option?.values.find((v) => v.id === value.id)?.label ?? '' };
  });
}

/** cart/content.html: the table of rows, or nothing when the cart is empty (the page shows its own text). */
export function cartContentMarkup(ctx: CartContext): Html {
  const rows = lines(ctx);
  if (rows.length === 0) return html``;
  return html`<table class="cart" data-cart-quantity="${cartQuantity(ctx)}">
  <thead class="cart-header">
    <tr><th class="cart-header-item" colspan="2">Item</th><th class="cart-header-item">Price</th><th class="cart-header-item cart-header-quantity">Quantity</th><th class="cart-header-item">Total</th></tr>
  </thead>
  <tbody class="cart-list">
  ${rows.map(({ line, product, variant, quantity }) => {
    const price = calculatedPrice(product, variant);
    const options = optionsOf(product, variant);
    return html`<tr class="cart-item" data-item-row>
      <td class="cart-item-block cart-item-figure"><img class="cart-item-fixed-image" src="/assets/img/product.svg" alt="${product.name}"></td>
      <td class="cart-item-block cart-item-title">
        <p class="cart-item-brand">${brandName(ctx, product.brand_id)}</p>
        <h2 class="cart-item-name"><a class="cart-item-name__label" href="${product.custom_url}">${product.name}</a></h2>
        ${optionList(options)}
        ${options.length > 0 ? html`<a href="${product.custom_url}" data-item-edit="${line.id}" data-product-id="${product.id}">Change</a>` : ''}
      </td>
      <td class="cart-item-block cart-item-info"><span class="cart-item-label">Price</span><span class="cart-item-value">${formatMoney(price)}</span></td>
      <td class="cart-item-block cart-item-info cart-item-quantity">
        <label class="form-label cart-item-label" for="qty-${line.id}">Quantity:</label>
        <div class="form-increment">
          <button class="button button--icon" data-cart-update data-cart-itemid="${line.id}" data-action="dec" type="button"><span class="is-srOnly">Decrease Quantity of ${product.name}</span><span aria-hidden="true">&minus;</span></button>
          <input class="form-input form-input--incrementTotal cart-item-qty-input" id="qty-${line.id}" name="qty-${line.id}" type="tel" value="${quantity}" data-quantity-min="${product.order_quantity_minimum}" data-quantity-max="${product.order_quantity_maximum}" min="1" pattern="[0-9]*" data-cart-itemid="${line.id}" data-action="manualQtyChange" aria-live="polite">
          <button class="button button--icon" data-cart-update data-cart-itemid="${line.id}" data-action="inc" type="button"><span class="is-srOnly">Increase Quantity of ${product.name}</span><span aria-hidden="true">+</span></button>
        </div>
      </td>
      <td class="cart-item-block cart-item-info">
        <span class="cart-item-label">Total</span><strong class="cart-item-value">${formatMoney(price * quantity)}</strong>
        <button class="cart-remove icon" type="button" data-cart-itemid="${line.id}" data-confirm-delete="Are you sure you want to delete this item?" aria-label="Remove ${product.name} from cart">&#215;</button>
      </td>
    </tr>`;
  })}
  </tbody>
</table>`;
}

/** cart/totals.html */
export function cartTotalsMarkup(ctx: CartContext): Html {
  const amount = ctx.cart ? cartAmount(ctx.store, ctx.cart) : 0;
  return html`<ul class="cart-totals">
  <li class="cart-total"><div class="cart-total-label"><strong>Subtotal:</strong></div><div class="cart-total-value"><span>${formatMoney(amount)}</span></div></li>
  <li class="cart-total"><div class="cart-total-label"><strong>Grand total:</strong></div><div class="cart-total-value cart-total-grandTotal"><span>${formatMoney(amount)}</span></div></li>
</ul>`;
}

/** cart/page-title.html: replaced whole (`replaceWith`) on every refresh. */
export function cartPageTitleMarkup(ctx: CartContext): Html {
  const quantity = cartQuantity(ctx);
  return html`<h1 class="page-heading" data-cart-page-title>Your Cart (${quantity} ${quantity === 1 ? 'item' : 'items'})</h1>`;
}

/** cart/status-messages.html */
export function cartStatusMarkup(ctx: CartContext): Html {
  return html`<div data-cart-status>${ctx.status ? html`<div class="alertBox alertBox--error" role="alert"><p class="alertBox-message">${ctx.status}</p></div>` : ''}</div>`;
}

/** cart/preview.html: the `#previewModal` content after an AJAX add (stencil §2.5). */
export function cartPreviewMarkup(ctx: CartContext): Html {
  const quantity = cartQuantity(ctx);
  const added = lines(ctx).find((l) => l.line.id === ctx.addedItemId);
  const amount = ctx.cart ? cartAmount(ctx.store, ctx.cart) : 0;
  return html`<div class="modal-header">
  <h1 class="modal-header-title" id="modal-header-title">${added ? `Ok, ${added.quantity} ${added.quantity === 1 ? 'item was' : 'items were'} added to your cart. What's next?` : 'Your cart'}</h1>
</div>
<div class="modal-body">
  <div class="previewCart">
    <div class="previewCartCheckout-container">
      ${
        added
          ? html`<section class="productView">
        <figure class="productView-image"><img src="/assets/img/product.svg" alt="${added.product.name}"></figure>
        <h2 class="productView-title">${added.product.name}</h2>
        <p class="productView-brand">${brandName(ctx, added.product.brand_id)}</p>
        <div class="productView-price">${quantityTimesPrice(added.quantity, calculatedPrice(added.product, added.variant))}</div>
        <dl class="productView-info">${optionsOf(added.product, added.variant).map((o) => html`<dt class="productView-info-name">${o.name}:</dt><dd class="productView-info-value">${o.value}</dd>`)}</dl>
      </section>`
          : ''
      }
      <section class="previewCartCheckout">
        <div class="previewCartCheckout-subtotal"><span class="previewCartCheckout-label">Order subtotal: </span><span class="previewCartCheckout-price">${formatMoney(amount)}</span></div>
        <p data-cart-quantity="${quantity}">Your cart contains ${quantity} ${quantity === 1 ? 'item' : 'items'}</p>
        <a href="/checkout" class="button button--primary button--small previewCartCheckout-checkoutButton">Proceed to checkout</a>
        <a href="#" class="button button--small previewCartCheckout-continue" data-reveal-close>Continue Shopping</a>
        <a href="/cart.php" class="button button--small previewCartCheckout-viewCart">View or edit your cart</a>
      </section>
    </div>
    <section class="suggestiveCart"></section>
  </div>
</div>`;
}

/** common/cart-preview.html: the header dropdown, at most 4 items. */
export function headerCartPreviewMarkup(ctx: CartContext): Html {
  const rows = lines(ctx);
  if (rows.length === 0) return html`<div class="previewCart"><div class="previewCart-emptyBody">Your cart is empty</div></div>`;
  return html`<div class="previewCartWrapper"><div class="previewCart">
  <ul class="previewCartList">
    ${rows.slice(0, 4).map(
      ({ product, variant, quantity }) => html`<li class="previewCartItem">
      <div class="previewCartItem-image"><img src="/assets/img/product.svg" alt="${product.name}"></div>
      <div class="previewCartItem-content">
        <span class="previewCartItem-brand">${brandName(ctx, product.brand_id)}</span>
        <h6 class="previewCartItem-name"><a href="${product.custom_url}">${product.name}</a></h6>
        <span class="previewCartItem-price">${quantityTimesPrice(quantity, calculatedPrice(product, variant))}</span>
      </div>
    </li>`,
    )}
  </ul>
  <div class="previewCartAction">
    <div class="previewCartAction-checkout"><a href="/checkout" class="button button--small button--primary">Check out now</a></div>
    <div class="previewCartAction-viewCart"><a href="/cart.php" class="button button--small button--action">View Cart</a></div>
  </div>
</div></div>`;
}

/** The templates stencil-utils may ask `/cart.php` to render (`stencil-options: {"render_with": …}`). */
export const CART_TEMPLATES: Record<string, (ctx: CartContext) => Html> = {
  'cart/content': cartContentMarkup,
  'cart/totals': cartTotalsMarkup,
  'cart/page-title': cartPageTitleMarkup,
  'cart/status-messages': cartStatusMarkup,
  'cart/coupons': () => html`<div class="coupon-code"></div>`,
  'cart/additional-checkout-buttons': () => html``,
  'cart/preview': cartPreviewMarkup,
  'common/cart-preview': headerCartPreviewMarkup,
};
