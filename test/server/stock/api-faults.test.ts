/**
 * BigCommerce in trouble (issue 11): the sandbox answers every API call of the store 500, then 429, for a
 * spell, while the app syncs the catalog and while it processes orders. Afterwards the catalog is whole,
 * every order is applied once, and BigCommerce got every delivery acknowledged. Spells of seconds here;
 * `npm run soak` holds each for a minute.
 */
import { describe, expect, it } from 'vitest';
import { queueStoreJob } from '../../../server/jobs/jobs.service.ts';
import { ORDER_SCOPES } from '../../../server/bigcommerce/index.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { apiFaultSpells, unacknowledged, unitsByOrder } from '../../helpers/faults.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { stockOf } from '../../helpers/inventory.ts';

const installed = useInstalledApp({ config: { logLevel: 'warn' } });

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;
const SPELLS = [
  { fault: '500', ms: 3_000 },
  { fault: '429', ms: 3_000 },
] as const;

/** Whether the app met both faults (its client logs each retry). */
function metBothFaults(): boolean {
  const lines = installed.app.logLines.join('\n');
  return lines.includes('bigcommerce server error; retrying') && lines.includes('bigcommerce answered 429');
}

describe('BigCommerce answering 500, then 429, for a spell', () => {
  it('when the spell comes while orders arrive, then afterwards every order is applied exactly once and every delivery was acknowledged', async () => {
    const [item] = await assignInSandbox(installed, 110, { threshold: 100, stock: 12 });
    const firstEvent = store().events().length;
    installed.app.logLines.length = 0;

    const spells = apiFaultSpells(installed.sandbox.url, installed.storeHash, [...SPELLS]);
    let ordered = 0;
    for (let i = 0; i < 24; i++) {
      const quantity = 1 + (i % 2);
      store().placeOrder({ lines: [{ productId: 110, quantity }] });
      ordered += quantity;
      await new Promise((resolve) => setTimeout(resolve, 230));
    }
    const { endedAt } = await spells;

    await expect.poll(async () => (await stockOf(db(), item!.id)).currentStock, { timeout: 90_000, interval: 250 }).toBe(12 - ordered);
    const byOrder = await unitsByOrder(db(), item!.id);
    expect(byOrder).toHaveLength(24);
    expect(byOrder.reduce((sum, o) => sum + o.units, 0)).toBe(-ordered);
    expect((await stockOf(db(), item!.id)).waiting).toBe(ordered - 12);
    expect(Date.now()).toBeGreaterThan(endedAt);
    expect(metBothFaults()).toBe(true);

    const orderEvents = store()
      .events()
      .slice(firstEvent)
      .filter((e) => (ORDER_SCOPES as readonly string[]).includes(e.payload.scope));
    await installed.sandbox.webhooksIdle();
    expect(
      unacknowledged(
        orderEvents.map((e) => e.id),
        installed.sandbox.deliveries(),
      ),
    ).toEqual([]);
    const failed = await db().selectFrom('webhook_events').select(['scope', 'last_error']).where('status', '=', 'failed').execute();
    expect(failed).toEqual([]);
  }, 150_000);

  it('when the spell comes in the middle of a catalog sync, then the sync carries on after it and mirrors the whole catalog', async () => {
    store().generateCatalog({ products: 2_000, variantsPerProduct: 1 });
    installed.app.logLines.length = 0;
    const { job } = await queueStoreJob(db(), installed.app.queues.storeJobs, installed.storeHash, 'catalog-sync', 'Waiting to start');
    const progress = () => db().selectFrom('jobs').select(['progress_done', 'status']).where('id', '=', job.id).executeTakeFirstOrThrow();
    await expect.poll(async () => (await progress()).progress_done, { timeout: 60_000, interval: 5 }).toBeGreaterThan(0);
    expect((await progress()).status).toBe('running');

    const { endedAt } = await apiFaultSpells(installed.sandbox.url, installed.storeHash, [...SPELLS]);
    const finished = await finishedJob(db(), installed.storeHash, 'catalog-sync', 120_000);
    expect(finished).toMatchObject({ id: job.id, status: 'succeeded' });
    expect(finished.finished_at!.getTime()).toBeGreaterThanOrEqual(endedAt - 1_000);
    expect(metBothFaults()).toBe(true);

    const mirrored = await db()
      .selectFrom('catalog_products')
      .select('product_id')
      .where('store_hash', '=', installed.storeHash)
      .orderBy('product_id')
      .execute();
    expect(mirrored.length).toBe(store().productCount());
  }, 180_000);
});
