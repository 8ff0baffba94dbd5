/** The progress of one of the store's runs, as JSON for the admin's progress bar. */
import { Router } from 'express';
import type { AdminDeps } from '../admin/render.ts';
import { AppError } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { idFrom } from '../http/route-ids.ts';
import { findJob } from './jobs.repo.ts';
import { jobView } from './job-view.ts';

export function jobsRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.get('/admin/jobs/:jobId', async (req, res) => {
    const { storeHash } = adminOf(res);
    const jobId = idFrom(req.params.jobId, 'bigint');
    const job = jobId === undefined ? undefined : await findJob(deps.db, storeHash, jobId);
    if (!job) throw new AppError('not_found', `There is no job ${req.params.jobId.slice(0, 20)} in this store.`);
    // The renewed session lets a page that stays open keep polling.
    res.json({ ...jobView(job), session: res.locals.session });
  });
  return router;
}
