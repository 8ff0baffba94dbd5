/** `/metrics`: the process's metrics in Prometheus's text format, behind OPERATOR_TOKEN. */
import { Router } from 'express';
import { requireOperatorToken } from '../http/operator-auth.ts';
import type { OperatorThrottle } from '../http/operator-throttle.ts';
import { scrape } from '../metrics/metrics.ts';

export function metricsRoutes(deps: { token: string | undefined; throttle: OperatorThrottle }): Router {
  const router = Router();
  router.get('/metrics', requireOperatorToken(deps.token, deps.throttle), async (_req, res) => {
    const { contentType, body } = await scrape();
    res.type(contentType).send(body);
  });
  return router;
}
