/**
 * The demo theme's main bundle (`theme-bundle.main.js`), shaped like Cornerstone's (stencil §5.1): it defines
 * `window.stencilBootstrap(pageType, contextJson)`, whose `load()` runs on DOM ready — the page calls it from
 * the bundle's `onload`, and the bundle loads `async defer`, so a footer Script Manager script may run first.
 * It exposes jQuery as `window.$` (as Cornerstone does, not `window.jQuery`) and keeps its stencil-utils
 * instance to itself. Global behaviour: modals, quick view, the header cart dropdown and count.
 */
import $ from 'jquery';
import utils from '@bigcommerce/stencil-utils';
import { CartPage } from './cart-page.ts';
import { bindModalClosing, modalFor } from './modal.ts';
import { ProductDetails, type ThemeContext } from './product-details.ts';

declare global {
  interface Window {
    $: typeof $;
    stencilUtils?: unknown;
    BCData?: { csrf_token?: string; product_attributes?: Record<string, unknown> };
    stencilBootstrap(pageType: string, contextJson: string): { load(): void };
  }
}

window.$ = $;
// stencil-utils' UMD footer puts itself on window outside webpack; Cornerstone's bundle does not expose it.
delete window.stencilUtils;

/** Quick view: `.quickview` buttons open `#modal` with `products/quick-view` (stencil §1.5). */
function bindQuickView(context: ThemeContext): void {
  $('body').on('click', '.quickview', (event) => {
    event.preventDefault();
    const modal = modalFor('#modal');
    if (!modal) return;
    modal.open({ size: 'large', pending: true });
    utils.api.product.getById(Number($(event.currentTarget).attr('data-product-id')), { template: 'products/quick-view' }, (err, response) => {
      if (err) return;
      modal.updateContent(response);
      modal.$content.find('.productView').addClass('productView--quickView');
      new ProductDetails(modal.$content.find('.quickView'), context);
    });
  });
}

/** The header's cart dropdown, re-rendered with `common/cart-preview` on every open (stencil §2.4). */
function bindCartPreview(context: ThemeContext): void {
  const $dropdown = $('#cart-preview-dropdown');
  const close = () => $dropdown.removeClass('is-open').attr('aria-hidden', 'true');
  $('body').on('click', '[data-cart-preview]', (event) => {
    if (/Mobi/i.test(navigator.userAgent)) return; // phones go to the cart page
    event.preventDefault();
    if ($dropdown.hasClass('is-open')) return void close();
    $dropdown.addClass('is-open is-loading').attr('aria-hidden', 'false').html('<div class="loadingOverlay"></div>');
    utils.api.cart.getContent({ template: 'common/cart-preview', baseUrl: context.secureBaseUrl }, (err, response) => {
      if (err) return;
      $dropdown.removeClass('is-loading').html(response);
    });
  });
  $(document).on('click', (event) => {
    if ($dropdown.hasClass('is-open') && !$(event.target).closest('#cart-preview-dropdown, [data-cart-preview]').length) close();
  });
}

/** The header count follows the jQuery event `cart-quantity-update` (stencil §2.4). */
function bindCartCount(): void {
  $('body').on('cart-quantity-update', (_event, quantity: number) => {
    $('.cart-quantity')
      .text(quantity)
      .toggleClass('countPill--positive', quantity > 0);
    $('[data-cart-preview]').attr('aria-label', `Cart with ${quantity} items`);
    try {
      localStorage.setItem('cart-quantity', String(quantity));
    } catch {
      // storage unavailable (private mode): the count still shows
    }
  });
}

window.stencilBootstrap = (pageType: string, contextJson: string) => ({
  load() {
    const context = JSON.parse(contextJson) as ThemeContext;
    $(() => {
      bindModalClosing();
      bindCartCount();
      bindCartPreview(context);
      bindQuickView(context);
      if (pageType === 'product') {
        new ProductDetails($('.productView').first(), context, window.BCData?.product_attributes ?? {});
      } else if (pageType === 'cart') {
        new CartPage(context);
      }
      document.documentElement.classList.remove('no-js');
      document.documentElement.classList.add('js');
      document.body.setAttribute('data-theme-ready', 'true');
    });
  },
});
