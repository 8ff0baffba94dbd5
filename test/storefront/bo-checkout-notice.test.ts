import { expect, fixture, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-checkout-notice.ts';
import type { BoCheckoutNotice, NoticeLine } from '../../storefront/src/components/bo-checkout-notice.ts';
import { settingsView } from './fixtures/answers.ts';

const lines: NoticeLine[] = [
  { name: 'Cast iron pan', options: [], quantity: 3, backordered: 2, overLimit: false, salable: 8, backInStockDate: '2030-03-14' },
  { name: 'Linen towel', options: [], quantity: 1, backordered: 0, overLimit: false, salable: 5, backInStockDate: null },
  { name: 'Wooden spoon', options: [], quantity: 4, backordered: 4, overLimit: false, salable: null, backInStockDate: null },
];

describe('<bo-checkout-notice>', () => {
  it('when the checkout has backordered lines, then it lists them with their ETA under the checkout heading', async () => {
    const el = await fixture<BoCheckoutNotice>(html`<bo-checkout-notice .settings=${settingsView({ locale: 'en-US' })} .lines=${lines}></bo-checkout-notice>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('[part="heading"]')!.textContent).to.equal('Some items will be backordered');
    expect([...root.querySelectorAll('[part="line"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Cast iron pan: 2 of 3 backordered. Expected back in stock on March 14, 2030.',
      'Wooden spoon: 4 of 4 backordered.',
    ]);
    await expect(el).to.be.accessible();
  });

  it('when it is the order confirmation, then the heading speaks of the order', async () => {
    const el = await fixture<BoCheckoutNotice>(
      html`<bo-checkout-notice page="order-confirmation" .settings=${settingsView()} .lines=${lines}></bo-checkout-notice>`,
    );
    expect(el.shadowRoot!.querySelector('[part="heading"]')!.textContent).to.equal('Some items in this order are backordered');
  });

  it('when a line asks for more than can be ordered, then it says how many can be, not that every unit beyond stock is backordered', async () => {
    const over: NoticeLine[] = [
      // 0 on hand, 2 can be ordered, 3 asked: its row says "Only 2 can be ordered".
      { name: 'Able Brewing System', options: [], quantity: 3, backordered: 3, overLimit: true, salable: 2, backInStockDate: '2030-03-14' },
      lines[0]!,
    ];
    const el = await fixture<BoCheckoutNotice>(html`<bo-checkout-notice .settings=${settingsView({ locale: 'en-US' })} .lines=${over}></bo-checkout-notice>`);
    expect([...el.shadowRoot!.querySelectorAll('[part="line"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Able Brewing System: only 2 of 3 can be ordered.',
      'Cast iron pan: 2 of 3 backordered. Expected back in stock on March 14, 2030.',
    ]);
    const worded = settingsView({ checkoutNotice: { overLimitLineText: '{name} : {salable} sur {quantity} au plus' } });
    el.settings = worded;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="line"]')!.textContent).to.equal('Able Brewing System : 2 sur 3 au plus');
  });

  it('when every line listed asks for more than can be ordered, then the heading says so, not that items are backordered', async () => {
    const over: NoticeLine[] = [{ name: 'Able Brewing System', options: [], quantity: 3, backordered: 3, overLimit: true, salable: 2, backInStockDate: null }];
    for (const page of ['checkout', 'order-confirmation'] as const) {
      const el = await fixture<BoCheckoutNotice>(html`<bo-checkout-notice .page=${page} .settings=${settingsView()} .lines=${over}></bo-checkout-notice>`);
      expect([...el.shadowRoot!.querySelectorAll('[part="heading"]')].map((p) => p.textContent)).to.deep.equal([
        'Some items are asked for in more than can be ordered',
      ]);
    }
  });

  it('when over-limit and backordered lines are mixed, then each kind is listed under its own heading, the over-limit ones first', async () => {
    const mixed: NoticeLine[] = [
      lines[0]!,
      { name: 'Able Brewing System', options: [], quantity: 3, backordered: 3, overLimit: true, salable: 2, backInStockDate: null },
      lines[2]!,
    ];
    for (const [page, backorderHeading] of [
      ['checkout', 'Some items will be backordered'],
      ['order-confirmation', 'Some items in this order are backordered'],
    ] as const) {
      const el = await fixture<BoCheckoutNotice>(
        html`<bo-checkout-notice .page=${page} .settings=${settingsView({ locale: 'en-US' })} .lines=${mixed}></bo-checkout-notice>`,
      );
      const groups = [...el.shadowRoot!.querySelectorAll('[part="heading"]')].map((heading) => ({
        heading: heading.textContent,
        lines: [...heading.nextElementSibling!.querySelectorAll('[part="line"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
      }));
      expect(groups).to.deep.equal([
        { heading: 'Some items are asked for in more than can be ordered', lines: ['Able Brewing System: only 2 of 3 can be ordered.'] },
        {
          heading: backorderHeading,
          lines: ['Cast iron pan: 2 of 3 backordered. Expected back in stock on March 14, 2030.', 'Wooden spoon: 4 of 4 backordered.'],
        },
      ]);
      await expect(el).to.be.accessible();
    }
  });

  it('when lines are variants of one product, then {name} names each with its options, in the default texts and the merchant’s own', async () => {
    const towel = (options: string[], quantity: number, backordered: number, overLimit = false): NoticeLine => ({
      name: 'Fog Linen Chambray Towel',
      options,
      quantity,
      backordered,
      overLimit,
      salable: overLimit ? 1 : 8,
      backInStockDate: null,
    });
    const variants = [towel(['Beige Stripe', 'M'], 2, 2), towel(['Grey Stripe', 'M'], 1, 1), towel(['Grey Stripe', 'L'], 3, 3, true)];
    const el = await fixture<BoCheckoutNotice>(html`<bo-checkout-notice .settings=${settingsView()} .lines=${variants}></bo-checkout-notice>`);
    const lineTexts = () => [...el.shadowRoot!.querySelectorAll('[part="line"]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(lineTexts()).to.deep.equal([
      'Fog Linen Chambray Towel (Grey Stripe, L): only 1 of 3 can be ordered.',
      'Fog Linen Chambray Towel (Beige Stripe, M): 2 of 2 backordered.',
      'Fog Linen Chambray Towel (Grey Stripe, M): 1 of 1 backordered.',
    ]);
    el.settings = settingsView({ checkoutNotice: { lineText: '{backordered} × {name} plus tard', overLimitLineText: '{name} : {salable} au plus' } });
    await el.updateComplete;
    expect(lineTexts()).to.deep.equal([
      'Fog Linen Chambray Towel (Grey Stripe, L) : 1 au plus',
      '2 × Fog Linen Chambray Towel (Beige Stripe, M) plus tard',
      '1 × Fog Linen Chambray Towel (Grey Stripe, M) plus tard',
    ]);
  });

  it('when nothing is backordered, then the notice is empty', async () => {
    const el = await fixture<BoCheckoutNotice>(html`<bo-checkout-notice .settings=${settingsView()} .lines=${[lines[1]!]}></bo-checkout-notice>`);
    expect(el.shadowRoot!.querySelector('[part~="notice"]')!.children).to.have.length(0);
  });

  it('when a product name holds markup, then it shows as text', async () => {
    const el = await fixture<BoCheckoutNotice>(
      html`<bo-checkout-notice .settings=${settingsView()} .lines=${[{ ...lines[0]!, name: '<img src=x onerror=alert(1)>' }]}></bo-checkout-notice>`,
    );
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="line"]')!.textContent).to.contain('<img src=x onerror=alert(1)>');
  });
});
