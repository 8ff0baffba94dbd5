/** The Report tab: the store's backorder lines, searchable by product name or SKU, paged. */
import { Router } from 'express';
import { listParams, pagerOf } from '../admin/paging.ts';
import { renderAdmin, type AdminDeps } from '../admin/render.ts';
import type { BackorderStatus } from '../db/schema.ts';
import { adminOf } from '../http/admin-auth.ts';
import { listBackorderLines } from './report.repo.ts';

export const STATUS_LABELS: Record<BackorderStatus, string> = {
  waiting: 'Waiting',
  allocated: 'Allocated',
  shipped: 'Shipped',
  cancelled: 'Cancelled',
  released: 'Released',
};

export function reportsRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.get('/admin/report', async (req, res) => {
    const { storeHash } = adminOf(res);
    const params = listParams(req);
    const { rows, total } = await listBackorderLines(deps.db, { storeHash, ...params });
    await renderAdmin(deps, res, 'pages/report/index', {
      title: 'Backorder report',
      tab: 'report',
      lines: rows.map((row) => ({ ...row, statusLabel: STATUS_LABELS[row.status] })),
      pager: pagerOf(params, total, rows.length),
    });
  });
  return router;
}
