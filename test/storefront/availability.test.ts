import { expect } from '@open-wc/testing';
import { itemFor, productStatus, splitQuantity, variantForSelections } from '../../storefront/src/lib/availability.ts';
import { splitLines } from '../../storefront/src/lib/cart-lines.ts';
import { answer, inStock, onBackorder, OPTION, PRODUCT, soldOut, unlimited, VARIANT, withheldAnswer } from './fixtures/answers.ts';

describe('stock arithmetic for a shopper’s choice', () => {
  it('when the quantity fits the stock on hand, then nothing is backordered', () => {
    expect(splitQuantity(inStock, 3)).to.include({ fromStock: 3, backordered: 0, overLimit: false });
  });

  it('when the quantity passes the stock on hand, then the rest is backordered up to the salable quantity', () => {
    expect(splitQuantity(inStock, 5)).to.include({ fromStock: 3, backordered: 2, overLimit: false, salable: 8 });
    expect(splitQuantity(inStock, 9)).to.include({ backordered: 6, overLimit: true });
    expect(splitQuantity(onBackorder, 4)).to.include({ fromStock: 0, backordered: 4, overLimit: false });
  });

  it('when the threshold is unlimited, then no quantity is over the limit', () => {
    expect(splitQuantity(unlimited, 10_000)).to.include({ backordered: 10_000, overLimit: false, salable: null });
  });

  it('when an item is sold out, then any quantity is over the limit, even with numbers withheld', () => {
    expect(splitQuantity(soldOut, 1)).to.include({ overLimit: true, salable: 0 });
    expect(splitQuantity({ ...soldOut, salable: null }, 1)).to.include({ overLimit: true });
  });

  it('when numbers are withheld, then an item with stock has an unknown split, one on backorder a known one', () => {
    expect(splitQuantity({ ...inStock, onHand: null, salable: null }, 5)).to.include({ backordered: null, overLimit: false });
    expect(splitQuantity({ ...onBackorder, salable: null }, 5)).to.include({ backordered: 5, overLimit: false });
  });

  it('when earlier units of the item are counted, then they take the stock and the room first', () => {
    expect(splitQuantity(inStock, 4, 2)).to.include({ fromStock: 1, backordered: 3, overLimit: false, salable: 6 });
    expect(splitQuantity(inStock, 4, 6)).to.include({ backordered: 4, overLimit: true, salable: 2 });
  });

  it('when a product is tracked by variant, then the item is the variant’s, found by id or by the form’s selections', () => {
    const product = answer().products[PRODUCT.variants];
    expect(itemFor(product, VARIANT.medium)?.status).to.equal('backorder');
    expect(itemFor(product, undefined)).to.equal(undefined);
    expect(variantForSelections(product, new Map([[OPTION.size, OPTION.medium]]))).to.equal(String(VARIANT.medium));
    expect(variantForSelections(product, new Map([[99, 1]]))).to.equal(undefined);
    expect(itemFor(answer().products[PRODUCT.backorder], 12345)?.status).to.equal('backorder');
  });

  it('when a card summarises a product, then any variant in stock makes it in stock', () => {
    expect(productStatus(answer().products[PRODUCT.variants])).to.equal('in_stock');
    expect(productStatus(answer().products[PRODUCT.backorder])).to.equal('backorder');
    expect(productStatus({ variants: {} })).to.equal(undefined);
  });

  it('when cart lines share an item, then earlier lines take its stock; unassigned products are left out', () => {
    const lines = [
      { productId: PRODUCT.inStock, quantity: 2 },
      { productId: PRODUCT.notAssigned, quantity: 1 },
      { productId: PRODUCT.inStock, quantity: 2 },
    ];
    const split = splitLines(lines, answer());
    expect(split.map((entry) => entry.split.backordered)).to.deep.equal([0, 1]);
    expect(splitLines(lines, withheldAnswer()).map((entry) => entry.split.backordered)).to.deep.equal([null, null]);
  });
});
