import { expect } from '@open-wc/testing';
import { startCardBadges } from '../../storefront/src/lib/card-badges.ts';
import { answer, PRODUCT } from './fixtures/answers.ts';
import { card } from './fixtures/cornerstone.ts';
import { settle, setUpPage, type TestPage } from './fixtures/page.ts';

describe('badges on product cards (category, search, brand pages)', () => {
  let test: TestPage;
  let stop: () => void;
  const badges = () =>
    [...test.container.querySelectorAll('article.card')].map((el) => el.querySelector('bo-card-badge')?.shadowRoot?.textContent?.trim() ?? null);

  beforeEach(async () => {
    test = await setUpPage(
      `<ul class="productGrid">${[PRODUCT.inStock, PRODUCT.backorder, PRODUCT.soldOut, PRODUCT.notAssigned].map(card).join('')}</ul>`,
      answer(),
    );
    stop = startCardBadges(test.page, test.ask);
    await settle();
  });
  afterEach(() => {
    stop();
    test.remove();
  });

  it('when cards show assigned products, then backordered and sold-out ones get a badge under the title; the others none', async () => {
    expect(badges()).to.deep.equal([null, 'Backorder', 'Sold out', null]);
    const badge = test.container.querySelector('bo-card-badge')!;
    expect(badge.previousElementSibling!.classList.contains('card-title')).to.equal(true);
    await expect(badge).to.be.accessible();
  });

  it('when the listing re-renders (faceted search) with new products, then badges return and new ids are asked for once', async () => {
    const grid = test.container.querySelector('.productGrid')!;
    grid.innerHTML = [PRODUCT.backorder, 555].map(card).join('');
    await settle();
    grid.innerHTML = [PRODUCT.backorder, 555].map(card).join('');
    await settle();
    expect(badges()).to.deep.equal(['Backorder', null]);
    expect(test.asked.filter((id) => id === '555').length).to.be.greaterThan(0);
  });
});
