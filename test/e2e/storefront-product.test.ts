/**
 * Issue 7 end to end, on product and listing pages: the app installed in a sandbox store (its Script Manager
 * scripts registered by the install job), products on backorder in every state, and Chromium on the store's
 * Cornerstone-shaped storefront — the messages shoppers see, how they follow the quantity and the variant,
 * add-to-cart held back above the cap, quick view, card badges, and axe-core on everything the app placed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, PRODUCTS, shopSuite, shown, waitShown, type Shop, type ShopperTab } from '../helpers/storefront-shop.ts';

const suite = shopSuite();
let shop: Shop;
let tab: ShopperTab;
beforeAll(() => ({ shop, tab } = suite));

const VIEW = '.productView:not(#previewModal .productView)';
const inventory = `${VIEW} bo-inventory-description`;
const shipping = `${VIEW} bo-shipping-description`;
const quantityMessage = `${VIEW} bo-quantity-message`;
const actionMessage = `${VIEW} bo-add-to-cart-message`;
const button = `${VIEW} #form-action-addToCart`;

/** Types a quantity as a shopper does (the theme and the app both hear the keyup). */
async function typeQuantity(quantity: number, scope = VIEW): Promise<void> {
  const input = tab.page.locator(`${scope} input[name="qty[]"]`);
  await input.fill('');
  await input.pressSequentially(String(quantity));
}

