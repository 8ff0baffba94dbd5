/** Assigned Products (with its export and Sync), and "Release all products" (the step before uninstalling). */
import { Router } from 'express';
import { lastPageIfPast, listParams, pagerOf } from '../admin/paging.ts';
import { adminUrl } from '../admin/view-helpers.ts';
import { redirectAdmin, renderAdmin, startsJob, type AdminDeps } from '../admin/render.ts';
import { sendCsv } from '../csv/csv-stream.ts';
import { adminOf } from '../http/admin-auth.ts';
import { todayInStore } from '../stores/stores.repo.ts';
import { salableQty } from '../inventory/stock.service.ts';
import { SHORT_FILTER, shortfallNote } from '../inventory/shortfall.ts';
import { exportRows, listAssignedItems } from './assigned-list.repo.ts';
import { ASSIGNED_EXPORT_HEADER, assignedExportCells } from '../imports/csv-export.ts';
import { dismissReleaseNotices, releasesByTheApp } from './assignment-states.repo.ts';
import { idsFrom } from './item-form.ts';
import { resumePendingWork } from '../admin/pending-work.ts';

const NOTICE_DAYS = 7;

export function assignmentsRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/products/assigned', async (req, res) => {
    const { storeHash } = adminOf(res);
    const params = listParams(req);
    const short = req.query.show === SHORT_FILTER;
    await resumePendingWork(deps, storeHash);
    const [{ rows, total }, releases] = await Promise.all([
      listAssignedItems(deps.db, { storeHash, ...params, short }),
      releasesByTheApp(deps.db, storeHash, new Date(Date.now() - NOTICE_DAYS * 24 * 3600 * 1000)),
    ]);
    const last = lastPageIfPast(params.page, params.limit, total);
    if (last !== undefined) {
      const session = res.locals.session as string;
      return res.redirect(adminUrl('/admin/products/assigned', session, { q: params.search, show: short ? SHORT_FILTER : undefined, page: last }));
    }
    let previous: number | undefined;
    const items = rows.map((row) => {
      const salable = salableQty(row.currentStock, row.backorderThreshold);
      const first = row.productId !== previous;
      previous = row.productId;
      return {
        ...row,
        first,
        salable: Number.isFinite(salable) ? salable : null,
        // Owed to shoppers; what stock is below zero beyond that is owed to no order, and said apart.
        backordered: Math.max(0, -row.currentStock) - row.shortfall,
        shortfallNote: row.shortfall > 0 ? shortfallNote(row.shortfall) : '',
        stateLabel: row.state === 'assigning' ? 'Assigning…' : row.state === 'unassigning' ? 'Unassigning…' : '',
      };
    });
    await renderAdmin(deps, res, 'pages/products/assigned', {
      title: 'Assigned Products',
      tab: 'products',
      productTab: 'assigned',
      items,
      releases,
      short,
      pager: { ...pagerOf(params, total, rows.length), filters: { show: short ? SHORT_FILTER : undefined } },
    });
  });

  // One notice, or all of them ("Dismiss all" posts no ids); the releases stay in the history. Ids that name
  // no assignment (a tampered form) dismiss nothing, not everything.
  router.post('/admin/products/releases/dismiss', async (req, res) => {
    const posted = (req.body as Record<string, unknown>).ids;
    await dismissReleaseNotices(deps.db, adminOf(res).storeHash, posted === undefined ? undefined : idsFrom(posted, 100, 'bigint'));
    await redirectAdmin(deps, res, '/admin/products/assigned');
  });

  // The import format, every column filled: export → edit → "import to update" round-trips.
  router.get('/admin/products/assigned/export.csv', async (_req, res) => {
    const { storeHash } = adminOf(res);
    // Dated as the merchant's calendar says, like the dates in it: the store's day, not the server's.
    const filename = `backorder-assigned-${await todayInStore(deps.db, storeHash)}.csv`;
    await sendCsv(res, filename, ASSIGNED_EXPORT_HEADER, exportRows(deps.db, storeHash), assignedExportCells);
  });

  router.post(
    '/admin/products/sync',
    startsJob(deps, 'sync', {
      path: '/admin/products/assigned',
      started: 'Sync started: the catalog and the stock levels of assigned products are read from BigCommerce.',
      alreadyRunning: 'A sync is already running.',
    }),
  );

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
