/**
 * Product view updates that need nothing but the view (`$scope`) and the answer's `data` (stencil §1.3):
 * prices, out-of-stock option values, the chosen values' names, `data-product-variant`; and the post-add
 * preview's content.
 */
import $ from 'jquery';
import utils from '@bigcommerce/stencil-utils';
import type { Modal } from './modal.ts';

// `data` of the product-attributes answer (ref §8.4): a loose bag, as the theme reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Data = Record<string, any>;

/** The price block: price, the price a sale replaces, the retail price, the saving. */
export function updatePriceView($scope: JQuery, price: Data): void {
  $('.rrp-price--withoutTax, .non-sale-price--withoutTax, .price-section--saving, .price-now-label, .price-label', $scope).hide();
  if (price.without_tax) {
    $('.price-label', $scope).show();
    $('[data-product-price-without-tax]', $scope).html(price.without_tax.formatted);
  }
  if (price.rrp_without_tax) {
    $('.rrp-price--withoutTax', $scope).show();
    $('[data-product-rrp-price-without-tax]', $scope).html(price.rrp_without_tax.formatted);
  }
  if (price.saved) {
    $('.price-section--saving', $scope).show();
    $('[data-product-price-saved]', $scope).html(price.saved.formatted);
  }
  if (price.non_sale_price_without_tax) {
    $('.price-label', $scope).hide();
    $('.non-sale-price--withoutTax, .price-now-label', $scope).show();
    $('[data-product-non-sale-price-without-tax]', $scope).html(price.non_sale_price_without_tax.formatted);
  }
}

/** Out-of-stock values hidden or labelled, by the store's `option_out_of_stock_behavior`. */
export function updateProductAttributes($scope: JQuery, data: Data, defaultMessage = 'Out of stock'): void {
  const behavior = data.out_of_stock_behavior;
  if (behavior !== 'hide_option' && behavior !== 'label_option') return;
  const inStock: number[] = data.in_stock_attributes ?? [];
  const suffix = ` (${data.out_of_stock_message || defaultMessage})`;
  $('[data-product-attribute-value]', $scope).each((_, element) => {
    const $value = $(element);
    const available = inStock.includes(Number($value.attr('data-product-attribute-value')));
    if ($value.closest('[data-product-attribute]').attr('data-product-attribute') === 'set-select') {
      if (behavior === 'hide_option') {
        $value.toggle(available);
        const $select = $value.parent();
        if (!available && $select.val() === $value.attr('value')) ($select.get(0) as HTMLSelectElement).selectedIndex = 0;
      } else {
        $value.text($value.text().replace(suffix, '') + (available ? '' : suffix));
      }
    } else if (behavior === 'hide_option') {
      $value.toggle(available);
    } else {
      $value.toggleClass('unavailable', !available);
    }
  });
}

/** The value chosen in one option field, by its label (or the swatch's title). */
function chosenValue(field: HTMLElement): string {
  const $select = $(field).find('select');
  if ($select.length) return $select.val() ? $select.find('option:selected').text().trim() : '';
  const checked = $(field).find('input:checked');
  const label = checked.length ? $(field).find(`label[for="${checked.attr('id')}"]`) : $();
  return label.find('[title]').attr('title') ?? label.text().trim();
}

/** The chosen value's name next to a rectangle or swatch option's label (`[data-option-value]`). */
export function showOptionValueNames($scope: JQuery): void {
  $('[data-product-attribute="set-rectangle"], [data-product-attribute="swatch"]', $scope).each((_, field) => {
    $(field).find('[data-option-value]').text(chosenValue(field));
  });
}

/** `data-product-variant` on the product view: "Option:Value, Option:Value". */
export function setProductVariant($scope: JQuery): void {
  const choices: string[] = [];
  $('[data-product-attribute]', $scope).each((_, field) => {
    const name = $(field).find('.form-label').first().contents().first().text().replace(/:\s*$/, '').trim();
    const value = chosenValue(field);
    if (value) choices.push(`${name}:${value}`);
  });
  const $view = $scope.is('.productView') ? $scope : $('.productView', $scope).first();
  $view.attr('data-product-variant', choices.length ? choices.join(', ') : 'single-product-option');
}

/** The post-add preview (`cart/preview` with `suggest`), then the header count (stencil §2.5). */
export function updateCartContent(modal: Modal, cartItemId: string, baseUrl: string): void {
  utils.api.cart.getContent(
    { template: 'cart/preview', params: { suggest: cartItemId }, config: { cart: { suggestions: { limit: 4 } } }, baseUrl },
    (err, response) => {
      if (err) return;
      modal.updateContent(response);
      const quantity = Number($('[data-cart-quantity]', modal.$content).attr('data-cart-quantity')) || 0;
      $('body').trigger('cart-quantity-update', quantity);
    },
  );
}