/** The app's components are placed once the page's entry has run. */
async function mounted(): Promise<void> {
  await tab.page.waitForSelector(`${VIEW}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
}

describe('the storefront on product pages', () => {
  it('when a product page loads, then the loader asks the storefront API once, for it and its related products, and loads only the product entry', async () => {
    await tab.open(PRODUCTS.inStock.path);
    await mounted();
    const related = await tab.page.$$eval('#tab-related article.card', (cards) => cards.map((card) => Number(card.getAttribute('data-entity-id'))));
    expect(related).toContain(PRODUCTS.backorder.id);
    expect(tab.apiRequests).toHaveLength(1);
    expect(new URL(tab.apiRequests[0]!).searchParams.get('products')).toBe([PRODUCTS.inStock.id, ...related].sort((a, b) => a - b).join(','));
    expect(tab.appScripts.some((script) => /^\/storefront\/product-[\w-]+\.js$/.test(script))).toBe(true);
    expect(tab.appScripts.filter((script) => /checkout|listing|cart/.test(script))).toEqual([]);
  });

  it('when the product is in stock and may be backordered, then it reads in stock and the quantity message follows every change', async () => {
    await waitShown(tab.page, inventory, 'In stock');
    expect(await shown(tab.page, quantityMessage)).toBe('');
    expect(await shown(tab.page, shipping)).toBe('');
    expect(await tab.page.inputValue(button)).toBe('Add to Cart');
    expect(await tab.page.getAttribute(button, 'data-bo-backorder')).toBeNull();

    for (let i = 0; i < 3; i++) await tab.page.click(`${VIEW} [data-quantity-change] [data-action="inc"]`);
    await waitShown(tab.page, quantityMessage, '1 of 4 will be backordered.');
    await waitShown(tab.page, shipping, 'Backordered items ship as soon as they are back in stock.');
    await typeQuantity(6);
    await waitShown(tab.page, quantityMessage, '3 of 6 will be backordered.');
    await tab.page.click(`${VIEW} [data-quantity-change] [data-action="dec"]`);
    await waitShown(tab.page, quantityMessage, '2 of 5 will be backordered.');
  });

  it('when more is asked for than can be ordered, then "Only N can be ordered" shows and the add is held back with a message', async () => {
    await typeQuantity(9);
    await waitShown(tab.page, quantityMessage, 'Only 8 can be ordered.');
    expect(await tab.page.getAttribute(button, 'aria-disabled')).toBe('true');
    // aria-disabled, not disabled: the shopper can still press it, and is told why nothing was added.
    await tab.page.click(button, { force: true });
    await waitShown(tab.page, actionMessage, '9 could not be added: only 8 can be ordered. Lower the quantity and try again.');
    await tab.page.waitForTimeout(500);
    expect(await tab.page.textContent('.cart-quantity')).toBe('0');
    expect(await tab.page.isVisible('#previewModal')).toBe(false);
  });

  it('when more is asked for than can be ordered, then the wallet buttons are held whole: a click on them buys nothing until it is lowered', async () => {
    const wallets = `${VIEW} [data-add-to-cart-wallet-buttons]`;
    // BigCommerce's payment scripts render PayPal / Apple Pay into Cornerstone's container; a stand-in counts its clicks.
    await tab.page.$eval(wallets, (container) => {
      container.innerHTML = '<button type="button" data-wallet="paypal">PayPal</button>';
      container.firstElementChild!.addEventListener('click', () => (container.dataset['paid'] = String(Number(container.dataset['paid'] ?? 0) + 1)));
    });
    const paid = () => tab.page.$eval(wallets, (container) => Number(container.dataset['paid'] ?? 0));
    expect(await shown(tab.page, quantityMessage)).toBe('Only 8 can be ordered.');
    expect(await tab.page.getAttribute(wallets, 'aria-disabled')).toBe('true');
    // Where the shopper's pointer lands: the held container, not the button (an iframe on a real store).
    await tab.page.click(`${wallets} [data-wallet]`, { force: true });
    expect(await paid()).toBe(0);

    await typeQuantity(8);
    await waitShown(tab.page, quantityMessage, '5 of 8 will be backordered.');
    expect(await tab.page.getAttribute(wallets, 'aria-disabled')).toBeNull();
    await tab.page.click(`${wallets} [data-wallet]`);
    expect(await paid()).toBe(1);
  });

  it('when the quantity is lowered and added, then the added modal says how many of them are backordered', async () => {
    await typeQuantity(5);
    await waitShown(tab.page, quantityMessage, '2 of 5 will be backordered.');
    expect(await tab.page.getAttribute(button, 'aria-disabled')).toBeNull();
    await waitShown(tab.page, actionMessage, '');
    await tab.page.click(button);
    await tab.page.waitForSelector('#previewModal.open .productView-title');
    await waitShown(tab.page, '#previewModal bo-add-to-cart-message', '2 of the 5 added to your cart will be backordered.');
    // Heard with the line it went to, as the cart names it, once the cart read after the add names it.
    await tab.page.waitForFunction(
      (said) => document.querySelector('body > [data-bo-announcer]')?.textContent?.includes(said),
      `${PRODUCTS.inStock.name}: 2 of the 5 added to your cart will be backordered.`,
    );
    expect(await tab.page.textContent('.cart-quantity')).toBe('5');
    expect(await axeViolations(tab.page)).toEqual([]);
    await tab.page.click('#previewModal .modal-close');
  });

  it('when a related product opens in quick view on the product page, then each view keeps its own messages though their ids repeat', async () => {
    const { id } = PRODUCTS.backorder;
    const quick = '#modal .quickView .productView';
    await tab.open(PRODUCTS.inStock.path);
    await mounted();
    await waitShown(tab.page, `#tab-related article.card[data-entity-id="${id}"] bo-card-badge`, 'Backorder');
    await tab.page.click(`#tab-related article.card[data-entity-id="${id}"] button.quickview`);
    await tab.page.waitForSelector(`${quick}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    expect(await tab.page.locator('[id="form-action-addToCart"]').count()).toBe(2);
    await waitShown(tab.page, `${quick} bo-inventory-description`, 'Out of stock – available on backorder Expected back in stock on March 15, 2031.');
    await typeQuantity(2, quick);
    await waitShown(tab.page, `${quick} bo-quantity-message`, '2 of 2 will be backordered.');
    // The page's own view is untouched by what happens in the quick view. The cart already holds 5 of its
    // 3 on hand (the test before), so its one unit is backordered.
    await waitShown(tab.page, inventory, 'In stock');
    expect(await shown(tab.page, quantityMessage)).toBe('1 of 1 will be backordered.');
    expect(await tab.page.inputValue(button)).toBe('Add to Cart');
    await tab.page.click(`${quick} #form-action-addToCart`);
    await tab.page.waitForSelector('[id="previewModal"].open .productView-title');
    await waitShown(tab.page, '[id="previewModal"].open bo-add-to-cart-message', '2 of the 2 added to your cart will be backordered.');
    expect(await tab.page.textContent('.cart-quantity')).toBe('7');
    await tab.page.click('[id="previewModal"].open .modal-close');
    expect(tab.apiRequests).toHaveLength(1);
    expect(tab.errors).toEqual([]);
  });

  it('when nothing is on hand but it can be backordered, then the page says so with the date and the button reads Backorder in AA colours', async () => {
    await tab.open(PRODUCTS.backorder.path);
    await mounted();
    const eta = 'Expected back in stock on March 15, 2031.';
    await waitShown(tab.page, inventory, `Out of stock – available on backorder ${eta}`);
    await waitShown(tab.page, quantityMessage, '1 of 1 will be backordered.');
    await waitShown(tab.page, shipping, `Backordered items ship as soon as they are back in stock. ${eta}`);
    expect(await tab.page.inputValue(button)).toBe('Backorder');
    const colours = await tab.page.$eval(button, (b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
    expect(colours).toEqual(['rgb(138, 75, 0)', 'rgb(255, 255, 255)']);
    // The messages are no live region each: a change is heard as one announcement through the page's one region.
    expect(await tab.page.$eval(quantityMessage, (e) => e.shadowRoot!.querySelector('[part~="message"]')!.getAttribute('aria-live'))).toBe(null);
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when the theme shows its own backorder texts in a view the app handles, then they are hidden so nothing contradicts', async () => {
    await tab.page.evaluate((view) => {
      const backordered = document.querySelector<HTMLElement>(`${view} [data-product-backordered]`)!;
      backordered.querySelector('[data-qty-backordered-message]')!.textContent = '1 will be backordered';
      backordered.style.display = 'block'; // what Cornerstone 6.20's updateBackorder does with $.show()
    }, VIEW);
    expect(await tab.page.isVisible(`${VIEW} [data-product-backordered]`)).toBe(false);
  });

  it('when the product is sold out, then it reads sold out and nothing invites to order', async () => {
    await tab.open(PRODUCTS.soldOut.path);
    await mounted();
    await waitShown(tab.page, inventory, 'Sold out');
    expect(await shown(tab.page, quantityMessage)).toBe('');
    expect(await shown(tab.page, shipping)).toBe('');
    expect(await tab.page.inputValue(button)).toBe('Add to Cart');
    // Selling stopped in BigCommerce (the app disabled purchasing): the theme disabled and hid the button.
    await tab.page.waitForSelector(`${button}[disabled]`, { state: 'attached' });
    expect(await tab.page.isVisible(button)).toBe(false);
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when the shopper switches variants, then every message and the button follow without a reload', async () => {
    const { id, path } = PRODUCTS.byVariant;
    await tab.open(path);
    await mounted();
    await tab.page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    expect(await shown(tab.page, inventory)).toBe('');
    const size = (label: string) => tab.page.click(`${VIEW} label[data-product-attribute-value="${shop.optionValue(id, 'Size', label)}"]`);

    await size('S');
    await waitShown(tab.page, inventory, 'In stock');
    expect(await tab.page.inputValue(button)).toBe('Add to Cart');
    await typeQuantity(4);
    await waitShown(tab.page, quantityMessage, '1 of 4 will be backordered.');

    await size('L');
    await waitShown(tab.page, inventory, 'Out of stock – available on backorder Expected back in stock on April 2, 2031.');
    await waitShown(tab.page, quantityMessage, 'Only 2 can be ordered.');
    // Heard as one: the availability, then the quantity message.
    await tab.page.waitForFunction(
      (said) => document.querySelector('body > [data-bo-announcer]')?.textContent === said,
      'Out of stock – available on backorder Expected back in stock on April 2, 2031. Only 2 can be ordered.',
    );
    await tab.page.waitForFunction((b) => (document.querySelector(b) as HTMLInputElement).value === 'Backorder', button);
    expect(await tab.page.getAttribute(button, 'aria-disabled')).toBe('true');
    await typeQuantity(2);
    await waitShown(tab.page, quantityMessage, '2 of 2 will be backordered.');

    await size('XL');
    await waitShown(tab.page, inventory, 'Sold out');
    expect(await shown(tab.page, quantityMessage)).toBe('');

    await size('M');
    await waitShown(tab.page, inventory, 'In stock');
    await waitShown(tab.page, quantityMessage, '');
    await tab.page.waitForFunction((b) => (document.querySelector(b) as HTMLInputElement).value === 'Add to Cart', button);
    expect(await tab.page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    expect(tab.apiRequests).toHaveLength(1);
    expect(await axeViolations(tab.page)).toEqual([]);
  });
});

describe('the storefront on listing pages', () => {
  it('when the home page lists products, then one request asks about every product on it and the cards carry badges', async () => {
    await tab.open('/');
    const ids = await tab.page.$$eval('article.card', (cards) => cards.map((card) => Number(card.getAttribute('data-entity-id'))));
    expect(ids.length).toBe(12);
    await tab.page.waitForSelector(`article.card[data-entity-id="${PRODUCTS.backorder.id}"] bo-card-badge`);
    expect(tab.apiRequests).toHaveLength(1);
    expect(new URL(tab.apiRequests[0]!).searchParams.get('products')!.split(',').map(Number)).toEqual([...ids].sort((a, b) => a - b));
    const badge = (id: number) => shown(tab.page, `article.card[data-entity-id="${id}"] bo-card-badge`);
    expect(await badge(PRODUCTS.backorder.id)).toBe('Backorder');
    expect(await badge(PRODUCTS.soldOut.id)).toBe('Sold out');
    expect(await badge(PRODUCTS.inStock.id)).toBe('');
    expect(tab.appScripts.some((script) => /^\/storefront\/listing-[\w-]+\.js$/.test(script))).toBe(true);
    expect(tab.appScripts.filter((script) => /checkout|product-/.test(script))).toEqual([]);
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when search results and a brand page list the products, then their cards carry the same badges', async () => {
    for (const path of ['/search.php?search_query=orbit', '/brands/ofs/']) {
      await tab.open(path);
      await tab.page.waitForSelector(`article.card[data-entity-id="${PRODUCTS.backorder.id}"] bo-card-badge`, { state: 'attached' });
      await waitShown(tab.page, `article.card[data-entity-id="${PRODUCTS.backorder.id}"] bo-card-badge`, 'Backorder');
      expect(await shown(tab.page, `article.card[data-entity-id="${PRODUCTS.inStock.id}"] bo-card-badge`)).toBe('');
      expect(tab.apiRequests).toHaveLength(1);
    }
  });

  it('when quick view opens on a category page, then its own view gets the messages and the held-back add, apart from the page', async () => {
    const { id } = PRODUCTS.quickView;
    const quick = '#modal .quickView .productView';
    await tab.open('/bath/');
    await tab.page.waitForSelector(`article.card[data-entity-id="${id}"] bo-card-badge`);
    expect(await shown(tab.page, `article.card[data-entity-id="${id}"] bo-card-badge`)).toBe('Backorder');

    await tab.page.click(`article.card[data-entity-id="${id}"] button.quickview`);
    await tab.page.waitForSelector(`${quick}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    await waitShown(tab.page, `${quick} bo-inventory-description`, 'Out of stock – available on backorder');
    await tab.page.waitForFunction((q) => (document.querySelector(`${q} #form-action-addToCart`) as HTMLInputElement).value === 'Backorder', quick);
    await typeQuantity(4, quick);
    await waitShown(tab.page, `${quick} bo-quantity-message`, 'Only 3 can be ordered.');
    await typeQuantity(2, quick);
    await waitShown(tab.page, `${quick} bo-quantity-message`, '2 of 2 will be backordered.');
    expect(await axeViolations(tab.page)).toEqual([]);
    await tab.page.click(`${quick} #form-action-addToCart`);
    await tab.page.waitForSelector('#previewModal.open .productView-title');
    await waitShown(tab.page, '#previewModal bo-add-to-cart-message', '2 of the 2 added to your cart will be backordered.');

    // A second quick view repeats every id again (#previewModal included): only its own parts answer.
    await tab.page.click('#previewModal .modal-close');
    await tab.page.click(`article.card[data-entity-id="${id}"] button.quickview`);
    await tab.page.waitForSelector(`${quick}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    await waitShown(tab.page, `${quick} bo-quantity-message`, '1 of 1 will be backordered.');
    expect(await tab.page.locator(`${quick} bo-inventory-description`).count()).toBe(1);

    // A product that is not on backorder: nothing of the app's.
    await tab.page.click('#modal .modal-close');
    await tab.page.click('article.card[data-entity-id="113"] button.quickview');
    await tab.page.waitForFunction((q) => document.querySelector(`${q} input[name="product_id"]`)?.getAttribute('value') === '113', quick);
    await tab.page.waitForTimeout(300);
    expect(await tab.page.locator(`${quick} bo-inventory-description`).count()).toBe(0);
    expect(await tab.page.inputValue(`${quick} #form-action-addToCart`)).toBe('Add to Cart');
    expect(tab.errors).toEqual([]);
  });
});
