/**
 * Page frames. Storefront pages follow Cornerstone's layout/base.html (stencil §5): `BCData` and the head
 * scripts in `<head>`; the header with the cart link `[data-cart-preview]` and its dropdown; the generic
 * `#modal` and `#alert-modal`; the theme bundle loaded `async defer` whose onload calls
 * `window.stencilBootstrap(pageType, jsContext).load()`; then the footer scripts. Checkout and order
 * confirmation follow pages/checkout.html and order-confirmation.html (layout/empty, stencil §6.1): no theme JS,
 * `checkout_head` with BCData, the checkout app's container, and the head/footer scripts.
 */
import type { StoreContext } from '../store-context.ts';
import { html, scriptJson, type Html } from './html.ts';
import { scriptTags, type PageKind } from './script-tags.ts';

export interface PageFrame {
  store: StoreContext;
  origin: string;
  title: string;
  /** Stencil `page_type` (`default`, `category`, `product`, `cart`, …) and template (`pages/product`). */
  pageType: string;
  template: string;
  cartId: string | null;
  cartQuantity: number;
  csrfToken: string;
  /** Extra `BCData` keys (`product_attributes` on product pages). */
  bcData?: Record<string, unknown>;
  /** Extra jsContext keys (`{{inject}}` calls of the page's templates). */
  jsContext?: Record<string, unknown>;
  /** Extra Handlebars context for inline scripts (`product`, `checkout`). */
  context?: Record<string, unknown>;
  body: Html;
}

/** The Handlebars context inline Script Manager scripts see (stencil §5.3, the keys scripts commonly use). */
function handlebarsContext(frame: PageFrame): Record<string, unknown> {
  return {
    page_type: frame.pageType,
    template: frame.template,
    cart_id: frame.cartId ?? '',
    store_hash: frame.store.state.hash,
    settings: {
      store_name: frame.store.state.name,
      base_url: frame.origin,
      secure_base_url: frame.origin,
      storefront_api: { token: '' },
    },
    currency_selector: { active_currency_code: 'USD' },
    customer: null,
    ...frame.context,
  };
}

function scripts(frame: PageFrame, page: PageKind, location: 'head' | 'footer'): Html {
  return scriptTags(frame.store.state.scripts, page, location, handlebarsContext(frame));
}

function bcData(frame: PageFrame): Html {
  return html`<script>var BCData = ${scriptJson({ csrf_token: frame.csrfToken, ...frame.bcData })};</script>`;
}

function header(frame: PageFrame): Html {
  const categories = frame.store.state.categories.filter((c) => c.is_visible && c.parent_id !== 0).sort((a, b) => a.sort_order - b.sort_order);
  const quantity = frame.cartQuantity;
  return html`<header class="header" role="banner">
  <div class="header-logo header-logo--center"><a href="/" class="header-logo__link"><span class="header-logo-text">${frame.store.state.name}</span></a></div>
  <nav class="navUser">
    <ul class="navUser-section navUser-section--alt">
      <li class="navUser-item">
        <form class="form navUser-search" action="/search.php" role="search"><label class="is-srOnly" for="search_query">Search</label><input class="form-input" id="search_query" name="search_query" placeholder="Search the store"></form>
      </li>
      <li class="navUser-item navUser-item--cart">
        <a class="navUser-action" data-cart-preview data-dropdown="cart-preview-dropdown" data-options="align:right" href="/cart.php" aria-label="Cart with ${quantity} items">
          <span class="navUser-item-cartLabel">Cart</span> <span class="countPill cart-quantity${quantity > 0 ? ' countPill--positive' : ''}">${quantity}</span>
        </a>
        <div class="dropdown-menu" id="cart-preview-dropdown" data-dropdown-content aria-hidden="true"></div>
      </li>
    </ul>
  </nav>
  <div class="navPages-container" id="menu" data-menu>
    <nav class="navPages"><ul class="navPages-list">
      ${categories.map((c) => html`<li class="navPages-item"><a class="navPages-action" href="${c.custom_url}">${c.name}</a></li>`)}
      <li class="navPages-item"><a class="navPages-action" href="/brands/">Brands</a></li>
    </ul></nav>
  </div>
</header>`;
}

const MODALS = html`<div id="modal" class="modal" data-reveal data-prevent-quick-search-close>
  <button class="modal-close" type="button" title="Close" data-reveal-close><span class="aria-description--hidden">Close</span><span aria-hidden="true">&#215;</span></button>
  <div id="modal-content" class="modal-content"></div>
  <div class="loadingOverlay"></div>
</div>
<div id="alert-modal" class="modal modal--alert modal--small" data-reveal data-prevent-quick-search-close>
  <div class="alert-icon error-icon"><span class="icon-content" aria-hidden="true">!</span></div>
  <div class="modal-content"></div>
  <div class="button-container"><button type="button" class="confirm button" data-reveal-close>OK</button></div>
</div>`;

/** A storefront page (every page but checkout and order confirmation). */
export function storefrontPage(frame: PageFrame): string {
  const context = {
    urls: { home: '/', cart: '/cart.php', checkout: { single_address: '/checkout' }, search: '/search.php', brands: '/brands/' },
    secureBaseUrl: frame.origin,
    cartId: frame.cartId,
    template: frame.template,
    genericError: 'Oops! Something went wrong.',
    ...frame.jsContext,
  };
  // `{{jsContext}}` is a JSON string literal of the JSON (stencil §5.1).
  const bootstrap = scriptJson(JSON.stringify(context));
  return html`<!DOCTYPE html>
<html class="no-js" lang="en">
<head>
  <meta charset="utf-8">
  <title>${frame.title} - ${frame.store.state.name}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link href="/assets/theme.css" rel="stylesheet">
  ${bcData(frame)}
  ${scripts(frame, 'storefront', 'head')}
</head>
<body class="page-type-${frame.pageType}">
  <a href="#main-content" class="skip-to-main-link">Skip to main content</a>
  ${header(frame)}
  <main class="body" id="main-content" role="main" data-currency-code="USD">
    <div class="container">${frame.body}</div>
  </main>
  <footer class="footer" role="contentinfo"><div class="container"><p class="footer-info-heading">${frame.store.state.name} — a BigCommerce sandbox storefront</p></div></footer>
  ${MODALS}
  <script>
    function onThemeBundleMain() {
      window.stencilBootstrap(${scriptJson(frame.pageType)}, ${bootstrap}).load();
    }
  </script>
  <script async defer src="/assets/theme-bundle.main.js" onload="onThemeBundleMain()"></script>
  ${scripts(frame, 'storefront', 'footer')}
</body>
</html>`.value;
}

/** The checkout or order confirmation page; `content` is `checkout_content` / `order_confirmation_content`. */
export function checkoutPage(frame: PageFrame, page: Exclude<PageKind, 'storefront'>): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${frame.title} - ${frame.store.state.name}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  ${bcData(frame)}
  <link href="/assets/theme.css" rel="stylesheet">
  ${scripts(frame, page, 'head')}
</head>
<body class="page-type-${frame.pageType}">
  <header class="checkoutHeader optimizedCheckout-header">
    <div class="checkoutHeader-content">
      <h1 class="is-srOnly">${frame.title}</h1>
      <h2 class="checkoutHeader-heading"><a class="checkoutHeader-link" href="/"><span class="header-logo-text">${frame.store.state.name}</span></a></h2>
    </div>
  </header>
  ${frame.body}
  ${scripts(frame, page, 'footer')}
</body>
</html>`.value;
}
