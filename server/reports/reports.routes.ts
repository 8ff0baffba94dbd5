/** The Report tab: the store's backorder lines, searchable by product name or SKU, filtered to those over the limit, paged. */
import { Router } from 'express';
import { listParams, pagerOf } from '../admin/paging.ts';
import { renderAdmin, type AdminDeps } from '../admin/render.ts';
import type { BackorderStatus } from '../db/schema.ts';
import { adminOf } from '../http/admin-auth.ts';
import { OVER_LIMIT_FILTER } from './over-limit.ts';
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
    const overLimit = req.query.show === OVER_LIMIT_FILTER;
    const { rows, total } = await listBackorderLines(deps.db, { storeHash, ...params, overLimit });
    await renderAdmin(deps, res, 'pages/report/index', {
      title: 'Backorder report',
      tab: 'report',
      show: overLimit ? OVER_LIMIT_FILTER : '',
      lines: rows.map((row) => ({ ...row, statusLabel: STATUS_LABELS[row.status] })),
      pager: { ...pagerOf(params, total, rows.length), filters: { show: overLimit ? OVER_LIMIT_FILTER : undefined } },
    });
  });
  return router;
}
