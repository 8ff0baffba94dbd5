/** Settings → Limit: the store's limit mode, flexible or strict (the page's section is partials/limit-mode.hbs). */
import { Router } from 'express';
import { redirectAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { changeLimitMode, type LimitMode, type LimitModeChange } from './limit-mode.service.ts';

const MODES: readonly LimitMode[] = ['flexible', 'strict'];

const SAID: Record<LimitModeChange, (mode: LimitMode) => string> = {
  changed: (mode) => `Limit mode set to ${mode}: the assigned products are being switched in BigCommerce.`,
  rechecking: () =>
    'BackOrder is reading BigCommerce’s Inventory settings again: if they now allow the strict limit, the assigned products are switched to it; if not, they stay on the flexible limit and this page says why.',
  resumed: (mode) => `The limit mode is ${mode}: the products not yet switched are being switched in BigCommerce.`,
  unchanged: (mode) => `The limit mode already was ${mode}.`,
};

export function limitModeRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.post('/admin/settings/limit-mode', async (req, res) => {
    const { storeHash } = adminOf(res);
    const mode = (req.body as Record<string, unknown> | undefined)?.['limitMode'];
    if (!MODES.includes(mode as LimitMode)) {
      return redirectAdmin(deps, res, '/admin/settings', { kind: 'error', text: 'Limit mode: choose flexible or strict.' });
    }
    try {
      const change = await changeLimitMode(deps, storeHash, mode as LimitMode);
      await redirectAdmin(deps, res, '/admin/settings', {
        kind: change === 'changed' || change === 'resumed' ? 'success' : 'info',
        text: SAID[change](mode as LimitMode),
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await redirectAdmin(deps, res, '/admin/settings', { kind: 'error', text: `Limit mode not changed: ${error.message}` });
    }
  });
  return router;
}
