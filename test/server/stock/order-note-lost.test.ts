/**
 * An order's BackOrder note is asked for by its order events; a note job lost on its way (Redis back empty) or
 * given up (BigCommerce away longer than its retries) was asked for again only by another delivery for the
 * order, which a waiting backorder may never get. The nightly reconcile re-reads the orders changed since the
 * last one: it writes the notes they still owe.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { stockOf } from '../../helpers/inventory.ts';
import { reconciled } from '../../helpers/installed-stock.ts';

const installed = useInstalledApp({ config: { logLevel: 'warn' } });

it('when an order’s note job is lost, then the next reconcile writes the note the order still owes', async () => {
  const { app, storeHash } = installed;
  const store = installed.sandbox.store(storeHash);
  const [item] = await assignInSandbox(installed, 110, { threshold: 10, stock: 0 });
  const notes = app.queues.orderNotes;
  await notes.pause();
  let orderId: number;
  try {
    orderId = (store.placeOrder({ lines: [{ productId: 110, quantity: 2 }] }) as { id: number }).id;
    await expect.poll(async () => (await stockOf(app.database.db, item!.id)).currentStock, { timeout: 20_000 }).toBe(-2);
    await expect.poll(() => notes.getJobCountByTypes('paused', 'waiting'), { timeout: 10_000 }).toBeGreaterThan(0);
    // Redis loses the note's job.
    await notes.obliterate({ force: true });
  } finally {
    await notes.resume();
  }
  const staffNotes = () => (store.order(orderId) as { staff_notes: string }).staff_notes;
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(staffNotes()).not.toContain('— BackOrder —');

  // A note younger than a quarter of an hour may still be on its way: the reconcile leaves it to its job.
  expect((await reconciled(installed)).fixes).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(staffNotes()).not.toContain('— BackOrder —');

  await sql`update backorder_lines set created_at = now() - interval '20 minutes' where order_id = ${orderId}`.execute(app.database.db);
  expect((await reconciled(installed)).fixes).toEqual(['1 backordered order still without its BackOrder note — written']);
  await expect.poll(staffNotes, { timeout: 20_000 }).toContain('— BackOrder —');
  expect(staffNotes().split('— BackOrder —')).toHaveLength(2);
}, 60_000);
