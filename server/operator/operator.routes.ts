/**
 * The operator's pages (not the merchant's admin), behind OPERATOR_TOKEN: `/operator` (every store with its install state, last reconcile and its fixes) and
 * `/operator/queues` (bull-board: each queue's jobs, failed ones with their errors, retry).
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router } from 'express';
import { searchOf } from '../admin/paging.ts';
import type { Db } from '../db/database.ts';
import { requireOperatorToken } from '../http/operator-auth.ts';
import type { OperatorThrottle } from '../http/operator-throttle.ts';
import { countStores, storeOverviews } from './operator.repo.ts';

/** A moment as the operator reads it, in UTC to the minute: "2026-12-03 11:45 UTC". */
const utc = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '');

export const QUEUES_PATH = '/operator/queues';

/** Stores listed at once; a search finds any other. */
const SHOWN = 500;

export function operatorRoutes(deps: { db: Db; token: string | undefined; throttle: OperatorThrottle; queues: Queue[] }): Router {
  const router = Router();
  const operator = requireOperatorToken(deps.token, deps.throttle);

  router.use('/operator', operator, (_req, res, next) => {
    // The operator's pages are never framed, by anyone.
    res.set({ 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'", 'Referrer-Policy': 'no-referrer' });
    next();
  });
  router.get('/operator', async (req, res) => {
    const search = searchOf(req.query.q);
    const [overviews, total] = await Promise.all([storeOverviews(deps.db, search, SHOWN), countStores(deps.db, search)]);
    const stores = overviews.map((store) => ({
      ...store,
      at: {
        installedAt: utc(store.installedAt),
        uninstalledAt: utc(store.uninstalledAt),
        purgeAfter: utc(store.purgeAfter),
        reconcileStartedAt: utc(store.reconcileStartedAt),
      },
    }));
    res.render('pages/operator/stores', { title: 'Operator — stores', stores, search, total, more: total > stores.length, queuesPath: QUEUES_PATH });
  });

  const board = new ExpressAdapter().setBasePath(QUEUES_PATH);
  createBullBoard({ queues: deps.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
  router.use(QUEUES_PATH, board.getRouter() as Router);
  return router;
}
