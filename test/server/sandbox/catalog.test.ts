import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.stop();
});

const ids = async (query: string) => ((await t.get(`/v3/catalog/products?limit=250&${query}`)).body.data as Array<{ id: number }>).map((p) => p.id);

describe('product list filters (ref §3.2)', () => {
  it('when filtering by id, id:in, id:min/max/greater/less, then exactly those products come back', async () => {
    expect(await ids('id=105')).toEqual([105]);
    expect(await ids('id:in=130,101,999')).toEqual([101, 130]);
    expect(await ids('id:min=133')).toEqual([133, 134, 135]);
    expect(await ids('id:greater=133&id:less=135')).toEqual([134]);
    expect(await ids('id:max=101')).toEqual([100, 101]);
  });

  it('when filtering by sku and sku:in, then only product (base) SKUs match, in any case', async () => {
    expect(await ids('sku=orbit-l')).toEqual([100]);
    expect(await ids('sku:in=ORBIT-L,CC3C')).toEqual([100, 103]);
    // A variant's SKU is not a product SKU: /v3/catalog/variants finds it.
    expect(await ids('sku=FLCT-BEIGESTRIPE-S')).toEqual([]);
    const variants = await t.get('/v3/catalog/variants?sku=FLCT-BEIGESTRIPE-S');
    expect(variants.body.data.map((v: { product_id: number }) => v.product_id)).toEqual([124]);
  });

  it('when filtering by name, name:like and keyword, then names, descriptions, SKUs and brand names are searched', async () => {
    expect(await ids('name=Utility%20Caddy')).toEqual([105]);
    expect(await ids('name=utility%20caddy')).toEqual([]);
    expect(await ids('name:like=terrarium')).toEqual([100, 101]);
    expect(await ids('keyword=OFSUC')).toEqual([105]);
    const byBrand = await ids('keyword=northwind');
    expect(byBrand).toEqual([111, 112, 122, 133]);
  });

  it('when filtering by visibility, availability, categories:in (any) and brand, then the seed answers as designed', async () => {
    expect(await ids('is_visible=false')).toEqual([119]);
    expect(await ids('availability=preorder')).toEqual([108]);
    expect(await ids('availability=disabled')).toEqual([112]);
    expect(await ids('categories:in=23,21')).toEqual([111, 112, 113, 114, 115, 122, 124, 133]);
    expect(await ids('brand_id=40')).toEqual([116, 117, 118, 119, 123, 129, 135]);
  });

  it('when filtering by inventory level, then the level read is the one of the tracking mode', async () => {
    expect(await ids('inventory_level=12')).toEqual([100, 132, 134]);
    expect(await ids('inventory_level:greater=50')).toEqual([110, 120, 133]);
    expect(await ids('inventory_level:in=0,7&id:in=127,124,102')).toEqual([127]);
  });

  it('when filtering by date_modified:min, then only products changed since then come back', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await t.put('/v3/catalog/products/110', { price: 30 });
    expect(await ids(`date_modified:min=${encodeURIComponent(since)}`)).toEqual([110]);
  });

  it('when sorting by name descending or inventory level, then the order follows', async () => {
    const byName = (await t.get('/v3/catalog/products?sort=name&direction=desc&limit=3')).body.data.map((p: { name: string }) => p.name);
    expect(byName).toEqual(['Wool Socks', 'Watering Can', 'Utility Caddy']);
    const byLevel = (await t.get('/v3/catalog/products?sort=inventory_level&direction=desc&limit=1')).body.data[0];
    expect(byLevel.id).toBe(133);
  });

  it('when include=variants, include_fields or exclude_fields are given, then the product carries just that', async () => {
    const withVariants = (await t.get('/v3/catalog/products?id:in=124&include=variants')).body.data[0];
    expect(withVariants.variants).toHaveLength(6);
    expect((await t.get('/v3/catalog/products/124')).body.data.variants).toBeUndefined();
    const some = (await t.get('/v3/catalog/products/124?include_fields=name,inventory_level')).body.data;
    expect(Object.keys(some).sort()).toEqual(['id', 'inventory_level', 'name']);
    const fewer = (await t.get('/v3/catalog/products/124?exclude_fields=id,description')).body.data;
    expect(fewer.id).toBe(124);
    expect(fewer.description).toBeUndefined();
  });
});

