import { expect, fixtureSync, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-checkout-hold.ts';
import type { HoldLine } from '../../storefront/src/components/bo-checkout-hold.ts';
import { splitQuantity } from '../../storefront/src/lib/availability.ts';
import { inStock, settingsView, soldOut } from './fixtures/answers.ts';
import { shown } from './fixtures/page.ts';

/** Clicks the element as a shopper would; true when the theme's link or button went ahead. */
const clickGoesThrough = (element: HTMLElement) => element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));

async function setup(lines: HoldLine[]) {
  const host = fixtureSync<HTMLDivElement>(html`<div data-cart>
    <div class="cart-actions"><a href="#checkout" data-primary-checkout-now-action>Check out</a></div>
    <div data-cart-additional-checkout-buttons><button type="button">PayPal</button></div>
  </div>`);
  const link = host.querySelector<HTMLElement>('[data-primary-checkout-now-action]')!;
  const wallets = host.querySelector<HTMLElement>('[data-cart-additional-checkout-buttons]')!;
  const hold = document.createElement('bo-checkout-hold');
  hold.settings = settingsView();
  hold.lines = lines;
  hold.buttons = [link, wallets];
  host.querySelector('.cart-actions')!.before(hold);
  await hold.updateComplete;
  return { host, link, wallets, hold };
}

describe('<bo-checkout-hold>', () => {
  it('when a cart line asks for more than can be ordered, then the checkout buttons are held and the reason names the line', async () => {
    const { link, wallets, hold } = await setup([
      { id: 'pan', name: 'Pan', split: splitQuantity(inStock, 9) },
      { id: 'towel', name: 'Towel', split: splitQuantity(inStock, 2) },
    ]);
    expect(shown(hold)).to.equal('Pan: Only 8 can be ordered. Lower the quantity before checking out.');
    expect(hold.hasAttribute('held')).to.equal(true);
    for (const button of [link, wallets]) {
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      expect(button.hasAttribute('data-bo-held')).to.equal(true);
    }
    expect(clickGoesThrough(link)).to.equal(false);
    expect(clickGoesThrough(wallets.querySelector('button')!)).to.equal(false);
    expect(getComputedStyle(wallets.querySelector('button')!).pointerEvents).to.equal('none');
    // The wallets' container is inert (a keyboard would reach into a wallet's frame); the link stays focusable, read as unavailable.
    expect([link.inert, wallets.inert]).to.deep.equal([false, true]);
    await expect(hold).to.be.accessible();
  });

  it('when the quantity is lowered within the limit, then the buttons are released and the reason goes', async () => {
    const { link, wallets, hold } = await setup([{ id: 'pan', name: 'Pan', split: splitQuantity(inStock, 9) }]);
    hold.lines = [{ id: 'pan', name: 'Pan', split: splitQuantity(inStock, 8) }];
    await hold.updateComplete;
    expect(shown(hold)).to.equal('');
    expect(hold.hasAttribute('held')).to.equal(false);
    for (const button of [link, wallets]) {
      expect(button.hasAttribute('aria-disabled')).to.equal(false);
      expect(button.hasAttribute('data-bo-held')).to.equal(false);
      expect(button.inert).to.equal(false);
    }
    expect(clickGoesThrough(link)).to.equal(true);
  });

  it('when nothing at all can be ordered, then the reason is the sold-out text, for every such line', async () => {
    const { hold } = await setup([
      { id: 'kettle', name: 'Kettle', split: splitQuantity(soldOut, 1) },
      { id: 'pan', name: 'Pan', split: splitQuantity(inStock, 10) },
    ]);
    expect(shown(hold)).to.equal('Kettle: Sold out Pan: Only 8 can be ordered. Lower the quantity before checking out.');
  });

  it('when an earlier line of the same item took all that can be ordered, then the later line’s reason is to lower the quantity, not sold out', async () => {
    const { hold } = await setup([
      { id: 'pan', name: 'Pan', split: splitQuantity(inStock, 8) },
      { id: 'pan-wrapped', name: 'Pan (gift wrapped)', split: splitQuantity(inStock, 1, 8) },
    ]);
    expect(shown(hold)).to.equal('Pan (gift wrapped): Only 0 can be ordered. Lower the quantity before checking out.');
  });

  it('when two variants of one product ask for more than can be ordered, then the reason names each line with its options', async () => {
    const { hold } = await setup([
      { id: 'towel-grey-m', name: 'Fog Linen Chambray Towel', options: ['Grey Stripe', 'M'], split: splitQuantity(inStock, 9) },
      { id: 'towel-beige-m', name: 'Fog Linen Chambray Towel', options: ['Beige Stripe', 'M'], split: splitQuantity(soldOut, 1) },
      { id: 'pan', name: 'Pan', options: [], split: splitQuantity(inStock, 10) },
    ]);
    expect(hold.shadowRoot!.querySelector('[part~="message"]')!.textContent).to.equal(
      [
        'Fog Linen Chambray Towel (Grey Stripe, M): Only 8 can be ordered. Lower the quantity before checking out.',
        'Fog Linen Chambray Towel (Beige Stripe, M): Sold out',
        'Pan: Only 8 can be ordered. Lower the quantity before checking out.',
      ].join('\n'),
    );
  });

  it('when it leaves the page, then the buttons it held are released', async () => {
    const { link, hold } = await setup([{ id: 'pan', name: 'Pan', split: splitQuantity(inStock, 9) }]);
    hold.remove();
    expect(link.hasAttribute('aria-disabled')).to.equal(false);
    expect(clickGoesThrough(link)).to.equal(true);
  });
});
