/**
 * A variant the merchant disables or enables in BigCommerce reaches the storefront's answer through the real
 * pipeline: the sandbox fires `store/sku/updated`, the app reads the product again, the catalog mirror
 * follows and the storefront's cached answers are dropped. The level poll repairs a change whose event was lost.
 */
import { describe, expect, it } from 'vitest';
import { invalidateStorefront } from '../../../server/storefront-api/invalidation.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import type { AvailabilityAnswer } from '../../../storefront/src/contract/storefront-api.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';

const installed = useInstalledApp();
const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;

/** The variant ids the storefront API answers for the product, as a shopper's browser gets them. */
async function answeredVariants(productId: number): Promise<string[]> {
  const response = await fetch(`${installed.app.url}/storefront-api/v1/stores/${installed.storeHash}/availability?products=${productId}`);
  const answer = (await response.json()) as AvailabilityAnswer;
  return Object.keys(answer.products[String(productId)]?.variants ?? {}).sort();
}

async function settled<T>(read: () => Promise<T>, expected: T, timeout = 60_000): Promise<void> {
  await expect.poll(read, { timeout, interval: 100 }).toEqual(expected);
}

describe('a variant the merchant disables in BigCommerce, on the sandbox store', () => {
  it('when the merchant enables and disables a variant of an assigned product, then the storefront answer follows each change', async () => {
    // The demo's Linen Apron: Navy (the second variant) is disabled by the merchant, "Navy is back in March".
    const apron = store().product(125) as { variants: Array<{ id: number }> };
    const [natural, navy, charcoal] = apron.variants.map((v) => String(v.id));
    await assignInSandbox(installed, 125, { threshold: 2, stock: 0 });
    expect(await answeredVariants(125)).toEqual([natural!, charcoal!].sort());

    store().updateVariant(125, Number(navy), { purchasing_disabled: false, purchasing_disabled_message: '' });
    await settled(() => answeredVariants(125), [natural!, navy!, charcoal!].sort());

    store().updateVariant(125, Number(charcoal), { purchasing_disabled: true, purchasing_disabled_message: 'Charcoal is retired' });
    await settled(() => answeredVariants(125), [natural!, navy!].sort());
  }, 90_000);

  it('when the mirror missed a change (an event lost), then the level poll brings it back in step', async () => {
    const shirts = store().product(126) as { variants: Array<{ id: number }> };
    const ids = shirts.variants.map((v) => String(v.id)).sort();
    const xl = shirts.variants[3]!.id;
    await assignInSandbox(installed, 126, { threshold: 2 });
    expect(await answeredVariants(126)).toEqual(ids);
    store().updateVariant(126, xl, { purchasing_disabled: true, purchasing_disabled_message: 'XL is discontinued' });
    await settled(
      () => answeredVariants(126),
      ids.filter((id) => id !== String(xl)),
    );

    // As if the event had never come: the mirror still says XL can be bought, and the storefront believes it.
    await db().updateTable('catalog_variants').set({ purchasing_disabled: false }).where('variant_id', '=', xl).execute();
    await invalidateStorefront(installed.app.redis, installed.app.config.queuePrefix, installed.storeHash);
    expect(await answeredVariants(126)).toEqual(ids);

    await runHousekeeping({ db: db(), queues: installed.app.queues }, { name: 'poll-levels' });
    await settled(
      () => answeredVariants(126),
      ids.filter((id) => id !== String(xl)),
    );
  }, 90_000);
});
