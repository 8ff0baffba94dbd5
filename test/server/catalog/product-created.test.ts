/**
 * A product created in BigCommerce reaches the catalog mirror by its own event (`store/product/created`),
 * so the merchant finds it in All Products and can assign it without running a catalog sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedApp, type InstalledApp } from '../../helpers/installed-app.ts';
import { eventually } from '../../helpers/wait.ts';

let installed: InstalledApp;

beforeAll(async () => {
  installed = await installedApp({ seed: 'empty' });
}, 120_000);
afterAll(() => installed?.stop());

describe('a product created in BigCommerce', () => {
  it('when the app is installed, then its hooks include product creation', () => {
    const scopes = installed.sandbox
      .store(installed.storeHash)
      .hooks()
      .filter((hook) => hook.is_active)
      .map((hook) => hook.scope);
    expect(scopes).toContain('store/product/created');
  });

  it('when a product is created, then it is in the catalog mirror without a sync, with its name, SKU and level', async () => {
    const store = installed.sandbox.store(installed.storeHash);
    const { id } = store.createProduct({ name: 'Brand New Lamp', price: 10, sku: 'NEW-LAMP', inventory_tracking: 'product', inventory_level: 3 }) as {
      id: number;
    };
    const row = await eventually(async () => {
      const found = await installed.app.database.db
        .selectFrom('catalog_products')
        .selectAll()
        .where('store_hash', '=', installed.storeHash)
        .where('product_id', '=', id)
        .executeTakeFirst();
      expect(found).toBeDefined();
      return found!;
    }, 20_000);
    expect(row).toMatchObject({ name: 'Brand New Lamp', sku: 'NEW-LAMP', inventory_level: 3 });
  });
});
