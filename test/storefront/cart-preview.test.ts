import { expect } from '@open-wc/testing';
import { startCartPreview } from '../../storefront/src/lib/cart-preview.ts';
import type { CartLine } from '../../storefront/src/lib/context.ts';
import { answer, PRODUCT, VARIANT } from './fixtures/answers.ts';
import { addedToCartPreview, cartPreviewContent, cartPreviewLink, previewModal } from './fixtures/cornerstone.ts';
import { announcementsSaid, liveRegions, recordAnnouncements, settle, setUpPage, shown, type TestPage } from './fixtures/page.ts';

const line = (id: string, productId: number, quantity: number, variantId = 0, size?: string): CartLine => ({
  id,
  productId,
  variantId,
  quantity,
  name: `Product ${productId}`,
  url: `https://store.example.com/product-${productId}/`,
  options: size ? [{ name: 'Size', value: size }] : [],
});

describe('header cart preview (Cornerstone 6.21)', () => {
  let test: TestPage;
  let stop: () => void;
  let cart: CartLine[];
  let reads = 0;

  beforeEach(async () => {
    reads = 0;
    cart = [line('a', PRODUCT.inStock, 5), line('b', PRODUCT.notAssigned, 1), line('c', PRODUCT.variants, 2, VARIANT.medium)];
    test = await setUpPage(cartPreviewLink + previewModal, answer({ backInStockDate: { show: false } }));
    stop = startCartPreview(test.page, test.ask, async () => (reads++, cart));
    await settle();
  });
  afterEach(() => {
    stop();
    test.remove();
  });

  const open = async (items: CartLine[], multipleAddresses = false) => {
    test.container.querySelector('#cart-preview-dropdown')!.innerHTML = cartPreviewContent(
      items.map((item) => ({ productId: item.productId, name: item.name, quantity: item.quantity })),
      multipleAddresses,
    );
    await settle();
    await settle();
  };
  const messages = () => [...test.container.querySelectorAll('.previewCartItem')].map((item) => shown(item.querySelector('bo-cart-line-message')));

  it('when the dropdown opens, then its items are matched to cart lines by link and get their messages', async () => {
    await open(cart);
    expect(messages()).to.deep.equal(['2 of 5 will be backordered.', '', '2 of 2 will be backordered.']);
    expect(reads).to.equal(1);
    await expect(test.container.querySelector('.previewCartItem bo-cart-line-message')!).to.be.accessible();
  });

  it('when it opens again after the cart changed, then the cart is read again and the messages follow', async () => {
    await open(cart);
    cart = [line('a', PRODUCT.inStock, 2)];
    await open(cart);
    expect(messages()).to.deep.equal(['']);
    expect(reads).to.equal(2);
  });

  it('when a cart line is above what can be ordered, even one the preview does not list, then its checkout button is held with the reason', async () => {
    cart = [line('a', PRODUCT.inStock, 5), line('c', PRODUCT.variants, 2, VARIANT.medium), line('d', PRODUCT.backorder, 9)];
    await open(cart.slice(0, 2));
    const checkout = test.container.querySelector<HTMLElement>('.previewCartAction-checkout a')!;
    expect(shown(test.container.querySelector('bo-checkout-hold'))).to.equal(
      `Product ${PRODUCT.backorder}: Only 4 can be ordered. Lower the quantity before checking out.`,
    );
    expect(checkout.getAttribute('aria-disabled')).to.equal('true');
    expect(test.container.querySelector<HTMLElement>('.previewCartAction-viewCart a')!.hasAttribute('aria-disabled')).to.equal(false);

    cart = [line('a', PRODUCT.inStock, 5)];
    await open(cart);
    const reopened = test.container.querySelector<HTMLElement>('.previewCartAction-checkout a')!;
    expect(shown(test.container.querySelector('bo-checkout-hold'))).to.equal('');
    expect(reopened.hasAttribute('aria-disabled')).to.equal(false);
  });

  it('when a line is above what can be ordered at the next open, then the reason is said once through the page’s one live region, not by a region born with the new dropdown, and not again at the open after', async () => {
    const reason = `Product ${PRODUCT.backorder}: Only 4 can be ordered. Lower the quantity before checking out.`;
    cart = [line('pan', PRODUCT.inStock, 1), line('kettle', PRODUCT.backorder, 2)];
    await open(cart);
    await announcementsSaid();
    const heard = recordAnnouncements();
    cart = [line('pan', PRODUCT.inStock, 1), line('kettle', PRODUCT.backorder, 9)];
    await open(cart);
    await announcementsSaid();
    await open(cart);
    await announcementsSaid();
    heard.stop();
    const hold = test.container.querySelector('bo-checkout-hold')!;
    expect(shown(hold)).to.equal(reason);
    expect(liveRegions(hold.shadowRoot!)).to.have.length(0);
    expect(heard.times('Only 4 can be ordered.')).to.equal(1);
    expect(heard.said).to.deep.equal([reason]);
  });

  it('when a size’s backordered units change at the next open, then what screen readers hear names the line with its options', async () => {
    cart = [line('s', PRODUCT.variants, 4, VARIANT.small, 'S'), line('m', PRODUCT.variants, 1, VARIANT.medium, 'M')];
    await open(cart);
    expect(messages()).to.deep.equal(['1 of 4 will be backordered.', '1 of 1 will be backordered.']);
    await announcementsSaid();
    const heard = recordAnnouncements();
    cart = [line('s', PRODUCT.variants, 4, VARIANT.small, 'S'), line('m', PRODUCT.variants, 3, VARIANT.medium, 'M')];
    await open(cart);
    await announcementsSaid();
    heard.stop();
    expect(heard.said).to.deep.equal([`Product ${PRODUCT.variants} (M): 3 of 3 will be backordered.`]);
  });

  it('when a size that was backordering is within stock at the next open, then what screen readers hear names the line and says none of it is backordered now; on load, nothing', async () => {
    cart = [line('s', PRODUCT.variants, 4, VARIANT.small, 'S'), line('m', PRODUCT.variants, 1, VARIANT.medium, 'M')];
    await open(cart);
    await announcementsSaid();
    const heard = recordAnnouncements();
    cart = [line('s', PRODUCT.variants, 2, VARIANT.small, 'S'), line('m', PRODUCT.variants, 1, VARIANT.medium, 'M')];
    await open(cart);
    await announcementsSaid();
    await open(cart);
    await announcementsSaid();
    heard.stop();
    expect(messages()).to.deep.equal(['', '1 of 1 will be backordered.']);
    expect(heard.said).to.deep.equal([`Product ${PRODUCT.variants} (S): None will be backordered now.`]);
  });

  it('when two sizes of one product are above what can be ordered, then the dropdown’s and the post-add modal’s holds name each line with its options', async () => {
    const reasons = [
      `Product ${PRODUCT.variants} (S): Only 8 can be ordered. Lower the quantity before checking out.`,
      `Product ${PRODUCT.variants} (M): Only 4 can be ordered. Lower the quantity before checking out.`,
    ].join(' ');
    cart = [line('s', PRODUCT.variants, 9, VARIANT.small, 'S'), line('m', PRODUCT.variants, 5, VARIANT.medium, 'M')];
    await open(cart);
    expect(shown(test.container.querySelector('#cart-preview-dropdown bo-checkout-hold'))).to.equal(reasons);
    const modal = test.container.querySelector('#previewModal .modal-content')!;
    modal.innerHTML = addedToCartPreview(`Product ${PRODUCT.variants}`, 5);
    await settle();
    await settle();
    expect(shown(modal.querySelector('bo-checkout-hold[surface="addedToCart"]'))).to.equal(reasons);
  });

  it('when the page asks about the cart’s products and the API keeps it waiting (busy), then the lines it knows get their messages and hold meanwhile', async () => {
    stop();
    stop = startCartPreview(
      test.page,
      () => new Promise<boolean>(() => {}),
      async () => cart,
    );
    cart = [line('a', PRODUCT.inStock, 5), line('d', PRODUCT.backorder, 9)];
    await open(cart);
    expect(messages()).to.deep.equal(['2 of 5 will be backordered.', 'Only 4 can be ordered. Lower the quantity before checking out.']);
    expect(test.container.querySelector('.previewCartAction-checkout a')!.getAttribute('aria-disabled')).to.equal('true');
  });

  it('when the store lets shoppers check out to multiple addresses, then that link is held with Check out now while a line is above what can be ordered', async () => {
    cart = [line('d', PRODUCT.backorder, 9)];
    await open(cart, true);
    const multiple = test.container.querySelector<HTMLElement>('.previewCartAction-checkoutMultiple a')!;
    expect(multiple.getAttribute('aria-disabled')).to.equal('true');
    expect(test.container.querySelector<HTMLElement>('.previewCartAction-checkout a')!.getAttribute('aria-disabled')).to.equal('true');

    cart = [line('d', PRODUCT.backorder, 2)];
    await open(cart, true);
    expect(test.container.querySelector<HTMLElement>('.previewCartAction-checkoutMultiple a')!.hasAttribute('aria-disabled')).to.equal(false);
  });

  it('when an add opens the post-add modal while a cart line is above what can be ordered, then its Proceed to checkout is held with the reason before it, until the line is lowered', async () => {
    const modal = test.container.querySelector('#previewModal .modal-content')!;
    const fill = async () => {
      modal.innerHTML = addedToCartPreview(`Product ${PRODUCT.notAssigned}`, 1);
      await settle();
      await settle();
    };
    cart = [line('d', PRODUCT.backorder, 9), line('b', PRODUCT.notAssigned, 1)];
    await fill();
    const checkout = modal.querySelector<HTMLElement>('.previewCartCheckout-checkoutButton')!;
    const hold = modal.querySelector('bo-checkout-hold[surface="addedToCart"]');
    expect(shown(hold)).to.equal(`Product ${PRODUCT.backorder}: Only 4 can be ordered. Lower the quantity before checking out.`);
    expect(hold!.nextElementSibling).to.equal(checkout);
    expect(checkout.getAttribute('aria-disabled')).to.equal('true');
    expect(modal.querySelector('.previewCartCheckout-additionalCheckoutButtons')!.getAttribute('aria-disabled')).to.equal('true');
    expect(modal.querySelector<HTMLElement>('.previewCartCheckout-viewCart')!.hasAttribute('aria-disabled')).to.equal(false);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    checkout.dispatchEvent(click);
    expect(click.defaultPrevented).to.equal(true);
    await expect(hold!).to.be.accessible();

    cart = [line('d', PRODUCT.backorder, 4), line('b', PRODUCT.notAssigned, 2)];
    await fill();
    expect(shown(modal.querySelector('bo-checkout-hold'))).to.equal('');
    expect(modal.querySelector<HTMLElement>('.previewCartCheckout-checkoutButton')!.hasAttribute('aria-disabled')).to.equal(false);
    expect(reads).to.equal(2);
  });
});
