/**
 * The product view as Cornerstone 6.21 renders it (components/products/product-view.html, add-to-cart.html,
 * price.html, options/*.html; stencil §1.2): the same markup on the product page and inside quick view, ending
 * with the `#previewModal` the AJAX add fills. Anchors (classes, data attributes, ids) follow the reference.
 */
import type { Product, ProductOption } from '../model.ts';
import type { StoreContext } from '../store-context.ts';
import { html, type Html } from './html.ts';
import { formatMoney } from './money.ts';
import { productAttributesData } from './product-attributes.ts';
import { categoryNames } from './rest-views.ts';

type Data = Record<string, unknown>;
type Price = { formatted: string; value: number } | undefined;

/** The product page's view of a product: the default selection's `data` and the Stencil `product` flags. */
export interface ProductContext {
  product: Product;
  brand: string;
  brandUrl: string | undefined;
  categories: string[];
  /** `data` of the default selection (nothing chosen): what `BCData.product_attributes` carries. */
  data: Data;
  /** Stencil `product.can_purchase`: the wrapper starts hidden otherwise (stencil §1.3). */
  canPurchase: boolean;
  /** Stencil `product.out_of_stock` (the default selection is out of stock). */
  outOfStock: boolean;
  preOrder: boolean;
  releaseDate: string | null;
}

export function productContext(store: StoreContext, product: Product): ProductContext {
  const data = productAttributesData(store.state.settings, product, new Map());
  const brand = store.state.brands.find((b) => b.id === product.brand_id);
  const preOrder = product.availability === 'preorder';
  const release =
    product.preorder_release_date === null
      ? null
      : new Date(product.preorder_release_date).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  return {
    product,
    brand: brand?.name ?? '',
    brandUrl: brand?.custom_url,
    categories: categoryNames(store, product),
    data,
    canPurchase: data.purchasable === true && data.instock === true,
    outOfStock: data.instock !== true,
    preOrder,
    releaseDate: preOrder && release ? (product.preorder_message || 'Expected release date is %%DATE%%').replace('%%DATE%%', release) : null,
  };
}

/** price.html without tax: the price, the price it replaces on sale, the retail price and the saving. */
export function priceMarkup(price: Data): Html {
  const now = price.without_tax as Price;
  const nonSale = price.non_sale_price_without_tax as Price;
  const rrp = price.rrp_without_tax as Price;
  const saved = price.saved as Price;
  const hidden = (shown: unknown) => (shown ? '' : 'display: none;');
  return html`<div class="price-section price-section--withoutTax rrp-price--withoutTax" style="${hidden(rrp)}">MSRP: <span data-product-rrp-price-without-tax class="price price--rrp">${rrp?.formatted}</span></div>
<div class="price-section price-section--withoutTax non-sale-price--withoutTax" style="${hidden(nonSale)}">Was: <span data-product-non-sale-price-without-tax class="price price--non-sale">${nonSale?.formatted}</span></div>
<div class="price-section price-section--withoutTax"><span class="price-label" style="${hidden(!nonSale)}">Price:</span><span class="price-now-label" style="${hidden(nonSale)}">Now:</span>
<span data-product-price-without-tax class="price price--withoutTax">${now?.formatted}</span></div>
<div class="price-section price-section--saving price" style="${hidden(saved)}"><span class="price">(You save </span><span data-product-price-saved class="price price--saving">${saved?.formatted}</span><span class="price">)</span></div>`;
}

const REQUIRED = html`<small>Required</small>`;

