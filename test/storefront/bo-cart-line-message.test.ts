import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../storefront/src/components/bo-cart-line-message.ts';
import type { BoCartLineMessage } from '../../storefront/src/components/bo-cart-line-message.ts';
import { splitQuantity } from '../../storefront/src/lib/availability.ts';
import { splitLines } from '../../storefront/src/lib/cart-lines.ts';
import { answer, inStock, onBackorder, settingsView, soldOut } from './fixtures/answers.ts';
import { announced, announcementsSaid, recordAnnouncements } from './fixtures/page.ts';

const text = (el: Element) => el.shadowRoot!.querySelector('[part~="message"]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('<bo-cart-line-message>', () => {
  it('when a line has backordered units, then it says how many and when they are expected', async () => {
    const el = await fixture<BoCartLineMessage>(
      html`<bo-cart-line-message .settings=${settingsView({ locale: 'en-US' })} .split=${splitQuantity(inStock, 4)} .backInStockDate=${'2030-03-14'}></bo-cart-line-message>`,
    );
    expect(text(el)).to.equal('1 of 4 will be backordered. Expected back in stock on March 14, 2030.');
    expect(el.getAttribute('state')).to.equal('backordered');
    await expect(el).to.be.accessible();
  });

  it('when a line asks for more than can be ordered, then it says to lower the quantity', async () => {
    const el = await fixture<BoCartLineMessage>(
      html`<bo-cart-line-message .settings=${settingsView()} .split=${splitQuantity(onBackorder, 7)}></bo-cart-line-message>`,
    );
    expect(text(el)).to.equal('Only 4 can be ordered. Lower the quantity before checking out.');
  });

  it('when nothing of a line can be ordered, then it says sold out rather than "Only 0"', async () => {
    const el = await fixture<BoCartLineMessage>(
      html`<bo-cart-line-message .settings=${settingsView()} .split=${splitQuantity(soldOut, 1)}></bo-cart-line-message>`,
    );
    expect(text(el)).to.equal('Sold out');
    expect(el.getAttribute('state')).to.equal('over-limit');
  });

  it('when earlier lines of the item took all that can be ordered, then a later line says to lower the quantity, not "Sold out"', async () => {
    // Stock kept for the product, not per size: the S and M lines share 5 that can be ordered.
    const shirt = { ...onBackorder, salable: 5 };
    const cart = { ...answer(), products: { '105': { item: shirt } } };
    const [small, medium] = splitLines(
      [
        { productId: 105, quantity: 5 },
        { productId: 105, quantity: 1 },
      ],
      cart,
    );
    const el = await fixture<BoCartLineMessage>(html`<bo-cart-line-message .settings=${settingsView()} .split=${medium!.split}></bo-cart-line-message>`);
    expect(small!.split.overLimit).to.equal(false);
    expect(text(el)).to.equal('Only 0 can be ordered. Lower the quantity before checking out.');
    expect(el.getAttribute('state')).to.equal('over-limit');
  });

  it('when a line ships from stock, then it says nothing', async () => {
    const el = await fixture<BoCartLineMessage>(
      html`<bo-cart-line-message .settings=${settingsView()} .split=${splitQuantity(inStock, 2)}></bo-cart-line-message>`,
    );
    expect(text(el)).to.equal('');
  });

  it('when the theme re-renders a line as a new element, then what it says now is announced through the page’s one live region; its first words are not', async () => {
    const line = (quantity: number) =>
      fixture<BoCartLineMessage>(
        html`<bo-cart-line-message item-id="line-rerendered" .settings=${settingsView()} .split=${splitQuantity(inStock, quantity)}></bo-cart-line-message>`,
      );
    const first = await line(4);
    expect(text(first)).to.equal('1 of 4 will be backordered.');
    await announcementsSaid();
    expect(announced()).not.to.equal('1 of 4 will be backordered.');
    first.remove();
    const rerendered = await line(5);
    await waitUntil(() => announced() === '2 of 5 will be backordered.', 'the re-rendered line was not announced');
    expect(rerendered.shadowRoot!.querySelector('[role="status"], [aria-live]')).to.equal(null);
  });

  it('when a line that was backordering is re-rendered within stock, then the page’s one live region says so with the merchant’s text; a line that never backordered, or first seen within stock, says nothing', async () => {
    const settings = settingsView({ cartMessage: { inStockText: 'All {quantity} ship today.' } });
    const line = (id: string, quantity: number) =>
      fixture<BoCartLineMessage>(
        html`<bo-cart-line-message item-id=${id} .lineName=${'Pan'} .settings=${settings} .split=${splitQuantity(inStock, quantity)}></bo-cart-line-message>`,
      );
    await announcementsSaid();
    const heard = recordAnnouncements();
    (await line('line-first-within', 2)).remove();
    (await line('line-never-backordered', 3)).remove();
    (await line('line-lowered', 4)).remove();
    (await line('line-never-backordered', 2)).remove();
    const lowered = await line('line-lowered', 2);
    await announcementsSaid();
    heard.stop();
    expect(text(lowered)).to.equal('');
    expect(heard.said).to.deep.equal(['Pan: All 2 ship today.']);
  });

  it('when a snippet places it, then the line’s ids are read from its attributes', async () => {
    const el = await fixture<BoCartLineMessage>(html`<bo-cart-line-message item-id="abc" product-id="101" variant-id="77"></bo-cart-line-message>`);
    expect([el.itemId, el.productId, el.variantId]).to.deep.equal(['abc', '101', '77']);
  });
});
