/**
 * The Plan tab: what the store uses today (assigned products, their items, units owed to shoppers). Plans
 * and their limits come with issue 5; until then nothing is limited and the page says so.
 */
import { sql } from 'kysely';
import { Router } from 'express';
import { renderAdmin, type AdminDeps } from '../admin/render.ts';
import type { Db } from '../db/database.ts';
import { adminOf } from '../http/admin-auth.ts';

export interface Usage {
  assignedProducts: number;
  inventoryItems: number;
  waitingLines: number;
  waitingUnits: number;
}

/** The store's usage now. */
export async function usageOf(db: Db, storeHash: string): Promise<Usage> {
  const { rows } = await sql<Usage>`
    select
      (select count(*) from assignments where store_hash = ${storeHash} and released_at is null) as "assignedProducts",
      (select count(*) from inventory_items where store_hash = ${storeHash} and retired_at is null) as "inventoryItems",
      (select count(*) from backorder_lines where store_hash = ${storeHash} and status = 'waiting') as "waitingLines",
      (select coalesce(sum(backordered_qty - allocated_qty), 0) from backorder_lines
        where store_hash = ${storeHash} and status = 'waiting') as "waitingUnits"`.execute(db);
  const row = rows[0]!;
  return {
    assignedProducts: Number(row.assignedProducts),
    inventoryItems: Number(row.inventoryItems),
    waitingLines: Number(row.waitingLines),
    waitingUnits: Number(row.waitingUnits),
  };
}

export function plansRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.get('/admin/plan', async (_req, res) => {
    const { storeHash, store } = adminOf(res);
    await renderAdmin(deps, res, 'pages/plan/index', {
      title: 'Plan',
      tab: 'plan',
      usage: await usageOf(deps.db, storeHash),
      installedAt: store.installed_at,
    });
  });
  return router;
}
