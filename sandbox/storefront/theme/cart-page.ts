/**
 * The cart page, as Cornerstone's cart.js (stencil §2.3): quantity buttons (debounced 400 ms), typed
 * quantities and removal post to `/remote/v1/cart/update` through stencil-utils, then the page asks
 * `/cart.php` to render its sections and replaces them — `[data-cart-content]`'s rows are new nodes after
 * every change. Removing the last row reloads the page.
 */
import $ from 'jquery';
import utils from '@bigcommerce/stencil-utils';
import { showAlertModal } from './modal.ts';
import type { ThemeContext } from './product-details.ts';

const SECTIONS = {
  content: 'cart/content',
  totals: 'cart/totals',
  pageTitle: 'cart/page-title',
  statusMessages: 'cart/status-messages',
  coupons: 'cart/coupons',
  additionalCheckoutButtons: 'cart/additional-checkout-buttons',
};

export class CartPage {
  private readonly $content = $('[data-cart-content]');
  private readonly $overlay = $('[data-cart] .loadingOverlay');
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly context: ThemeContext) {
    this.$content.on('click', '[data-cart-update]', (event) => {
      event.preventDefault();
      const $target = $(event.currentTarget);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.stepQuantity($target), 400);
    });
    let before = '';
    this.$content.on('focus', '.cart-item-qty-input', (event) => {
      before = String($(event.currentTarget).val());
    });
    this.$content.on('change', '.cart-item-qty-input', (event) => this.typedQuantity($(event.currentTarget), before));
    this.$content.on('click', '.cart-remove', (event) => {
      event.preventDefault();
      const $target = $(event.currentTarget);
      if (window.confirm(String($target.attr('data-confirm-delete') ?? 'Remove this item?'))) this.update(String($target.attr('data-cart-itemid')), 0);
    });
  }

  private stepQuantity($target: JQuery): void {
    const itemId = String($target.attr('data-cart-itemid'));
    const $input = $(`[id="qty-${itemId}"]`, this.$content);
    const quantity = Number($input.val()) + ($target.attr('data-action') === 'inc' ? 1 : -1);
    if (quantity < 0) return;
    this.update(itemId, quantity, () => $input.val(Number($input.val())));
  }

  private typedQuantity($input: JQuery, before: string): void {
    const typed = String($input.val());
    const quantity = Number(typed);
    if (typed.trim() === '' || !Number.isInteger(quantity) || quantity < 0) {
      $input.val(before);
      showAlertModal(`${this.context.invalidEntryMessage ?? 'Invalid entry for item:'} ${typed}`);
      return;
    }
    this.update(String($input.attr('data-cart-itemid')), quantity, () => $input.val(before));
  }

  private update(itemId: string, quantity: number, revert: () => void = () => {}): void {
    this.$overlay.show();
    utils.api.cart.itemUpdate(itemId, quantity, (err, response) => {
      this.$overlay.hide();
      if (!err && response?.data?.status === 'succeed') return this.refreshContent(quantity === 0);
      revert();
      showAlertModal(err ? err.message : (response?.data?.errors ?? []).join('\n'));
    });
  }

  private refreshContent(removed: boolean): void {
    if (removed && $('[data-item-row]', this.$content).length === 1) return window.location.reload();
    this.$overlay.show();
    utils.api.cart.getContent({ template: SECTIONS, baseUrl: this.context.secureBaseUrl }, (err, response) => {
      this.$overlay.hide();
      if (err) return;
      this.$content.html(response.content);
      $('[data-cart-totals]').html(response.totals);
      $('[data-cart-coupons]').html(response.coupons);
      $('[data-cart-additional-checkout-buttons]').html(response.additionalCheckoutButtons);
      $('[data-cart-page-title]').replaceWith(response.pageTitle);
      $('[data-cart-status]').replaceWith(response.statusMessages);
      const quantity = Number($('[data-cart-quantity]', this.$content).attr('data-cart-quantity')) || 0;
      $('body').trigger('cart-quantity-update', quantity);
    });
  }
}
