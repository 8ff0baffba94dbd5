/**
 * A reconcile re-reads every order changed since the last one, one request each: a busy store's may take
 * more than one API window. A run the budget stops records how far it got, and the next goes on from there,
 * so such a store is reconciled after all, rather than every run starting again from the same order.
 */
import { expect, it, onTestFinished } from 'vitest';
import { RateLimitedError, type StoreConnection } from '../../../server/bigcommerce/index.ts';
import { runReconcile } from '../../../server/reconcile/reconcile.service.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import { appStock } from '../../helpers/strict-store.ts';

const installed = useInstalledApp();

async function reconcileRunning(): Promise<boolean> {
  const counts = await installed.app.queues.reconcile.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
  const open = await installed.app.database.db
    .selectFrom('reconcile_runs')
    .select('id')
    .where('store_hash', '=', installed.storeHash)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return Object.values(counts).some((n) => n > 0) || open !== undefined;
}

/** The store's connection, but allowed only `reads` order reads before BigCommerce's budget is "spent"; the ids read, in turn. */
async function budgeted(reads: number): Promise<{ connection: StoreConnection; read: number[] }> {
  const real = await installed.app.gateway.connect(installed.storeHash);
  const read: number[] = [];
  const order: StoreConnection['order'] = async (orderId) => {
    if (read.length === reads) {
      const context = { method: 'GET', path: `/v2/orders/${orderId}` };
      throw new RateLimitedError({ status: 429, title: 'The store’s API budget is spent for now', context });
    }
    read.push(orderId);
    return real.order(orderId);
  };
  return { connection: { ...real, order }, read };
}

it('when more orders changed than one run may read, then each run goes on from where the last stopped, and the store is reconciled', async () => {
  const store = installed.sandbox.store(installed.storeHash);
  const productId = store.context.state.products[0]!.id;
  const minute = 60_000;
  // Only this test's runs: the reconcile after install, or a scheduled one, is left waiting.
  await expect.poll(() => reconcileRunning(), { timeout: 30_000 }).toBe(false);
  await installed.app.queues.reconcile.pause();
  onTestFinished(() => installed.app.queues.reconcile.resume());
  await runReconcile(appStock(installed), await installed.app.gateway.connect(installed.storeHash), undefined, new Date(Date.now() - 55 * minute));
  // That run (dated 55 minutes ago) took up the demo store's older orders; the next look back from it, less an
  // hour's overlap. Six orders changed minutes apart, oldest first, none of an assigned product (so none gets
  // a note that changes it again).
  const placed = [50, 40, 30, 20, 10, 5].map(
    (minutesAgo) => store.placeOrder({ lines: [{ productId, quantity: 1 }], dateCreated: Date.now() - minutesAgo * minute }).id as number,
  );

  const runs: number[][] = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    const { connection, read } = await budgeted(3);
    const ended = await runReconcile(appStock(installed), connection, undefined).then(
      () => 'finished',
      (error: unknown) => {
        if (!(error instanceof RateLimitedError)) throw error;
        return 'stopped';
      },
    );
    runs.push(read.filter((id) => placed.includes(id)));
    if (ended === 'finished') break;
  }

  // Each run takes up the last order the one before it converged (its second, again) and goes on.
  expect(runs).toEqual([placed.slice(0, 3), placed.slice(2, 5), placed.slice(4)]);
  const recorded = await installed.app.database.db
    .selectFrom('reconcile_runs')
    .select(['error', 'orders_through'])
    .where('store_hash', '=', installed.storeHash)
    .orderBy('id')
    .execute();
  expect(recorded.slice(-3).map((run) => run.error === null)).toEqual([false, false, true]);
}, 120_000);
