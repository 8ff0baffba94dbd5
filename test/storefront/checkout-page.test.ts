import { expect } from '@open-wc/testing';
import { checkoutPageKind, confirmationOrderId, orderIdFromPage, startCheckoutNotice, type CheckoutLines } from '../../storefront/src/lib/checkout-page.ts';
import { answer, PRODUCT, VARIANT } from './fixtures/answers.ts';
import { checkoutSummary } from './fixtures/cornerstone.ts';
import { stubFetch, type FetchStub } from './fixtures/fetch-stub.ts';
import { CONTEXT, settle, shown } from './fixtures/page.ts';

const lines: CheckoutLines = {
  cartId: 'cart-42',
  lines: [
    { productId: PRODUCT.inStock, variantId: 1, quantity: 5, name: 'Cast iron pan', options: [] },
    { productId: PRODUCT.notAssigned, variantId: 2, quantity: 1, name: 'Linen towel', options: [] },
    { productId: PRODUCT.variants, variantId: VARIANT.medium, quantity: 2, name: 'Apron', options: [{ name: 'Size', value: 'M' }] },
  ],
};

/** The notice's lines, as read. */
const noticeLines = () =>
  [...document.querySelector('bo-checkout-notice')!.shadowRoot!.querySelectorAll('[part="line"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
/** Each summary row's message, in the rows' order. */
const rowMessages = () => [...document.querySelectorAll('[data-test="cart-item"]')].map((row) => shown(row.querySelector('bo-cart-line-message')));

describe('checkout and order confirmation notice', () => {
  let stub: FetchStub;
  let page: HTMLElement;

  beforeEach(() => {
    sessionStorage.clear();
    page = document.createElement('div');
    page.innerHTML = `<header class="checkoutHeader"></header><div id="checkout-app">${checkoutSummary([
      { name: 'Cast iron pan', quantity: 5 },
      { name: 'Linen towel', quantity: 1 },
      { name: 'Apron', quantity: 2, options: [{ name: 'Size', value: 'M' }] },
    ])}</div>`;
    document.body.append(page);
    stub = stubFetch([[/availability/, answer({ locale: 'en-US' })]]);
  });
  afterEach(() => {
    stub.restore();
    page.remove();
  });

  it('when the checkout has backordered items, then a notice above the app lists them with their ETA, and their rows say so', async () => {
    await startCheckoutNotice(CONTEXT, 'checkout', async () => lines);
    expect(stub.calls).to.deep.equal([
      `https://app.example.com/storefront-api/v1/stores/abc123/availability?products=${PRODUCT.inStock},${PRODUCT.variants},${PRODUCT.notAssigned}`,
    ]);
    const notice = page.querySelector('#checkout-app')!.previousElementSibling!;
    expect(notice.localName).to.equal('bo-checkout-notice');
    expect(noticeLines()).to.deep.equal([
      'Cast iron pan: 2 of 5 backordered. Expected back in stock on March 14, 2030.',
      'Apron (M): 2 of 2 backordered. Expected back in stock on March 14, 2030.',
    ]);
    expect(rowMessages()).to.deep.equal([
      '2 of 5 will be backordered. Expected back in stock on March 14, 2030.',
      '',
      '2 of 2 will be backordered. Expected back in stock on March 14, 2030.',
    ]);
    await expect(notice).to.be.accessible();
  });

  it('when the notice comes after the page, then its live region is placed empty and filled after, so screen readers announce it', async () => {
    // What the region says when the notice is first rendered: a region born with its text is not announced.
    const firstSaid = new Promise<string>((resolve) => {
      const observer = new MutationObserver(async () => {
        const notice = document.querySelector('bo-checkout-notice');
        if (!notice) return;
        observer.disconnect();
        await notice.updateComplete;
        resolve(notice.shadowRoot!.querySelector('[role="status"]')!.textContent!);
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    await startCheckoutNotice(CONTEXT, 'checkout', async () => lines);
    expect(await firstSaid).to.equal('');
    expect(noticeLines()).to.have.length(2);
  });

  it('when a line’s backordered units reach past the expected stock left, then that line gets no back-in-stock date', async () => {
    stub.restore();
    const short = answer({ locale: 'en-US' });
    short.products[PRODUCT.backorder]!.item!.incomingLeft = 3;
    stub = stubFetch([[/availability/, short]]);
    page.querySelector('#checkout-app')!.innerHTML = checkoutSummary([
      { name: 'Stool', quantity: 1 },
      { name: 'Stool', quantity: 3 },
    ]);
    const stools = (quantity: number) => ({ productId: PRODUCT.backorder, variantId: 7, quantity, name: 'Stool', options: [] });
    await startCheckoutNotice(CONTEXT, 'checkout', async () => ({ cartId: 'c-short', lines: [stools(1), stools(3)] }));
    expect(noticeLines()).to.deep.equal(['Stool: 1 of 1 backordered. Expected back in stock on March 14, 2030.', 'Stool: 3 of 3 backordered.']);
    expect(rowMessages()).to.deep.equal(['1 of 1 will be backordered. Expected back in stock on March 14, 2030.', '3 of 3 will be backordered.']);
  });

  it('when a line asks for more than can be ordered, then the notice says how many can be, as its row does, and counts no unit beyond as backordered', async () => {
    stub.restore();
    const limited = answer({ locale: 'en-US' });
    // 0 on hand and 2 can be ordered; 20 on hand and 22 can be ordered.
    limited.products[PRODUCT.backorder]!.item = { status: 'backorder', onHand: 0, salable: 2, backInStockDate: null, incomingLeft: null };
    limited.products[PRODUCT.inStock]!.item = { status: 'in_stock', onHand: 20, salable: 22, backInStockDate: null, incomingLeft: null };
    stub = stubFetch([[/availability/, limited]]);
    page.querySelector('#checkout-app')!.innerHTML = checkoutSummary([
      { name: 'Able Brewing System', quantity: 3 },
      { name: 'Cast iron pan', quantity: 15 },
      { name: 'Cast iron pan', quantity: 8 },
    ]);
    const able = { productId: PRODUCT.backorder, variantId: 7, quantity: 3, name: 'Able Brewing System', options: [] };
    const pans = (quantity: number) => ({ productId: PRODUCT.inStock, variantId: 1, quantity, name: 'Cast iron pan', options: [] });
    const over: CheckoutLines = { cartId: 'c-over', lines: [able, pans(15), pans(8)] };
    await startCheckoutNotice(CONTEXT, 'checkout', async () => over);
    expect(noticeLines()).to.deep.equal(['Able Brewing System: only 2 of 3 can be ordered.', 'Cast iron pan: only 7 of 8 can be ordered.']);
    expect(rowMessages()).to.deep.equal([
      'Only 2 can be ordered. Lower the quantity before checking out.',
      '',
      'Only 7 can be ordered. Lower the quantity before checking out.',
    ]);

    // The confirmation tells the same, from what checkout saw; its rows give no advice to lower a quantity already ordered.
    page.querySelector('bo-checkout-notice')!.remove();
    const confirmation = Object.assign(document.createElement('div'), { id: 'checkout-app' });
    confirmation.innerHTML = checkoutSummary([
      { name: 'Able Brewing System', quantity: 3 },
      { name: 'Cast iron pan', quantity: 15 },
      { name: 'Cast iron pan', quantity: 8 },
    ]);
    page.querySelector('#checkout-app')!.replaceWith(confirmation);
    await startCheckoutNotice(CONTEXT, 'order-confirmation', async () => over);
    expect(noticeLines()).to.deep.equal(['Able Brewing System: only 2 of 3 can be ordered.', 'Cast iron pan: only 7 of 8 can be ordered.']);
    expect(page.querySelectorAll('bo-cart-line-message')).to.have.length(0);
  });

  it('when checkout-js re-renders its summary, then the row messages come back', async () => {
    await startCheckoutNotice(CONTEXT, 'checkout', async () => lines);
    page.querySelector('#checkout-app')!.innerHTML = checkoutSummary([{ name: 'Cast iron pan', quantity: 5 }]);
    await settle();
    expect(shown(page.querySelector('[data-test="cart-item"] bo-cart-line-message'))).to.match(/^2 of 5/);
  });

  it('when two rows read the same "qty x name" and list the same options, then neither gets a row message (the notice still lists them)', async () => {
    const twins: CheckoutLines = { cartId: 'c', lines: [lines.lines[0]!, { ...lines.lines[0]!, variantId: 9 }] };
    page.querySelector('#checkout-app')!.innerHTML = checkoutSummary([
      { name: 'Cast iron pan', quantity: 5 },
      { name: 'Cast iron pan', quantity: 5 },
    ]);
    await startCheckoutNotice(CONTEXT, 'checkout', async () => twins);
    expect(page.querySelectorAll('[data-test="cart-item"] bo-cart-line-message')).to.have.length(0);
    expect(page.querySelector('bo-checkout-notice')!.shadowRoot!.querySelectorAll('[part="line"]')).to.have.length(2);
  });

  it('when variants of one product are in the checkout, some in the same quantity, then the notice names each by its options and each row gets its own message', async () => {
    stub.restore();
    const towels = answer({ locale: 'en-US' });
    towels.products[PRODUCT.variants] = {
      variants: {
        9101: {
          status: 'backorder',
          onHand: 0,
          salable: 4,
          backInStockDate: '2030-03-14',
          incomingLeft: 10,
          options: [
            [1, 11],
            [2, 22],
          ],
        },
        9102: {
          status: 'in_stock',
          onHand: 1,
          salable: 6,
          backInStockDate: '2030-04-01',
          incomingLeft: 10,
          options: [
            [1, 12],
            [2, 22],
          ],
        },
        9103: {
          status: 'backorder',
          onHand: 0,
          salable: 5,
          backInStockDate: '2030-05-02',
          incomingLeft: 10,
          options: [
            [1, 12],
            [2, 23],
          ],
        },
      },
    };
    stub = stubFetch([[/availability/, towels]]);
    const towel = (variantId: number, color: string, size: string, quantity: number) => ({
      productId: PRODUCT.variants,
      variantId,
      quantity,
      name: 'Fog Linen Chambray Towel',
      options: [
        { name: 'Color', value: color },
        { name: 'Size', value: size },
      ],
    });
    const checkout: CheckoutLines = {
      cartId: 'c-towels',
      lines: [towel(9101, 'Beige Stripe', 'M', 2), towel(9102, 'Grey Stripe', 'M', 2), towel(9103, 'Grey Stripe', 'L', 3)],
    };
    // Not in the lines' order: a row is matched by what it shows, not by where it is.
    const summary = (optionText?: (option: { name: string; value: string }) => string) =>
      checkoutSummary([checkout.lines[1]!, checkout.lines[2]!, checkout.lines[0]!], optionText);
    page.querySelector('#checkout-app')!.innerHTML = summary();
    await startCheckoutNotice(CONTEXT, 'checkout', async () => checkout);

    expect(noticeLines()).to.deep.equal([
      'Fog Linen Chambray Towel (Beige Stripe, M): 2 of 2 backordered. Expected back in stock on March 14, 2030.',
      'Fog Linen Chambray Towel (Grey Stripe, M): 1 of 2 backordered. Expected back in stock on April 1, 2030.',
      'Fog Linen Chambray Towel (Grey Stripe, L): 3 of 3 backordered. Expected back in stock on May 2, 2030.',
    ]);
    const expected = [
      '1 of 2 will be backordered. Expected back in stock on April 1, 2030.',
      '3 of 3 will be backordered. Expected back in stock on May 2, 2030.',
      '2 of 2 will be backordered. Expected back in stock on March 14, 2030.',
    ];
    expect(rowMessages()).to.deep.equal(expected);

    // checkout-js's picklist experiment writes "{name}: {value}".
    page.querySelector('#checkout-app')!.innerHTML = summary((option) => `${option.name}: ${option.value}`);
    await settle();
    expect(rowMessages()).to.deep.equal(expected);
  });

  it('when the confirmation finds a split stashed before lines carried their options, then it still lists the lines', async () => {
    await startCheckoutNotice(CONTEXT, 'checkout', async () => lines);
    page.querySelector('bo-checkout-notice')!.remove();
    const key = 'backorder:checkout:cart-42';
    const entries = JSON.parse(sessionStorage.getItem(key)!) as Array<{ line: { options?: unknown } }>;
    for (const entry of entries) delete entry.line.options;
    sessionStorage.setItem(key, JSON.stringify(entries));
    await startCheckoutNotice(CONTEXT, 'order-confirmation', async () => lines);
    expect(noticeLines()).to.deep.equal([
      'Cast iron pan: 2 of 5 backordered. Expected back in stock on March 14, 2030.',
      'Apron: 2 of 2 backordered. Expected back in stock on March 14, 2030.',
    ]);
  });

  it('when the order confirmation follows, then it keeps the split seen at checkout, though the order has since taken the stock', async () => {
    await startCheckoutNotice(CONTEXT, 'checkout', async () => lines);
    page.querySelector('bo-checkout-notice')!.remove();
    stub.restore();
    const taken = answer({ locale: 'en-US' });
    taken.products[PRODUCT.inStock]!.item = { status: 'backorder', onHand: 0, salable: 1, backInStockDate: '2030-03-14', incomingLeft: 10 };
    stub = stubFetch([[/availability/, taken]]);
    await startCheckoutNotice(CONTEXT, 'order-confirmation', async () => lines);
    const notice = page.querySelector('bo-checkout-notice')!;
    expect(notice.shadowRoot!.querySelector('[part="heading"]')!.textContent).to.equal('Some items in this order are backordered');
    expect(notice.shadowRoot!.querySelector('[part="line"]')!.textContent).to.contain('Cast iron pan: 2 of 5 backordered.');
  });

  it('when nothing in the checkout is backordered, or the store switched the notice off, then nothing is placed', async () => {
    await startCheckoutNotice(CONTEXT, 'checkout', async () => ({ cartId: 'x', lines: [{ ...lines.lines[0]!, quantity: 1 }] }));
    expect(page.querySelector('bo-checkout-notice')).to.equal(null);
    stub.restore();
    stub = stubFetch([[/availability/, answer({ checkoutNotice: { enabled: false } })]]);
    await startCheckoutNotice(CONTEXT, 'checkout', async () => lines);
    expect(page.querySelector('bo-checkout-notice')).to.equal(null);
  });

  it('when the confirmation page is read, then the order id comes from the script URL, a custom checkout’s config, or the path', () => {
    const win = (path: string, config?: object) => ({ location: new URL(`https://store.example.com${path}`), checkoutConfig: config }) as unknown as Window;
    expect(confirmationOrderId('https://app.example.com/storefront/checkout.js?store=abc&order=501', win('/checkout/order-confirmation'))).to.equal(501);
    expect(confirmationOrderId(undefined, win('/checkout/order-confirmation', { orderId: '502' }))).to.equal(502);
    expect(confirmationOrderId(undefined, win('/checkout/order-confirmation/503'))).to.equal(503);
    expect(confirmationOrderId('https://app.example.com/storefront/checkout.js?store=abc&order=', win('/checkout'))).to.equal(undefined);
    expect(checkoutPageKind(undefined, win('/checkout'))).to.equal('checkout');
    expect(checkoutPageKind(undefined, win('/checkout/order-confirmation'))).to.equal('order-confirmation');
  });

  it('when nothing else gives the order id, then it is read from the order number checkout-js shows once it renders', async () => {
    const found = orderIdFromPage(2000);
    setTimeout(() => {
      page.querySelector('#checkout-app')!.innerHTML =
        '<section class="orderConfirmation-section"><p data-test="order-confirmation-order-number-text"><span>Your order number is <strong>1043</strong></span></p></section>';
    }, 30);
    expect(await found).to.equal(1043);
    expect(await orderIdFromPage(50)).to.equal(1043);
    page.querySelector('#checkout-app')!.innerHTML = '';
    expect(await orderIdFromPage(50)).to.equal(undefined);
  });
});
