/**
 * Issue 19 end to end, in Chromium on the sandbox's Cornerstone-shaped shop: a strict item (BigCommerce keeps
 * tracking it, its level at stock + threshold) reads as a backorder to the shopper, and the 51st unit of one
 * with nothing on hand and a threshold of 50 is refused — by the app's components, and by the theme's own add
 * to cart (BigCommerce's stock check) when the app's scripts do not run at all. The theme's own stock row, which
 * prints BigCommerce's level (stock + threshold), shows the units on hand where the store shows stock levels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { installedApp, type InstalledApp } from '../helpers/installed-app.ts';
import { shopperTab, waitShown, type Shop, type ShopperTab } from '../helpers/storefront-shop.ts';
import { assignThroughJob, levelIn, limitSettings, productNamed, settledItem } from '../helpers/strict-store.ts';

const VIEW = '.productView:not(#previewModal .productView)';
const button = `${VIEW} #form-action-addToCart`;

let installed: InstalledApp;
let shop: Shop;
let tab: ShopperTab;
let productId: number;
let path: string;

beforeAll(async () => {
  const [app, browser] = await Promise.all([installedApp(), launchBrowser()]);
  installed = app;
  await limitSettings(installed, 'strict', 50);
  productId = productNamed(installed, 'Garden Trowel'); // tracked by product, nothing on hand
  const url = installed.sandbox.storefrontUrl(installed.storeHash);
  shop = {
    installed,
    browser,
    url,
    itemId: () => {
      throw new Error('not needed here');
    },
    optionValue: (id, option, label) =>
      installed.sandbox
        .store(installed.storeHash)
        .context.product(id)
        .options.find((o) => o.display_name === option)!
        .values.find((v) => v.label === label)!.id,
    stop: async () => {
      await browser.close();
      await installed.stop();
    },
  };
  path = installed.sandbox.store(installed.storeHash).context.product(productId).custom_url;
  tab = await shopperTab(shop);
}, 180_000);
afterAll(async () => {
  await tab?.context.close();
  await shop?.stop();
});

async function typeQuantity(page: ShopperTab['page'], quantity: number): Promise<void> {
  const input = page.locator(`${VIEW} input[name="qty[]"]`);
  await input.fill('');
  await input.pressSequentially(String(quantity));
}

describe('a strict item on the storefront', () => {
  it('when the shopper opens a strict item with nothing on hand and 50 may be backordered, then the page reads as a backorder and 50 can be added', async () => {
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 0, level: 50 });
    expect(levelIn(installed, productId)).toBe(50);
    await tab.open(path);
    await tab.page.waitForSelector(`${VIEW}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    await waitShown(tab.page, `${VIEW} bo-inventory-description`, 'Out of stock – available on backorder');
    await waitShown(tab.page, `${VIEW} bo-quantity-message`, '1 of 1 will be backordered.');
    expect(await tab.page.inputValue(button)).toBe('Backorder');

    await typeQuantity(tab.page, 50);
    await waitShown(tab.page, `${VIEW} bo-quantity-message`, '50 of 50 will be backordered.');
    await tab.page.click(button);
    await tab.page.waitForSelector('#previewModal.open .productView-title');
    await waitShown(tab.page, '#previewModal bo-add-to-cart-message', '50 of the 50 added to your cart will be backordered.');
    expect(await tab.page.textContent('.cart-quantity')).toBe('50');
    await tab.page.click('#previewModal .modal-close');
  }, 90_000);

  it('when the shopper asks for a 51st unit, then the app holds the add back and says why', async () => {
    await typeQuantity(tab.page, 1);
    await waitShown(tab.page, `${VIEW} bo-quantity-message`, 'You have 50 in your cart; only 0 more can be ordered.');
    await tab.page.click(button, { force: true });
    await waitShown(tab.page, `${VIEW} bo-add-to-cart-message`, '1 could not be added: you have 50 in your cart and only 0 more can be ordered.');
    expect(await tab.page.textContent('.cart-quantity')).toBe('50');
  });

  it('when the app’s scripts do not run, then the theme’s own add to cart is refused for the 51st unit by BigCommerce’s stock check', async () => {
    // The same shopper (cookies, cart), without the app: only BigCommerce stands between the cart and the cap.
    const page = await tab.context.newPage();
    await page.route(`${installed.app.url}/**`, (route) => route.abort());
    await page.goto(`${shop.url}${path}`);
    await page.waitForSelector('body[data-theme-ready]');
    expect(await page.locator('bo-add-to-cart-button').count()).toBe(0);
    await page.click(button);
    await page.waitForSelector('#alert-modal.open');
    expect(await page.textContent('#alert-modal')).toContain("We don't have enough Garden Trowel stock on hand for the quantity you selected.");
    expect(await page.textContent('.cart-quantity')).toBe('50');
    await page.close();
  });
});

describe('the theme’s own stock row on a strict item', () => {
  // BigCommerce holds stock + threshold for a strict item and the theme prints that level ("53 in stock" for
  // the 3 shirts on hand in S): the shopper must read what is on hand, as the store's stock display says.
  const row = `${VIEW} .form-field--stock`;
  const number = `${VIEW} [data-product-stock]`;
  const store = () => installed.sandbox.store(installed.storeHash);
  let socks: number;
  let shirt: number;

  /** The theme's stock row as the shopper sees it: its number, or null while the row is hidden. */
  const stockShown = async (): Promise<string | null> =>
    (await tab.page.locator(row).evaluate((element) => element.classList.contains('u-hiddenVisually'))) ? null : await tab.page.textContent(number);

  /** Makes a choice and waits until the theme has applied its own option-change answer (it fires its event after). */
  async function choose(making: () => Promise<unknown>): Promise<void> {
    await tab.page.evaluate(() => {
      const page = window as unknown as { themeApplied?: boolean };
      page.themeApplied = false;
      document.addEventListener('onProductOptionsChanged', () => setTimeout(() => (page.themeApplied = true), 0), { once: true });
    });
    await making();
    await tab.page.waitForFunction(() => (window as unknown as { themeApplied?: boolean }).themeApplied);
  }
  const size = (productId: number, label: string) =>
    choose(() => tab.page.click(`${VIEW} label[data-product-attribute-value="${shop.optionValue(productId, 'Size', label)}"]`));

  /** Wool Socks (tracked by product: 20 on hand, sizes S, M, L) and the Linen T-Shirt (by variant: S 3, M 7, L 0, XL 0) held strictly. */
  async function assignBoth(): Promise<void> {
    socks = productNamed(installed, 'Wool Socks');
    shirt = productNamed(installed, 'Linen T-Shirt');
    const items = await assignThroughJob(installed, [socks, shirt]);
    const levels: Record<number, number> = { 20: 70, 3: 53, 7: 57, 0: 50 };
    for (const item of items) await settledItem(installed, item.id, { stock: item.current_stock, level: levels[item.current_stock]! });
  }

  it('when the store shows stock levels, then the row shows the units on hand, not BigCommerce’s level, before and after a choice', async () => {
    await assignBoth();
    store().setInventorySettings({ stock_level_display: 'show' });
    await tab.open(store().context.product(socks).custom_url);
    await tab.page.waitForSelector(`${VIEW}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    await expect.poll(stockShown).toBe('20');
    const select = `${VIEW} select[name^="attribute["]`;
    await choose(() => tab.page.selectOption(select, String(shop.optionValue(socks, 'Size', 'M'))));
    expect(await stockShown()).toBe('20');

    await tab.open(store().context.product(shirt).custom_url);
    await tab.page.waitForSelector(`${VIEW}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    expect(await stockShown()).toBe(null); // nothing chosen: BigCommerce has no level to show
    await size(shirt, 'S');
    expect(await stockShown()).toBe('3');
    await size(shirt, 'M');
    expect(await stockShown()).toBe('7');
    await size(shirt, 'L');
    expect(await stockShown()).toBe('0');
  }, 120_000);

  it('when the store does not show stock levels, then the row stays hidden', async () => {
    store().setInventorySettings({ stock_level_display: 'dont_show' });
    await tab.open(store().context.product(socks).custom_url);
    await tab.page.waitForSelector(`${VIEW}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    expect(await stockShown()).toBe(null);
    await choose(() => tab.page.selectOption(`${VIEW} select[name^="attribute["]`, String(shop.optionValue(socks, 'Size', 'M'))));
    expect(await stockShown()).toBe(null);
    expect(await tab.page.isVisible(number)).toBe(false);
  }, 60_000);
});
