/** All Products (the catalog mirror) and the button that re-reads it from BigCommerce. */
import { Router } from 'express';
import { keysetLinks, pageAt, PER_PAGE, searchOf } from '../admin/paging.ts';
import { renderAdmin, startsJob, type AdminDeps } from '../admin/render.ts';
import { adminUrl } from '../admin/view-helpers.ts';
import { adminOf } from '../http/admin-auth.ts';
import { filtersOf, productsPage } from './catalog.service.ts';

export function catalogRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/products', async (req, res) => {
    const { storeHash } = adminOf(res);
    // Paged by keyset (`?after=`, `?before=`, `?last=1`): it has no page numbers to read.
    const search = searchOf(req.query.q);
    const filters = filtersOf(req.query);
    const { page, products, total, totalCapped } = await productsPage(deps.db, storeHash, { search, at: pageAt(req, 'int'), limit: PER_PAGE }, filters);
    const link = (at: Record<string, number>) => adminUrl('/admin/products', res.locals.session as string, { q: search, ...filters, ...at });
    await renderAdmin(deps, res, 'pages/products/all', {
      title: 'All Products',
      tab: 'products',
      productTab: 'all',
      products,
      total,
      totalCapped,
      filters,
      search,
      pager: keysetLinks(page, (row) => row.productId, link),
    });
  });

  router.post(
    '/admin/catalog/sync',
    startsJob(deps, 'catalog-sync', {
      path: '/admin/products',
      started: 'Catalog sync started: once it is done, “Show the results” lists the products read.',
      alreadyRunning: 'A catalog sync is already running.',
    }),
  );

  return router;
}
