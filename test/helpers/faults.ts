/**
 * Faults for reliability tests and the soak: spells of BigCommerce trouble set through the sandbox's
 * control API (its `apiFault` switch), and the check that BigCommerce got every delivery acknowledged.
 * Over HTTP, so the sandbox may run in this process or in its own.
 */
import { sql } from 'kysely';
import type { Db } from '../../server/db/database.ts';
import type { Delivery } from '../../sandbox/index.ts';

export interface FaultSpell {
  fault: '500' | '429';
  ms: number;
}

async function setSwitches(sandboxUrl: string, storeHash: string, switches: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandboxUrl}/__sandbox/stores/${storeHash}/switches`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(switches),
  });
  if (!response.ok) throw new Error(`the sandbox refused the switches: ${response.status} ${await response.text()}`);
}

/** Runs the spells one after another on the store's API; resolves when the last has ended, with when. */
export async function apiFaultSpells(sandboxUrl: string, storeHash: string, spells: FaultSpell[]): Promise<{ startedAt: number; endedAt: number }> {
  const startedAt = Date.now();
  let end = startedAt;
  for (const spell of spells) {
    end += spell.ms;
    await setSwitches(sandboxUrl, storeHash, { apiFault: spell.fault, apiFaultUntil: end });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
  }
  await setSwitches(sandboxUrl, storeHash, { apiFault: 'none', apiFaultUntil: 0 });
  return { startedAt, endedAt: end };
}

/** Events (by id) that no delivery got a 2xx for: BigCommerce would still be retrying them, or gave up. */
export function unacknowledged(eventIds: Iterable<string>, deliveries: Pick<Delivery, 'eventId' | 'outcome'>[]): string[] {
  const acknowledged = new Set(deliveries.filter((d) => d.outcome === 'delivered').map((d) => d.eventId));
  return [...eventIds].filter((id) => !acknowledged.has(id));
}

/** The units each order moved on the item, from the ledger: one row per order. */
export function unitsByOrder(db: Db, itemId: number): Promise<Array<{ order_id: number | null; units: number }>> {
  return db
    .selectFrom('stock_movements')
    .select(['order_id', sql<number>`sum(delta)::int`.as('units')])
    .where('item_id', '=', itemId)
    .groupBy('order_id')
    .orderBy('order_id')
    .execute();
}