describe('products and variants as BigCommerce models them (ref §3.3, §3.4)', () => {
  it('when a product has no options, then it has one base variant: empty option_values, sku_id null, the product SKU and level', async () => {
    const product = (await t.get('/v3/catalog/products/100?include=variants')).body.data;
    expect(product.base_variant_id).toBe(product.variants[0].id);
    expect(product.variants).toEqual([expect.objectContaining({ option_values: [], sku_id: null, sku: 'ORBIT-L', inventory_level: product.inventory_level })]);
  });

  it('when a product has options, then base_variant_id is null and its variants carry option values and SKU ids', async () => {
    const product = (await t.get('/v3/catalog/products/124?include=variants')).body.data;
    expect(product.base_variant_id).toBeNull();
    expect(product.variants[0].option_values).toEqual([
      { id: expect.any(Number), label: 'Beige Stripe', option_id: expect.any(Number), option_display_name: 'Color' },
      { id: expect.any(Number), label: 'S', option_id: expect.any(Number), option_display_name: 'Size' },
    ]);
    expect(product.variants.every((v: { sku_id: number | null }) => Number.isInteger(v.sku_id))).toBe(true);
    // Tracked by variant: the product's level is the sum of its variants'.
    expect(product.inventory_level).toBe(5 + 0 + 3 + 8 + 0 + 2);
  });

  it("when a product with options is tracked by product, then its level is its own, not its variants'", async () => {
    const socks = (await t.get('/v3/catalog/products/128?include=variants')).body.data;
    expect(socks.inventory_tracking).toBe('product');
    expect(socks.inventory_level).toBe(20);
    expect(socks.variants.map((v: { inventory_level: number }) => v.inventory_level)).toEqual([0, 0, 0]);
  });

  it('when a PUT changes some fields, then only those change and date_modified moves on', async () => {
    const before = (await t.get('/v3/catalog/products/104')).body.data;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = (await t.put('/v3/catalog/products/104', { availability: 'disabled', availability_description: 'Back soon' })).body.data;
    expect(after).toMatchObject({ availability: 'disabled', availability_description: 'Back soon', name: before.name, price: before.price });
    expect(Date.parse(after.date_modified)).toBeGreaterThan(Date.parse(before.date_modified));
  });

  it('when a SKU is already used by another product or a variant, whatever its case, then 409', async () => {
    expect((await t.put('/v3/catalog/products/101', { sku: 'orbit-l' })).status).toBe(409);
    expect((await t.put('/v3/catalog/products/101', { sku: 'FLCT-GREYSTRIPE-M' })).status).toBe(409);
    expect((await t.put('/v3/catalog/products/124/variants/1024', { sku: 'ORBIT-L' })).status).toBe(409);
    expect((await t.put('/v3/catalog/products/101', { name: 'Orbit Terrarium - Large' })).status).toBe(409);
    expect((await t.put('/v3/catalog/products/101', { sku: 'ORBIT-S' })).status).toBe(200);
  });

  it('when a value is invalid, then 422 names every bad field and nothing changes', async () => {
    const answer = await t.put('/v3/catalog/products/102', { price: -3, inventory_tracking: 'sometimes', name: 'Renamed' });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors).sort()).toEqual(['inventory_tracking', 'price']);
    expect((await t.get('/v3/catalog/products/102')).body.data.name).toBe('Able Brewing System');
  });

  it("when a batch has more than 10 products, then 413 with BigCommerce's text; with 10, all are updated", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ id: 100 + i, is_featured: true }));
    const refused = await t.put('/v3/catalog/products', eleven);
    expect(refused.status).toBe(413);
    expect(refused.body.title).toBe('The request payload is too large. The maximum items allowed in the array is 10.');
    const ten = await t.put('/v3/catalog/products', eleven.slice(0, 10));
    expect(ten.status).toBe(200);
    expect(ten.body.data.every((p: { is_featured: boolean }) => p.is_featured)).toBe(true);
  });

  it('when one product of a batch is unknown, then nothing of the batch is applied', async () => {
    const answer = await t.put('/v3/catalog/products', [
      { id: 113, price: 1 },
      { id: 9999, price: 1 },
    ]);
    expect(answer.status).toBe(404);
    expect((await t.get('/v3/catalog/products/113')).body.data.price).toBe(18);
  });

  it('when the variants batch has more than 50, then 413; a bad item answers 422 batch_errors and nothing applies', async () => {
    const big = await t.put(
      '/v3/catalog/variants',
      Array.from({ length: 51 }, (_, i) => ({ id: 1000 + i })),
    );
    expect(big.status).toBe(413);
    expect(big.body.title).toBe('The request payload is too large. The maximum items allowed in the array is 50');
    const bad = await t.put('/v3/catalog/variants', [
      { id: 1030, inventory_level: 99 },
      { id: 1031, price: 'free' },
    ]);
    expect(bad.status).toBe(422);
    expect(bad.body.batch_errors).toHaveLength(1);
    expect((await t.get('/v3/catalog/products/125/variants/1030')).body.data.inventory_level).toBe(10);
    const good = await t.put('/v3/catalog/variants', [
      { id: 1030, inventory_level: 11 },
      { id: 1031, purchasing_disabled: false },
    ]);
    expect(good.body.data.map((v: { id: number }) => v.id)).toEqual([1030, 1031]);
  });

  it('when variants are filtered by id:in, sku:in and product_id:in, then exactly those come back', async () => {
    const byIds = await t.get('/v3/catalog/variants?id:in=1024,1030');
    expect(byIds.body.data.map((v: { id: number }) => v.id)).toEqual([1024, 1030]);
    const bySkus = await t.get('/v3/catalog/variants?sku:in=CT-RED,CT-BLUE');
    expect(bySkus.body.data.map((v: { sku: string }) => v.sku)).toEqual(['CT-RED', 'CT-BLUE']);
    const byProducts = await t.get('/v3/catalog/variants?product_id:in=127,126');
    expect(byProducts.body.data.map((v: { product_id: number }) => v.product_id)).toEqual([126, 126, 126, 126, 127, 127]);
  });

  it('when a product is deleted, then it is gone (404) and its SKU is free again', async () => {
    expect((await t.call('DELETE', '/v3/catalog/products/121')).status).toBe(204);
    expect((await t.get('/v3/catalog/products/121')).status).toBe(404);
    expect((await t.put('/v3/catalog/products/120', { sku: 'EC2' })).status).toBe(200);
  });

  it('when categories and brands are listed, then the seeded ones come with their filters', async () => {
    const kitchen = await t.get('/v3/catalog/categories?name:like=kitch');
    expect(kitchen.body.data).toEqual([expect.objectContaining({ id: 19, parent_id: 18, name: 'Kitchen' })]);
    const brands = await t.get('/v3/catalog/brands?id:in=36,37');
    expect(brands.body.data.map((b: { name: string }) => b.name)).toEqual(['Common Good', 'Sagaform']);
  });
});
