import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SWITCHES, startSandbox } from '../../../sandbox/index.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { startTestSandbox, until, webhookReceiver } from '../../helpers/sandbox.ts';

const options = { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, rateLimit: { quota: 0, windowMs: 30_000 } };

describe('persistence (stateFile)', () => {
  it('when the sandbox restarts on its state file, then stores, tokens, hooks, scripts, orders and switches are kept', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-state-'));
    const stateFile = path.join(dir, 'sandbox', 'state.json');
    try {
      const first = await startSandbox({ ...options, stateFile });
      const { storeHash } = await first.createStore({ storeHash: 'keepme' });
      const token = await first.issueAccessToken(storeHash);
      const headers = { 'X-Auth-Token': token, 'Content-Type': 'application/json' };
      await fetch(`${first.url}/stores/${storeHash}/v3/hooks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ scope: 'store/order/*', destination: 'https://example.com/h' }),
      });
      await fetch(`${first.url}/stores/${storeHash}/v3/content/scripts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'x', kind: 'src', src: 'https://example.com/x.js' }),
      });
      const order = first.store(storeHash).placeOrder({ lines: [{ productId: 100, quantity: 2 }] });
      first.store(storeHash).setSwitches({ duplicateDeliveries: true });
      await first.stop();
      expect(JSON.parse(await readFile(stateFile, 'utf8')).stores).toHaveLength(1);

      const second = await startSandbox({ ...options, stateFile });
      try {
        const read = (p: string) => fetch(`${second.url}/stores/${storeHash}${p}`, { headers }).then((r) => r.json()) as Promise<any>;
        expect((await read(`/v2/orders/${order.id}`)).id).toBe(order.id);
        expect((await read('/v3/catalog/products/100')).data.inventory_level).toBe(10);
        expect((await read('/v3/hooks')).data).toHaveLength(1);
        expect((await read('/v3/content/scripts')).data).toHaveLength(1);
        expect(second.store(storeHash).switches().duplicateDeliveries).toBe(true);
        // Ids carry on where they stopped.
        expect(second.store(storeHash).placeOrder({ lines: [{ productId: 100, quantity: 1 }] }).id).toBe((order.id as number) + 1);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('when its state file was written before a switch existed, then the switch starts at its default and deliveries still go', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-state-'));
    const stateFile = path.join(dir, 'sandbox', 'state.json');
    const receiver = await webhookReceiver();
    try {
      const first = await startSandbox({ ...options, stateFile });
      const { storeHash } = await first.createStore({ storeHash: 'olderfile' });
      const token = await first.issueAccessToken(storeHash);
      await fetch(`${first.url}/stores/${storeHash}/v3/hooks`, {
        method: 'POST',
        headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ scope: 'store/order/created', destination: `${receiver.url}/h`, is_active: true }),
      });
      await first.stop();
      const saved = JSON.parse(await readFile(stateFile, 'utf8'));
      delete saved.stores[0].switches.deliveriesInFlight;
      await writeFile(stateFile, JSON.stringify(saved));

      const second = await startSandbox({ ...options, stateFile });
      try {
        expect(second.store(storeHash).switches().deliveriesInFlight).toBe(DEFAULT_SWITCHES.deliveriesInFlight);
        second.store(storeHash).placeOrder({ lines: [{ productId: 100, quantity: 1 }] });
        await until(() => receiver.received.length === 1, 5_000, 'the delivery');
      } finally {
        await second.stop();
      }
    } finally {
      await receiver.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo catalog and the generator', () => {
  it('when a store is created with the demo seed, then it has 36 products, 7 categories, 6 brands in every tracking mode', async () => {
    const t = await startTestSandbox();
    try {
      const products = (await t.get('/v3/catalog/products?limit=250&include=variants')).body.data as Array<Record<string, any>>;
      expect(products.map((p) => p.id)).toEqual(Array.from({ length: 36 }, (_, i) => 100 + i));
      const count = (check: (p: Record<string, any>) => boolean) => products.filter(check).length;
      expect(count((p) => p.variants.length > 1)).toBe(12);
      expect(count((p) => p.inventory_tracking === 'none')).toBe(7);
      expect(count((p) => p.inventory_tracking === 'variant')).toBe(8);
      expect(count((p) => p.inventory_tracking === 'product' && p.variants.length > 1)).toBe(2);
      expect(count((p) => p.inventory_tracking !== 'none' && p.inventory_level === 0)).toBeGreaterThanOrEqual(6);
      expect(new Set(products.map((p) => p.brand_id)).size).toBe(6);
      expect((await t.get('/v3/catalog/categories')).body.meta.pagination.total).toBe(7);
      // Three past orders of untracked products: statuses Completed, Awaiting Fulfillment, Cancelled.
      const orders = (await t.get('/v2/orders')).body as Array<{ id: number; status_id: number }>;
      expect(orders.map((o) => [o.id, o.status_id])).toEqual([
        [100, 10],
        [101, 11],
        [102, 5],
      ]);
      const empty = await t.sandbox.createStore({ seed: 'empty' });
      expect(t.sandbox.store(empty.storeHash).productCount()).toBe(0);
    } finally {
      await t.stop();
    }
  });

  it('when 100,000 products with variants are generated, then the API pages through them all, 250 at a time', async () => {
    const t = await startTestSandbox({ seed: 'empty' });
    try {
      const result = t.sandbox.store(t.storeHash).generateCatalog({ products: 100_000, variantsPerProduct: 3 });
      expect(result).toMatchObject({ products: 100_000, variants: 300_000 });
      const first = await t.get('/v3/catalog/products?limit=250&include=variants');
      expect(first.body.meta.pagination).toMatchObject({ total: 100_000, total_pages: 400 });
      expect(first.body.data[0].variants).toHaveLength(3);
      const last = await t.get('/v3/catalog/products?limit=250&page=400');
      expect(last.body.data.at(-1).id).toBe(result.lastProductId);
      const variants = await t.get(`/v3/catalog/variants?sku=GEN-${result.lastProductId}-3`);
      expect(variants.body.data).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});
