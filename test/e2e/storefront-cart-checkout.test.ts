/**
 * Issue 7 end to end, from the cart to the order confirmation: per-line cart messages that survive the
 * theme's re-render after a quantity change and a removal, a checkout hold that names a variant's line by its
 * options, the header's cart preview, and the checkout and confirmation notices (backordered items with their
 * ETA, a variant named by its options, per line where the summary allows, two sizes of one product in the same
 * quantity told apart by the options under the title) — with the storefront entry kept off checkout and the
 * checkout script kept on it, and axe-core on what the app placed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, PRODUCTS, shopSuite, shown, waitShown, type Shop, type ShopperTab } from '../helpers/storefront-shop.ts';

const suite = shopSuite();
let shop: Shop;
let tab: ShopperTab;
beforeAll(() => ({ shop, tab } = suite));

/** The cart's line ids by product id (and the first line of each product). */
async function lineIds(): Promise<Map<number, string>> {
  const carts = (await tab.page.evaluate(() => fetch('/api/storefront/carts').then((r) => r.json()))) as Array<{
    lineItems: { physicalItems: Array<{ id: string; productId: number }> };
  }>;
  return new Map(carts[0]!.lineItems.physicalItems.map((line) => [line.productId, line.id]));
}

/** Resolves once the page's one live region says `text`. */
const announced = (text: string) => tab.page.waitForFunction((said) => document.querySelector('body > [data-bo-announcer]')?.textContent === said, text);
const rowMessage = (lineId: string) => `tr.cart-item:has([data-cart-itemid="${lineId}"]) bo-cart-line-message`;
/** The checkout notice's heading and lines, as read. */
const notice = () =>
  tab.page.evaluate(() =>
    Array.from(document.querySelector('bo-checkout-notice')?.shadowRoot?.querySelectorAll('[part~="heading"], [part~="line"]') ?? [], (e) =>
      e.textContent!.replace(/\s+/g, ' ').trim(),
    ),
  );
const ETA = 'Expected back in stock on March 15, 2031.';
const SHIRT_ETA = 'Expected back in stock on April 2, 2031.';

