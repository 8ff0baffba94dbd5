/**
 * The theme's own "N in stock" label (Cornerstone's `[data-product-stock]`) shows BigCommerce's level, which
 * for an item held strictly is stock + threshold. For a product the app handles it reads what is on hand,
 * whenever the theme shows a number, whichever of the theme and the components writes last.
 */
import { expect } from '@open-wc/testing';
import { startProductViews, type ProductPage } from '../../storefront/src/lib/product-page.ts';
import { answer, OPTION, PRODUCT, withheldAnswer } from './fixtures/answers.ts';
import { productView } from './fixtures/cornerstone.ts';
import { settle, setUpPage, type TestPage } from './fixtures/page.ts';

const sizes = [
  { valueId: OPTION.small, label: 'S' },
  { valueId: OPTION.medium, label: 'M' },
];

describe('the theme’s stock label on a product the app handles (Cornerstone 6.21)', () => {
  let test: TestPage;
  let product: ProductPage;

  async function start(markup: string, given = answer()) {
    test = await setUpPage(markup, given);
    product = startProductViews(test.page, test.ask, async () => []);
    await settle();
  }
  const label = () => test.container.querySelector<HTMLElement>('[data-product-stock]')!;
  const row = () => test.container.querySelector<HTMLElement>('.form-field--stock')!;
  /** What Cornerstone's `updateView` does with `data.stock`: the number (jQuery `.text`) and the row shown, or hidden when null. */
  const themeShows = (stock: number | null) => {
    label().textContent = stock === null ? '' : String(stock);
    row().classList.toggle('u-hiddenVisually', stock === null);
  };
  /** The store shows stock levels: the page is rendered with BigCommerce's level in the label. */
  const withLevel = (markup: string, level: number) =>
    markup
      .replace('form-field--stock u-hiddenVisually', 'form-field--stock')
      .replace('<span data-product-stock></span>', `<span data-product-stock>${level}</span>`);

  afterEach(() => {
    product?.stop();
    test?.remove();
  });

  it('when the page is rendered with BigCommerce’s level (stock + threshold) in the label, then it reads what is on hand', async () => {
    await start(withLevel(productView({ productId: PRODUCT.inStock }), 8)); // 3 on hand, 5 more may be backordered
    expect(label().textContent).to.equal('3');
    expect(row().classList.contains('u-hiddenVisually')).to.equal(false);
  });

  it('when the theme writes its level after the components started (its own first option-change call), then the label reads what is on hand again', async () => {
    await start(productView({ productId: PRODUCT.inStock }));
    themeShows(8);
    await Promise.resolve(); // a MutationObserver's callback: before the next paint, not a timer later
    expect(label().textContent).to.equal('3');
  });

  it('when the shopper chooses a variant and the theme writes that variant’s level after the change, then the label reads its on hand, and rewriting ends', async () => {
    await start(withLevel(productView({ productId: PRODUCT.variants, sizes }), 8));
    expect(label().textContent).to.equal('3');
    const writes: MutationRecord[] = [];
    const watch = new MutationObserver((records) => writes.push(...records));
    watch.observe(label(), { childList: true, characterData: true, subtree: true });

    const medium = test.container.querySelector<HTMLInputElement>(`input[value="${OPTION.medium}"]`)!;
    medium.checked = true;
    medium.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    // The theme's answer arrives later: BigCommerce's level for M, 4 (nothing on hand, 4 may be backordered).
    themeShows(4);
    document.dispatchEvent(new CustomEvent('onProductOptionsChanged', { bubbles: true, detail: { content: '', data: { stock: 4 } } }));
    await settle();
    expect(label().textContent).to.equal('0');
    const settled = writes.length;
    await settle();
    expect(writes.length).to.equal(settled);
    expect(settled).to.be.at.most(3); // the components' write on the change, the theme's, the components' answer to it
    watch.disconnect();
  });

  it('when the theme shows no number (the store hides stock levels, or BigCommerce does not track the item), then the label is left as the theme has it', async () => {
    await start(productView({ productId: PRODUCT.variants, sizes }));
    const medium = test.container.querySelector<HTMLInputElement>(`input[value="${OPTION.medium}"]`)!;
    medium.checked = true;
    medium.dispatchEvent(new Event('change', { bubbles: true }));
    themeShows(null);
    await settle();
    expect(label().textContent).to.equal('');
    expect(row().classList.contains('u-hiddenVisually')).to.equal(true);
  });

  it('when stock numbers are withheld, then the label shows no number rather than BigCommerce’s level', async () => {
    await start(withLevel(productView({ productId: PRODUCT.inStock }), 8), withheldAnswer());
    expect(label().textContent).to.equal('');
  });

  it('when the product is not one the app handles, then its label keeps BigCommerce’s level', async () => {
    await start(withLevel(productView({ productId: PRODUCT.notAssigned }), 8));
    expect(label().textContent).to.equal('8');
  });
});
