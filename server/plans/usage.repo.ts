/** What a store uses today: assigned products, their items, and the units owed to shoppers. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface Usage {
  inventoryItems: number;
  waitingLines: number;
  waitingUnits: number;
}

export async function usageOf(db: Db, storeHash: string): Promise<Usage> {
  const { rows } = await sql<Usage>`
    select
      (select count(*) from inventory_items where store_hash = ${storeHash} and retired_at is null) as "inventoryItems",
      (select count(*) from backorder_lines where store_hash = ${storeHash} and status = 'waiting') as "waitingLines",
      (select coalesce(sum(backordered_qty - allocated_qty), 0) from backorder_lines
        where store_hash = ${storeHash} and status = 'waiting') as "waitingUnits"`.execute(db);
  const row = rows[0]!;
  return { inventoryItems: Number(row.inventoryItems), waitingLines: Number(row.waitingLines), waitingUnits: Number(row.waitingUnits) };
}
