import { expect, fixtureSync, html } from '@open-wc/testing';
import '../../storefront/src/components/bo-add-to-cart-button.ts';
import { inStock, onBackorder, settingsView, soldOut } from './fixtures/answers.ts';
import { settle, silenceWarnings } from './fixtures/page.ts';

async function setup(buttonHtml: string, labelSelector = '', overrides: Parameters<typeof settingsView>[0] = {}) {
  // fixtureSync: awaiting `fixture` of a plain element waits for an animation frame, which never comes while
  // the runner's other page is the one in front (concurrency 2).
  const host = fixtureSync<HTMLDivElement>(html`<div class="form-action"></div>`);
  host.innerHTML = buttonHtml;
  const button = host.firstElementChild as HTMLElement;
  const styler = document.createElement('bo-add-to-cart-button');
  styler.settings = settingsView(overrides);
  styler.item = onBackorder;
  styler.labelSelector = labelSelector;
  styler.buttons = [button];
  host.append(styler);
  await styler.updateComplete;
  return { host, button, styler };
}

const CORNERSTONE = '<input id="form-action-addToCart" class="button button--primary" type="submit" value="Add to Cart" style="background:#fff;color:#000">';
const PIXEL_UNION = '<button class="add-to-cart button" data-button-purchase type="submit"><span data-button-text>Add to Cart</span></button>';

describe('<bo-add-to-cart-button>', () => {
  silenceWarnings();

  it('when the item is on backorder, then Cornerstone’s submit input gets the label (its value) and the store’s colours', async () => {
    const { button } = await setup(CORNERSTONE);
    expect((button as HTMLInputElement).value).to.equal('Backorder');
    expect(button.hasAttribute('data-bo-backorder')).to.equal(true);
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(138, 75, 0)');
    expect(getComputedStyle(button).color).to.equal('rgb(255, 255, 255)');
  });

  it('when the variant switches to one in stock or sold out, then the theme’s label and colours come back', async () => {
    const { button, styler } = await setup(CORNERSTONE);
    for (const item of [inStock, soldOut]) {
      styler.item = onBackorder;
      await styler.updateComplete;
      styler.item = item;
      await styler.updateComplete;
      expect((button as HTMLInputElement).value).to.equal('Add to Cart');
      expect(button.hasAttribute('data-bo-backorder')).to.equal(false);
      expect(getComputedStyle(button).backgroundColor).to.equal('rgb(255, 255, 255)');
    }
  });

  it('when a Pixel Union theme rewrites its label after an option change, then the backorder label is put back', async () => {
    const { button } = await setup(PIXEL_UNION, '[data-button-text]');
    const label = button.querySelector('[data-button-text]')!;
    expect(label.textContent).to.equal('Backorder');
    label.textContent = 'Add to Cart';
    await settle();
    expect(label.textContent).to.equal('Backorder');
  });

  it('when the theme disables the button while adding, then its wait message stays until it re-enables', async () => {
    const { button } = await setup(CORNERSTONE);
    const input = button as HTMLInputElement;
    // What Cornerstone's addProductToCart does: wait message + disabled, then the captured label back.
    input.value = 'Adding to cart…';
    input.disabled = true;
    await settle();
    expect(input.value).to.equal('Adding to cart…');
    input.value = 'Backorder';
    input.disabled = false;
    await settle();
    expect(input.value).to.equal('Backorder');
  });

  it('when the merchant’s colours fail WCAG AA, then the theme’s colours stay and the page is told', async () => {
    let refused = 0;
    document.addEventListener('bo-colours-refused', () => refused++, { once: true });
    const { button } = await setup(CORNERSTONE, '', { addToCartButton: { backgroundColor: '#777777', textColor: '#888888' } });
    expect((button as HTMLInputElement).value).to.equal('Backorder');
    expect(button.hasAttribute('data-bo-colors')).to.equal(false);
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(refused).to.equal(1);
  });

  it('when the merchant gives only a background, then it is checked against the theme’s own text colour', async () => {
    const { button } = await setup(CORNERSTONE, '', { addToCartButton: { backgroundColor: '#ffffee', textColor: '' } });
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(255, 255, 238)');
    expect(getComputedStyle(button).color).to.equal('rgb(0, 0, 0)');
  });

  it('when restyling is switched off, then the button is left alone', async () => {
    const { button } = await setup(CORNERSTONE, '', { addToCartButton: { restyle: false } });
    expect((button as HTMLInputElement).value).to.equal('Add to Cart');
  });

  it('when the quantity is more than can be ordered, then the button is marked aria-disabled (still focusable)', async () => {
    const { button, styler } = await setup(CORNERSTONE);
    styler.held = true;
    await styler.updateComplete;
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    expect((button as HTMLInputElement).disabled).to.equal(false);
    styler.held = false;
    await styler.updateComplete;
    expect(button.hasAttribute('aria-disabled')).to.equal(false);
  });

  it('when it is removed, then the theme’s button is restored', async () => {
    const { button, styler } = await setup(CORNERSTONE);
    styler.remove();
    expect((button as HTMLInputElement).value).to.equal('Add to Cart');
    expect(button.hasAttribute('data-bo-backorder')).to.equal(false);
  });
});
