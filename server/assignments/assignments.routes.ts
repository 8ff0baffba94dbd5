/** Assigned Products, and "Release all products" (the step before uninstalling). */
import { Router } from 'express';
import { listParams, pagerOf } from '../admin/paging.ts';
import { renderAdmin, startsJob, type AdminDeps } from '../admin/render.ts';
import { adminOf } from '../http/admin-auth.ts';
import { salableQty } from '../inventory/stock.service.ts';
import { listAssignedItems } from './assigned-list.repo.ts';

export function assignmentsRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/products/assigned', async (req, res) => {
    const { storeHash } = adminOf(res);
    const params = listParams(req);
    const { rows, total } = await listAssignedItems(deps.db, { storeHash, ...params });
    const items = rows.map((row) => {
      const salable = salableQty(row.currentStock, row.backorderThreshold);
      return { ...row, salable: Number.isFinite(salable) ? salable : null, backordered: Math.max(0, -row.currentStock) };
    });
    await renderAdmin(deps, res, 'pages/products/assigned', {
      title: 'Assigned Products',
      tab: 'products',
      productTab: 'assigned',
      items,
      pager: pagerOf(params, total, rows.length),
    });
  });

  router.post(
    '/admin/assignments/release-all',
    startsJob(deps, 'release-all', {
      path: '/admin/settings',
      started: 'Releasing all products: BigCommerce gets their inventory tracking back one by one.',
      alreadyRunning: 'Products are already being released.',
    }),
  );

  return router;
}