/** One option partial (options/set-select, set-radio, set-rectangle, swatch.html). */
function optionMarkup(option: ProductOption): Html {
  const values = [...option.values].sort((a, b) => a.sort_order - b.sort_order);
  if (option.type === 'dropdown') {
    return html`<div class="form-field" data-product-attribute="set-select">
  <label class="form-label form-label--alternate form-label--inlineSmall" for="attribute_select_${option.id}">${option.display_name}: ${REQUIRED}</label>
  <select class="form-select form-select--small" name="attribute[${option.id}]" id="attribute_select_${option.id}" required>
    <option value="">Choose Options</option>
    ${values.map((v) => html`<option data-product-attribute-value="${v.id}" value="${v.id}">${v.label}</option>`)}
  </select>
</div>`;
  }
  const kind = option.type === 'radio_buttons' ? 'set-radio' : option.type === 'swatch' ? 'swatch' : 'set-rectangle';
  const labelId = `${kind}-label-${option.id}`;
  const choices = values.map((v) => {
    const id = `attribute_${kind === 'set-radio' ? 'radio' : kind === 'swatch' ? 'swatch' : 'rectangle'}_${option.id}_${v.id}`;
    const input = html`<input class="form-radio" type="radio" id="${id}" name="attribute[${option.id}]" value="${v.id}" required data-state="false">`;
    if (kind === 'set-radio') return html`${input}<label data-product-attribute-value="${v.id}" class="form-label" for="${id}">${v.label}</label>`;
    if (kind === 'swatch') {
      return html`${input}<label class="form-option form-option-swatch" for="${id}" data-product-attribute-value="${v.id}">
  <span class="form-option-variant form-option-variant--color" title="${v.label}" style="background-color: ${v.colors?.[0] ?? '#ccc'}"></span>
  <span class="form-option-expanded"><span class="form-option-variant form-option-variant--color" style="background-color: ${v.colors?.[0] ?? '#ccc'}"></span></span>
</label>`;
    }
    return html`${input}<label class="form-option" for="${id}" data-product-attribute-value="${v.id}"><span class="form-option-variant">${v.label}</span></label>`;
  });
  return html`<div class="form-field" data-product-attribute="${kind}" role="radiogroup" aria-labelledby="${labelId}">
  <label class="form-label form-label--alternate form-label--inlineSmall" id="${labelId}">${option.display_name}: <span data-option-value></span> ${REQUIRED}</label>
  ${choices}
</div>`;
}

/** add-to-cart.html: wrapper (hidden unless `can_purchase`), sold-out alert, quantity, message box, button. */
function addToCartMarkup(pc: ProductContext): Html {
  const { product, data } = pc;
  const soldOut = pc.outOfStock && !(typeof data.available_to_sell === 'number' && data.available_to_sell > 0);
  const quantityLabel = `Quantity of ${product.name}`;
  return html`<div id="add-to-cart-wrapper" class="add-to-cart-wrapper"${pc.canPurchase ? '' : html` style="display: none"`}>
  ${
    soldOut
      ? html`<div class="alertBox alertBox--error">
    <div class="alertBox-column alertBox-icon"><span class="icon" aria-hidden="true">!</span></div>
    <p class="alertBox-column alertBox-message"><span id="alertBox-message-text">${data.out_of_stock_message ?? 'Sold Out'}</span></p>
  </div>`
      : ''
  }
  <div class="form-field form-field--increments">
    <label class="form-label form-label--alternate" for="qty[]">Quantity:</label>
    <div class="form-increment" data-quantity-change>
      <button class="button button--icon" data-action="dec" type="button"><span class="is-srOnly">Decrease ${quantityLabel}</span><span aria-hidden="true">&minus;</span></button>
      <input class="form-input form-input--incrementTotal" id="qty[]" name="qty[]" type="tel" value="${product.order_quantity_minimum || 1}" data-quantity-min="${product.order_quantity_minimum}" data-quantity-max="${product.order_quantity_maximum}" min="1" pattern="[0-9]*" aria-live="polite">
      <button class="button button--icon" data-action="inc" type="button"><span class="is-srOnly">Increase ${quantityLabel}</span><span aria-hidden="true">+</span></button>
    </div>
  </div>
  <div class="alertBox alertBox--error productAttributes-message" style="display:none">
    <div class="alertBox-column alertBox-icon"><span class="icon" aria-hidden="true">!</span></div>
    <p class="alertBox-column alertBox-message"></p>
  </div>
  <div class="add-to-cart-buttons${pc.preOrder ? ' pre-order-buttons' : ''}">
    <div class="form-action">
      <input id="form-action-addToCart" data-wait-message="Adding to cart…" class="button button--primary" type="submit" value="${pc.preOrder ? 'Pre-Order Now' : 'Add to Cart'}">
      <span class="product-status-message aria-description--hidden">Adding to cart… The item has been added</span>
    </div>
    <div class="add-to-cart-wallet-buttons" data-add-to-cart-wallet-buttons></div>
  </div>
</div>`;
}

