import { expect } from '@open-wc/testing';
import { startProductViews } from '../../storefront/src/lib/product-page.ts';
import { checkoutProfile } from '../../storefront/src/theme-profiles/checkout.ts';
import { checkoutButtonsFor } from '../../storefront/src/theme-profiles/checkout-buttons.ts';
import { cornerstone } from '../../storefront/src/contract/theme-profiles/cornerstone.ts';
import { PROFILE_NAMES, profileFor } from '../../storefront/src/theme-profiles/index.ts';
import type { ThemeProfile } from '../../storefront/src/contract/theme-profiles/types.ts';
import { THEME_PROFILES } from '../../server/settings/storefront-settings.schema.ts';
import { answer, PRODUCT, settingsView, VARIANT } from './fixtures/answers.ts';
import { productView } from './fixtures/cornerstone.ts';
import { settle, setUpPage, shown } from './fixtures/page.ts';

/** Every selector string in a profile, wherever it sits in the data. */
function selectorsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(selectorsOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      ['name', 'basis', 'where', 'kind', 'target', 'type', 'hook'].includes(key) ? [] : selectorsOf(inner),
    );
  }
  return [];
}

describe('theme profiles', () => {
  const named = () => Promise.all(PROFILE_NAMES.map((name) => profileFor(settingsView({ themeProfile: name }))));

  it('when the settings name a profile, then every profile the settings allow resolves, custom included', async () => {
    for (const name of THEME_PROFILES) expect((await profileFor(settingsView({ themeProfile: name }))).name).to.equal(name);
  });

  it('when profiles are read, then every selector is valid CSS (so no lookup can throw on a shopper’s page)', async () => {
    for (const profile of [...(await named()), checkoutProfile, ...PROFILE_NAMES.map(checkoutButtonsFor)]) {
      for (const selector of selectorsOf(profile).filter((s) => s && !s.startsWith('data-') && !/^(stencilUtils|themeStencilUtils)$/.test(s))) {
        expect(() => document.querySelector(selector), `${(profile as ThemeProfile).name ?? 'checkout'}: ${selector}`).not.to.throw();
      }
    }
  });

  it('when profiles come from public references rather than theme source, then they say so', async () => {
    const basis = Object.fromEntries((await named()).map((profile) => [profile.name, profile.basis]));
    expect(basis).to.deep.equal({
      cornerstone: 'theme-source',
      'cornerstone-legacy': 'theme-source',
      halothemes: 'public-references',
      'pixel-union': 'public-references',
      papathemes: 'public-references',
    });
  });

  it('when the store gives custom selectors, then they lay over Cornerstone’s; a bad one is ignored with a warning', async () => {
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      const profile = await profileFor(
        settingsView({ themeProfile: 'custom', customSelectors: { productView: '.product-main', card: 'li.tile', addToCartButton: 'button[[' } }),
      );
      expect(profile.product.view).to.equal('.product-main');
      expect(profile.listing.card).to.equal('li.tile');
      expect(profile.product.addToCart).to.equal(cornerstone.product.addToCart);
      expect(profile.product.form).to.equal(cornerstone.product.form);
      expect(warnings.join()).to.contain('button[[');
    } finally {
      console.warn = warn;
    }
  });
});

describe('theme families on the product page', () => {
  const pixelUnion = `<div class="product-details" data-product-container>
      <div data-product-price-wrapper="without-tax">$25.00</div>
      <form data-product-form data-cart-item-add action="/cart.php" method="post">
        <input type="hidden" name="product_id" value="${PRODUCT.backorder}">
        <div data-product-quantity><input data-product-quantity-input name="qty[]" value="1"></div>
        <button class="add-to-cart button" data-button-purchase type="submit"><span data-button-text>Add to Cart</span></button>
      </form>
    </div>`;

  it('when a Pixel Union theme is used, then its label element, price and button anchors are used and no modal is awaited', async () => {
    const test = await setUpPage(pixelUnion, answer({ themeProfile: 'pixel-union' }));
    const product = startProductViews(test.page, test.ask);
    await settle();
    try {
      expect(test.container.querySelector('[data-button-text]')!.textContent).to.equal('Backorder');
      expect(test.container.querySelector('[data-product-price-wrapper]')!.nextElementSibling!.localName).to.equal('bo-inventory-description');
      const input = test.container.querySelector<HTMLInputElement>('[data-product-quantity-input]')!;
      input.value = '2';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
      test.container.querySelector('form')!.addEventListener('submit', (event) => event.preventDefault());
      test.container.querySelector('form')!.requestSubmit();
      await settle();
      expect(shown(test.container.querySelector('bo-add-to-cart-message'))).to.equal('2 of the 2 added to your cart will be backordered.');
    } finally {
      product.stop();
      test.remove();
    }
  });

  it('when a HaloThemes page has a buy-it-now and a sticky add-to-cart button, then all of them get the backorder label', async () => {
    const markup = productView({ productId: PRODUCT.backorder }).replace(
      '<span class="product-status-message',
      '<input id="form-action-buyItNow" class="button button--buyItNow" type="submit" value="Buy It Now"><span class="product-status-message',
    );
    const sticky = `<div class="halo-sticky-add-to-cart"><form><button type="submit">Add to Cart</button></form></div>`;
    const test = await setUpPage(markup + sticky, answer({ themeProfile: 'halothemes' }));
    const product = startProductViews(test.page, test.ask);
    await settle();
    try {
      expect(test.container.querySelector<HTMLInputElement>('#form-action-buyItNow')!.value).to.equal('Backorder');
      expect(test.container.querySelector('.halo-sticky-add-to-cart button')!.textContent).to.equal('Backorder');
    } finally {
      product.stop();
      test.remove();
    }
  });

  it('when a PapaThemes store exposes stencil-utils, then its option-change hook sets the variant', async () => {
    const handlers: Record<string, (payload: unknown) => void> = {};
    const win = window as unknown as { stencilUtils?: unknown };
    win.stencilUtils = { hooks: { on: (name: string, cb: (payload: unknown) => void) => (handlers[name] = cb) } };
    const test = await setUpPage(productView({ productId: PRODUCT.variants }), answer({ themeProfile: 'papathemes' }));
    const product = startProductViews(test.page, test.ask);
    await settle();
    try {
      handlers['product-options-change-remote']!({ err: null, response: { data: { v3_variant_id: VARIANT.medium, purchasable: true } } });
      await settle();
      expect(shown(test.container.querySelector('bo-inventory-description'))).to.match(/^Out of stock/);
    } finally {
      product.stop();
      test.remove();
      delete win.stencilUtils;
    }
  });
});
