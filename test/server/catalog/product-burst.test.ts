/**
 * An import into BigCommerce touching many products at once (an ERP's feed, a bulk edit): every product's
 * event is followed into the catalog mirror, and the app reads the products together
 * (server/bigcommerce/shared-reads.ts) rather than one request each, which would spend the store's API
 * budget — 150 requests per 30 s on a Standard plan — for minutes.
 */
import { describe, expect, it } from 'vitest';
import { useInstalledApp } from '../../helpers/installed-app.ts';

const installed = useInstalledApp({ seed: 'empty' });
const PRODUCTS = 120;

const store = () => installed.sandbox.store(installed.storeHash);

async function sandboxControl(method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${installed.sandbox.url}/__sandbox${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`the sandbox refused ${method} ${path}: ${response.status}`);
  return response.json();
}

/** The requests the store's quota has left in this window, as BigCommerce tells every client (asking costs one). */
async function requestsLeft(token: string): Promise<number> {
  const response = await fetch(`${installed.sandbox.url}/stores/${installed.storeHash}/v3/catalog/products?limit=1`, { headers: { 'X-Auth-Token': token } });
  return Number(response.headers.get('x-rate-limit-requests-left'));
}

async function mirroredNames(): Promise<Map<number, string>> {
  const rows = await installed.app.database.db
    .selectFrom('catalog_products')
    .select(['product_id', 'name'])
    .where('store_hash', '=', installed.storeHash)
    .execute();
  return new Map(rows.map((row) => [row.product_id, row.name]));
}

describe('many products changed in BigCommerce at once', () => {
  it(`when ${PRODUCTS} products are renamed together, then the mirror has every new name, read in a few requests rather than one a product`, async () => {
    const ids = Array.from({ length: PRODUCTS }, (_, i) => (store().createProduct({ name: `Jar ${i}`, price: 5 }) as { id: number }).id);
    await expect.poll(async () => (await mirroredNames()).size, { timeout: 30_000 }).toBe(PRODUCTS);
    await installed.sandbox.webhooksIdle();
    const { access_token: token } = (await sandboxControl('POST', `/stores/${installed.storeHash}/tokens`, {})) as { access_token: string };
    await sandboxControl('PUT', '/rate-limit', { quota: 100_000, windowMs: 600_000 });
    // BigCommerce answers in 100–500 ms: reads of the events that arrive meanwhile overlap.
    store().setSwitches({ apiLatencyMs: 150 });
    const before = await requestsLeft(token);

    for (const id of ids) store().updateProduct(id, { name: `Jar ${id} (new label)` });
    await expect
      .poll(async () => [...(await mirroredNames()).values()].filter((name) => name.endsWith('(new label)')).length, { timeout: 30_000 })
      .toBe(PRODUCTS);

    const requests = before - (await requestsLeft(token)) - 1;
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(PRODUCTS / 4);
  }, 90_000);
});
