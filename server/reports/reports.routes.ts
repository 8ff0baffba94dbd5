/**
 * The Report tab: the store's backorder lines, filtered, searched and sorted as the URL says, paged by
 * keyset, with a summary above them; the "what to reorder" view; both exported as CSV.
 */
import { Router, type Response } from 'express';
import { keysetLinks, lastPageIfPast, listParams, pageAt, PER_PAGE } from '../admin/paging.ts';
import { renderAdmin, type AdminDeps } from '../admin/render.ts';
import { adminUrl } from '../admin/view-helpers.ts';
import { sendCsv } from '../csv/csv-stream.ts';
import { adminOf } from '../http/admin-auth.ts';
import { todayInStore } from '../stores/stores.repo.ts';
import { filterChoices } from './report-choices.repo.ts';
import { REORDER_COLUMNS, REPORT_COLUMNS, reorderCells, reportCells } from './report-export.ts';
import {
  isFiltered,
  readReportQuery,
  reportParams,
  reportProblemsView,
  SORT_LABELS,
  SORTS,
  STATUS_LABELS,
  etaWords,
  toggled,
  type ReportQuery,
} from './report-query.ts';
import { reorderCount, reorderRows, reportSummary, type ReorderRow } from './report-summary.repo.ts';
import { reportBatches, reportPage, type ReportScope } from './report.repo.ts';

const REORDER_BATCH = 5_000;

function scopeOf(res: Response): ReportScope {
  const { storeHash, store } = adminOf(res);
  return { storeHash, timezone: store.timezone };
}

async function* reorderBatches(deps: AdminDeps, scope: ReportScope, query: ReportQuery): AsyncGenerator<ReorderRow[]> {
  for (let offset = 0; ; offset += REORDER_BATCH) {
    const rows = await reorderRows(deps.db, scope, query.filters, { limit: REORDER_BATCH, offset });
    if (rows.length > 0) yield rows;
    if (rows.length < REORDER_BATCH) return;
  }
}

export function reportsRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/report', async (req, res) => {
    const scope = scopeOf(res);
    const { store } = adminOf(res);
    const session = res.locals.session as string;
    const { query, problems } = readReportQuery(req.query);
    const params = reportParams(query);
    const reorder = req.query.view === 'reorder';
    const link = (path: string, extra: Record<string, unknown> = {}) => adminUrl(path, session, { ...params, ...extra });
    const base = (choices: Awaited<ReturnType<typeof filterChoices>>) => ({
      title: 'Backorder report',
      tab: 'report' as const,
      ...reportProblemsView(problems),
      filters: query.filters,
      filtered: isFiltered(query.filters),
      reorder,
      sortValue: query.sort,
      dirValue: query.direction,
      statuses: Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label, selected: value === query.filters.status })),
      categories: choices.categories.map((c) => ({ ...c, selected: c.id === query.filters.categoryId })),
      brands: choices.brands.map((b) => ({ ...b, selected: b.id === query.filters.brandId })),
      links: {
        lines: link('/admin/report'),
        reorder: link('/admin/report', { view: 'reorder' }),
        export: link('/admin/report/export.csv'),
        reorderExport: link('/admin/report/reorder.csv'),
        clear: adminUrl('/admin/report', session, reorder ? { view: 'reorder' } : {}),
      },
    });
    if (problems.length > 0) return renderAdmin(deps, res, 'pages/report/index', base(await filterChoices(deps.db, scope.storeHash)));

    // The page's reads are independent of each other: they run at once.
    if (reorder) {
      // Offset pages: the reorder view lists products, not lines (a few thousand at most).
      const { page, offset } = listParams(req);
      const [choices, summary, rows, total] = await Promise.all([
        filterChoices(deps.db, scope.storeHash),
        reportSummary(deps.db, scope, query.filters),
        reorderRows(deps.db, scope, query.filters, { limit: PER_PAGE, offset }),
        reorderCount(deps.db, scope, query.filters),
      ]);
      const last = lastPageIfPast(page, PER_PAGE, total);
      if (last !== undefined) return res.redirect(link('/admin/report', { view: 'reorder', page: last }));
      const pageCount = Math.max(1, Math.ceil(total / PER_PAGE));
      return renderAdmin(deps, res, 'pages/report/index', {
        ...base(choices),
        summary,
        groups: rows,
        groupTotal: total,
        groupPager: {
          page,
          pageCount,
          previous: page > 1 ? link('/admin/report', { view: 'reorder', page: Math.min(page - 1, pageCount) }) : null,
          next: page < pageCount ? link('/admin/report', { view: 'reorder', page: page + 1 }) : null,
        },
      });
    }

    const [choices, summary, page] = await Promise.all([
      filterChoices(deps.db, scope.storeHash),
      reportSummary(deps.db, scope, query.filters),
      reportPage(deps.db, scope, query, pageAt(req, 'bigint'), PER_PAGE),
    ]);
    const orderLink = (orderId: number) => (store.control_panel_url ? `${store.control_panel_url.replace(/\/$/, '')}/manage/orders/${orderId}` : null);
    await renderAdmin(deps, res, 'pages/report/index', {
      ...base(choices),
      summary,
      lines: page.rows.map((row) => ({ ...row, statusLabel: STATUS_LABELS[row.status], etaText: etaWords(row), orderUrl: orderLink(row.orderId) })),
      sorts: SORTS.map((sort) => ({
        sort,
        label: SORT_LABELS[sort],
        current: sort === query.sort,
        ariaSort: sort === query.sort ? (query.direction === 'asc' ? 'ascending' : 'descending') : null,
        href: adminUrl('/admin/report', session, { ...params, sort, dir: toggled(query, sort) }),
      })),
      pager: keysetLinks(
        page,
        (row) => row.id,
        (at) => link('/admin/report', at),
      ),
    });
  });

  router.get('/admin/report/export.csv', async (req, res) => {
    const { query, problems } = readReportQuery(req.query);
    if (problems.length > 0)
      return void res
        .status(400)
        .type('text/plain')
        .send(problems.map((p) => p.message).join('\n'));
    const scope = scopeOf(res);
    await sendCsv(
      res,
      `backorder-report-${await todayInStore(deps.db, scope.storeHash)}.csv`,
      REPORT_COLUMNS,
      reportBatches(deps.db, scope, query),
      reportCells,
    );
  });

  router.get('/admin/report/reorder.csv', async (req, res) => {
    const { query, problems } = readReportQuery(req.query);
    if (problems.length > 0)
      return void res
        .status(400)
        .type('text/plain')
        .send(problems.map((p) => p.message).join('\n'));
    const scope = scopeOf(res);
    await sendCsv(
      res,
      `backorder-reorder-${await todayInStore(deps.db, scope.storeHash)}.csv`,
      REORDER_COLUMNS,
      reorderBatches(deps, scope, query),
      reorderCells,
    );
  });

  return router;
}
