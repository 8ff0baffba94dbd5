/**
 * The product view's behaviour, as Cornerstone 6.21's ProductDetails does it (stencil §1.3–1.6, §3). Every
 * lookup is scoped to `$scope` — `.productView` on the product page, `.quickView` in quick view (repeated ids) —
 * except `#add-to-cart-wrapper`, which Cornerstone shows unscoped. Option changes post the form to
 * `/remote/v1/product-attributes/{id}`, update the view, then dispatch `onProductOptionsChanged`
 * (`detail: { content, data }`, the 6.20+ shape) and `onProductUpdate` on `document`.
 */
import $ from 'jquery';
import utils from '@bigcommerce/stencil-utils';
import { modalFor, showAlertModal } from './modal.ts';
import { setProductVariant, showOptionValueNames, updateCartContent, updatePriceView, updateProductAttributes, type Data } from './product-view-dom.ts';

/** The page's jsContext (stencil §5.1), with the product page's `{{inject}}` keys when there are any. */
export interface ThemeContext {
  secureBaseUrl: string;
  urls: { cart: string };
  availableToSell?: number | null;
  availableOnHand?: number | null;
  availableForBackorder?: number | null;
  unlimitedBackorder?: boolean;
  outOfStockDefaultMessage?: string;
  quantityBackorderedMessage?: string;
  quantityMaxMessage?: string;
  invalidEntryMessage?: string;
}

