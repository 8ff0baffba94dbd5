import { expect, fixture, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-inventory-description.ts';
import type { BoInventoryDescription } from '../../storefront/src/components/bo-inventory-description.ts';
import type { ItemAvailability } from '../../storefront/src/contract/storefront-api.ts';
import { inStock, onBackorder, settingsView, soldOut } from './fixtures/answers.ts';

async function render(item: ItemAvailability | undefined, overrides: NonNullable<Parameters<typeof settingsView>[0]> = {}) {
  return fixture<BoInventoryDescription>(
    html`<bo-inventory-description .item=${item} .settings=${settingsView({ locale: 'en-US', ...(overrides as object) })}></bo-inventory-description>`,
  );
}
const text = (el: Element) => el.shadowRoot!.querySelector('[part~="message"]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('<bo-inventory-description>', () => {
  it('when the item has stock, then it says so in the merchant’s words', async () => {
    const el = await render(inStock, { inventoryDescription: { inStockText: '{onHand} in stock, {salable} can be ordered' } });
    expect(text(el)).to.equal('3 in stock, 8 can be ordered');
    expect(el.getAttribute('status')).to.equal('in_stock');
  });

  it('when the item is on backorder, then it says so with the back-in-stock date', async () => {
    const el = await render(onBackorder);
    expect(text(el)).to.equal('Out of stock – available on backorder Expected back in stock on March 14, 2030.');
    expect(el.shadowRoot!.querySelector('[part="date"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('when the store hides back-in-stock dates, then no date is shown', async () => {
    const el = await render(onBackorder, { backInStockDate: { show: false } });
    expect(text(el)).to.equal('Out of stock – available on backorder');
  });

  it('when the item is sold out, then it says sold out', async () => {
    expect(text(await render(soldOut))).to.equal('Sold out');
  });

  it('when there is no item (not assigned, variant not chosen), then the region is empty but present', async () => {
    const el = await render(undefined);
    expect(text(el)).to.equal('');
    expect(el.shadowRoot!.querySelector('[role="status"]')).to.exist;
    expect(el.hasAttribute('data-empty')).to.equal(true);
  });

  it('when numbers are withheld and the text needs one, then that text is not shown', async () => {
    const el = await render({ ...inStock, onHand: null, salable: null }, { inventoryDescription: { inStockText: '{onHand} in stock' } });
    expect(text(el)).to.equal('');
  });

  it('when the text changes, then bo-message tells the page', async () => {
    const el = await render(inStock);
    const seen: string[] = [];
    el.addEventListener('bo-message', (event) => seen.push((event as CustomEvent).detail.text));
    el.item = soldOut;
    await el.updateComplete;
    expect(seen).to.deep.equal(['Sold out']);
  });
});
