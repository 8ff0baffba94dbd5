/**
 * The ledger proves the stock: for every item, current_stock = starting_stock + sum(movements), and the
 * units on its waiting lines plus its unexplained shortfall = max(0, -current_stock). `proveLedger` finds
 * every item where either fails; `repairItem` restores current stock from the ledger (the ledger is
 * append-only, the number is a cache of it) and rebalances the lines, counting the shortfall afresh.
 *
 * A repair is not a movement: no unit arrives or leaves, and a ledger row for it would make the ledger
 * disagree with itself. It still passes through `changeStock`, like every change to stock: under the
 * item's lock, with its rebalance, and followed by selling checks and the storefront.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { changeStock, type StockDeps } from './stock.service.ts';

export interface LedgerMismatch {
  itemId: number;
  productId: number;
  variantId: number | null;
  sku: string;
  currentStock: number;
  ledgerStock: number;
  waiting: number;
  shortfall: number;
}

/** Every active item of the store whose stock or waiting units disagree with the ledger. */
export async function proveLedger(db: Db, storeHash: string): Promise<LedgerMismatch[]> {
  const { rows } = await sql<LedgerMismatch>`
    select i.id as "itemId", i.product_id as "productId", i.variant_id as "variantId", i.sku,
           i.current_stock as "currentStock",
           i.starting_stock + coalesce(m.total, 0) as "ledgerStock",
           coalesce(b.waiting, 0) as "waiting",
           i.unexplained_shortfall as "shortfall"
    from inventory_items i
    left join (select item_id, sum(delta) as total from stock_movements where store_hash = ${storeHash} group by item_id) m
      on m.item_id = i.id
    left join (select item_id, sum(backordered_qty - allocated_qty) as waiting from backorder_lines
               where store_hash = ${storeHash} and status = 'waiting' group by item_id) b
      on b.item_id = i.id
    where i.store_hash = ${storeHash} and i.retired_at is null
      and (i.current_stock <> i.starting_stock + coalesce(m.total, 0)
           or coalesce(b.waiting, 0) + i.unexplained_shortfall <> greatest(0, -(i.starting_stock + coalesce(m.total, 0))))
    order by i.id`.execute(db);
  return rows.map((row) => ({
    ...row,
    currentStock: Number(row.currentStock),
    ledgerStock: Number(row.ledgerStock),
    waiting: Number(row.waiting),
    shortfall: Number(row.shortfall),
  }));
}

/** Restores the item's current stock from its ledger and rebalances its lines and shortfall; returns the stock now (undefined: retired). */
export async function repairItem(deps: StockDeps, storeHash: string, itemId: number): Promise<number | undefined> {
  const { items } = await changeStock(deps, storeHash, {
    reason: 'reconcile',
    itemIds: [itemId],
    decide: () => [{ itemId, stock: { ledger: true } }],
  });
  return items.get(itemId)?.stock;
}
