/** All Products (the catalog mirror) and the button that re-reads it from BigCommerce. */
import { Router } from 'express';
import { listParams } from '../admin/paging.ts';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { adminOf } from '../http/admin-auth.ts';
import { queueStoreJob } from '../jobs/jobs.service.ts';
import { productsPage } from './catalog.service.ts';

export function catalogRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/products', async (req, res) => {
    const { storeHash } = adminOf(res);
    const page = await productsPage(deps.db, storeHash, listParams(req));
    await renderAdmin(deps, res, 'pages/products/all', { title: 'All Products', tab: 'products', productTab: 'all', ...page });
  });

  router.post('/admin/catalog/sync', async (_req, res) => {
    const { storeHash } = adminOf(res);
    const { alreadyOpen } = await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'catalog-sync', 'Waiting to start');
    await redirectAdmin(deps, res, '/admin/products', {
      kind: 'info',
      text: alreadyOpen ? 'A catalog sync is already running.' : 'Catalog sync started: the list fills in as products are read.',
    });
  });

  return router;
}
