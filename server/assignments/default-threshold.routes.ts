/** The default backorder threshold chosen from the assign form, the first time the merchant assigns (see settings/default-threshold.ts). */
import { Router } from 'express';
import { redirectAdmin, type AdminDeps } from '../admin/render.ts';
import { adminOf } from '../http/admin-auth.ts';
import { parseThreshold } from '../inventory/item-values.ts';
import { chooseDefaultThreshold } from '../settings/default-threshold.ts';

/** Where the form returns: the assign page it was on (one product or bulk), nothing else. */
function returnPath(value: unknown): string {
  return typeof value === 'string' && /^\/admin\/products\/(\d+\/assign|bulk-assign\?ids=[\d,]+)$/.test(value) ? value : '/admin/products';
}

export function defaultThresholdRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.post('/admin/products/default-threshold', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = returnPath(body.returnTo);
    const text = typeof body.defaultBackorderThreshold === 'string' ? body.defaultBackorderThreshold : '';
    const parsed =
      body.unlimited !== undefined
        ? ({ ok: true, value: null } as const)
        : text.trim() === ''
          ? ({ ok: false, message: 'give a whole number of 0 or more, or tick Unlimited' } as const)
          : parseThreshold(text);
    if (!parsed.ok) return redirectAdmin(deps, res, back, { kind: 'error', text: `Default backorder threshold: ${parsed.message}. Nothing was saved.` });
    await chooseDefaultThreshold(deps.db, adminOf(res).storeHash, parsed.value);
    await redirectAdmin(deps, res, back, {
      kind: 'success',
      text: `Your default backorder threshold is ${parsed.value === null ? 'unlimited' : parsed.value.toLocaleString('en-US')}: products you assign start with it. You can change it in Settings.`,
    });
  });
  return router;
}