/** checkout-js's summary rows carry no ids: each row's title, the options under it, and the app's line message in it. */
const summaryRows = () =>
  tab.page.$$eval('[data-test="cart-item"]', (items) =>
    items.map((item) => [
      item.querySelector('[data-test="cart-item-product-title"]')!.textContent,
      Array.from(item.querySelectorAll('[data-test="cart-item-product-option"]'), (option) => option.textContent).join(', '),
      (item.querySelector('bo-cart-line-message')?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    ]),
  );
/** Sorted by variant id, as checkout-js sorts physical items; the shirt's two rows read alike but for their options. */
const SUMMARY_ROWS = [
  [`4 x ${PRODUCTS.inStock.name}`, '', '1 of 4 will be backordered.'],
  [`3 x ${PRODUCTS.backorder.name}`, '', `3 of 3 will be backordered. ${ETA}`],
  [`2 x ${PRODUCTS.byVariant.name}`, 'Size S', ''],
  [`2 x ${PRODUCTS.byVariant.name}`, 'Size L', `2 of 2 will be backordered. ${SHIRT_ETA}`],
];
const NOTICE_LINES = [
  `${PRODUCTS.backorder.name}: 3 of 3 backordered. ${ETA}`,
  `${PRODUCTS.inStock.name}: 1 of 4 backordered.`,
  `${PRODUCTS.byVariant.name} (L): 2 of 2 backordered. ${SHIRT_ETA}`,
];

describe('the storefront from cart to confirmation', () => {
  let lines: Map<number, string>;

  it('when the cart holds backordered, in-stock and variant lines, then each row says what is backordered and when', async () => {
    // A link add (card button) for simple products; the variant through its product page's AJAX add.
    await tab.page.goto(`${shop.url}/cart.php?action=add&product_id=${PRODUCTS.backorder.id}&qty=3`);
    await tab.page.goto(`${shop.url}/cart.php?action=add&product_id=${PRODUCTS.inStock.id}&qty=2`);
    await tab.open(PRODUCTS.byVariant.path);
    await tab.page.click(`.productView label[data-product-attribute-value="${shop.optionValue(PRODUCTS.byVariant.id, 'Size', 'L')}"]`);
    await waitShown(tab.page, '.productView bo-quantity-message', '1 of 1 will be backordered.');
    await tab.page.click('.productView #form-action-addToCart');
    await tab.page.waitForSelector('#previewModal.open .productView-title');
    // The add loads the cart preview's entry, which asks about the cart's other products for the modal's
    // checkout hold: done once the hold is placed, so its request is not counted on the cart page.
    await tab.page.waitForSelector('#previewModal bo-checkout-hold', { state: 'attached' });

    await tab.open('/cart.php');
    lines = await lineIds();
    await waitShown(tab.page, rowMessage(lines.get(PRODUCTS.backorder.id)!), `3 of 3 will be backordered. ${ETA}`);
    await waitShown(tab.page, rowMessage(lines.get(PRODUCTS.byVariant.id)!), `1 of 1 will be backordered. ${SHIRT_ETA}`);
    expect(await shown(tab.page, rowMessage(lines.get(PRODUCTS.inStock.id)!))).toBe('');
    expect(tab.apiRequests).toHaveLength(1);
    expect(tab.appScripts.some((script) => /^\/storefront\/cart-[\w-]+\.js$/.test(script))).toBe(true);
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when a quantity changes, then the theme renders new rows and every row still carries its message', async () => {
    const inStock = lines.get(PRODUCTS.inStock.id)!;
    await tab.page.evaluate(() => document.querySelectorAll('[data-cart-content] [data-item-row]').forEach((row) => row.setAttribute('data-old', '')));
    // The theme debounces +/- (400 ms) and counts from the rendered quantity: one step at a time.
    for (const quantity of ['3', '4']) {
      await tab.page.click(`[data-cart-update][data-cart-itemid="${inStock}"][data-action="inc"]`);
      await tab.page.waitForFunction(([id, q]) => (document.querySelector(`[id="qty-${id}"]`) as HTMLInputElement | null)?.value === q, [
        inStock,
        quantity,
      ] as const);
    }
    expect(await tab.page.locator('[data-cart-content] [data-item-row][data-old]').count()).toBe(0);
    await waitShown(tab.page, rowMessage(inStock), '1 of 4 will be backordered.');
    await waitShown(tab.page, rowMessage(lines.get(PRODUCTS.backorder.id)!), `3 of 3 will be backordered. ${ETA}`);
    await waitShown(tab.page, rowMessage(lines.get(PRODUCTS.byVariant.id)!), `1 of 1 will be backordered. ${SHIRT_ETA}`);

    const input = tab.page.locator(`[id="qty-${inStock}"]`);
    await input.fill('9');
    await input.press('Tab');
    await tab.page.waitForFunction((id) => (document.querySelector(`[id="qty-${id}"]`) as HTMLInputElement | null)?.value === '9', inStock);
    await waitShown(tab.page, rowMessage(inStock), 'Only 8 can be ordered. Lower the quantity before checking out.');
    // The row is new after the re-render: the change is said through the page's live region, which stayed, once, in
    // words naming the line, as the checkout hold's do.
    await announced(`${PRODUCTS.inStock.name}: Only 8 can be ordered. Lower the quantity before checking out.`);
    await input.fill('4');
    await input.press('Tab');
    await waitShown(tab.page, rowMessage(inStock), '1 of 4 will be backordered.');
    await announced(`${PRODUCTS.inStock.name}: 1 of 4 will be backordered.`);
    // Lowered within stock, the row's message goes quiet, and screen readers hear that none of it is backordered now.
    await input.fill('3');
    await input.press('Tab');
    await announced(`${PRODUCTS.inStock.name}: None will be backordered now.`);
    expect(await shown(tab.page, rowMessage(inStock))).toBe('');
    await input.fill('4');
    await input.press('Tab');
    await announced(`${PRODUCTS.inStock.name}: 1 of 4 will be backordered.`);

    // A variant's line is named with its options, as the Storefront Cart API lists them: held, and said so.
    const shirt = lines.get(PRODUCTS.byVariant.id)!;
    const shirtInput = tab.page.locator(`[id="qty-${shirt}"]`);
    const shirtReason = `${PRODUCTS.byVariant.name} (L): Only 2 can be ordered. Lower the quantity before checking out.`;
    await shirtInput.fill('3');
    await shirtInput.press('Tab');
    await waitShown(tab.page, '[data-cart] > bo-checkout-hold', shirtReason);
    await announced(shirtReason);
    await shirtInput.fill('1');
    await shirtInput.press('Tab');
    await waitShown(tab.page, rowMessage(shirt), `1 of 1 will be backordered. ${SHIRT_ETA}`);
    await waitShown(tab.page, '[data-cart] > bo-checkout-hold', '');
    expect(tab.apiRequests).toHaveLength(1);
  });

  it('when a line is removed, then the rows left keep their messages', async () => {
    const shirt = lines.get(PRODUCTS.byVariant.id)!;
    tab.page.once('dialog', (dialog) => void dialog.accept());
    await tab.page.click(`.cart-remove[data-cart-itemid="${shirt}"]`);
    await tab.page.waitForFunction((id) => !document.querySelector(`[data-cart-itemid="${id}"]`), shirt);
    expect(await tab.page.locator('[data-cart-content] [data-item-row]').count()).toBe(2);
    await waitShown(tab.page, rowMessage(lines.get(PRODUCTS.backorder.id)!), `3 of 3 will be backordered. ${ETA}`);
    await waitShown(tab.page, rowMessage(lines.get(PRODUCTS.inStock.id)!), '1 of 4 will be backordered.');
    expect(await tab.page.locator('bo-cart-line-message').count()).toBe(2);
  });

  it('when the header cart preview opens, then its items carry the same messages', async () => {
    await tab.page.click('[data-cart-preview]');
    await tab.page.waitForSelector('#cart-preview-dropdown.is-open .previewCartItem');
    const item = (path: string) => `#cart-preview-dropdown .previewCartItem:has(.previewCartItem-name a[href="${path}"]) bo-cart-line-message`;
    await waitShown(tab.page, item(PRODUCTS.backorder.path), `3 of 3 will be backordered. ${ETA}`);
    await waitShown(tab.page, item(PRODUCTS.inStock.path), '1 of 4 will be backordered.');
    expect(await axeViolations(tab.page)).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('when the shopper checks out, then a notice lists the backordered items with their ETA (a variant by its options), per line too, from the checkout script alone', async () => {
    // Two sizes of the shirt in the same quantity: their rows read "2 x Linen T-Shirt" alike, but for the options under it.
    const product = shop.installed.sandbox.store(shop.installed.storeHash).context.product(PRODUCTS.byVariant.id);
    const size = product.options.find((option) => option.display_name === 'Size')!.id;
    const lineItems = ['S', 'L'].map((label) => ({
      productId: PRODUCTS.byVariant.id,
      quantity: 2,
      optionSelections: [{ optionId: size, optionValue: shop.optionValue(PRODUCTS.byVariant.id, 'Size', label) }],
    }));
    await tab.page.evaluate(async (items) => {
      const [cart] = await fetch('/api/storefront/carts').then((r) => r.json());
      const added = await fetch(`/api/storefront/carts/${cart.id}/items`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ lineItems: items }),
      });
      if (!added.ok) throw new Error(`adding the shirts answered ${added.status}`);
    }, lineItems);

    tab.appScripts.length = 0;
    await tab.page.goto(`${shop.url}/checkout`);
    await tab.page.waitForSelector('#checkout-app [data-test="cart-item"]');
    await tab.page.waitForSelector('bo-checkout-notice', { state: 'attached' });
    await expect.poll(notice).toEqual(['Some items will be backordered', ...NOTICE_LINES]);
    await expect.poll(summaryRows).toEqual(SUMMARY_ROWS);
    expect(tab.appScripts.filter((script) => script !== '/storefront/checkout.js')).toEqual([]);
    expect(tab.appScripts).toContain('/storefront/checkout.js');
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when the order is placed, then the confirmation lists what was backordered, as it was at checkout', async () => {
    tab.appScripts.length = 0;
    for (const [field, value] of [
      ['email', 'kim@example.com'],
      ['firstName', 'Kim'],
      ['lastName', 'Lee'],
      ['address1', '2 Elm'],
      ['city', 'Austin'],
      ['stateOrProvince', 'Texas'],
      ['postalCode', '78701'],
    ]) {
      await tab.page.fill(`#${field}Input`, value!);
    }
    await tab.page.click('#checkout-place-order');
    await tab.page.waitForURL(`${shop.url}/checkout/order-confirmation`);
    await tab.page.waitForSelector('[data-test="order-confirmation-order-number-text"]');
    await expect.poll(notice).toEqual(['Some items in this order are backordered', ...NOTICE_LINES]);
    await expect.poll(summaryRows).toEqual(SUMMARY_ROWS);
    expect(tab.appScripts).toEqual(['/storefront/checkout.js']);
    expect(await axeViolations(tab.page)).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('when the order reaches the app, then the product page tells the next shopper the new numbers', async () => {
    // 3 of Orbit Small's 10 backorderable units are taken: 7 can still be ordered.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await tab.open(PRODUCTS.backorder.path);
      await tab.page.waitForSelector('.productView bo-quantity-message', { state: 'attached' });
      const input = tab.page.locator('.productView input[name="qty[]"]');
      await input.fill('');
      await input.pressSequentially('8');
      await tab.page.waitForTimeout(100);
      if ((await shown(tab.page, '.productView bo-quantity-message')) === 'Only 7 can be ordered.') break;
      if (Date.now() > deadline) throw new Error(`the page still says "${await shown(tab.page, '.productView bo-quantity-message')}"`);
      await tab.page.waitForTimeout(500);
    }
  });
});
