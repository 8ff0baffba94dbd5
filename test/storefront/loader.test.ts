import { expect, waitUntil } from '@open-wc/testing';
import { mount as mountListing } from '../../storefront/src/entries/listing.ts';
import { fetchAvailability } from '../../storefront/src/lib/api-client.ts';
import { boot, entryUrl, type Entry } from '../../storefront/src/lib/boot.ts';
import type { Boot } from '../../storefront/src/lib/context.ts';
import { detectPage } from '../../storefront/src/lib/page-kind.ts';
import { scriptContextFrom } from '../../storefront/src/lib/script-context.ts';
import { answer, PRODUCT } from './fixtures/answers.ts';
import { card, cartPage, cartPreviewLink, productView } from './fixtures/cornerstone.ts';
import { stubFetch, type FetchStub } from './fixtures/fetch-stub.ts';
import { CART_LIST } from './fixtures/storefront-api.ts';
import { CONTEXT } from './fixtures/page.ts';

function page(markup: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><html><body>${markup}</body></html>`, 'text/html');
}

const AVAILABILITY = /\/storefront-api\/v1\/stores\/abc123\/availability\?products=/;
const cartApi = [
  {
    id: 'cart-1',
    lineItems: {
      physicalItems: [
        { id: 'line-a', productId: PRODUCT.inStock, variantId: 1, quantity: 2, name: 'Pan', url: '/pan/' },
        {
          id: 'line-b',
          productId: PRODUCT.notAssigned,
          variantId: 2,
          quantity: 1,
          name: 'Towel',
          url: '/towel/',
          options: [{ name: 'Colour', nameId: 7, value: 'Grey Stripe', valueId: 70 }],
        },
      ],
      digitalItems: [],
    },
  },
];

describe('loader', () => {
  let stub: FetchStub | undefined;
  afterEach(() => stub?.restore());

  function recorder() {
    const imported: string[] = [];
    const mounted: Boot[] = [];
    const importEntry = async (url: string): Promise<Entry> => {
      imported.push(url);
      return { mount: (data) => void mounted.push(data) };
    };
    return { imported, mounted, importEntry };
  }

  describe('detectPage', () => {
    it('when a product page also shows related cards, then it is a product page asking for all of them, its own first', () => {
      const facts = detectPage(page(productView({ productId: PRODUCT.backorder }) + card(PRODUCT.inStock) + card(PRODUCT.soldOut)));
      expect(facts).to.deep.equal({ kind: 'product', productIds: ['102', '101', '103'] });
    });

    it('when the page is the cart, a listing, or has nothing, then it says so', () => {
      expect(detectPage(page(cartPage([{ id: 'x', productId: 1, name: 'P', quantity: 1 }]))).kind).to.equal('cart');
      expect(detectPage(page(card(5) + card(6)))).to.deep.equal({ kind: 'listing', productIds: ['5', '6'] });
      expect(detectPage(page('<main><h1>About us</h1></main>' + cartPreviewLink)).kind).to.equal(undefined);
    });

    it('when a theme snippet names its product, then that id is asked for too', () => {
      expect(detectPage(page('<bo-card-badge product-id="77"></bo-card-badge><div product-id="78"></div>')).productIds).to.deep.equal(['77']);
    });
  });

  it('when a product page loads, then the API is asked once and only the product entry is imported, with the answer', async () => {
    stub = stubFetch([[AVAILABILITY, answer()]]);
    const { imported, mounted, importEntry } = recorder();
    const result = await boot({ context: CONTEXT, document: page(productView({ productId: PRODUCT.backorder }) + card(PRODUCT.inStock)), importEntry });
    expect(stub.calls).to.deep.equal(['https://app.example.com/storefront-api/v1/stores/abc123/availability?products=101,102']);
    expect(imported).to.deep.equal([entryUrl(CONTEXT, 'product')]);
    expect(imported[0]).to.equal('https://app.example.com/storefront/product.js');
    expect(mounted[0]!.answer.products[PRODUCT.backorder]).to.exist;
    expect(mounted[0]!.asked).to.deep.equal([101, 102]);
    // Its own client, for products found later: the entries carry no copy of it.
    expect(mounted[0]!.fetchAvailability).to.equal(fetchAvailability);
    expect(result.mounted).to.equal('product');
  });

  it('when none of a product page’s products is assigned, or the store shows nothing, then no entry is imported', async () => {
    const cases = [
      { reply: { ...answer(), products: {} }, markup: productView({ productId: PRODUCT.notAssigned }) },
      { reply: { ...answer(), settings: null }, markup: card(PRODUCT.notAssigned) },
    ];
    for (const { reply, markup } of cases) {
      stub = stubFetch([[AVAILABILITY, reply]]);
      const { imported, importEntry } = recorder();
      await boot({ context: CONTEXT, document: page(markup), importEntry });
      expect(stub.calls).to.have.length(1);
      expect(imported).to.deep.equal([]);
      stub.restore();
    }
  });

  it('when none of a listing’s first cards is assigned, then its entry still mounts, to ask about cards added later', async () => {
    stub = stubFetch([[AVAILABILITY, { ...answer(), products: {} }]]);
    const { imported, importEntry } = recorder();
    const result = await boot({ context: CONTEXT, document: page(card(PRODUCT.notAssigned)), importEntry });
    expect(imported).to.deep.equal(['https://app.example.com/storefront/listing.js']);
    expect(result.mounted).to.equal('listing');
  });

  it('when a listing’s first cards are not assigned and faceted search adds an assigned one, then it gets its badge', async () => {
    const first = { ...answer(), products: {} };
    const later = { ...answer(), products: { [PRODUCT.backorder]: answer().products[PRODUCT.backorder]! } };
    stub = stubFetch([[AVAILABILITY, (url: string) => (url.endsWith(`=${PRODUCT.notAssigned}`) ? first : later)]]);
    const grid = document.createElement('ul');
    grid.innerHTML = card(PRODUCT.notAssigned);
    document.body.append(grid);
    let stop: (() => void) | undefined;
    const importEntry = async (): Promise<Entry> => ({ mount: async (data) => (stop = await mountListing(data)) });
    try {
      await boot({ context: CONTEXT, document, importEntry });
      grid.insertAdjacentHTML('beforeend', card(PRODUCT.backorder));
      await waitUntil(() => grid.querySelector('bo-card-badge'), 'the later card was never asked about');
      expect(grid.querySelector('bo-card-badge')!.closest('article')!.getAttribute('data-entity-id')).to.equal(String(PRODUCT.backorder));
    } finally {
      stop?.();
      grid.remove();
    }
  });

  describe('a Custom theme profile', () => {
    const custom = answer({ themeProfile: 'custom', customSelectors: { productView: '.pdp', productId: 'input[name="pid"]' } });
    // No `input[name="product_id"]`, no data attribute: only the store's productId selector finds the product.
    const customProduct = `<div class="pdp"><form class="buy"><input type="hidden" name="pid" value="${PRODUCT.backorder}"><button>Add</button></form></div>`;
    const forget = () => localStorage.removeItem('backorder:hints:abc123');
    beforeEach(forget);
    afterEach(forget);

    it('when its product page has no product_id input, then the store’s productId selector finds the product and the product entry mounts', async () => {
      stub = stubFetch([[AVAILABILITY, custom]]);
      const { imported, mounted, importEntry } = recorder();
      const result = await boot({ context: CONTEXT, document: page(customProduct + card(PRODUCT.inStock)), importEntry });
      expect(stub.calls).to.deep.equal([
        `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.inStock}`,
        `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`,
      ]);
      expect(result.kind).to.equal('product');
      expect(imported).to.deep.equal(['https://app.example.com/storefront/product.js']);
      expect(mounted[0]!.asked).to.deep.equal([PRODUCT.inStock, PRODUCT.backorder]);
      expect(mounted[0]!.answer.products[PRODUCT.backorder]).to.exist;
    });

    it('when the shopper opens the next page, then the remembered selectors find its product at once, in one request', async () => {
      stub = stubFetch([[AVAILABILITY, custom]]);
      await boot({ context: CONTEXT, document: page(customProduct + card(PRODUCT.inStock)), importEntry: recorder().importEntry });
      stub.restore();
      stub = stubFetch([[AVAILABILITY, custom]]);
      const { imported, importEntry } = recorder();
      await boot({ context: CONTEXT, document: page(customProduct), importEntry });
      expect(stub.calls).to.deep.equal([`https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`]);
      expect(imported).to.deep.equal(['https://app.example.com/storefront/product.js']);
    });

    it('when the script was registered with the store’s selectors, then the first page view finds its product in one request', async () => {
      const sel = encodeURIComponent(JSON.stringify({ v: '.pdp', i: 'input[name="pid"]' }));
      const context = scriptContextFrom(`https://app.example.com/storefront/loader.js?store=abc123&v=1&sel=${sel}`);
      stub = stubFetch([[AVAILABILITY, custom]]);
      const { imported, mounted, importEntry } = recorder();
      const result = await boot({ context, document: page(customProduct), importEntry });
      expect(stub.calls).to.deep.equal([`https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`]);
      expect(result.kind).to.equal('product');
      expect(imported).to.deep.equal(['https://app.example.com/storefront/product.js']);
      expect(mounted[0]!.answer.products[PRODUCT.backorder]).to.exist;
    });

    it('when the selectors changed since the script was registered, then the answer’s are used at once', async () => {
      const sel = encodeURIComponent(JSON.stringify({ v: '.old-pdp', i: 'input[name="old"]' }));
      const context = scriptContextFrom(`https://app.example.com/storefront/loader.js?store=abc123&sel=${sel}`);
      stub = stubFetch([[AVAILABILITY, custom]]);
      const { imported, importEntry } = recorder();
      await boot({ context, document: page(customProduct + card(PRODUCT.inStock)), importEntry });
      expect(stub.calls).to.deep.equal([
        `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.inStock}`,
        `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`,
      ]);
      expect(imported).to.deep.equal(['https://app.example.com/storefront/product.js']);
    });

    it('when the merchant switches back to a named profile, then the remembered selectors are dropped', async () => {
      localStorage.setItem('backorder:hints:abc123', JSON.stringify({ productView: '.pdp', productId: 'input[name="pid"]', card: '' }));
      stub = stubFetch([[AVAILABILITY, answer()]]);
      await boot({ context: CONTEXT, document: page(customProduct), importEntry: recorder().importEntry });
      expect(localStorage.getItem('backorder:hints:abc123')).to.equal(null);
    });
  });

  it('when the loader was not added as the app registers it (no store), then it does nothing', async () => {
    stub = stubFetch([[AVAILABILITY, answer()]]);
    const { imported, importEntry } = recorder();
    expect(await boot({ context: undefined, document: page(card(1)), importEntry })).to.deep.equal({});
    expect(stub.calls).to.deep.equal([]);
    expect(imported).to.deep.equal([]);
  });

  it('when the page is the cart, then its lines come from the Storefront Cart API, with their options, and are passed on with the answer', async () => {
    stub = stubFetch([
      [CART_LIST, cartApi],
      [AVAILABILITY, answer()],
    ]);
    const { imported, mounted, importEntry } = recorder();
    await boot({ context: CONTEXT, document: page(cartPage([{ id: 'line-a', productId: PRODUCT.inStock, name: 'Pan', quantity: 2 }])), importEntry });
    expect(stub.calls[0]).to.match(CART_LIST);
    expect(stub.calls[1]).to.equal(`https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.inStock},${PRODUCT.notAssigned}`);
    expect(imported).to.deep.equal(['https://app.example.com/storefront/cart.js']);
    expect(mounted[0]!.cartLines!.map((line) => line.id)).to.deep.equal(['line-a', 'line-b']);
    expect(mounted[0]!.cartLines![1]!.options).to.deep.equal([{ name: 'Colour', nameId: 7, value: 'Grey Stripe', valueId: 70 }]);
  });

  it('when a listing has quick view buttons, then it is a listing page (quick views load later from it)', async () => {
    stub = stubFetch([[AVAILABILITY, answer()]]);
    const { imported, importEntry } = recorder();
    await boot({ context: CONTEXT, document: page(card(PRODUCT.backorder)), importEntry });
    expect(imported).to.deep.equal(['https://app.example.com/storefront/listing.js']);
  });

  it('when the shopper opens the header cart preview, then its entry is imported once, with the page’s answer', async () => {
    stub = stubFetch([[AVAILABILITY, answer()]]);
    const { imported, mounted, importEntry } = recorder();
    const doc = page(cartPreviewLink + card(PRODUCT.backorder));
    await boot({ context: CONTEXT, document: doc, importEntry });
    const link = doc.querySelector<HTMLElement>('[data-cart-preview]')!;
    link.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    link.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(imported).to.deep.equal(['https://app.example.com/storefront/listing.js', 'https://app.example.com/storefront/cart-preview.js']);
    expect(mounted[1]!.answer.products[PRODUCT.backorder]).to.exist;
    expect(stub.calls).to.have.length(1);
  });

  it('when the API does not answer the page’s products, then they are not passed on as asked, so the cart preview asks again', async () => {
    stub = stubFetch([[AVAILABILITY, new Response('{}', { status: 503, headers: { 'Retry-After': '0' } })]]);
    const { mounted, importEntry } = recorder();
    const doc = page(cartPreviewLink + card(PRODUCT.backorder));
    await boot({ context: CONTEXT, document: doc, importEntry });
    expect(stub.calls).to.have.length(2);
    doc.querySelector<HTMLElement>('[data-cart-preview]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(mounted).to.have.length(1);
    expect(mounted[0]!.asked).to.deep.equal([]);
  });

  it('when the shopper adds to cart, then the cart preview entry is imported once, for the checkout button of the modal the add opens', async () => {
    stub = stubFetch([[AVAILABILITY, answer()]]);
    const { imported, mounted, importEntry } = recorder();
    const search = '<form class="form" action="/search.php"><input name="search_query"></form>';
    const doc = page(cartPreviewLink + search + productView({ productId: PRODUCT.backorder }));
    await boot({ context: CONTEXT, document: doc, importEntry });
    const submit = (form: Element) => form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
    submit(doc.querySelector('form[action="/search.php"]')!);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(imported).to.deep.equal(['https://app.example.com/storefront/product.js']);

    const addForm = doc.querySelector('form[data-cart-item-add]')!;
    submit(addForm);
    submit(addForm);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const both = ['https://app.example.com/storefront/product.js', 'https://app.example.com/storefront/cart-preview.js'];
    expect(imported).to.deep.equal(both);
    doc.querySelector('[data-cart-preview]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(imported).to.deep.equal(both);
    expect(mounted[1]!.answer.products[PRODUCT.backorder]).to.exist;
    expect(stub.calls).to.have.length(1);
  });
});

describe('built loader (storefront/dist/loader.js)', () => {
  let stub: FetchStub | undefined;
  afterEach(() => stub?.restore());

  it('when it runs from its Script Manager URL on a product page, then it asks the API exactly once', async () => {
    const built = await fetch('/storefront/dist/loader.js');
    expect(built.ok, 'run `npm test` (it builds the storefront first)').to.equal(true);
    const source = await built.text();
    expect(source).to.match(/product-[\w-]+\.js/);
    const view = document.createElement('div');
    view.innerHTML = productView({ productId: PRODUCT.backorder });
    document.body.append(view);
    stub = stubFetch([[AVAILABILITY, { ...answer(), products: {} }]]);
    const script = document.createElement('script');
    script.src = `${location.origin}/storefront/dist/loader.js?store=abc123`;
    const loaded = new Promise((resolve) => (script.onload = resolve));
    document.body.append(script);
    await loaded;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stub.calls).to.deep.equal([`${location.origin}/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.backorder}`]);
    expect(document.documentElement.dataset['backorderStore']).to.equal('abc123');
    view.remove();
    script.remove();
  });
});
