/** All Products (the catalog mirror) and the button that re-reads it from BigCommerce. */
import { Router } from 'express';
import { listParams } from '../admin/paging.ts';
import { renderAdmin, startsJob, type AdminDeps } from '../admin/render.ts';
import { adminOf } from '../http/admin-auth.ts';
import { filtersOf, productsPage } from './catalog.service.ts';

export function catalogRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/products', async (req, res) => {
    const { storeHash } = adminOf(res);
    const page = await productsPage(deps.db, storeHash, listParams(req), filtersOf(req.query));
    await renderAdmin(deps, res, 'pages/products/all', { title: 'All Products', tab: 'products', productTab: 'all', ...page });
  });

  router.post(
    '/admin/catalog/sync',
    startsJob(deps, 'catalog-sync', {
      path: '/admin/products',
      started: 'Catalog sync started: the list fills in as products are read.',
      alreadyRunning: 'A catalog sync is already running.',
    }),
  );

  return router;
}