/** The stock block (stencil §1.2): hidden visually unless the store shows a level; native backorder anchors. */
function stockMarkup(data: Data): Html {
  const shown = typeof data.stock === 'number';
  return html`<div class="form-field form-field--stock${shown ? '' : ' u-hiddenVisually'}">
  <label class="form-label form-label--alternate">
    <span class="productView-stock-message"><span data-product-stock>${shown ? data.stock : ''}</span> in stock</span>
    <span class="productView-backorder-availability-prompt" data-backorder-prompt style="display: none;"></span>
  </label>
  <p class="form-label form-label--alternate" data-product-backordered style="display: none;"><span data-qty-backordered-message></span> <span data-backorder-message></span></p>
  <ul class="productView-picklist-backorder" data-picklist-backorder-list style="display: none;"></ul>
</div>`;
}

/** components/products/product-view.html, then the `#previewModal` it ends with. */
export function productViewMarkup(pc: ProductContext): Html {
  const { product, data } = pc;
  const price = data.price as Data;
  const sku = data.sku as string;
  return html`<div class="productView" data-event-type="product" data-entity-id="${product.id}" data-name="${product.name}" data-product-category="${pc.categories.join(', ')}" data-product-brand="${pc.brand}" data-product-price="${(price.without_tax as { value: number }).value}" data-product-variant="single-product-option">
  <section class="productView-images" data-image-gallery>
    <figure class="productView-image" data-image-gallery-main>
      <div class="productView-img-container"><img class="productView-image--default" data-main-image src="/assets/img/product.svg" alt="${product.name}"></div>
    </figure>
  </section>
  <section class="productView-details product-data">
    <div class="productView-product">
      <h1 class="productView-title">${product.name}</h1>
      ${pc.brand ? html`<h2 class="productView-brand"><a href="${pc.brandUrl}"><span>${pc.brand}</span></a></h2>` : ''}
      <div class="productView-price">${priceMarkup(price)}</div>
      <div data-content-region="product_below_price"></div>
      <dl class="productView-info">
        <dt class="productView-info-name sku-label"${sku ? '' : html` style="display: none;"`}>SKU:</dt>
        <dd class="productView-info-value" data-product-sku>${sku}</dd>
        <dt class="productView-info-name upc-label" style="display: none;">UPC:</dt>
        <dd class="productView-info-value" data-product-upc></dd>
        <dt class="productView-info-name">Weight:</dt>
        <dd class="productView-info-value" data-product-weight>${(data.weight as { formatted: string }).formatted}</dd>
        <div class="productView-info-bulkPricing"></div>
      </dl>
    </div>
  </section>
  <section class="productView-details product-options">
    <div class="productView-options">
      ${pc.releaseDate ? html`<p>${pc.releaseDate}</p>` : ''}
      <form class="form" method="post" action="/cart.php" enctype="multipart/form-data" data-cart-item-add>
        <input type="hidden" name="action" value="add">
        <input type="hidden" name="product_id" value="${product.id}">
        <div data-product-option-change style="display:none;">
          ${product.options.map(optionMarkup)}
        </div>
        ${stockMarkup(data)}
        ${addToCartMarkup(pc)}
      </form>
    </div>
  </section>
  <article class="productView-description">
    <h2 class="productView-description-heading">Description</h2>
    <div class="productView-description-tabContent">${pc.product.description.replace(/<[^>]*>/g, '')}</div>
  </article>
</div>
<div id="previewModal" class="modal modal--large" data-reveal>
  <button class="modal-close" type="button" title="Close" data-reveal-close><span class="aria-description--hidden">Close</span><span aria-hidden="true">&#215;</span></button>
  <div class="modal-content" role="dialog" aria-modal="true" aria-labelledby="modal-header-title"></div>
  <div class="loadingOverlay"></div>
</div>`;
}

/** products/quick-view.html: the product view inside `.modal-body.quickView` (no jsContext, no BCData). */
export function quickViewMarkup(pc: ProductContext): Html {
  return html`<div class="modal-body quickView">${productViewMarkup(pc)}</div>`;
}

/** products/bulk-discount-rates.html: the sandbox has no bulk pricing rules, so it is empty. */
export function bulkDiscountRatesMarkup(): Html {
  return html``;
}

/** `qty × price` for previews. */
export function quantityTimesPrice(quantity: number, price: number): string {
  return `${quantity} × ${formatMoney(price)}`;
}
