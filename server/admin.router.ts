/**
 * The merchant's admin: every route under /admin sits behind the session (store and user from the token,
 * nowhere else) and, for form posts, the CSRF check. Each domain brings its own routes.
 */
import express, { Router } from 'express';
import { assignPagesRoutes } from './assignments/assign-pages.routes.ts';
import { assignmentsRoutes } from './assignments/assignments.routes.ts';
import { defaultThresholdRoutes } from './assignments/default-threshold.routes.ts';
import { editPagesRoutes } from './assignments/edit-pages.routes.ts';
import { unassignPagesRoutes } from './assignments/unassign-pages.routes.ts';
import { catalogRoutes } from './catalog/catalog.routes.ts';
import { requireAdminSession, requireCsrf } from './http/admin-auth.ts';
import { framedByItsControlPanel, keptOutOfCaches } from './http/security-headers.ts';
import { MAX_FILE_BYTES } from './imports/csv-format.ts';
import { importsRoutes } from './imports/imports.routes.ts';
import { multipartUpload } from './imports/upload.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import { plansRoutes } from './plans/plans.routes.ts';
import { reportsRoutes } from './reports/reports.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { limitModeRoutes } from './assignments/limit-mode.routes.ts';
import { findStore, findUser } from './stores/stores.repo.ts';
import type { AdminDeps } from './admin/render.ts';
import { adminUrl } from './admin/view-helpers.ts';

/** The admin's routes, each guarded (a test walks this router to reach every one with another store's ids). */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  // Bulk pages carry five inputs per item for up to 50 products and their variants.
  router.use('/admin', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 10_000 }));
  router.use('/admin/imports', multipartUpload(deps.keys, MAX_FILE_BYTES));
  const findOwner = (storeHash: string, userId: number) => Promise.all([findStore(deps.db, storeHash), findUser(deps.db, storeHash, userId)]);
  router.use('/admin', requireAdminSession({ keys: deps.keys, findOwner }), framedByItsControlPanel(deps.config), keptOutOfCaches, requireCsrf(deps.keys));
  router.get('/admin', (_req, res) => res.redirect(303, adminUrl('/admin/products', res.locals.session as string)));
  router.use(
    catalogRoutes(deps),
    assignmentsRoutes(deps),
    assignPagesRoutes(deps),
    editPagesRoutes(deps),
    unassignPagesRoutes(deps),
    defaultThresholdRoutes(deps),
    importsRoutes(deps),
    settingsRoutes(deps),
    limitModeRoutes(deps),
    reportsRoutes(deps),
    plansRoutes(deps),
    jobsRoutes(deps),
  );
  return router;
}
