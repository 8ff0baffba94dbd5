/**
 * The Stencil partials in theme-snippets/, rendered with their context (a tiny stand-in for Handlebars:
 * comments dropped, `{{path}}` looked up) and placed where the README says: the loader's controllers use
 * them instead of placing their own, and read the ids they carry.
 */
import { expect } from '@open-wc/testing';
import { startCardBadges } from '../../storefront/src/lib/card-badges.ts';
import { startCartPage } from '../../storefront/src/lib/cart-page.ts';
import { startProductViews } from '../../storefront/src/lib/product-page.ts';
import { answer, PRODUCT, VARIANT } from './fixtures/answers.ts';
import { card, cartPage, productView } from './fixtures/cornerstone.ts';
import { settle, setUpPage, shown } from './fixtures/page.ts';

async function partial(name: string, context: Record<string, unknown>): Promise<string> {
  const response = await fetch(`/theme-snippets/components/backorder/${name}.html`);
  expect(response.ok, name).to.equal(true);
  const lookup = (path: string) => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], context);
  return (await response.text()).replace(/\{\{!--[\s\S]*?--\}\}/g, '').replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => String(lookup(path) ?? ''));
}

describe('theme snippets', () => {
  it('when product-backorder is included in the product view, then its elements are used and none is placed twice', async () => {
    const snippet = await partial('product-backorder', { product: { id: PRODUCT.backorder } });
    const markup = productView({ productId: PRODUCT.backorder }).replace('</form>', `</form>${snippet}`);
    const test = await setUpPage(markup, answer());
    const product = startProductViews(test.page, test.ask);
    await settle();
    try {
      for (const tag of ['bo-inventory-description', 'bo-quantity-message', 'bo-add-to-cart-message', 'bo-shipping-description']) {
        expect(test.container.querySelectorAll(tag).length, tag).to.equal(1);
        expect(test.container.querySelector(`.backorder-product ${tag}`), tag).to.exist;
      }
      expect(shown(test.container.querySelector('bo-inventory-description'))).to.match(/^Out of stock/);
      expect(shown(test.container.querySelector('bo-quantity-message'))).to.equal('1 of 1 will be backordered.');
    } finally {
      product.stop();
      test.remove();
    }
  });

  it('when cart-line-message is in every cart row, then the lines are known from it without a cart lookup', async () => {
    const rows = [
      { id: 'line-a', product_id: PRODUCT.variants, variant_id: VARIANT.medium, quantity: 3 },
      { id: 'line-b', product_id: PRODUCT.inStock, variant_id: 0, quantity: 1 },
    ];
    const markup = cartPage(
      await Promise.all(
        rows.map(async (row) => ({
          id: row.id,
          productId: row.product_id,
          name: 'Item',
          quantity: row.quantity,
          snippet: await partial('cart-line-message', row),
        })),
      ),
    );
    const test = await setUpPage(markup, answer({ backInStockDate: { show: false } }));
    let reads = 0;
    const stop = startCartPage(test.page, [], test.ask, async () => (reads++, []));
    await settle();
    try {
      expect(test.container.querySelectorAll('bo-cart-line-message')).to.have.length(2);
      expect([...test.container.querySelectorAll('bo-cart-line-message')].map(shown)).to.deep.equal(['3 of 3 will be backordered.', '']);
      expect(reads).to.equal(0);
    } finally {
      stop();
      test.remove();
    }
  });

  it('when card-badge is in the card, then the badge it renders is the one filled', async () => {
    const snippet = await partial('card-badge', { id: PRODUCT.backorder });
    const test = await setUpPage(card(PRODUCT.backorder).replace('</article>', `${snippet}</article>`), answer());
    const stop = startCardBadges(test.page, test.ask);
    await settle();
    try {
      expect(test.container.querySelectorAll('bo-card-badge')).to.have.length(1);
      expect(test.container.querySelector('bo-card-badge')!.shadowRoot!.textContent!.trim()).to.equal('Backorder');
    } finally {
      stop();
      test.remove();
    }
  });
});
