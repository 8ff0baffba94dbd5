/**
 * The merchant's admin: every route under /admin sits behind the session (store and user from the token,
 * nowhere else) and, for form posts, the CSRF check. Each domain brings its own routes.
 */
import express, { Router } from 'express';
import { assignmentsRoutes } from '../assignments/assignments.routes.ts';
import { catalogRoutes } from '../catalog/catalog.routes.ts';
import { requireAdminSession, requireCsrf } from '../http/admin-auth.ts';
import { jobsRoutes } from '../jobs/jobs.routes.ts';
import { plansRoutes } from '../plans/plans.routes.ts';
import { reportsRoutes } from '../reports/reports.routes.ts';
import { settingsRoutes } from '../settings/settings.routes.ts';
import type { AdminDeps } from './render.ts';
import { adminUrl } from './view-helpers.ts';

/** The admin's routes, each guarded (a test walks this router to reach every one with another store's ids). */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use('/admin', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1_000 }));
  router.use('/admin', requireAdminSession(deps), requireCsrf(deps.keys));
  router.get('/admin', (_req, res) => res.redirect(303, adminUrl('/admin/products', res.locals.session as string)));
  router.use(catalogRoutes(deps), assignmentsRoutes(deps), settingsRoutes(deps), reportsRoutes(deps), plansRoutes(deps), jobsRoutes(deps));
  return router;
}
