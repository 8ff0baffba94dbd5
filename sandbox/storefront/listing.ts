/**
 * Listing pages (home, category, brand, search) with Cornerstone's product cards (components/products/card.html,
 * stencil §3): `article.card[data-entity-id][data-test="card-{id}"]`, the quick view button
 * `button.quickview[data-product-id]`, and the card's add-to-cart / choose-options / out-of-stock link.
 */
import type { Product } from '../model.ts';
import { isSimple, type StoreContext } from '../store-context.ts';
import { html, type Html } from './html.ts';
import { priceData, productAttributesData } from './product-attributes.ts';
import { priceMarkup } from './product-view.ts';
import { categoryNames } from './rest-views.ts';

/** Cornerstone's default `products_per_page`. */
export const PER_PAGE = 12;

/** Whether a listing shows the product: visible, and not hidden by the store's out-of-stock setting (ref §4.6). */
export function listed(store: StoreContext, product: Product): boolean {
  if (!product.is_visible) return false;
  if (store.state.settings.product_out_of_stock_behavior === 'do_nothing') return true;
  return productAttributesData(store.state.settings, product, new Map()).instock === true;
}

function cardAction(store: StoreContext, product: Product): Html {
  const data = productAttributesData(store.state.settings, product, new Map());
  const classes = 'button button--small card-figcaption-button';
  if (data.instock !== true) {
    return html`<a href="${product.custom_url}" data-event-type="product-click" class="${classes}" data-product-id="${product.id}">${data.out_of_stock_message}</a>`;
  }
  if (!isSimple(product)) {
    return html`<a href="${product.custom_url}" data-event-type="product-click" class="${classes}" data-product-id="${product.id}">Choose Options</a>`;
  }
  if (data.purchasable !== true) return html``;
  const label = product.availability === 'preorder' ? 'Pre-Order Now' : 'Add to Cart';
  return html`<a href="/cart.php?action=add&amp;product_id=${product.id}" data-event-type="product-click" data-button-type="add-cart" class="${classes}">${label}</a>`;
}

/** One product card. */
export function cardMarkup(store: StoreContext, product: Product, position: number): Html {
  const brand = store.state.brands.find((b) => b.id === product.brand_id)?.name ?? '';
  const price = priceData(product, undefined);
  return html`<article class="card" data-test="card-${product.id}" data-event-type="list" data-entity-id="${product.id}" data-position="${position}" data-name="${product.name}" data-product-category="${categoryNames(store, product).join(', ')}" data-product-brand="${brand}" data-product-price="${(price.without_tax as { value: number }).value}">
  <figure class="card-figure">
    <a href="${product.custom_url}" class="card-figure__link" aria-label="${product.name}" data-event-type="product-click">
      <div class="card-img-container"><img src="/assets/img/product.svg" alt="${product.name}" class="card-image"></div>
    </a>
    <figcaption class="card-figcaption">
      <div class="card-figcaption-body">
        <button type="button" class="button button--small card-figcaption-button quickview" data-event-type="product-click" data-product-id="${product.id}">Quick view</button>
        ${cardAction(store, product)}
      </div>
    </figcaption>
  </figure>
  <div class="card-body">
    <p class="card-text" data-test-info-type="brandName">${brand}</p>
    <h3 class="card-title"><a aria-label="${product.name}" href="${product.custom_url}" data-event-type="product-click">${product.name}</a></h3>
    <div class="card-text" data-test-info-type="price">${priceMarkup(price)}</div>
    <div data-content-region="product_item_below_price"></div>
  </div>
</article>`;
}

/** Cornerstone's default `productpage_related_products_count`. */
const RELATED_LIMIT = 10;

/**
 * products/tabs.html with the Related Products carousel (carousel.html: `section.productCarousel` of
 * `[data-product-slide]` cards). BigCommerce picks related products itself (`related_products: [-1]`); the
 * sandbox takes the visible products that share a category below the root, in id order.
 */
export function relatedProductsMarkup(store: StoreContext, product: Product): Html {
  const categories = new Set(product.categories.filter((id) => store.state.categories.find((c) => c.id === id)?.parent_id !== 0));
  const related = store.state.products
    .filter((p) => p.id !== product.id && listed(store, p) && p.categories.some((id) => categories.has(id)))
    .sort((a, b) => a.id - b.id)
    .slice(0, RELATED_LIMIT);
  if (related.length === 0) return html``;
  return html`<ul class="tabs" data-tab role="tablist">
  <li class="tab is-active" role="presentation"><a class="tab-title" href="#tab-related" role="tab" tabindex="0" aria-selected="true" controls="tab-related">Related Products</a></li>
</ul>
<div class="tabs-contents">
  <div role="tabpanel" aria-hidden="false" class="tab-content has-jsContent is-active" id="tab-related">
    <section class="productCarousel" data-list-name="Related Products">
      ${related.map((p, i) => html`<div data-product-slide class="productCarousel-slide">${cardMarkup(store, p, i + 1)}</div>`)}
    </section>
  </div>
</div>`;
}

/** A page of products as `ul.productGrid`, with Cornerstone's pagination links. */
export function productGrid(store: StoreContext, products: Product[], page: number, link: (page: number) => string): Html {
  const pages = Math.max(1, Math.ceil(products.length / PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = products.slice((current - 1) * PER_PAGE, current * PER_PAGE);
  if (shown.length === 0) return html`<p data-no-products-notification>There are no products listed under this category.</p>`;
  return html`<ul class="productGrid">
  ${shown.map((product, i) => html`<li class="product">${cardMarkup(store, product, (current - 1) * PER_PAGE + i + 1)}</li>`)}
</ul>
${
  pages > 1
    ? html`<nav class="pagination" aria-label="pagination"><ul class="pagination-list">
  ${current > 1 ? html`<li class="pagination-item pagination-item--previous"><a class="pagination-link" href="${link(current - 1)}">Previous</a></li>` : ''}
  ${Array.from({ length: pages }, (_, i) => i + 1).map((n) => html`<li class="pagination-item${n === current ? ' pagination-item--current' : ''}"><a class="pagination-link" href="${link(n)}">${n}</a></li>`)}
  ${current < pages ? html`<li class="pagination-item pagination-item--next"><a class="pagination-link" href="${link(current + 1)}">Next</a></li>` : ''}
</ul></nav>`
    : ''
}`;
}
