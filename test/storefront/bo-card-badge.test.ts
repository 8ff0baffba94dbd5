import { expect, fixture, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-card-badge.ts';
import type { BoCardBadge } from '../../storefront/src/components/bo-card-badge.ts';
import type { ItemStatus } from '../../storefront/src/contract/storefront-api.ts';
import { settingsView } from './fixtures/answers.ts';
import { silenceWarnings } from './fixtures/page.ts';

async function render(status: ItemStatus, overrides: Parameters<typeof settingsView>[0] = {}) {
  return fixture<BoCardBadge>(html`<bo-card-badge .status=${status} .settings=${settingsView(overrides)}></bo-card-badge>`);
}
const badge = (el: Element) => el.shadowRoot!.querySelector<HTMLElement>('[part="badge"]');

describe('<bo-card-badge>', () => {
  silenceWarnings();

  it('when the product is on backorder, then the card shows the badge text in the store’s colours', async () => {
    const el = await render('backorder');
    expect(badge(el)!.textContent).to.equal('Backorder');
    expect(getComputedStyle(badge(el)!).backgroundColor).to.equal('rgb(138, 75, 0)');
    await expect(el).to.be.accessible();
  });

  it('when the product is sold out, then it says so; in stock shows no badge', async () => {
    expect(badge(await render('sold_out'))!.textContent).to.equal('Sold out');
    expect(badge(await render('in_stock'))).to.equal(null);
  });

  it('when the merchant’s colours fail WCAG AA contrast, then they are not used and the page is told', async () => {
    const refused: unknown[] = [];
    const el = await fixture<BoCardBadge>(
      html`<bo-card-badge @bo-colours-refused=${(e: CustomEvent) => refused.push(e.detail)} .status=${'backorder'}
        .settings=${settingsView({ badge: { backgroundColor: '#ffff00', textColor: '#ffffff' } })}></bo-card-badge>`,
    );
    expect(getComputedStyle(badge(el)!).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(refused).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('when a theme developer sets the custom properties, then they win over the store’s colours', async () => {
    const el = await render('backorder');
    el.style.setProperty('--bo-badge-background', 'rgb(0, 0, 0)');
    expect(getComputedStyle(badge(el)!).backgroundColor).to.equal('rgb(0, 0, 0)');
  });
});