const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export class ProductDetails {
  private readonly $form: JQuery<HTMLFormElement>;
  private readonly $options: JQuery;
  private data: Data;
  /** Answers to an older request are dropped, so a slow answer never overwrites a newer choice. */
  private serial = 0;

  constructor(
    private readonly $scope: JQuery,
    private readonly context: ThemeContext,
    productAttributes: Data = {},
  ) {
    this.$form = $('form[data-cart-item-add]', $scope) as JQuery<HTMLFormElement>;
    this.$options = $('[data-product-option-change]', this.$form);
    this.data = productAttributes;
    const fromPage = Object.keys(productAttributes).length > 0;
    const hasDefaults = this.$options.find('[data-default]').length > 0;

    this.$options.on('change', (event) => this.optionsChanged(event));
    this.$form.on('submit', (event) => this.addToCart(event));
    $scope.on('click', '[data-quantity-change] button', (event) => this.changeQuantity(event));
    $scope.on('keyup change', '.form-input--incrementTotal', () => this.quantityChanged());

    if (fromPage) {
      updateProductAttributes($scope, productAttributes, context.outOfStockDefaultMessage);
      this.updateView(productAttributes);
    } else {
      // Without BCData (quick view) add to cart waits for the first answer (Cornerstone ≥ 6.19).
      $('#form-action-addToCart', $scope).prop('disabled', true);
    }
    this.$options.show();
    // One more call at start, applied unless the shopper has chosen something meanwhile (stencil §1.4).
    this.optionChange((data, content) => {
      updateProductAttributes(this.$scope, data, this.context.outOfStockDefaultMessage);
      if (!fromPage || hasDefaults) {
        this.updateView(data, content);
      } else {
        this.data = { ...this.data, ...data };
        this.updateBackorder();
        this.updateDefaultAttributesForOOS(data);
        this.showMessageBox(data.stock_message || data.purchasing_message);
      }
    });
    this.updateProductDetailsData();
  }

  private get productId(): number {
    return Number($('[name="product_id"]', this.$form).val());
  }

  private get quantity(): number {
    return Number($('[name="qty[]"]', this.$scope).val()) || 0;
  }

  private optionChange(apply: (data: Data, content: string) => void): void {
    const serial = ++this.serial;
    utils.api.productAttributes.optionChange(
      this.productId,
      this.$form.serialize(),
      'products/bulk-discount-rates',
      (err, response) => {
        if (err || serial !== this.serial) return;
        apply(response?.data ?? {}, response?.content ?? '');
      },
      { baseUrl: this.context.secureBaseUrl },
    );
  }

  private optionsChanged(event: JQuery.TriggeredEvent): void {
    if ($(event.target).attr('type') === 'file' || window.FormData === undefined) return;
    showOptionValueNames(this.$scope);
    this.optionChange((data, content) => {
      updateProductAttributes(this.$scope, data, this.context.outOfStockDefaultMessage);
      this.updateView(data, content);
      this.updateProductDetailsData();
      setProductVariant(this.$scope);
      window.dispatchEvent(new CustomEvent('bigcommerce.productpricechange', { detail: { amount: data.price?.without_tax?.value } }));
      document.dispatchEvent(new CustomEvent('onProductOptionsChanged', { bubbles: true, detail: { content, data } }));
    });
  }

  private updateView(data: Data, content = ''): void {
    this.data = data;
    const $scope = this.$scope;
    this.showMessageBox(data.stock_message || data.purchasing_message);
    if (data.price) updatePriceView($scope, data.price);
    if (data.weight) $('.productView-info [data-product-weight]', $scope).html(data.weight.formatted);
    if (data.variantId) $('[data-wishlist-add] [name="variation_id"]', $scope).val(data.variantId);
    for (const [key, field] of [
      ['sku', 'sku'],
      ['upc', 'upc'],
    ] as const) {
      const $value = $(`[data-product-${field}]`, $scope);
      const $label = $(`dt.${field}-label`, $scope);
      if (data[key]) {
        $value.text(data[key]);
        $label.show();
      } else {
        $value.text('');
        $label.hide();
      }
    }
    const $stock = $('.form-field--stock', $scope);
    if ($stock.length && typeof data.stock === 'number') $stock.removeClass('u-hiddenVisually');
    else $stock.addClass('u-hiddenVisually');
    $('[data-product-stock]', $scope).text(data.stock ?? '');
    this.updateBackorder();
    this.updateDefaultAttributesForOOS(data);
    this.updateAddToCartForQuantity();
    const $bulk = $('.productView-info-bulkPricing', $scope);
    if (data.bulk_discount_rates && content) $bulk.html(content);
    else if (data.bulk_discount_rates !== undefined) $bulk.html('');
    const $wrapper = $('#add-to-cart-wrapper'); // unscoped, as in Cornerstone
    if ($wrapper.is(':hidden') && data.purchasable) $wrapper.show();
  }

  private showMessageBox(message: string | null | undefined): void {
    const $box = $('.productAttributes-message', this.$scope);
    $box.removeAttr('data-qty-limit');
    if (message) {
      $('.alertBox-message', $box).text(message);
      $box.show();
    } else {
      $box.hide();
    }
  }

  private availableToSell(data: Data): number | undefined {
    return number(data.available_to_sell) ?? number(this.context.availableToSell);
  }

  private updateDefaultAttributesForOOS(data: Data): void {
    const available = this.availableToSell(data);
    const canSell = Boolean(data.instock) || (available !== undefined && available > 0);
    const disabled = !data.purchasable || !canSell;
    $('#form-action-addToCart', this.$scope).prop('disabled', disabled);
    $('.form-field--increments :input', this.$scope).prop('disabled', disabled);
    // The sold-out alert, not the variant message box (stencil §1.3 toggleSoldOutAlert).
    $('#add-to-cart-wrapper .alertBox--error', this.$scope).not('.productAttributes-message').toggle(!canSell);
  }

  /** Above the quantity available to sell (tracked items), add to cart is held with "The maximum purchasable quantity is N". */
  private updateAddToCartForQuantity(): void {
    const data = this.data;
    const available = this.availableToSell(data);
    const unlimited = data.unlimited_backorder ?? this.context.unlimitedBackorder;
    const $box = $('.productAttributes-message', this.$scope);
    if (available !== undefined && available > 0 && !unlimited && this.quantity > available) {
      $('#form-action-addToCart', this.$scope).prop('disabled', true);
      const message = (this.context.quantityMaxMessage ?? 'The maximum purchasable quantity is __QTY__').replace('__QTY__', String(available));
      $('.alertBox-message', $box).text(message);
      $box.attr('data-qty-limit', 'true').show();
    } else if ($box.attr('data-qty-limit') === 'true') {
      this.showMessageBox(data.stock_message || data.purchasing_message);
      this.updateDefaultAttributesForOOS(data);
    }
  }

  /** Native backorder anchors (stencil §1.6): "N will be backordered" and the availability prompt. */
  private updateBackorder(): void {
    const data = this.data;
    const onHand = number(data.available_on_hand) ?? number(this.context.availableOnHand);
    const forBackorder = number(data.available_for_backorder) ?? number(this.context.availableForBackorder) ?? 0;
    const backordered = onHand === undefined ? 0 : Math.min(this.quantity - onHand, forBackorder);
    const $backordered = $('[data-product-backordered]', this.$scope);
    if (backordered > 0) {
      const message = (this.context.quantityBackorderedMessage ?? '__QTY__ will be backordered').replace('__QTY__', String(backordered));
      $('[data-qty-backordered-message]', $backordered).text(message);
      $backordered.show();
    } else {
      $backordered.hide();
    }
    const available = this.availableToSell(data) ?? 0;
    const $prompt = $('[data-backorder-prompt]', this.$scope);
    if (data.show_backorder_availability_prompt && available > 0 && forBackorder > 0) $prompt.text(data.backorder_availability_prompt ?? '').show();
    else $prompt.hide();
  }

  private changeQuantity(event: JQuery.TriggeredEvent): void {
    event.preventDefault();
    const $input = $('.form-input--incrementTotal', this.$scope);
    const max = Number($input.attr('data-quantity-max')) || 0;
    const min = Number($input.attr('data-quantity-min')) || 0;
    let quantity = Number($input.val()) || 1;
    if ($(event.currentTarget).attr('data-action') === 'inc') {
      if (max === 0 || quantity < max) quantity += 1;
    } else if (quantity > 1 && quantity > min) {
      quantity -= 1;
    }
    $input.val(quantity);
    this.quantityChanged();
  }

  private quantityChanged(): void {
    this.updateAddToCartForQuantity();
    this.updateBackorder();
    this.updateProductDetailsData();
  }

  /** `onProductUpdate` on `document` with the form's product, quantity and choices (Cornerstone ≥ 6.7). */
  private updateProductDetailsData(): void {
    const form = this.$form.get(0);
    if (!form || !form.checkValidity()) return;
    const optionSelections: Array<{ optionId: number; optionValue: string }> = [];
    new FormData(form).forEach((value, key) => {
      const match = /^attribute\[(\d+)\]$/.exec(key);
      if (match && typeof value === 'string') optionSelections.push({ optionId: Number(match[1]), optionValue: value });
    });
    document.dispatchEvent(
      new CustomEvent('onProductUpdate', {
        bubbles: true,
        detail: { productDetails: { productId: this.productId, quantity: this.quantity, optionSelections } },
      }),
    );
  }

  private addToCart(event: JQuery.SubmitEvent): void {
    if (window.FormData === undefined) return; // the form posts to /cart.php
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const $button = $('#form-action-addToCart', $(form));
    const label = $button.val();
    $button.val(String($button.attr('data-wait-message') ?? 'Adding to cart…')).prop('disabled', true);
    const formData = new FormData(form);
    for (const [key, value] of [...formDataEntries(formData)]) if (value instanceof File && !value.name && !value.size) formData.delete(key);
    utils.api.cart.itemAdd(
      formData,
      (err, response) => {
        $button.val(label ?? '').prop('disabled', false);
        const error = err ? err.message : response?.data?.error;
        if (error) return showAlertModal(String(error));
        if (this.$scope.closest('.quickView').length || this.$scope.is('.quickView')) modalFor('#modal')?.close();
        const preview = modalFor('#previewModal');
        if (!preview) {
          window.location.href = response.data.cart_item.cart_url || this.context.urls.cart;
          return;
        }
        preview.open({ size: 'large', pending: true });
        updateCartContent(preview, response.data.cart_item.id, this.context.secureBaseUrl);
      },
      { baseUrl: this.context.secureBaseUrl },
    );
  }
}

function formDataEntries(formData: FormData): Array<[string, FormDataEntryValue]> {
  const entries: Array<[string, FormDataEntryValue]> = [];
  formData.forEach((value, key) => entries.push([key, value]));
  return entries;
}
