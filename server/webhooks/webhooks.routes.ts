/** `POST /webhooks/bigcommerce`: the only route BigCommerce posts events to. */
import express, { Router } from 'express';
import { requestIsAbout } from '../http/request-logging.ts';
import { WEBHOOK_PATH } from '../registration/registration.service.ts';
import { webhookReceiver, type ReceiveDeps } from './webhooks.service.ts';

export function webhookRoutes(deps: ReceiveDeps): Router {
  const router = Router();
  const receiveDelivery = webhookReceiver(deps);
  // Verification needs the exact bytes BigCommerce signed: no JSON parsing before it.
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await receiveDelivery(body, req.headers);
    if ('storeHash' in outcome) requestIsAbout(res, outcome.storeHash);
    if (outcome.status === 400 || outcome.status === 401) deps.logger.warn({ status: outcome.status, ip: req.ip }, outcome.reason);
    if (outcome.status === 503) res.setHeader('Retry-After', '30');
    res.status(outcome.status).json(outcome.status === 200 ? { received: true } : { error: outcome.reason });
  });
  return router;
}
