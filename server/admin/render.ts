/**
 * What every admin page shares: the layout's tabs, the store's name, the flashes waiting for this session,
 * the progress of the store's long jobs, and the session and CSRF token the page's links and forms carry.
 * Routes call `renderAdmin` with their own content and `redirectAdmin` after a form post.
 */
import type { Queue } from 'bullmq';
import type { RequestHandler, Response } from 'express';
import type { UnifiedBilling } from '../bigcommerce/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { adminOf } from '../http/admin-auth.ts';
import type { SessionKeys } from '../http/admin-session.ts';
import type { Flash, FlashStore } from '../http/flash.ts';
import type { JobKind } from '../db/schema.ts';
import { jobsToShow } from '../jobs/jobs.repo.ts';
import { queueStoreJob } from '../jobs/jobs.service.ts';
import { jobView } from '../jobs/job-view.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import type { Logger } from '../logger.ts';
import { planLimitNotice } from '../plans/plans.service.ts';
import { overLimitNotice } from '../reports/over-limit.ts';
import { shortfallNotice } from '../inventory/shortfall.ts';
import { adminUrl } from './view-helpers.ts';

/** What admin routes are built with. */
export interface AdminDeps {
  db: Db;
  config: Config & { appUrl: string };
  keys: SessionKeys;
  flash: FlashStore;
  /** The queue of store jobs (install, catalog sync, release all, assign, unassign, import, sync). */
  storeJobs: Queue;
  /** Call after every change a shopper could see (stock, threshold, assignment, settings). */
  effects: StockEffects;
  /** The reconcile queue: a store's scripts refresh when its Custom theme selectors change. */
  reconcile: Queue;
  logger: Logger;
  /** Unified Billing, when configured: plans are charged on the merchant's BigCommerce invoice. */
  billing?: UnifiedBilling | undefined;
  /** Keeps polling a new checkout after the merchant leaves the page (a job). */
  pollCheckout?: (storeHash: string, checkoutId: string) => Promise<void>;
}

export type TabId = 'products' | 'settings' | 'report' | 'plan';
export type ProductTabId = 'all' | 'assigned';

const TABS: ReadonlyArray<{ id: TabId; label: string; path: string }> = [
  { id: 'products', label: 'Products', path: '/admin/products' },
  { id: 'settings', label: 'Settings', path: '/admin/settings' },
  { id: 'report', label: 'Report', path: '/admin/report' },
  { id: 'plan', label: 'Plan', path: '/admin/plan' },
];

const PRODUCT_TABS: ReadonlyArray<{ id: ProductTabId; label: string; path: string }> = [
  { id: 'all', label: 'All Products', path: '/admin/products' },
  { id: 'assigned', label: 'Assigned Products', path: '/admin/products/assigned' },
];

/** Failed runs stay on the page for a day, so a merchant who comes back learns what went wrong. */
const SHOW_FAILED_FOR_MS = 24 * 3600 * 1000;

export interface PageLocals {
  title: string;
  tab: TabId;
  productTab?: ProductTabId;
  /** Runs of these kinds are left out of the page's progress bars: the page shows their work itself. */
  hideJobs?: JobKind[];
  [local: string]: unknown;
}

/** Renders `view` inside the admin layout. */
export async function renderAdmin(deps: AdminDeps, res: Response, view: string, page: PageLocals, status = res.statusCode): Promise<void> {
  const admin = adminOf(res);
  const [flashes, jobs, planLimit, overCap, shortfall] = await Promise.all([
    deps.flash.take(admin.session.sid),
    jobsToShow(deps.db, admin.storeHash, new Date(Date.now() - SHOW_FAILED_FOR_MS)),
    // Where products are assigned, a store over its plan's limit (after a downgrade) is told why assigning is blocked.
    page.productTab ? planLimitNotice(deps.db, admin.storeHash) : null,
    // Units sold beyond the salable quantity are never dropped: the products tab (the admin's home) and the report warn of them.
    page.productTab || page.tab === 'report' ? overLimitNotice(deps.db, admin.storeHash) : null,
    // So is stock below zero that no order owes: only the merchant can settle it.
    page.productTab || page.tab === 'report' ? shortfallNotice(deps.db, admin.storeHash) : null,
  ]);
  const { q, page: pageNumber } = res.req.method === 'GET' ? (res.req.query as Record<string, unknown>) : {};
  res.status(status).render(view, {
    layout: 'admin',
    ...page,
    // This page again (same search and page), for "Show the results" once a job is done.
    reloadUrl: adminUrl(res.req.path, res.locals.session as string, { q, page: pageNumber }),
    store: { hash: admin.storeHash, name: admin.store.name || admin.storeHash, timezone: admin.store.timezone },
    tabs: TABS.map((tab) => ({ ...tab, current: tab.id === page.tab })),
    productTabs: page.productTab ? PRODUCT_TABS.map((tab) => ({ ...tab, current: tab.id === page.productTab })) : undefined,
    flashes,
    planLimit,
    overCap,
    shortfall,
    jobs: jobs.filter((job) => !page.hideJobs?.includes(job.kind)).map(jobView),
  });
}

/** Redirects (303) to an admin page in the same session, leaving a flash for it. */
export async function redirectAdmin(deps: AdminDeps, res: Response, path: string, flash?: Flash): Promise<void> {
  if (flash) await deps.flash.add(adminOf(res).session.sid, flash);
  res.redirect(303, adminUrl(path, res.locals.session as string));
}

/** A form's handler that starts a store job and returns to `then.path`, saying whether it started or was already running. */
export function startsJob(deps: AdminDeps, kind: JobKind, then: { path: string; started: string; alreadyRunning: string }): RequestHandler {
  return async (_req, res) => {
    const { alreadyOpen } = await queueStoreJob(deps.db, deps.storeJobs, adminOf(res).storeHash, kind, 'Waiting to start');
    await redirectAdmin(deps, res, then.path, { kind: 'info', text: alreadyOpen ? then.alreadyRunning : then.started });
  };
}
