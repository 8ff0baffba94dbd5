import { expect, fixture, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-shipping-description.ts';
import type { BoShippingDescription } from '../../storefront/src/components/bo-shipping-description.ts';
import type { ItemAvailability } from '../../storefront/src/contract/storefront-api.ts';
import { inStock, onBackorder, settingsView, soldOut } from './fixtures/answers.ts';

async function render(item: ItemAvailability, quantity: number, overrides: Parameters<typeof settingsView>[0] = {}) {
  return fixture<BoShippingDescription>(
    html`<bo-shipping-description .item=${item} .quantity=${quantity} .settings=${settingsView(overrides)}></bo-shipping-description>`,
  );
}
const text = (el: Element) => el.shadowRoot!.querySelector('[part~="message"]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('<bo-shipping-description>', () => {
  const lang = document.documentElement.lang;
  afterEach(() => (document.documentElement.lang = lang));

  it('when the whole quantity is on hand, then the in-stock text shows (none by default)', async () => {
    expect(text(await render(inStock, 2))).to.equal('');
    expect(text(await render(inStock, 2, { shippingDescription: { inStockText: 'Ships today.' } }))).to.equal('Ships today.');
  });

  it('when the quantity includes backordered units, then it tells when they ship, with the date in the shopper’s locale', async () => {
    document.documentElement.lang = 'en-US';
    const el = await render(inStock, 5);
    expect(text(el)).to.equal('Backordered items ship as soon as they are back in stock. Expected back in stock on March 14, 2030.');
    await expect(el).to.be.accessible();
  });

  it('when the shopper’s page is German, then the date is German', async () => {
    document.documentElement.lang = 'de-DE';
    const el = await render(onBackorder, 1, { backInStockDate: { text: 'Wieder da am {date}.' } });
    expect(text(el)).to.contain('Wieder da am 14. März 2030.');
  });

  it('when the store fixes a locale, then it wins over the page’s', async () => {
    document.documentElement.lang = 'de-DE';
    const el = await render(onBackorder, 1, { locale: 'en-GB', backInStockDate: { dateStyle: 'medium' } });
    expect(text(el)).to.contain('Expected back in stock on 14 Mar 2030.');
  });

  it('when the item is sold out, or numbers are withheld on an item with stock, then nothing is said', async () => {
    expect(text(await render(soldOut, 1))).to.equal('');
    expect(text(await render({ ...inStock, onHand: null, salable: null }, 5))).to.equal('');
  });

  it('when the quantity is more than can be ordered, then no shipping is promised for it, whether none or part of it could be backordered', async () => {
    const noThreshold: ItemAvailability = { ...inStock, onHand: 2, salable: 2 };
    const texts = { locale: 'en-US', shippingDescription: { inStockText: 'Ships today.' } };
    // 2 on hand, nothing beyond: "Only 2 can be ordered", and none of the 7 can be backordered.
    expect(text(await render(noThreshold, 7, texts))).to.equal('');
    // 3 on hand and 5 more: "Only 8 can be ordered"; the add of 9 is held, so no unit of it ships.
    expect(text(await render(inStock, 9, texts))).to.equal('');
    const inCart = await render(inStock, 6, texts);
    inCart.inCart = 3;
    await inCart.updateComplete;
    expect(text(inCart)).to.equal('');
    // Lowered to what can be ordered, it speaks again.
    inCart.quantity = 5;
    await inCart.updateComplete;
    expect(text(inCart)).to.equal('Backordered items ship as soon as they are back in stock. Expected back in stock on March 14, 2030.');
  });

  it('when the quantity changes, then the text follows', async () => {
    const el = await render(inStock, 1, { shippingDescription: { inStockText: 'Ships today.' } });
    el.quantity = 4;
    await el.updateComplete;
    expect(text(el)).to.match(/^Backordered items ship/);
  });
});
