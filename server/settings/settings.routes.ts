/**
 * The Settings tab: the store's settings (editable), the permissions BackOrder was granted, and — before
 * uninstalling — "Release all products".
 */
import { Router } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import type { FieldProblem } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { countAssignedProducts } from '../plans/plans.repo.ts';
import { REQUIRED_SCOPES, missingScopes } from '../stores/scopes.ts';
import { queueScriptsRefresh } from '../registration/scripts-refresh.service.ts';
import { loaderSelectorsChanged } from './loader-selectors.ts';
import { labelled, readSettingsForm, settingsFormValues } from './settings-form.ts';
import { settingsSchema, type Settings } from './settings.schema.ts';
import { limitModeView } from '../assignments/limit-mode.service.ts';
import { changedOnly, deepMerge, getSettings, updateSettings } from './settings.service.ts';

export function settingsRoutes(deps: AdminDeps): Router {
  const router = Router();

  const show = async (res: Parameters<typeof adminOf>[0], values: Settings, problems: FieldProblem[] = [], status = 200) => {
    const { storeHash, store } = adminOf(res);
    const missing = new Set(missingScopes(store.scope).map((s) => s.scope));
    await renderAdmin(
      deps,
      res,
      'pages/settings/index',
      {
        title: 'Settings',
        tab: 'settings',
        form: settingsFormValues(values),
        problems,
        scopes: REQUIRED_SCOPES.map((s) => ({ ...s, granted: !missing.has(s.scope) })),
        assignedCount: await countAssignedProducts(deps.db, storeHash),
        limit: await limitModeView(deps.db, storeHash),
      },
      status,
    );
  };

  router.get('/admin/settings', async (_req, res) => {
    await show(res, await getSettings(deps.db, adminOf(res).storeHash));
  });

  router.post('/admin/settings', async (req, res) => {
    const { storeHash } = adminOf(res);
    const form = readSettingsForm((req.body ?? {}) as Record<string, unknown>);
    const current = await getSettings(deps.db, storeHash);
    // What the merchant typed is shown again with every problem at once; nothing is saved unless all is valid.
    const asTyped = deepMerge(current, form.patch) as Settings;
    const checked = settingsSchema.safeParse(asTyped);
    const problems = [
      ...form.problems,
      ...(checked.success ? [] : labelled(checked.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })))),
    ];
    if (problems.length > 0) return show(res, asTyped, problems, 422);
    // Only what differs from the current settings is saved, so untouched fields keep following the defaults.
    const saved = await updateSettings(deps.db, storeHash, changedOnly(form.patch, current));
    await deps.effects.changed(storeHash, []);
    // The loader's URL carries the Custom profile's selectors: the store's scripts are registered again.
    if (loaderSelectorsChanged(current.storefront, saved.storefront)) await queueScriptsRefresh(deps.reconcile, storeHash);
    await redirectAdmin(deps, res, '/admin/settings', { kind: 'success', text: 'Settings saved.' });
  });

  return router;
}
