import { expect, waitUntil } from '@open-wc/testing';
import type { StorefrontSettingsView } from '../../storefront/src/contract/storefront-api.ts';
import { settingsFromForm } from '../../storefront/src/preview/form-settings.ts';
import { startPreview } from '../../storefront/src/preview/preview.ts';
import { SAMPLE_DATE } from '../../storefront/src/preview/samples.ts';
import { settingsView } from './fixtures/answers.ts';
import { announced, announcementsSaid, settle, silenceWarnings } from './fixtures/page.ts';

const SAMPLES = ['in-stock', 'backorder', 'over-limit', 'sold-out', 'cart-line', 'cart-line-heard', 'card', 'checkout'];

/** The admin's form as the Settings page renders it: a field per setting, named by its path, switches after a hidden "off". */
function formFor(settings: StorefrontSettingsView): HTMLFormElement {
  const form = document.createElement('form');
  const add = (path: string, value: unknown) => {
    if (value && typeof value === 'object') return Object.entries(value).forEach(([key, inner]) => add(`${path}.${key}`, inner));
    const input = document.createElement('input');
    input.name = `storefront.${path}`;
    input.id = `sf-${path.replace(/\./g, '-')}`;
    if (typeof value === 'boolean') {
      form.insertAdjacentHTML('beforeend', `<input type="hidden" name="storefront.${path}" value="off">`);
      input.type = 'checkbox';
      input.checked = value;
    } else input.value = String(value);
    form.append(input);
  };
  Object.entries({ enabled: true, ...settings }).forEach(([key, value]) => add(key, value));
  form.insertAdjacentHTML('beforeend', '<p data-contrast-warning data-text="sf-badge-textColor" data-background="sf-badge-backgroundColor"></p>');
  return form;
}

describe('the Settings preview', () => {
  silenceWarnings();
  let form: HTMLFormElement;
  let preview: HTMLElement;
  let stop: () => void;
  const type = async (path: string, value: string) => {
    const input = form.querySelector<HTMLInputElement>(`[id="sf-${path.replace(/\./g, '-')}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  };
  const text = (sample: string, tag: string, index = 0) =>
    (preview.querySelectorAll(`[data-sample="${sample}"] ${tag}`)[index]?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();

  beforeEach(async () => {
    form = formFor(settingsView());
    preview = document.createElement('aside');
    preview.innerHTML = SAMPLES.map((s) => `<section data-sample="${s}"></section>`).join('');
    document.body.append(form, preview);
    stop = await startPreview(form, preview);
    await settle();
  });
  afterEach(() => {
    stop();
    form.remove();
    preview.remove();
  });

  it('when the form holds the defaults, then it reads back as the settings the storefront API sends', () => {
    expect(settingsFromForm(form)).to.deep.equal(settingsView());
  });

  it('when the preview starts, then every sample shows the storefront components’ own texts', async () => {
    const year = Number(SAMPLE_DATE.slice(0, 4));
    expect(text('in-stock', 'bo-inventory-description')).to.equal('In stock');
    expect(text('backorder', 'bo-inventory-description')).to.equal(`Out of stock – available on backorder Expected back in stock on March 15, ${year}.`);
    expect(text('backorder', 'bo-quantity-message')).to.equal('2 of 2 will be backordered.');
    expect(preview.querySelector<HTMLInputElement>('[data-sample="backorder"] input')!.value).to.equal('Backorder');
    expect(text('over-limit', 'bo-quantity-message')).to.equal('Only 10 can be ordered.');
    expect(text('over-limit', 'bo-quantity-message', 1)).to.equal('You have 4 in your cart; only 6 more can be ordered.');
    expect(text('sold-out', 'bo-inventory-description')).to.equal('Sold out');
    expect(text('cart-line', 'bo-cart-line-message')).to.equal(`3 of 3 will be backordered. Expected back in stock on March 15, ${year}.`);
    expect(text('cart-line-heard', 'bo-sample-heard')).to.equal('Orbit Terrarium: None will be backordered now.');
    expect(text('card', 'bo-card-badge')).to.equal('Backorder');
    expect(text('checkout', 'bo-checkout-notice')).to.contain('Some items will be backordered Orbit Terrarium: 3 of 3 backordered.');
    expect(text('checkout', 'bo-checkout-notice')).to.contain('Orbit Lamp: only 10 of 12 can be ordered.');
  });

  it('when the preview shows its samples, then none is announced as news', async () => {
    await announcementsSaid();
    expect(announced()).to.equal(null);
  });

  it('when the merchant types, then the samples follow without reading every key back: none is a live region, and nothing is announced', async () => {
    const regions = () =>
      [...preview.querySelectorAll('*')].flatMap((element) => [...(element.shadowRoot?.querySelectorAll('[role="status"], [aria-live]') ?? [])]);
    expect(regions()).to.have.length(0);
    for (const typed of ['S', 'Sh', 'Ships later']) await type('inventoryDescription.backorderText', typed);
    await type('checkoutNotice.checkoutHeading', 'Later, these');
    await type('cartMessage.backorderedText', '{backordered} later');
    await type('cartMessage.inStockText', 'Ships today');
    await type('addToCartMessage.backorderedText', '{backordered} later');
    await announcementsSaid();
    expect(text('backorder', 'bo-inventory-description')).to.match(/^Ships later/);
    expect(regions()).to.have.length(0);
    expect(announced()).to.equal(null);
  });

  it('when the merchant types, then the samples follow before anything is saved', async () => {
    await type('quantityMessage.backorderedText', '{backordered} ship later');
    expect(text('backorder', 'bo-quantity-message')).to.equal('2 ship later');
    await type('addToCartButton.text', 'Pre-order');
    expect(preview.querySelector<HTMLInputElement>('[data-sample="backorder"] input')!.value).to.equal('Pre-order');
    await type('badge.soldOutText', '');
    expect(text('card', 'bo-card-badge', 1)).to.equal('');
    await type('checkoutNotice.checkoutHeading', 'Later, these');
    expect(text('checkout', 'bo-checkout-notice')).to.contain('Later, these');
    await type('cartMessage.inStockText', 'All {quantity} ship today.');
    expect(text('cart-line-heard', 'bo-sample-heard')).to.equal('Orbit Terrarium: All 2 ship today.');
  });

  it('when the button colours change, then the sample button takes them, and the colours are refused below AA', async () => {
    const button = preview.querySelector<HTMLInputElement>('[data-sample="backorder"] input')!;
    await type('addToCartButton.backgroundColor', '#004400');
    await waitUntil(() => getComputedStyle(button).backgroundColor === 'rgb(0, 68, 0)', 'the sample button has not taken the colour');
    await type('addToCartButton.textColor', '#003300');
    expect(button.hasAttribute('data-bo-colors')).to.equal(false);
  });

  it('when a badge colour pair falls below WCAG AA, then the warning beside it says so; fixed, it goes', async () => {
    const warning = form.querySelector('[data-contrast-warning]')!;
    await type('badge.textColor', '#999999');
    expect(warning.textContent).to.match(/contrast of \d\.\d\d:1, below WCAG AA/);
    await type('badge.textColor', '#ffffff');
    expect(warning.textContent).to.equal('');
  });

  it('when a text carries markup, then the preview shows it as text', async () => {
    await type('inventoryDescription.inStockText', '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>');
    expect(text('in-stock', 'bo-inventory-description')).to.equal('<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>');
    expect(preview.querySelector('[data-sample="in-stock"] bo-inventory-description')!.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect((window as { hacked?: number }).hacked).to.equal(undefined);
  });
});
