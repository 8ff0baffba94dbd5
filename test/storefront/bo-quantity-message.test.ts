import { expect, fixture, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-quantity-message.ts';
import type { BoQuantityMessage } from '../../storefront/src/components/bo-quantity-message.ts';
import type { ItemAvailability } from '../../storefront/src/contract/storefront-api.ts';
import { inStock, onBackorder, settingsView, soldOut } from './fixtures/answers.ts';

async function render(item: ItemAvailability | undefined, quantity: number, overrides: Parameters<typeof settingsView>[0] = {}) {
  return fixture<BoQuantityMessage>(html`<bo-quantity-message .item=${item} .quantity=${quantity} .settings=${settingsView(overrides)}></bo-quantity-message>`);
}
const text = (el: Element) => el.shadowRoot!.querySelector('[part~="message"]')!.textContent!.trim();

describe('<bo-quantity-message>', () => {
  it('when the quantity is on hand, then there is no message', async () => {
    const el = await render(inStock, 3);
    expect(text(el)).to.equal('');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('when the quantity grows past the stock on hand, then it says how many will be backordered, live', async () => {
    const el = await render(inStock, 3);
    el.quantity = 5;
    await el.updateComplete;
    expect(text(el)).to.equal('2 of 5 will be backordered.');
    expect(el.getAttribute('state')).to.equal('backordered');
    expect(el.shadowRoot!.querySelector('[role="status"][aria-live="polite"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('when the message changes, then the same live region carries the new text (it is never replaced, so it is announced)', async () => {
    const el = await render(inStock, 3);
    const region = el.shadowRoot!.querySelector('[role="status"]');
    el.quantity = 5;
    await el.updateComplete;
    el.quantity = 50;
    await el.updateComplete;
    expect(text(el)).to.match(/can be ordered/);
    expect(el.shadowRoot!.querySelector('[role="status"]')).to.equal(region);
    expect(el.shadowRoot!.querySelectorAll('[role="status"]')).to.have.length(1);
  });

  it('when the quantity passes what can be ordered, then it says only N can be ordered', async () => {
    const el = await render(onBackorder, 5);
    expect(text(el)).to.equal('Only 4 can be ordered.');
    expect(el.getAttribute('state')).to.equal('over-limit');
  });

  it('when the item is sold out, then any quantity is over the limit but no "Only 0" echoes the sold-out description', async () => {
    const el = await render(soldOut, 1);
    expect(text(el)).to.equal('');
    expect(el.getAttribute('state')).to.equal('over-limit');
  });

  it('when numbers are withheld, then the all-backordered case still shows with a number-free text, the rest stays quiet', async () => {
    const quiet = { quantityMessage: { backorderedText: 'This quantity will be backordered.' } };
    expect(text(await render({ ...onBackorder, salable: null }, 9, quiet))).to.equal('This quantity will be backordered.');
    expect(text(await render({ ...inStock, onHand: null, salable: null }, 9, quiet))).to.equal('');
  });

  it('when the merchant switched the message off, then nothing shows', async () => {
    expect(text(await render(inStock, 5, { quantityMessage: { enabled: false } }))).to.equal('');
  });
});
