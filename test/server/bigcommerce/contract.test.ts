/**
 * One contract for the client, run against every target of contract-targets.ts: the shapes and
 * behaviours the app relies on, which the sandbox store and a real BigCommerce store must both show.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../../server/bigcommerce/errors.ts';
import { parseBigCommerceDate } from '../../../server/bigcommerce/dates.ts';
import { reconcileScripts } from '../../../server/bigcommerce/register-scripts.ts';
import { reconcileWebhooks } from '../../../server/bigcommerce/register-webhooks.ts';
import { type Order } from '../../../server/bigcommerce/orders.ts';
import { type Pagination } from '../../../server/bigcommerce/paginate.ts';
import { type Product, type Variant } from '../../../server/bigcommerce/catalog.types.ts';
import { realStoreTarget, sandboxTarget, type Target } from './contract-targets.ts';

const RFC_2822 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const MISSING_ID = 2_000_000_000;

async function firstItems<T>(pages: AsyncIterable<T[]>, pageCount: number): Promise<T[][]> {
  const seen: T[][] = [];
  for await (const page of pages) if (seen.push(page) >= pageCount) break;
  return seen;
}

for (const spec of [sandboxTarget, realStoreTarget]) {
  if (spec.skipReason) console.log(`BigCommerce contract against ${spec.name}: skipped — ${spec.skipReason}`);

  describe.skipIf(spec.skipReason !== undefined)(`BigCommerce contract against ${spec.name}${spec.skipReason ? ` (skipped: ${spec.skipReason})` : ''}`, () => {
    let t: Target;
    let products: Product[] = [];
    let orders: Order[] = [];
    beforeAll(async () => {
      t = await spec.start();
      products = (await t.client.catalog.products.list({ limit: 10, include: ['variants'] })).data;
      orders = await t.client.orders.list({ limit: 5 });
    }, 120_000);
    afterAll(async () => t?.close());

    it('when store information is read, then v2 answers the bare object of this store, with rate-limit headers', async () => {
      const info = await t.client.store.information();
      expect(info.id).toBe(t.storeHash);
      expect(typeof info.store_id).toBe('number');
      expect(typeof info.name).toBe('string');
      expect(typeof info.secure_url).toBe('string');
      const window = t.state.peek(t.storeHash);
      expect(window, 'X-Rate-Limit-* headers on every answer').toBeDefined();
      expect(window!.windowMs).toBeGreaterThan(0);
      expect(window!.quota).toBeGreaterThan(0);
    });

    it('when products are listed, then the v3 envelope carries pagination meta that matches the limit', async () => {
      const { body } = await t.client.request<{ data: Product[]; meta: { pagination: Pagination } }>({
        version: 'v3',
        path: '/catalog/products',
        query: { limit: 2, page: 1 },
      });
      const pagination = body!.meta.pagination;
      expect(Array.isArray(body!.data)).toBe(true);
      expect(pagination).toMatchObject({ per_page: 2, current_page: 1, count: body!.data.length });
      expect(pagination.total_pages).toBe(Math.max(1, Math.ceil(pagination.total / 2)));
      expect(typeof pagination.links?.current).toBe('string');
    });

    it('when products are read page after page, then each page follows the last without repeats', async () => {
      const pages = await firstItems(t.client.catalog.products.pages({ limit: 3 }), 3);
      const ids = pages.flat().map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    });

    it('when products are read with their variants, then each has the shape the app relies on and a base variant rule', (ctx) => {
      if (products.length === 0) ctx.skip('the store has no products');
      for (const product of products) {
        expect(product).toMatchObject({ id: expect.any(Number), name: expect.any(String), sku: expect.any(String), is_visible: expect.any(Boolean) });
        expect(['none', 'product', 'variant']).toContain(product.inventory_tracking);
        expect(['available', 'disabled', 'preorder']).toContain(product.availability);
        expect(product.categories.every((id) => typeof id === 'number')).toBe(true);
        expect(parseBigCommerceDate(product.date_modified)).toBeInstanceOf(Date);
        expect(product.variants!.length).toBeGreaterThan(0);
        for (const variant of product.variants!) {
          expect(variant).toMatchObject({ id: expect.any(Number), product_id: product.id, purchasing_disabled: expect.any(Boolean) });
          expect(Array.isArray(variant.option_values)).toBe(true);
        }
        if (product.base_variant_id !== null) {
          expect(product.variants!.map((v) => [v.id, v.option_values.length])).toEqual([[product.base_variant_id, 0]]);
        } else {
          expect(product.variants!.every((v) => v.option_values.length > 0)).toBe(true);
        }
      }
    });

    it('when products and variants are filtered by id, then exactly those come back', async (ctx) => {
      if (products.length < 2) ctx.skip('the store has fewer than 2 products');
      const ids = products.slice(0, 2).map((p) => p.id);
      const found = (await t.client.catalog.products.list({ 'id:in': ids })).data.map((p) => p.id);
      expect(found.sort()).toEqual([...ids].sort());
      const variants = (await t.client.catalog.variants.list({ 'product_id:in': ids })).data;
      expect(new Set(variants.map((v) => v.product_id))).toEqual(new Set(ids));
      const one = await t.client.catalog.products.get(ids[0]!, { include: ['variants'] });
      expect(one.id).toBe(ids[0]);
    });

    it('when categories and brands are listed, then they come as v3 lists of ids and names', async () => {
      for (const listing of [t.client.catalog.categories, t.client.catalog.brands]) {
        const page = await listing.list({ limit: 5 });
        expect(page.pagination).toBeDefined();
        for (const item of page.data) expect(item).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
      }
    });

    it('when inventory items are read, then each names its product and variant and its locations', async (ctx) => {
      const page = await t.client.inventory.items.list({ limit: 5 }).catch((error: unknown) => {
        if (error instanceof ForbiddenError && spec === realStoreTarget) ctx.skip('the token lacks store_inventory_read_only');
        throw error;
      });
      for (const item of page.data) {
        expect(item.identity).toMatchObject({ product_id: expect.any(Number), variant_id: expect.any(Number) });
        expect(Array.isArray(item.locations)).toBe(true);
      }
    });

    it('when orders are read, then v2 gives bare objects with RFC-2822 dates, status ids and money strings', async (ctx) => {
      if (orders.length === 0) ctx.skip('the store has no orders');
      for (const order of orders) {
        expect(order.date_created).toMatch(RFC_2822);
        expect(order.date_modified).toMatch(RFC_2822);
        expect(order.date_shipped === '' || RFC_2822.test(order.date_shipped)).toBe(true);
        expect(order.status_id).toBeGreaterThanOrEqual(0);
        expect(order.status_id).toBeLessThanOrEqual(14);
        expect(order.total_inc_tax).toMatch(/^-?\d+\.\d{4}$/);
        expect(order.products.resource).toBe(`/orders/${order.id}/products`);
      }
      const order = await t.client.orders.get(orders[0]!.id);
      expect(order.id).toBe(orders[0]!.id);
      const lines = await t.client.orders.products(order.id);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatchObject({ order_id: order.id, product_id: expect.any(Number), quantity: expect.any(Number) });
    });

    it("when an order is read with its lines, then its consignments carry each line /products gives (the app's one-request read)", async (ctx) => {
      if (orders.length === 0) ctx.skip('the store has no orders');
      for (const { id } of orders) {
        const { order, lines } = await t.client.orders.withLines(id);
        expect(order.id).toBe(id);
        const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
        expect(lines?.sort(byId)).toEqual((await t.client.orders.products(id)).sort(byId));
      }
    });

    it('when orders are listed from a creation date, then only orders created since come back', async (ctx) => {
      if (orders.length === 0) ctx.skip('the store has no orders');
      const newest = orders.reduce((a, b) => (parseBigCommerceDate(b.date_created)! > parseBigCommerceDate(a.date_created)! ? b : a));
      const since = parseBigCommerceDate(newest.date_created)!;
      const listed = await t.client.orders.list({ min_date_created: since, limit: 50 });
      expect(listed.map((o) => o.id)).toContain(newest.id);
      for (const order of listed) expect(parseBigCommerceDate(order.date_created)!.getTime()).toBeGreaterThanOrEqual(since.getTime());
      const later = new Date(since.getTime() + 1_000);
      expect((await t.client.orders.list({ min_date_created: later, limit: 50 })).map((o) => o.id)).not.toContain(newest.id);
    });

    it('when 12 product lists are made at once on a quota of 5 a second, then all resolve: BigCommerce refuses the overshoot and the client waits it out', async (ctx) => {
      if (!t.setRateLimit) ctx.skip('sandbox only: a real store has the quota of its plan');
      t.setRateLimit!({ quota: 5, windowMs: 1_000 });
      try {
        const before = t.statuses.length;
        // The client still holds the old, larger budget: the first burst goes out whole.
        const pages = await Promise.all(Array.from({ length: 12 }, () => t.client.catalog.products.list({ limit: 1 })));
        expect(pages).toHaveLength(12);
        for (const page of pages) expect(page.data).toHaveLength(1);
        const during = t.statuses.slice(before);
        expect(during.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
        expect(during.filter((s) => s === 200)).toHaveLength(12);
      } finally {
        t.setRateLimit!({ quota: 150, windowMs: 30_000 });
      }
    }, 60_000);

    it('when an order list is empty, then it yields nothing (204)', async () => {
      await expect(t.client.orders.list({ min_id: MISSING_ID })).resolves.toEqual([]);
    });

    it('when something does not exist, then v3 and v2 both throw NotFoundError', async () => {
      await expect(t.client.catalog.products.get(MISSING_ID)).rejects.toBeInstanceOf(NotFoundError);
      await expect(t.client.orders.get(MISSING_ID)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('when the token is wrong, then v3 and v2 both throw UnauthorizedError', async () => {
      await expect(t.badTokenClient.catalog.products.list({ limit: 1 })).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(t.badTokenClient.store.information()).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it('when hooks and scripts are listed, then both answer v3 lists', async () => {
      expect(Array.isArray((await t.client.hooks.list()).data)).toBe(true);
      expect(Array.isArray((await t.client.content.scripts.list()).data)).toBe(true);
    });

    describe('writes (sandbox, or a real development store named by BC_ALLOW_WRITES)', () => {
      const tag = randomBytes(4).toString('hex');
      const destination = `https://contract-${tag}.example.com/webhooks`;
      const skipUnlessWrites = (ctx: { skip(note?: string): void }) => {
        if (!t.writes) ctx.skip('read-only target: set BC_ALLOW_WRITES to the store hash of a development store');
      };

      it('when a hook is created, read, changed and deleted, then each step shows in the store', async (ctx) => {
        skipUnlessWrites(ctx);
        const headers = { 'X-Backorder-Webhook-Secret': `contract-${tag}` };
        const hook = await t.client.hooks.create({ scope: 'store/product/updated', destination, is_active: true, headers });
        expect(hook).toMatchObject({ id: expect.any(Number), scope: 'store/product/updated', destination, is_active: true, headers });
        expect(await t.client.hooks.get(hook.id)).toMatchObject({ id: hook.id, destination });
        expect(await t.client.hooks.update(hook.id, { is_active: false })).toMatchObject({ id: hook.id, is_active: false });
        await t.client.hooks.delete(hook.id);
        await expect(t.client.hooks.get(hook.id)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('when a hook is invalid, then ValidationError names the problem', async (ctx) => {
        skipUnlessWrites(ctx);
        await expect(t.client.hooks.create({ scope: 'store/product/updated', destination: '' })).rejects.toBeInstanceOf(ValidationError);
      });

      it('when hooks are reconciled twice and then with none wanted, then they are created, kept, and removed', async (ctx) => {
        skipUnlessWrites(ctx);
        const owns = (hook: { destination: string }) => hook.destination === destination;
        const desired = { scopes: ['store/order/created', 'store/product/deleted'], destination, headers: { 'X-Backorder-Webhook-Secret': tag }, owns };
        expect((await reconcileWebhooks(t.client, desired)).created).toHaveLength(2);
        expect((await reconcileWebhooks(t.client, desired)).unchanged).toHaveLength(2);
        expect((await reconcileWebhooks(t.client, { ...desired, scopes: [] })).deleted).toHaveLength(2);
      });

      it('when a script is created, changed and deleted, and then reconciled, then the store follows', async (ctx) => {
        skipUnlessWrites(ctx);
        const name = `backorder-contract-${tag}`;
        const fields = {
          name,
          kind: 'src' as const,
          src: `https://contract-${tag}.example.com/loader.js`,
          load_method: 'defer' as const,
          location: 'footer' as const,
          visibility: 'storefront' as const,
          auto_uninstall: true,
          consent_category: 'essential' as const,
        };
        const script = await t.client.content.scripts.create(fields);
        expect(script).toMatchObject({ ...fields, uuid: expect.any(String) });
        expect(await t.client.content.scripts.update(script.uuid, { enabled: false })).toMatchObject({ uuid: script.uuid, enabled: false });
        await t.client.content.scripts.delete(script.uuid);
        await expect(t.client.content.scripts.get(script.uuid)).rejects.toBeInstanceOf(NotFoundError);

        const owns = (s: { name: string }) => s.name.startsWith('backorder-contract-');
        expect((await reconcileScripts(t.client, { scripts: [fields], owns })).created).toHaveLength(1);
        expect((await reconcileScripts(t.client, { scripts: [fields], owns })).unchanged).toHaveLength(1);
        expect((await reconcileScripts(t.client, { scripts: [], owns })).deleted).toHaveLength(1);
      });

      it('when products are updated one by one and in a batch, then the change is read back and undone', async (ctx) => {
        skipUnlessWrites(ctx);
        if (products.length < 2) ctx.skip('the store has fewer than 2 products');
        const [a, b] = products as [Product, Product];
        expect((await t.client.catalog.products.update(a.id, { availability_description: `contract ${tag}` })).availability_description).toBe(
          `contract ${tag}`,
        );
        const batch = await t.client.catalog.products.updateBatch([
          { id: a.id, availability_description: a.availability_description },
          { id: b.id, availability_description: `contract ${tag}` },
        ]);
        expect(batch.map((p) => p.availability_description)).toEqual([a.availability_description, `contract ${tag}`]);
        await t.client.catalog.products.update(b.id, { availability_description: b.availability_description });
      });

      it('when variants are updated in a batch, then the change is read back and undone', async (ctx) => {
        skipUnlessWrites(ctx);
        const candidates = (await t.client.catalog.products.list({ limit: 250, include: ['variants'] })).data;
        const withVariants = candidates.find((p) => (p.variants?.length ?? 0) >= 2);
        if (!withVariants) ctx.skip('the store has no product with 2 variants among its first 250');
        const [a, b] = withVariants!.variants! as [Variant, Variant];
        const batch = await t.client.catalog.variants.updateBatch([
          { id: a.id, purchasing_disabled_message: `contract ${tag} a` },
          { id: b.id, purchasing_disabled_message: `contract ${tag} b` },
        ]);
        expect(batch.map((v) => [v.id, v.purchasing_disabled_message])).toEqual([
          [a.id, `contract ${tag} a`],
          [b.id, `contract ${tag} b`],
        ]);
        const read = (await t.client.catalog.variants.list({ 'product_id:in': [withVariants!.id] })).data;
        expect(read.find((v) => v.id === b.id)?.purchasing_disabled_message).toBe(`contract ${tag} b`);
        await t.client.catalog.variants.updateBatch([
          { id: a.id, purchasing_disabled_message: a.purchasing_disabled_message },
          { id: b.id, purchasing_disabled_message: b.purchasing_disabled_message },
        ]);
      });

      it("when an order's staff notes are written, then they are read back and restored", async (ctx) => {
        skipUnlessWrites(ctx);
        if (orders.length === 0) ctx.skip('the store has no orders');
        const order = orders[0]!;
        expect((await t.client.orders.update(order.id, { staff_notes: `contract ${tag}` })).staff_notes).toBe(`contract ${tag}`);
        expect((await t.client.orders.get(order.id)).staff_notes).toBe(`contract ${tag}`);
        await t.client.orders.update(order.id, { staff_notes: order.staff_notes });
      });
    });
  });
}
