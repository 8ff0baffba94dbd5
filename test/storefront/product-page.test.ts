import { expect, waitUntil } from '@open-wc/testing';
import { startProductViews, type ProductPage } from '../../storefront/src/lib/product-page.ts';
import { answer, OPTION, PRODUCT, VARIANT } from './fixtures/answers.ts';
import { addedToCartPreview, productView, quickViewModal } from './fixtures/cornerstone.ts';
import { announced, announcementsSaid, liveRegions, recordAnnouncements, settle, setUpPage, shown, type TestPage } from './fixtures/page.ts';
import { startCartPreview } from '../../storefront/src/lib/cart-preview.ts';
import type { CartLine } from '../../storefront/src/lib/context.ts';

const sizes = [
  { valueId: OPTION.small, label: 'S' },
  { valueId: OPTION.medium, label: 'M' },
];

describe('product page (Cornerstone 6.21)', () => {
  let test: TestPage;
  let product: ProductPage;

  /** The shopper's cart as the Storefront Cart API would give it; empty unless a test fills it. */
  let cart: CartLine[] = [];
  const inCart = (productId: number, quantity: number, variantId = 0): CartLine => ({
    id: `line-${productId}`,
    productId,
    variantId,
    quantity,
    name: 'P',
    url: '/p/',
  });

  async function start(markup: string, overrides: Parameters<typeof answer>[0] = { locale: 'en-US' }) {
    test = await setUpPage(markup, answer(overrides));
    product = startProductViews(test.page, test.ask, async () => cart);
    return test.container;
  }
  const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = test.container) => root.querySelector<T>(selector)!;

  /** The quantity message says `quantityText`, the button is held, and pressing it reaches no theme handler. */
  async function expectHeld(quantityText: string, addText: string) {
    await settle();
    let themeAdded = 0;
    const form = $<HTMLFormElement>('form[data-cart-item-add]');
    form.addEventListener('submit', (event) => (themeAdded++, event.preventDefault()));
    expect(shown($('bo-quantity-message'))).to.equal(quantityText);
    expect($('#form-action-addToCart').getAttribute('aria-disabled')).to.equal('true');
    form.requestSubmit();
    await settle();
    expect(themeAdded).to.equal(0);
    expect(shown($('bo-add-to-cart-message'))).to.equal(addText);
  }

  afterEach(() => {
    cart = [];
    product?.stop();
    test?.remove();
  });

  it('when the product is on backorder, then every part sits at its anchor and the button is relabelled', async () => {
    const root = await start(productView({ productId: PRODUCT.backorder }));
    await settle();
    expect($('.productView-price').nextElementSibling!.localName).to.equal('bo-inventory-description');
    expect($('.form-field--increments').nextElementSibling!.localName).to.equal('bo-quantity-message');
    expect($('.add-to-cart-buttons').nextElementSibling!.localName).to.equal('bo-add-to-cart-message');
    expect($('bo-add-to-cart-message').nextElementSibling!.localName).to.equal('bo-shipping-description');
    expect(shown($('bo-inventory-description'))).to.equal('Out of stock – available on backorder Expected back in stock on March 14, 2030.');
    expect(shown($('bo-quantity-message'))).to.equal('1 of 1 will be backordered.');
    expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Backorder');
    for (const tag of ['bo-inventory-description', 'bo-quantity-message', 'bo-shipping-description']) await expect($(tag, root)).to.be.accessible();
  });

  it('when Cornerstone ≥ 6.19 renders its native backorder texts, then they are hidden for our product', async () => {
    await start(productView({ productId: PRODUCT.backorder }));
    await settle();
    expect(getComputedStyle($('[data-product-backordered]')).display).to.equal('none');
    expect(getComputedStyle($('[data-backorder-prompt]')).display).to.equal('none');
  });

  it('when the shopper types or steps the quantity, then the messages follow live', async () => {
    await start(productView({ productId: PRODUCT.inStock }));
    await settle();
    const qty = $<HTMLInputElement>('input[name="qty[]"]');
    expect(shown($('bo-quantity-message'))).to.equal('');
    qty.value = '5';
    qty.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(shown($('bo-quantity-message'))).to.equal('2 of 5 will be backordered.');
    expect(shown($('bo-shipping-description'))).to.contain('Backordered items ship as soon as they are back in stock.');
    // Cornerstone's +/- buttons set the value from jQuery: no input event reaches us.
    $('[data-action="inc"]').addEventListener('click', () => (qty.value = String(Number(qty.value) + 1)));
    $('[data-action="inc"]').click();
    await settle();
    expect(shown($('bo-quantity-message'))).to.equal('3 of 6 will be backordered.');
  });

  it('when the quantity is over what can be ordered, then add-to-cart is held back with a message', async () => {
    await start(productView({ productId: PRODUCT.backorder, quantity: 5 }));
    await expectHeld('Only 4 can be ordered.', '5 could not be added: only 4 can be ordered. Lower the quantity and try again.');
  });

  it('when the quantity is over what can be ordered, then the wallet buttons are held whole: a click buys nothing until it is lowered', async () => {
    await start(productView({ productId: PRODUCT.backorder, quantity: 5 }));
    await settle();
    const wallets = $('[data-add-to-cart-wallet-buttons]');
    const payPal = $('[data-wallet="paypal"]');
    let paid = 0;
    payPal.addEventListener('click', () => paid++);
    expect(wallets.getAttribute('aria-disabled')).to.equal('true');
    // Inert: a keyboard cannot tab into a wallet's frame, where no click would be seen.
    expect(wallets.inert).to.equal(true);
    // A wallet button's iframe gets no pointer events: the held container takes the click, and it goes nowhere.
    expect(getComputedStyle(payPal).pointerEvents).to.equal('none');
    payPal.click();
    expect(paid).to.equal(0);

    const qty = $<HTMLInputElement>('input[name="qty[]"]');
    qty.value = '4';
    qty.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(wallets.hasAttribute('aria-disabled')).to.equal(false);
    expect(wallets.inert).to.equal(false);
    expect(getComputedStyle(payPal).pointerEvents).to.equal('auto');
    payPal.click();
    expect(paid).to.equal(1);
  });

  it('when a Custom profile names where the theme puts its wallet buttons, then that container is held', async () => {
    const markup = productView({ productId: PRODUCT.backorder, quantity: 5 }).replace(
      'class="add-to-cart-wallet-buttons" data-add-to-cart-wallet-buttons',
      'class="buy-now-buttons"',
    );
    await start(markup, { locale: 'en-US', themeProfile: 'custom', customSelectors: { walletButtons: '.buy-now-buttons' } });
    await settle();
    const wallets = $('.buy-now-buttons');
    expect(wallets.getAttribute('aria-disabled')).to.equal('true');
    expect(wallets.inert).to.equal(true);
  });

  it('when the product views stop, then the buttons and wallet buttons they held are released', async () => {
    await start(productView({ productId: PRODUCT.backorder, quantity: 5 }));
    await settle();
    expect($('[data-add-to-cart-wallet-buttons]').hasAttribute('data-bo-held')).to.equal(true);
    expect($('#form-action-addToCart').getAttribute('aria-disabled')).to.equal('true');
    product.stop();
    expect($('[data-add-to-cart-wallet-buttons]').hasAttribute('data-bo-held')).to.equal(false);
    expect($('#form-action-addToCart').hasAttribute('aria-disabled')).to.equal(false);
  });

  it('when the cart already holds units of the item, then what can still be ordered counts them and the add is held', async () => {
    cart = [inCart(PRODUCT.backorder, 3)];
    await start(productView({ productId: PRODUCT.backorder, quantity: 2 }));
    // The cart is read after the views start: on a busy machine, a few ticks later than the page's first render.
    await waitUntil(() => shown($('bo-quantity-message')).startsWith('You have 3 in your cart'), 'the cart was counted');
    await expectHeld('You have 3 in your cart; only 1 more can be ordered.', '2 could not be added: you have 3 in your cart and only 1 more can be ordered.');
  });

  it('when the cart already took the units on hand, then the chosen quantity is told it will be backordered', async () => {
    cart = [inCart(PRODUCT.inStock, 2)];
    await start(productView({ productId: PRODUCT.inStock, quantity: 2 }));
    await waitUntil(() => shown($('bo-quantity-message')) !== '', 'the cart was counted');
    expect(shown($('bo-quantity-message'))).to.equal('1 of 2 will be backordered.');
    expect(shown($('bo-shipping-description'))).to.contain('Backordered items ship as soon as they are back in stock.');
  });

  it('when an add to cart goes through, then the cart is read again and the next add counts what was added', async () => {
    await start(productView({ productId: PRODUCT.backorder, quantity: 3 }));
    await settle();
    expect(shown($('bo-quantity-message'))).to.equal('3 of 3 will be backordered.');
    // The theme adds through stencil-utils; the request is all the components see of it.
    cart = [inCart(PRODUCT.backorder, 3)];
    await fetch('/remote/v1/cart/add', { method: 'POST' }).catch(() => undefined);
    await waitUntil(() => shown($('bo-quantity-message')).startsWith('You have 3'), 'the cart was not read again after the add');
    expect(shown($('bo-quantity-message'))).to.equal('You have 3 in your cart; only 1 more can be ordered.');
    expect($('#form-action-addToCart').getAttribute('aria-disabled')).to.equal('true');
  });

  it('when the added quantity includes backordered units, then the message shows in the preview modal once the theme fills it, and is announced', async () => {
    await announcementsSaid();
    await start(productView({ productId: PRODUCT.inStock, quantity: 5 }));
    await settle();
    const form = $<HTMLFormElement>('form[data-cart-item-add]');
    let themeAdded = 0;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      themeAdded++;
      setTimeout(() => ($('#previewModal .modal-content').innerHTML = addedToCartPreview('Fixture product 101', 5)), 20);
    });
    form.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await settle();
    expect(themeAdded).to.equal(1);
    const message = $('#previewModal .modal-body > bo-add-to-cart-message');
    expect(shown(message)).to.equal('2 of the 5 added to your cart will be backordered.');
    await expect(message).to.be.accessible();
    // Placed anew in the window the theme just filled: said through the page's live region, which stays.
    await waitUntil(() => announced() === '2 of the 5 added to your cart will be backordered.', 'the added message was not announced');
  });

  it('when the cart preview then holds the post-add modal’s checkout, then the added message is still there and heard once', async () => {
    await announcementsSaid();
    await start(productView({ productId: PRODUCT.inStock, quantity: 5 }));
    // The product page also runs the cart preview, which places its checkout hold in the same modal.
    const stopPreview = startCartPreview(test.page, test.ask, async () => [inCart(PRODUCT.inStock, 5)]);
    await settle();
    const heard = recordAnnouncements();
    const form = $<HTMLFormElement>('form[data-cart-item-add]');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      setTimeout(() => ($('#previewModal .modal-content').innerHTML = addedToCartPreview('Fixture product 101', 5)), 20);
    });
    form.requestSubmit();
    const text = '2 of the 5 added to your cart will be backordered.';
    await waitUntil(() => $('#previewModal bo-checkout-hold'), 'the cart preview placed no hold in the modal');
    await new Promise((resolve) => setTimeout(resolve, 300));
    heard.stop();
    stopPreview();
    expect(test.container.querySelectorAll('#previewModal bo-add-to-cart-message')).to.have.length(1);
    expect(shown($('#previewModal bo-add-to-cart-message'))).to.equal(text);
    expect(heard.times(text)).to.equal(1);
  });

  it('when the shopper adds again while the first add’s modal is watched, then the modal shows the second add’s message and the page goes on', async () => {
    await start(productView({ productId: PRODUCT.inStock, quantity: 5 }));
    await settle();
    const form = $<HTMLFormElement>('form[data-cart-item-add]');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      setTimeout(() => ($('#previewModal .modal-content').innerHTML = addedToCartPreview('Fixture product 101', 5)), 20);
    });
    form.requestSubmit();
    await waitUntil(() => shown($('#previewModal bo-add-to-cart-message')), 'the first add showed no message');
    const qty = $<HTMLInputElement>('input[name="qty[]"]');
    qty.value = '4';
    qty.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    // Before, both adds' watches put their own message back in turn, for ever: the page hung here.
    form.requestSubmit();
    await waitUntil(() => shown($('#previewModal bo-add-to-cart-message')).startsWith('1 of the 4'), 'the second add’s message was not shown');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(test.container.querySelectorAll('#previewModal bo-add-to-cart-message')).to.have.length(1);
    expect(shown($('#previewModal bo-add-to-cart-message'))).to.equal('1 of the 4 added to your cart will be backordered.');
  });

  it('when two sizes are added one after the other, then each post-add message is heard with the line’s name and size, as the cart names it', async () => {
    await announcementsSaid();
    await start(productView({ productId: PRODUCT.variants, sizes, quantity: 5 }));
    await settle();
    const heard = recordAnnouncements();
    const line = (variantId: number, size: string, quantity: number): CartLine => ({
      ...inCart(PRODUCT.variants, quantity, variantId),
      id: `line-${variantId}`,
      name: 'Linen T-Shirt',
      options: [{ name: 'Size', value: size }],
    });
    const form = $<HTMLFormElement>('form[data-cart-item-add]');
    // The theme's add: the cart holds the new line, then the modal is filled with the cart preview.
    let added: CartLine[] = [];
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      cart = added;
      setTimeout(() => ($('#previewModal .modal-content').innerHTML = addedToCartPreview('Linen T-Shirt', 5)), 20);
    });
    const addSize = async (valueId: number, quantity: number, expected: string) => {
      const size = $<HTMLInputElement>(`input[value="${valueId}"]`);
      size.checked = true;
      size.dispatchEvent(new Event('change', { bubbles: true }));
      const qty = $<HTMLInputElement>('input[name="qty[]"]');
      qty.value = String(quantity);
      qty.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
      form.requestSubmit();
      await waitUntil(() => heard.said.some((said) => said.includes(expected)), `"${expected}" was not heard`);
    };
    added = [line(VARIANT.small, 'S', 5)];
    await addSize(OPTION.small, 5, 'Linen T-Shirt (S): 2 of the 5 added to your cart will be backordered.');
    added = [line(VARIANT.small, 'S', 5), line(VARIANT.medium, 'M', 2)];
    await addSize(OPTION.medium, 2, 'Linen T-Shirt (M): 2 of the 2 added to your cart will be backordered.');
    heard.stop();
    // What the modal shows is the merchant's text alone: the theme's modal already shows the line.
    expect(shown($('#previewModal bo-add-to-cart-message'))).to.equal('2 of the 2 added to your cart will be backordered.');
  });

  it('when the shopper picks another variant, then what changed is said in one announcement, availability first, and the messages keep no live region each', async () => {
    await announcementsSaid();
    const heard = recordAnnouncements();
    await start(productView({ productId: PRODUCT.variants, sizes }));
    await settle();
    await announcementsSaid();
    // What the messages say first is read with the page.
    expect(heard.said).to.deep.equal([]);
    const medium = $<HTMLInputElement>(`input[value="${OPTION.medium}"]`);
    medium.checked = true;
    medium.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    await announcementsSaid();
    heard.stop();
    const availability = shown($('bo-inventory-description'));
    const quantity = shown($('bo-quantity-message'));
    expect(availability).to.match(/^Out of stock – available on backorder Expected back in stock on/);
    expect(quantity).to.equal('1 of 1 will be backordered.');
    expect(heard.said).to.deep.equal([[availability, quantity, shown($('bo-shipping-description'))].join(' ')]);
    // Only the theme's own quantity field is a live region in the view: no message speaks apart from the one announcement.
    expect(liveRegions(test.container).map((region) => region.localName)).to.deep.equal(['input']);

    // A quantity, then a variant, within one announcement's moment: the shipping description, empty now (more than can
    // be ordered), takes back what it had not said yet.
    const small = $<HTMLInputElement>(`input[value="${OPTION.small}"]`);
    small.checked = true;
    small.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    await announcementsSaid();
    const later = recordAnnouncements();
    const qty = $<HTMLInputElement>('input[name="qty[]"]');
    qty.value = '5';
    qty.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(shown($('bo-shipping-description'))).to.contain('Backordered items ship');
    medium.checked = true;
    medium.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    await announcementsSaid();
    later.stop();
    expect(shown($('bo-quantity-message'))).to.equal('Only 4 can be ordered.');
    expect(shown($('bo-shipping-description'))).to.equal('');
    expect(later.said).to.deep.equal([`Only 4 can be ordered. ${shown($('bo-inventory-description'))}`]);
  });

  it('when the shopper picks another variant, then the item, messages and button change without a reload', async () => {
    await start(productView({ productId: PRODUCT.variants, sizes }));
    await settle();
    expect(shown($('bo-inventory-description'))).to.equal('In stock');
    expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Add to Cart');
    const medium = $<HTMLInputElement>(`input[value="${OPTION.medium}"]`);
    medium.checked = true;
    medium.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(shown($('bo-inventory-description'))).to.match(/^Out of stock – available on backorder/);
    expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Backorder');
  });

  it('when a product tracked as a whole has a variant the merchant disabled, then choosing it shows nothing and the theme’s button stays', async () => {
    // Size M (variant 9502) disabled in BigCommerce: BigCommerce shows the merchant's message and refuses it.
    const overrides = answer({ locale: 'en-US' });
    overrides.products[PRODUCT.backorder]!.disabledVariants = { 9502: { options: [[OPTION.size, OPTION.medium]] } };
    test = await setUpPage(productView({ productId: PRODUCT.backorder, sizes }), overrides);
    product = startProductViews(test.page, test.ask, async () => cart);
    await settle();
    expect(shown($('bo-inventory-description'))).to.match(/^Out of stock – available on backorder/);
    const pick = (valueId: number) => {
      const input = $<HTMLInputElement>(`input[value="${valueId}"]`);
      input.checked = true;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return settle();
    };
    await pick(OPTION.medium);
    expect(shown($('bo-inventory-description'))).to.equal('');
    expect(shown($('bo-quantity-message'))).to.equal('');
    expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Add to Cart');
    await pick(OPTION.small);
    expect(shown($('bo-inventory-description'))).to.match(/^Out of stock – available on backorder/);
    expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Backorder');
    // Told by the theme's event alone, too.
    document.dispatchEvent(new CustomEvent('onProductOptionsChanged', { bubbles: true, detail: { data: { v3_variant_id: 9502 } } }));
    await settle();
    expect(shown($('bo-inventory-description'))).to.equal('');
  });

  it('when the shopper goes back to "Choose Options" or picks a size none of the variants has, then the parts empty and the theme’s button comes back', async () => {
    await start(productView({ productId: PRODUCT.variants }));
    const choose = (value: string) => {
      const select = $<HTMLSelectElement>('select[name="attribute[12]"]');
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return settle();
    };
    // Cornerstone's set-select: a "Choose Options" entry first, chosen until the shopper picks a size.
    $('[data-product-option-change]').innerHTML = `<div class="form-field" data-product-attribute="set-select">
        <select class="form-select" name="attribute[12]" required>
          <option value="">Choose Options</option>
          <option value="${OPTION.small}">S</option><option value="${OPTION.medium}">M</option><option value="63">XL</option>
        </select>
      </div>`;
    await choose(String(OPTION.medium));
    expect(shown($('bo-inventory-description'))).to.match(/^Out of stock – available on backorder/);
    expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Backorder');
    for (const value of ['', '63']) {
      await choose(value);
      expect(shown($('bo-inventory-description'))).to.equal('');
      expect(shown($('bo-quantity-message'))).to.equal('');
      expect($<HTMLInputElement>('#form-action-addToCart').value).to.equal('Add to Cart');
      await choose(String(OPTION.medium));
    }
  });

  for (const [shape, detail] of [
    ['6.20+ (detail.data)', { content: '<div>rates</div>', data: { v3_variant_id: VARIANT.medium, instock: true, purchasable: true } }],
    ['6.13–6.19 (swapped)', { content: { v3_variant_id: VARIANT.medium, instock: true, purchasable: true }, data: '<div>rates</div>' }],
  ] as const) {
    it(`when Cornerstone reports the variant in onProductOptionsChanged, ${shape}, then that variant is shown`, async () => {
      // No option inputs the answer can match: only the theme's event tells the variant.
      await start(productView({ productId: PRODUCT.variants }));
      await settle();
      expect(shown($('bo-inventory-description'))).to.equal('');
      document.dispatchEvent(new CustomEvent('onProductOptionsChanged', { bubbles: true, detail }));
      await settle();
      expect(shown($('bo-inventory-description'))).to.match(/^Out of stock/);
      // A form whose options cannot be read says nothing against the reported variant.
      $('input[name="qty[]"]').dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
      expect(shown($('bo-inventory-description'))).to.match(/^Out of stock/);
    });
  }

  it('when a quick view opens with the page’s ids repeated, then it gets its own parts and keeps to itself', async () => {
    await start(productView({ productId: PRODUCT.inStock }));
    await settle();
    test.container.insertAdjacentHTML('beforeend', quickViewModal({ productId: PRODUCT.backorder }));
    await settle();
    expect(product.views()).to.have.length(2);
    const quick = $('.quickView');
    const buttons = test.container.querySelectorAll<HTMLInputElement>('[id="form-action-addToCart"]');
    expect([...buttons].map((button) => button.value)).to.deep.equal(['Add to Cart', 'Backorder']);
    const qty = $<HTMLInputElement>('input[name="qty[]"]', quick);
    qty.value = '3';
    qty.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(shown($('bo-quantity-message', quick))).to.equal('3 of 3 will be backordered.');
    expect(shown($('.productView:not(.productView--quickView) bo-quantity-message'))).to.equal('');
    $('#modal').remove();
    await settle();
    expect(product.views()).to.have.length(1);
  });

  it('when a quick view’s product was not in the answer, then it is asked for, not shown blind', async () => {
    await start(quickViewModal({ productId: PRODUCT.notAssigned }));
    await settle();
    expect(test.asked).to.deep.equal([String(PRODUCT.notAssigned)]);
    expect(test.container.querySelector('bo-inventory-description')).to.equal(null);
  });

  it('when a theme snippet already placed a component, then the loader does not place a second one', async () => {
    const markup = productView({ productId: PRODUCT.backorder }).replace(
      '<div data-content-region="product_below_price"></div>',
      `<bo-inventory-description product-id="${PRODUCT.backorder}"></bo-inventory-description>`,
    );
    await start(markup);
    await settle();
    expect(test.container.querySelectorAll('bo-inventory-description')).to.have.length(1);
    expect(shown($('bo-inventory-description'))).to.match(/^Out of stock/);
  });
});
