/**
 * The built checkout script (storefront/dist/checkout.js, with checkout-sdk inside) on a checkout and an
 * order-confirmation page, its requests answered by the test server's stub (checkout-sdk uses XHR).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { answer, PRODUCT, VARIANT } from './fixtures/answers.ts';
import { checkoutSummary } from './fixtures/cornerstone.ts';
import { checkout, checkoutSettings, formFields, order, type FixtureLine } from './fixtures/storefront-api.ts';

const lines: FixtureLine[] = [
  { id: 'l1', productId: PRODUCT.inStock, variantId: 1, quantity: 5, name: 'Cast iron pan' },
  { id: 'l2', productId: PRODUCT.variants, variantId: VARIANT.medium, quantity: 2, name: 'Apron', options: [{ name: 'Size', value: 'M' }] },
];

async function reply(path: string, body: unknown) {
  await fetch('/__stub__/reply', { method: 'PUT', body: JSON.stringify({ path, body }) });
}
async function calls(): Promise<string[]> {
  return (await fetch('/__stub__/calls')).json();
}
function runScript(query: string): HTMLScriptElement {
  (window as unknown as { __backorderCheckout?: boolean }).__backorderCheckout = undefined;
  const script = document.createElement('script');
  script.src = `${location.origin}/storefront/dist/checkout.js?store=abc123${query}`;
  document.body.append(script);
  return script;
}
const lineTexts = (notice: Element) => [...notice.shadowRoot!.querySelectorAll('[part="line"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

describe('checkout script (built, with checkout-sdk)', () => {
  let page: HTMLElement;
  /** The notice, once it shows its lines (it is placed empty, then filled). */
  const noticeShown = () => page.querySelector('bo-checkout-notice')?.shadowRoot?.querySelector('[part="heading"]');

  before(async () => {
    await fetch('/__stub__/reset', { method: 'POST' });
    await reply('/api/storefront/checkout-settings', checkoutSettings('cart-7'));
    await reply('/api/storefront/form-fields', formFields);
    await reply('/api/storefront/checkout/cart-7', checkout('cart-7', lines));
    await reply('/api/storefront/orders/900', order(900, 'cart-7', lines));
    await reply('/storefront-api/v1/stores/abc123/availability', answer({ locale: 'en-US', backInStockDate: { show: false } }));
  });
  beforeEach(() => {
    page = document.createElement('div');
    page.innerHTML = `<header class="checkoutHeader"></header><div id="checkout-app">${checkoutSummary(lines)}</div>`;
    document.body.append(page);
  });
  afterEach(() => page.remove());

  it('when the checkout page loads, then checkout-sdk reads the current checkout and the notice lists the backordered items, a variant by its options', async () => {
    const script = runScript('');
    await waitUntil(noticeShown, 'no notice', { timeout: 8000 });
    const notice = page.querySelector('bo-checkout-notice')!;
    expect(notice.nextElementSibling!.id).to.equal('checkout-app');
    expect(lineTexts(notice)).to.deep.equal(['Cast iron pan: 2 of 5 backordered.', 'Apron (M): 2 of 2 backordered.']);
    const made = await calls();
    expect(made.some((call) => call.startsWith('GET /api/storefront/checkout-settings'))).to.equal(true);
    expect(made.some((call) => call.startsWith('GET /api/storefront/checkout/cart-7?'))).to.equal(true);
    expect(made.filter((call) => call.includes('/availability?products=101,104'))).to.have.length(1);
    await expect(notice).to.be.accessible();
    script.remove();
  });

  it('when the order confirmation loads with the order id, then checkout-sdk reads the order and the notice speaks of it', async () => {
    const script = runScript('&order=900');
    await waitUntil(noticeShown, 'no notice', { timeout: 8000 });
    const notice = page.querySelector('bo-checkout-notice')!;
    expect(notice.shadowRoot!.querySelector('[part="heading"]')!.textContent).to.equal('Some items in this order are backordered');
    expect(lineTexts(notice)).to.deep.equal(['Cast iron pan: 2 of 5 backordered.', 'Apron (M): 2 of 2 backordered.']);
    expect((await calls()).some((call) => call.startsWith('GET /api/storefront/orders/900?'))).to.equal(true);
    script.remove();
  });

  it('when the confirmation script has no order id in its URL (registered by src), then it reads the order number checkout-js shows', async () => {
    sessionStorage.clear();
    await fetch('/__stub__/reset', { method: 'POST' }).then(() =>
      Promise.all([
        reply('/api/storefront/checkout-settings', checkoutSettings('cart-8')),
        reply('/api/storefront/form-fields', formFields),
        reply('/api/storefront/orders/901', order(901, 'cart-8', lines)),
        reply('/storefront-api/v1/stores/abc123/availability', answer({ locale: 'en-US', backInStockDate: { show: false } })),
      ]),
    );
    const testPage = location.href;
    history.replaceState(null, '', '/checkout/order-confirmation');
    try {
      const script = runScript('');
      setTimeout(() => {
        page
          .querySelector('#checkout-app')!
          .insertAdjacentHTML('afterbegin', '<p data-test="order-confirmation-order-number-text"><span>Your order number is <strong>901</strong></span></p>');
      }, 50);
      await waitUntil(noticeShown, 'no notice', { timeout: 8000 });
      expect(page.querySelector('bo-checkout-notice')!.shadowRoot!.querySelector('[part="heading"]')!.textContent).to.equal(
        'Some items in this order are backordered',
      );
      expect((await calls()).some((call) => call.startsWith('GET /api/storefront/orders/901?'))).to.equal(true);
      script.remove();
    } finally {
      history.replaceState(null, '', testPage);
    }
  });
});
