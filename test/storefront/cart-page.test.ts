import { expect, waitUntil } from '@open-wc/testing';
import { startCartPage } from '../../storefront/src/lib/cart-page.ts';
import type { CartLine } from '../../storefront/src/lib/context.ts';
import { answer, PRODUCT, VARIANT } from './fixtures/answers.ts';
import { cartContent, cartPage, type CartRow } from './fixtures/cornerstone.ts';
import { announced, announcementsSaid, recordAnnouncements, settle, setUpPage, shown, type TestPage } from './fixtures/page.ts';

const rows: CartRow[] = [
  { id: 'line-a', productId: PRODUCT.inStock, name: 'Pan', quantity: 2 },
  { id: 'line-b', productId: PRODUCT.notAssigned, name: 'Towel', quantity: 1 },
  { id: 'line-c', productId: PRODUCT.inStock, name: 'Pan (gift wrapped)', quantity: 3, native: true },
  { id: 'line-d', productId: PRODUCT.variants, name: 'Shirt M', quantity: 1 },
];
const lineOf = (row: CartRow, variantId = 0, size?: string): CartLine => ({
  id: row.id,
  productId: row.productId,
  variantId,
  quantity: row.quantity,
  name: row.name,
  url: `/product-${row.productId}/`,
  options: size ? [{ name: 'Size', value: size }] : [],
});
const lines = [lineOf(rows[0]!), lineOf(rows[1]!), lineOf(rows[2]!), lineOf(rows[3]!, VARIANT.medium)];

