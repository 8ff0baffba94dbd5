import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../../sandbox/index.ts';
import { defaultInventorySettings } from '../../../sandbox/model.ts';
import { productAttributesData, type Attributes } from '../../../sandbox/storefront/product-attributes.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';
import { shopper, STENCIL_HEADERS } from '../../helpers/storefront.ts';

let t: TestSandbox;
let store: SandboxStore;
beforeAll(async () => {
  t = await startTestSandbox();
  store = t.sandbox.store(t.storeHash);
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => {
  store.setInventorySettings({ ...defaultInventorySettings(), stock_level_display: 'show' });
});

/** Option values by their names, as the product page's form would post them. */
function choose(productId: number, names: Record<string, string>): Attributes {
  const product = store.context.product(productId);
  return new Map(
    Object.entries(names).map(([option, label]) => {
      const found = product.options.find((o) => o.display_name === option)!;
      return [found.id, found.values.find((v) => v.label === label)!.id];
    }),
  );
}

function data(productId: number, names: Record<string, string> = {}) {
  return productAttributesData(store.context.state.settings, store.context.product(productId), choose(productId, names));
}

function variantId(productId: number, sku: string): number {
  return store.context.product(productId).variants.find((v) => v.sku === sku)!.id;
}

describe('product-attributes data by tracking mode (ref §8.4)', () => {
  it('when a product is untracked, then it is in stock and purchasable with no stock number', () => {
    expect(data(105)).toMatchObject({ sku: 'OFSUC', base: true, stock: null, instock: true, purchasable: true, stock_message: null, available_to_sell: null });
  });

  it("when a product is tracked by product, then stock is its level; at 0 it is out of stock yet purchasable, with the store's message", () => {
    expect(data(100)).toMatchObject({
      sku: 'ORBIT-L',
      stock: 12,
      instock: true,
      purchasable: true,
      available_to_sell: 12,
      v3_variant_id: store.context.product(100).variants[0]!.id,
    });
    expect(data(101)).toMatchObject({ stock: 0, instock: false, purchasable: true, stock_message: 'Out of stock', out_of_stock_message: 'Out of stock' });
  });

  it("when a product is tracked by variant, then a full choice answers that variant's SKU, ids and level", () => {
    const beigeS = data(124, { Color: 'Beige Stripe', Size: 'S' });
    expect(beigeS).toMatchObject({
      sku: 'FLCT-BEIGESTRIPE-S',
      base: false,
      v3_variant_id: variantId(124, 'FLCT-BEIGESTRIPE-S'),
      stock: 5,
      instock: true,
      purchasable: true,
    });
    expect(beigeS.variantId).toEqual(expect.any(Number)); // the v2 combination id, apart from the v3 variant id
    expect(beigeS.variantId).not.toBe(beigeS.v3_variant_id);
    expect(beigeS.selected_attributes).toEqual(Object.fromEntries(choose(124, { Color: 'Beige Stripe', Size: 'S' })));
    expect(data(124, { Color: 'Beige Stripe', Size: 'M' })).toMatchObject({ stock: 0, instock: false, purchasable: true, stock_message: 'Out of stock' });
  });

  it("when a choice is missing, then the answer is the product's (base, no variant) and lists the values still in stock", () => {
    const partial = data(124, { Color: 'Beige Stripe' });
    expect(partial).toMatchObject({ sku: 'FLCT', base: true, v3_variant_id: null, variantId: null, stock: null, instock: true });
    const [small, medium, large] = ['S', 'M', 'L'].map((label) => choose(124, { Size: label }).values().next().value);
    expect(partial.in_stock_attributes).toEqual(expect.arrayContaining([small, large]));
    expect(partial.in_stock_attributes).not.toContain(medium);
  });

  it("when a product with options is tracked by product, then every variant reads the product's level", () => {
    expect(data(128, { Size: 'M' })).toMatchObject({ stock: 20, instock: true, v3_variant_id: variantId(128, 'WS-M') });
  });

  it('when a variant has purchasing disabled, then it is not purchasable and carries its message', () => {
    expect(data(125, { Color: 'Navy' })).toMatchObject({ purchasable: false, purchasing_message: 'Navy is back in March', sku: 'AP-NAVY' });
  });

  it('when availability is disabled, then the product is not purchasable', () => {
    expect(data(112)).toMatchObject({ purchasable: false });
  });

  it('when a pre-order is tracked, then its level shows only with show_pre_order_stock_levels', () => {
    store.setInventoryLevel({ productId: 108, level: 7 });
    expect(data(108)).toMatchObject({ stock: null, instock: true, available_to_sell: 7 });
    store.setInventorySettings({ show_pre_order_stock_levels: true });
    expect(data(108)).toMatchObject({ stock: 7 });
  });

  it('when the store does not show stock levels, then stock is null while available_to_sell keeps the level', () => {
    store.setInventorySettings({ stock_level_display: 'dont_show' });
    expect(data(100)).toMatchObject({ stock: null, instock: true, available_to_sell: 12 });
    store.setInventorySettings({ stock_level_display: 'show_when_low' });
    expect(data(100).stock).toBeNull(); // 12 is above the warning level (0)
    expect(data(106).stock).toBe(3); // 3 is at or below its warning level (5)
  });

  it("when values are out of stock, then the store's out-of-stock option behaviour is echoed for the theme", () => {
    store.setInventorySettings({ option_out_of_stock_behavior: 'hide_option' });
    expect(data(124)).toMatchObject({ out_of_stock_behavior: 'hide_option' });
  });
});

describe('POST /remote/v1/product-attributes/{id} (stencil §1.4)', () => {
  it('when the serialized form is posted as stencil-utils does, then the answer is { data } for that choice', async () => {
    const shop = shopper(t.sandbox.storefrontUrl(t.storeHash));
    const attributes = [...choose(124, { Color: 'Grey Stripe', Size: 'L' })].map(([option, value]): [string, string] => [
      `attribute[${option}]`,
      String(value),
    ]);
    const answer = await shop.form('/remote/v1/product-attributes/124', [['action', 'add'], ['product_id', '124'], ...attributes, ['qty[]', '1']]);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['data']);
    expect(answer.body.data).toMatchObject({ sku: 'FLCT-GREYSTRIPE-L', stock: 2, instock: true, v3_variant_id: variantId(124, 'FLCT-GREYSTRIPE-L') });
  });

  it('when a template is asked for, then `content` comes with the data; an unknown product is a 404', async () => {
    const shop = shopper(t.sandbox.storefrontUrl(t.storeHash));
    const withTemplate = await shop.form(
      '/remote/v1/product-attributes/100',
      [
        ['product_id', '100'],
        ['qty[]', '1'],
      ],
      {
        headers: { ...STENCIL_HEADERS, 'stencil-options': JSON.stringify({ render_with: 'products/bulk-discount-rates' }) },
      },
    );
    expect(withTemplate.body).toEqual({ data: expect.objectContaining({ sku: 'ORBIT-L' }), content: expect.any(String) });
    expect((await shop.form('/remote/v1/product-attributes/99999', [['product_id', '99999']])).status).toBe(404);
  });
});

describe('the product page (pages/product.html)', () => {
  it('when a product page is rendered, then its tabs list the related products as cards: same category, visible, not itself', async () => {
    const page = await shopper(t.sandbox.storefrontUrl(t.storeHash)).page('/orbit-terrarium-large/');
    const related = page.text.slice(page.text.indexOf('id="tab-related"'));
    const ids = [...related.matchAll(/<article class="card"[^>]*data-entity-id="(\d+)"/g)].map((m) => Number(m[1]));
    // Garden (20): Orbit Small, Garden Trowel, Watering Can, Pruning Shears, Gardening Gloves, Ceramic Planter; the Seed Starter Kit is hidden.
    expect(ids).toEqual([101, 116, 117, 118, 129, 130]);
    expect(related).toMatch(/<button type="button" class="button button--small card-figcaption-button quickview"[^>]*data-product-id="101"/);
  });
});
