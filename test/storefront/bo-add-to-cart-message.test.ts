import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../storefront/src/components/bo-add-to-cart-message.ts';
import type { BoAddToCartMessage } from '../../storefront/src/components/bo-add-to-cart-message.ts';
import { splitQuantity } from '../../storefront/src/lib/availability.ts';
import { inStock, onBackorder, settingsView } from './fixtures/answers.ts';
import { announced, announcementsSaid } from './fixtures/page.ts';

const text = (el: Element) => el.shadowRoot!.querySelector('[part~="message"]')!.textContent!.trim();

describe('<bo-add-to-cart-message>', () => {
  it('when the added quantity includes backordered units, then it says how many', async () => {
    const el = await fixture<BoAddToCartMessage>(
      html`<bo-add-to-cart-message .settings=${settingsView()} .outcome=${{ kind: 'backordered', split: splitQuantity(inStock, 5) }}></bo-add-to-cart-message>`,
    );
    expect(text(el)).to.equal('2 of the 5 added to your cart will be backordered.');
    expect(el.getAttribute('kind')).to.equal('backordered');
    await expect(el).to.be.accessible();
  });

  it('when more was asked for than can be ordered, then it says the add was held back and why', async () => {
    const el = await fixture<BoAddToCartMessage>(
      html`<bo-add-to-cart-message .settings=${settingsView()} .outcome=${{ kind: 'over-limit', split: splitQuantity(onBackorder, 6) }}></bo-add-to-cart-message>`,
    );
    expect(text(el)).to.equal('6 could not be added: only 4 can be ordered. Lower the quantity and try again.');
    expect(el.getAttribute('kind')).to.equal('over-limit');
  });

  it('when there is no outcome, then it says nothing', async () => {
    const el = await fixture<BoAddToCartMessage>(html`<bo-add-to-cart-message .settings=${settingsView()}></bo-add-to-cart-message>`);
    expect(text(el)).to.equal('');
    expect(el.hasAttribute('data-empty')).to.equal(true);
  });

  it('when an outcome is shown, even by an element just placed, then the page’s one live region says it, and says it again for the next press', async () => {
    const heldBack = '6 could not be added: only 4 can be ordered. Lower the quantity and try again.';
    await announcementsSaid();
    const el = await fixture<BoAddToCartMessage>(
      html`<bo-add-to-cart-message .settings=${settingsView()} .outcome=${{ kind: 'over-limit', split: splitQuantity(onBackorder, 6) }}></bo-add-to-cart-message>`,
    );
    await waitUntil(() => announced() === heldBack, 'the outcome was not announced');
    const region = document.querySelector('[data-bo-announcer]');
    // Its own paragraph is no live region: born with its text, it would not be heard, and heard twice where it is.
    expect(el.shadowRoot!.querySelector('[role="status"], [aria-live]')).to.equal(null);
    el.outcome = { kind: 'over-limit', split: splitQuantity(onBackorder, 6) };
    await el.updateComplete;
    expect(announced()).to.equal('');
    await waitUntil(() => announced() === heldBack, 'the same outcome was not announced again');
    expect(document.querySelector('[data-bo-announcer]')).to.equal(region);
    expect(region!.parentElement).to.equal(document.body);
  });
});
