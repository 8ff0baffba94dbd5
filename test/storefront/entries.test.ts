import { expect, waitUntil } from '@open-wc/testing';
import { mount as mountCartPreview } from '../../storefront/src/entries/cart-preview.ts';
import { mount as mountListing } from '../../storefront/src/entries/listing.ts';
import { mount as mountProduct } from '../../storefront/src/entries/product.ts';
import { EMPTY_ANSWER } from '../../storefront/src/lib/api-client.ts';
import { answer, PRODUCT } from './fixtures/answers.ts';
import { card, cartPreviewContent, cartPreviewLink, productView, quickViewModal } from './fixtures/cornerstone.ts';
import { stubFetch, type FetchStub } from './fixtures/fetch-stub.ts';
import { CART_LIST } from './fixtures/storefront-api.ts';
import { LOADER, settle, shown } from './fixtures/page.ts';

describe('page entries', () => {
  let container: HTMLElement;
  let stub: FetchStub | undefined;
  let stop: (() => void) | undefined;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => {
    stop?.();
    stop = undefined;
    container.remove();
    stub?.restore();
  });

  it('when the product entry mounts, then the product view and the related cards are both handled', async () => {
    container.innerHTML = productView({ productId: PRODUCT.backorder }) + card(PRODUCT.soldOut);
    stop = await mountProduct({ ...LOADER, answer: answer(), asked: [PRODUCT.backorder, PRODUCT.soldOut] });
    await settle();
    expect(container.querySelector<HTMLInputElement>('#form-action-addToCart')!.value).to.equal('Backorder');
    expect(container.querySelector('article.card bo-card-badge')).to.exist;
  });

  it('when a listing’s quick view opens, then the product components load and handle it', async () => {
    container.innerHTML = card(PRODUCT.backorder);
    stop = await mountListing({ ...LOADER, answer: answer(), asked: [PRODUCT.backorder] });
    await settle();
    expect(container.querySelectorAll('bo-inventory-description').length).to.equal(0);
    container.insertAdjacentHTML('beforeend', quickViewModal({ productId: PRODUCT.backorder }));
    await waitUntil(() => container.querySelector('.quickView bo-inventory-description'), 'quick view not handled');
    await settle();
    expect(shown(container.querySelector('.quickView bo-inventory-description'))).to.match(/^Out of stock/);
  });

  it('when the store shows nothing (settings null), then an entry places nothing', async () => {
    container.innerHTML = productView({ productId: PRODUCT.backorder });
    stop = await mountProduct({ ...LOADER, answer: { ...answer(), settings: null }, asked: [PRODUCT.backorder] });
    await settle();
    expect(container.querySelectorAll('bo-inventory-description').length).to.equal(0);
  });

  it('when the cart preview entry loads on a page without products, then it asks for the cart’s products once', async () => {
    container.innerHTML = cartPreviewLink;
    stub = stubFetch([
      [
        CART_LIST,
        [
          {
            lineItems: {
              physicalItems: [{ id: 'a', productId: PRODUCT.backorder, variantId: 1, quantity: 2, name: 'Pan', url: `/product-${PRODUCT.backorder}/` }],
            },
          },
        ],
      ],
      [/availability/, answer({ backInStockDate: { show: false } })],
    ]);
    container.querySelector('#cart-preview-dropdown')!.innerHTML = cartPreviewContent([{ productId: PRODUCT.backorder, name: 'Pan', quantity: 2 }]);
    stop = await mountCartPreview({ ...LOADER, answer: EMPTY_ANSWER, asked: [] });
    await settle();
    expect(stub.calls.filter((url) => url.includes('availability'))).to.deep.equal([
      `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`,
    ]);
    expect(stub.calls.filter((url) => url.includes('/carts'))).to.have.length(1);
    expect(shown(container.querySelector('.previewCartItem bo-cart-line-message'))).to.equal('2 of 2 will be backordered.');
  });

  it('when the page’s answer has the store’s settings, then the cart preview starts with it at once, and its lines of other products follow the API’s answer', async () => {
    container.innerHTML = cartPreviewLink;
    let answerNow = () => {};
    const answered = new Promise<void>((resolve) => (answerNow = resolve));
    stub = stubFetch([
      [
        CART_LIST,
        [
          {
            lineItems: {
              physicalItems: [
                { id: 'a', productId: PRODUCT.inStock, variantId: 1, quantity: 5, name: 'Pan', url: `/product-${PRODUCT.inStock}/` },
                { id: 'b', productId: PRODUCT.backorder, variantId: 1, quantity: 2, name: 'Kettle', url: `/product-${PRODUCT.backorder}/` },
              ],
            },
          },
        ],
      ],
      // A busy server: the answer comes late.
      [/availability/, () => answered.then(() => answer({ backInStockDate: { show: false } }))],
    ]);
    const known = { ...answer({ backInStockDate: { show: false } }), products: { [PRODUCT.inStock]: answer().products[PRODUCT.inStock]! } };
    container.querySelector('#cart-preview-dropdown')!.innerHTML = cartPreviewContent([
      { productId: PRODUCT.inStock, name: 'Pan', quantity: 5 },
      { productId: PRODUCT.backorder, name: 'Kettle', quantity: 2 },
    ]);
    const messages = () => [...container.querySelectorAll('.previewCartItem')].map((item) => shown(item.querySelector('bo-cart-line-message')));
    stop = await mountCartPreview({ ...LOADER, answer: known, asked: [PRODUCT.inStock] });
    await settle();
    expect(messages()).to.deep.equal(['2 of 5 will be backordered.', '']);
    answerNow();
    await waitUntil(() => messages()[1] === '2 of 2 will be backordered.', 'the other product’s line did not follow the answer');
    expect(stub.calls.filter((url) => url.includes('availability'))).to.deep.equal([
      `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`,
    ]);
  });

  it('when the page’s answer already covers the cart’s products, then the cart preview asks the API nothing more', async () => {
    container.innerHTML = cartPreviewLink;
    stub = stubFetch([
      [CART_LIST, [{ lineItems: { physicalItems: [{ id: 'a', productId: PRODUCT.inStock, variantId: 1, quantity: 1, name: 'Pan', url: '/p/' }] } }]],
    ]);
    stop = await mountCartPreview({ ...LOADER, answer: answer(), asked: [PRODUCT.inStock] });
    expect(stub.calls.filter((url) => url.includes('availability'))).to.deep.equal([]);
  });
});
