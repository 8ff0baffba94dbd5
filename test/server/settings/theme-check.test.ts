/**
 * The theme check and theme detection against the sandbox store's Cornerstone-shaped shop, over its public
 * URL as the app reads a real store's: the Settings page's "Check my theme" with the profile as typed (a
 * wrong Custom selector is named), and detection after install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings, updateSettings } from '../../../server/settings/settings.service.ts';
import { detectThemeAfterInstall } from '../../../server/themes/theme-check.service.ts';
import { createLogger } from '../../../server/logger.ts';
import { csrfIn, finishedJob, sessionIn } from '../../helpers/admin.ts';
import { installedApp, type InstalledApp } from '../../helpers/installed-app.ts';
import { settingsForm } from '../../helpers/settings-form.ts';

let installed: InstalledApp;
let session: string;
beforeAll(async () => {
  installed = await installedApp();
  session = sessionIn((await fetch(installed.sandbox.loadUrl(installed.storeHash), { redirect: 'manual' })).headers.get('location'));
}, 120_000);
afterAll(async () => {
  await installed?.stop();
});

/** Presses "Check my theme" on the Settings page with `changes` typed in the form. */
async function checkTheme(changes: Record<string, string>) {
  const { app } = installed;
  const html = await (await fetch(`${app.url}/admin/settings?session=${session}`, { headers: { Accept: 'text/html' } })).text();
  const body = new URLSearchParams([['session', session], ['_csrf', csrfIn(html)], ...settingsForm(html).post(changes)]);
  const response = await fetch(`${app.url}/admin/settings/theme-check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: body.toString(),
  });
  const page = await response.text();
  const anchors = Object.fromEntries(
    [...page.matchAll(/<li data-anchor="(\w+)"><span class="bo-badge[^"]*">(Found|Not found)<\/span>/g)].map((m) => [m[1], m[2] === 'Found']),
  );
  return { status: response.status, page, anchors, detected: /data-detected>[^<]*<strong>([^<]+)</.exec(page)?.[1] };
}

const ALL = ['productView', 'productId', 'price', 'quantity', 'addToCart', 'options', 'cartRow'];

describe('the theme check', () => {
  it('when the shop runs Cornerstone and the Cornerstone profile is chosen, then every anchor is found and Cornerstone is detected', async () => {
    const result = await checkTheme({ 'storefront.themeProfile': 'cornerstone' });
    expect(result.status).toBe(200);
    expect(result.anchors).toEqual(Object.fromEntries(ALL.map((key) => [key, true])));
    expect(result.page).toMatch(/Everything Cornerstone needs was found in http:\/\/[^ ]+ and your cart page\./);
    expect(result.detected).toBe('Cornerstone');
  });

  it('when a Custom selector is wrong, then the check names the anchor it misses, before anything is saved', async () => {
    const result = await checkTheme({ 'storefront.themeProfile': 'custom', 'storefront.customSelectors.addToCartButton': '#no-such-button' });
    expect(result.status).toBe(200);
    expect(result.anchors).toEqual({ ...Object.fromEntries(ALL.map((key) => [key, true])), addToCart: false });
    expect(result.page).toMatch(/1 of 7 places were not found in http:\/\/\S+ and your cart page: Add to Cart button\./);
    expect(result.detected).toBe('Cornerstone');
    // What was typed stays in the form; nothing is saved.
    expect(settingsForm(result.page).value('storefront.customSelectors.addToCartButton')).toBe('#no-such-button');
    expect((await getSettings(installed.app.database.db, installed.storeHash)).storefront.themeProfile).toBe('cornerstone');
  });

  it('when a Custom selector is not CSS, then its anchor is reported as such', async () => {
    const result = await checkTheme({ 'storefront.themeProfile': 'custom', 'storefront.customSelectors.cartRow': 'tr[data-item-row' });
    expect(result.anchors['cartRow']).toBe(false);
    expect(result.page).toMatch(/<li data-anchor="cartRow">[^]*?this is not a valid CSS selector/);
  });
});

describe('theme detection after install', () => {
  const logger = createLogger({ level: 'silent' });
  /** A Pixel Union-shaped product page and cart, served by a reader in place of the shop. */
  const pixelUnionPages = async () => ({
    product: {
      url: 'https://shop.example/p/',
      status: 200,
      html: `<div data-product-container><div data-product-price-wrapper>$10</div><form data-product-form><input name="product_id" value="1">
        <div data-product-option-change><input type="radio" name="attribute[1]"></div>
        <input data-product-quantity-input value="1"><button data-button-purchase><span data-button-text>Add to cart</span></button></form></div>`,
    },
    cart: { url: 'https://shop.example/cart.php', status: 200, html: '<table><tr class="cart-item" data-item-row><td>Lamp</td></tr></table>' },
  });

  it('when the store was installed, then its shop was read and Cornerstone kept as its theme', async () => {
    const { db } = installed.app.database;
    const job = await finishedJob(db, installed.storeHash, 'install');
    expect(job.message).toMatch(/synced; your theme was recognised as Cornerstone \(Settings can change it\)\.$/);
    expect(await detectThemeAfterInstall(db, installed.storeHash, logger)).toBe('cornerstone');
    expect((await getSettings(db, installed.storeHash)).storefront.themeProfile).toBe('cornerstone');
  });

  it('when the shop’s pages fit another built-in profile best, then that one becomes the store’s theme', async () => {
    const { db } = installed.app.database;
    await db.deleteFrom('store_settings').where('store_hash', '=', installed.storeHash).execute();
    expect(await detectThemeAfterInstall(db, installed.storeHash, logger, pixelUnionPages)).toBe('pixel-union');
    expect((await getSettings(db, installed.storeHash)).storefront.themeProfile).toBe('pixel-union');
    await db.deleteFrom('store_settings').where('store_hash', '=', installed.storeHash).execute();
  });

  it('when the merchant already chose a theme (a reinstall), then detection leaves it', async () => {
    const { db } = installed.app.database;
    await updateSettings(db, installed.storeHash, { storefront: { themeProfile: 'papathemes' } });
    expect(await detectThemeAfterInstall(db, installed.storeHash, logger, pixelUnionPages)).toBeUndefined();
    expect((await getSettings(db, installed.storeHash)).storefront.themeProfile).toBe('papathemes');
    await db.deleteFrom('store_settings').where('store_hash', '=', installed.storeHash).execute();
  });
});
