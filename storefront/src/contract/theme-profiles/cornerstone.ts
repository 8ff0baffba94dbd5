/**
 * Cornerstone 6.19+ (read in bigcommerce/cornerstone 6.21.0: product-view.html, add-to-cart.html,
 * cart/content.html, common/cart-preview.html, card.html, product-details-base.js). Its native backorder
 * elements (6.19/6.20+) are hidden for products the app handles.
 */
import type { ThemeProfile } from './types.ts';

export const cornerstone: ThemeProfile = {
  name: 'cornerstone',
  basis: 'theme-source',
  product: {
    view: '.productView',
    notWithin: '#previewModal, [id="previewModal"]',
    form: 'form[data-cart-item-add]',
    productId: 'input[name="product_id"]',
    options: '[data-product-option-change]',
    quantity: 'input[name="qty[]"]',
    quantityButtons: '[data-quantity-change] button[data-action]',
    addToCart: '#form-action-addToCart',
    buttonLabel: '',
    pageButtons: '',
    // 6.7+; product-details-base.js finds it by this attribute (it also carries .add-to-cart-wallet-buttons).
    walletButtons: '[data-add-to-cart-wallet-buttons]',
    inventoryDescription: [
      { selector: '.productView-price', where: 'afterend' },
      { selector: 'form[data-cart-item-add]', where: 'beforebegin' },
    ],
    quantityMessage: [
      { selector: '.form-field--increments', where: 'afterend' },
      { selector: '.add-to-cart-buttons, .form-action', where: 'beforebegin' },
    ],
    addToCartMessage: [{ selector: '.add-to-cart-buttons, .form-action', where: 'afterend' }],
    shippingDescription: [
      { selector: '.add-to-cart-buttons, .form-action', where: 'afterend' },
      { selector: 'form[data-cart-item-add]', where: 'beforeend' },
    ],
    nativeBackorder: '[data-product-backordered], [data-backorder-prompt], [data-picklist-backorder-list], .productAttributes-message[data-qty-limit="true"]',
    stockLevel: '[data-product-stock]',
    quickView: '.quickView',
  },
  variantSources: [{ kind: 'event', target: 'document', type: 'onProductOptionsChanged' }],
  addedToCart: {
    modal: '[id="previewModal"]',
    anchor: [
      { selector: '.modal-body', where: 'afterbegin' },
      { selector: '.modal-content', where: 'afterbegin' },
    ],
  },
  listing: {
    card: 'article.card, .card[data-entity-id], .card[data-product-id]',
    cardProductId: ['data-entity-id', 'data-product-id'],
    badge: [
      { selector: '.card-title', where: 'afterend' },
      { selector: '.card-body', where: 'afterbegin' },
    ],
  },
  cart: {
    content: '[data-cart-content], [data-cart]',
    row: '[data-item-row], tr.cart-item',
    itemId: '[data-cart-itemid]',
    quantity: 'input.cart-item-qty-input, input[name^="qty-"]',
    message: [
      { selector: '.cart-item-quantity', where: 'beforeend' },
      { selector: '.cart-item-title', where: 'beforeend' },
    ],
    nativeBackorder: '.cart-item-backorder-message, .cart-item-option-stock',
  },
  cartPreview: {
    container: '#cart-preview-dropdown, [data-cart-preview-dropdown]',
    item: '.previewCartItem',
    link: '.previewCartItem-name a',
    message: [
      { selector: '.previewCartItem-price', where: 'afterend' },
      { selector: '.previewCartItem-content', where: 'beforeend' },
    ],
  },
};