describe('cart page (Cornerstone 6.21)', () => {
  let test: TestPage;
  let stop: () => void;
  let reads = 0;
  let cartApi: CartLine[] = lines;
  const readLines = async () => (reads++, cartApi);
  const messages = () => [...test.container.querySelectorAll('[data-item-row]')].map((row) => shown(row.querySelector('bo-cart-line-message')));
  /** What Cornerstone's refreshContent does after an update: `$('[data-cart-content]').html(...)`. */
  const rerender = (next: CartRow[]) => (test.container.querySelector('[data-cart-content]')!.innerHTML = cartContent(next));

  beforeEach(async () => {
    reads = 0;
    cartApi = lines;
    test = await setUpPage(cartPage(rows), answer({ locale: 'en-US', backInStockDate: { show: false } }));
    stop = startCartPage(test.page, lines, test.ask, readLines);
    await settle();
  });
  afterEach(() => {
    stop();
    test.remove();
  });

  it('when the cart has assigned items, then each of their lines says how many will be backordered; lines of one item share its stock', () => {
    expect(messages()).to.deep.equal(['', '', '2 of 3 will be backordered.', '1 of 1 will be backordered.']);
    expect(test.container.querySelectorAll('bo-cart-line-message')).to.have.length(3);
  });

  it('when Cornerstone ≥ 6.19 renders native backorder lines, then they are hidden on our rows', () => {
    expect(getComputedStyle(test.container.querySelector('.cart-item-backorder-message')!).display).to.equal('none');
  });

  it('when the theme re-renders the cart after a quantity change, then the messages come back with the new quantity', async () => {
    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    expect(messages()).to.deep.equal(['', '', 'Only 6 can be ordered. Lower the quantity before checking out.', '1 of 1 will be backordered.']);
    await expect(test.container.querySelectorAll('bo-cart-line-message')[1]!).to.be.accessible();
  });

  it('when the theme re-renders the cart after a quantity change, then the line’s new message is announced through a live region that stays in the page', async () => {
    // The checkout hold, told last, names the line.
    const overLimit = (salable: number) => `Pan (gift wrapped): Only ${salable} can be ordered. Lower the quantity before checking out.`;
    await announcementsSaid();
    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    await waitUntil(() => announced() === overLimit(6), 'the re-rendered line was not announced');
    const region = document.querySelector('[data-bo-announcer]')!;
    expect(test.container.contains(region)).to.equal(false);
    rerender([{ ...rows[0]!, quantity: 3 }, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    // The first line took one more of the item's units: the later line has one fewer to order.
    await waitUntil(() => announced() === overLimit(5), 'the next change was not announced');
    expect(document.querySelector('[data-bo-announcer]')).to.equal(region);
  });

  it('when a line goes above what can be ordered, then screen readers hear it once, though the line and the checkout hold both show it, and not again at the next re-render', async () => {
    const overLimit = 'Only 6 can be ordered. Lower the quantity before checking out.';
    const raised = [rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!];
    await announcementsSaid();
    const heard = recordAnnouncements();
    rerender(raised);
    await settle();
    await announcementsSaid();
    rerender(raised);
    await settle();
    await announcementsSaid();
    heard.stop();
    expect(heard.times(overLimit)).to.equal(1);
    expect(heard.said).to.deep.equal([`Pan (gift wrapped): ${overLimit}`]);
    expect(shown(test.container.querySelector('bo-checkout-hold'))).to.equal(`Pan (gift wrapped): ${overLimit}`);
  });

  it('when a line that was backordering is lowered within stock, then screen readers hear, once and by the line’s name, that none of it is backordered now; a line that never backordered stays silent', async () => {
    const withinStock = 'Pan (gift wrapped): None will be backordered now.';
    await announcementsSaid();
    const heard = recordAnnouncements();
    // Pan (2 of 3 on hand) lowered to 1, never backordering; the gift-wrapped Pan's 3 (2 backordered) lowered to 2, all on hand.
    const lowered = [{ ...rows[0]!, quantity: 1 }, rows[1]!, { ...rows[2]!, quantity: 2 }, rows[3]!];
    rerender(lowered);
    await settle();
    await announcementsSaid();
    expect(messages()).to.deep.equal(['', '', '', '1 of 1 will be backordered.']);
    rerender(lowered);
    await settle();
    await announcementsSaid();
    rerender([{ ...rows[0]!, quantity: 1 }, rows[1]!, { ...rows[2]!, quantity: 1 }, rows[3]!]);
    await settle();
    await announcementsSaid();
    heard.stop();
    expect(heard.said).to.deep.equal([withinStock]);
  });

  it('when a line above what can be ordered is lowered within stock, then screen readers hear that none of it is backordered now, and checkout is released', async () => {
    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    await announcementsSaid();
    const heard = recordAnnouncements();
    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 1 }, rows[3]!]);
    await settle();
    await announcementsSaid();
    heard.stop();
    expect(heard.said).to.deep.equal(['Pan (gift wrapped): None will be backordered now.']);
    expect(test.container.querySelector('[data-primary-checkout-now-action]')!.hasAttribute('aria-disabled')).to.equal(false);
  });

  /**
   * A cart of two sizes of one product (S in stock, M on backorder) in the given quantities; each size's quantity is
   * then raised in turn, one re-render each. Resolves to what screen readers heard meanwhile.
   */
  const raiseTwoSizes = async ([small, medium]: [number, number], [raisedSmall, raisedMedium]: [number, number]) => {
    stop();
    test.remove();
    const shirts: CartRow[] = [
      { id: 'shirt-s', productId: PRODUCT.variants, name: 'Shirt', quantity: small },
      { id: 'shirt-m', productId: PRODUCT.variants, name: 'Shirt', quantity: medium },
    ];
    test = await setUpPage(cartPage(shirts), answer({ locale: 'en-US', backInStockDate: { show: false } }));
    stop = startCartPage(test.page, [lineOf(shirts[0]!, VARIANT.small, 'S'), lineOf(shirts[1]!, VARIANT.medium, 'M')], test.ask, readLines);
    await settle();
    const before = messages();
    await announcementsSaid();
    const heard = recordAnnouncements();
    for (const quantities of [
      [raisedSmall, medium],
      [raisedSmall, raisedMedium],
    ]) {
      rerender(shirts.map((shirt, i) => ({ ...shirt, quantity: quantities[i]! })));
      await settle();
      await announcementsSaid();
    }
    heard.stop();
    return { before, said: heard.said };
  };

  it('when two sizes of one product go above what can be ordered, then the checkout hold and what screen readers hear name each line with its options', async () => {
    const { said } = await raiseTwoSizes([8, 4], [9, 5]);
    const small = 'Shirt (S): Only 8 can be ordered. Lower the quantity before checking out.';
    const medium = 'Shirt (M): Only 4 can be ordered. Lower the quantity before checking out.';
    expect(said).to.deep.equal([small, medium]);
    expect(shown(test.container.querySelector('bo-checkout-hold'))).to.equal(`${small} ${medium}`);
    expect(reads).to.equal(0);
  });

  it('when two sizes of one product both have backordered units and their quantities change, then what screen readers hear names each line with its options', async () => {
    const { before, said } = await raiseTwoSizes([4, 1], [5, 2]);
    expect(before).to.deep.equal(['1 of 4 will be backordered.', '1 of 1 will be backordered.']);
    // Shown in its row, the message needs no name; heard away from it, "2 of 2 will be backordered." alone fits either size.
    expect(messages()).to.deep.equal(['2 of 5 will be backordered.', '2 of 2 will be backordered.']);
    expect(said).to.deep.equal(['Shirt (S): 2 of 5 will be backordered.', 'Shirt (M): 2 of 2 will be backordered.']);
  });

  it('when a line is removed, then the stock it held goes to the next line of the item', async () => {
    rerender([rows[1]!, rows[2]!, rows[3]!]);
    await settle();
    expect(messages()).to.deep.equal(['', '', '1 of 1 will be backordered.']);
    expect(reads).to.equal(0);
  });

  it('when re-rendered again and again, then each row keeps exactly one message', async () => {
    for (let i = 0; i < 3; i++) {
      rerender(rows);
      await settle();
    }
    expect(test.container.querySelectorAll('bo-cart-line-message')).to.have.length(3);
  });

  it('when an edit brings a line the page has not seen, then the cart is read again, once', async () => {
    cartApi = [...lines, { ...lineOf(rows[0]!), id: 'line-e', quantity: 1 }];
    rerender([...rows, { id: 'line-e', productId: PRODUCT.inStock, name: 'Pan', quantity: 1 }]);
    await settle();
    await settle();
    expect(reads).to.equal(1);
    expect(messages()[messages().length - 1]).to.equal('1 of 1 will be backordered.');
    rerender([...rows, { id: 'line-f', productId: PRODUCT.inStock, name: 'Pan', quantity: 1 }]);
    await settle();
    rerender([...rows, { id: 'line-f', productId: PRODUCT.inStock, name: 'Pan', quantity: 1 }]);
    await settle();
    expect(reads).to.equal(2);
  });

  it('when the theme re-renders a line above what can be ordered, then checkout is held with the reason next to it; lowered, it is released', async () => {
    const checkout = test.container.querySelector<HTMLElement>('[data-primary-checkout-now-action]')!;
    const wallets = test.container.querySelector<HTMLElement>('[data-cart-additional-checkout-buttons]')!;
    const hold = test.container.querySelector('bo-checkout-hold')!;
    expect(hold.nextElementSibling!.matches('.cart-actions')).to.equal(true);
    expect(checkout.hasAttribute('aria-disabled')).to.equal(false);

    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    expect(shown(hold)).to.equal('Pan (gift wrapped): Only 6 can be ordered. Lower the quantity before checking out.');
    for (const button of [checkout, wallets]) expect(button.getAttribute('aria-disabled')).to.equal('true');
    expect(checkout.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))).to.equal(false);

    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 6 }, rows[3]!]);
    await settle();
    expect(shown(hold)).to.equal('');
    for (const button of [checkout, wallets]) expect(button.hasAttribute('aria-disabled')).to.equal(false);
    expect(test.container.querySelectorAll('bo-checkout-hold')).to.have.length(1);
  });

  it('when the header cart preview holds its own checkout button, then the cart page keeps to its own hold', async () => {
    const header = document.createElement('nav');
    header.innerHTML = '<div id="cart-preview-dropdown"><bo-checkout-hold surface="cartPreview"></bo-checkout-hold></div>';
    test.container.prepend(header);
    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    expect(header.querySelector('bo-checkout-hold')!.buttons).to.deep.equal([]);
    expect(shown(test.container.querySelector('.cart-actions')!.previousElementSibling)).to.equal(
      'Pan (gift wrapped): Only 6 can be ordered. Lower the quantity before checking out.',
    );
  });

  it('when the cart page stops, then checkout is no longer held', async () => {
    rerender([rows[0]!, rows[1]!, { ...rows[2]!, quantity: 7 }, rows[3]!]);
    await settle();
    stop();
    expect(test.container.querySelector('[data-primary-checkout-now-action]')!.hasAttribute('aria-disabled')).to.equal(false);
  });
});
