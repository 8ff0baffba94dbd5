/** The default backorder threshold chosen from the assign form, the first time the merchant assigns (see settings/default-threshold.ts). */
import { Router } from 'express';
import { redirectAdmin, type AdminDeps } from '../admin/render.ts';
import { adminOf } from '../http/admin-auth.ts';
import { parseThreshold, type Parsed } from '../inventory/item-values.ts';
import { chooseDefaultThreshold } from '../settings/default-threshold.ts';
import { MAX_DEFAULT_THRESHOLD } from '../settings/settings.schema.ts';

/** Where the form returns: the assign page it was on (one product or bulk), nothing else. */
function returnPath(value: unknown): string {
  return typeof value === 'string' && /^\/admin\/products\/(\d+\/assign|bulk-assign\?ids=[\d,]+)$/.test(value) ? value : '/admin/products';
}

export function defaultThresholdRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.post('/admin/products/default-threshold', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = returnPath(body.returnTo);
    const parsed = body.unlimited !== undefined ? ({ ok: true, value: null } as const) : defaultFrom(body.defaultBackorderThreshold);
    if (!parsed.ok) return redirectAdmin(deps, res, back, { kind: 'error', text: `Default backorder threshold: ${parsed.message}. Nothing was saved.` });
    await chooseDefaultThreshold(deps.db, adminOf(res).storeHash, parsed.value);
    await redirectAdmin(deps, res, back, {
      kind: 'success',
      text: `Your default backorder threshold is ${parsed.value === null ? 'unlimited' : parsed.value.toLocaleString('en-US')}: products you assign start with it. You can change it in Settings.`,
    });
  });
  return router;
}

/** The typed default as the Settings page takes it: a whole number up to MAX_DEFAULT_THRESHOLD, or "unlimited". */
function defaultFrom(typed: unknown): Parsed<number | null> {
  const text = typeof typed === 'string' ? typed : '';
  if (text.trim() === '') return { ok: false, message: 'give a whole number of 0 or more, or tick Unlimited' };
  const parsed = parseThreshold(text);
  if (parsed.ok && parsed.value !== null && parsed.value > MAX_DEFAULT_THRESHOLD) {
    return {
      ok: false,
      message: `${parsed.value.toLocaleString('en-US')} is more than a default may be (at most ${MAX_DEFAULT_THRESHOLD.toLocaleString('en-US')}); tick Unlimited for no limit`,
    };
  }
  return parsed;
}
