/**
 * The Settings tab: the store's settings (editable, the storefront's in groups beside a live preview), the
 * theme check, the permissions BackOrder was granted, and — before uninstalling — "Release all products".
 */
import { Router } from 'express';
import { resumePendingWork } from '../admin/pending-work.ts';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { countAssignedProducts } from '../plans/plans.repo.ts';
import { REQUIRED_SCOPES, missingScopes } from '../stores/scopes.ts';
import { queueScriptsRefresh } from '../registration/scripts-refresh.service.ts';
import { previewScriptPath, STOREFRONT_DIST_DIR } from '../registration/storefront-bundle.ts';
import { themeCheckView } from '../themes/theme-check-view.ts';
import { loaderSelectorsChanged } from './loader-selectors.ts';
import { labelled, readSettingsForm, settingsFormValues } from './settings-form.ts';
import type { Settings } from './settings.schema.ts';
import { STOREFRONT_GROUPS, withGroupDefaults } from './storefront-form.ts';
import { storefrontSettingsSchema } from './storefront-settings.schema.ts';
import { limitModeView } from '../assignments/limit-mode.service.ts';
import { itemsHeldByApp } from '../selling/purchasing-holds.repo.ts';
import { formChanges, shownAgain } from './form-changes.ts';
import { deepMerge } from './patch.ts';
import { getSettings, saveSettingsForm } from './settings.service.ts';

/** What the page shows besides the form's values. */
interface ShownWith {
  /** What the page says it showed (hidden in the form); the values shown when absent. */
  shown?: Settings;
  problems?: FieldProblem[];
  /** Above the problems: why nothing was saved, when the problems alone do not say it. */
  summary?: string;
  status?: number;
  /** A line above the form (a group reset). */
  notice?: string;
  /** The storefront group just reset, shown unfolded. */
  resetGroup?: string;
  themeCheck?: Awaited<ReturnType<typeof themeCheckView>>;
}

export function settingsRoutes(deps: AdminDeps): Router {
  const router = Router();

  /** The page with `values` in the form; `problems` by field path, shown at the top in the form's words and beside their fields. */
  const show = async (res: Parameters<typeof adminOf>[0], values: Settings, page: ShownWith = {}) => {
    const { shown = values, problems = [], summary = '', status = 200, notice = '', themeCheck, resetGroup } = page;
    const { storeHash, store } = adminOf(res);
    const missing = new Set(missingScopes(store.scope).map((s) => s.scope));
    await renderAdmin(
      deps,
      res,
      'pages/settings/index',
      {
        title: 'Settings',
        tab: 'settings',
        form: settingsFormValues(values, shown, problems, resetGroup),
        problems: labelled(problems),
        summary,
        notice,
        themeCheck,
        previewScript: await previewScriptPath(STOREFRONT_DIST_DIR),
        scopes: REQUIRED_SCOPES.map((s) => ({ ...s, granted: !missing.has(s.scope) })),
        assignedCount: await countAssignedProducts(deps.db, storeHash),
        limit: await limitModeView(deps.db, storeHash),
      },
      status,
    );
  };

  router.get('/admin/settings', async (_req, res) => {
    const { storeHash } = adminOf(res);
    // A limit-mode switch Redis lost is taken up before its section says how many products it left.
    await resumePendingWork(deps, storeHash);
    await show(res, await getSettings(deps.db, storeHash));
  });

  /**
   * The posted form over the store's settings now, as the page shows it again: what the merchant changed as
   * typed, every other field as it is now; and what the page is to say it showed (`shownAgain`).
   */
  const posted = async (form: ReturnType<typeof readSettingsForm>, storeHash: string, conflictsNamed = false) => {
    const current = await getSettings(deps.db, storeHash);
    const changed = formChanges(form.patch, form.shown, current);
    return { asTyped: deepMerge(current, changed.changes) as Settings, shown: shownAgain(current, changed, conflictsNamed) };
  };

  // The theme check reads the shop with the profile and selectors as typed, so they can be tried before saving.
  router.post('/admin/settings/theme-check', async (req, res) => {
    const { storeHash } = adminOf(res);
    const { asTyped, shown } = await posted(readSettingsForm(bodyOf(req)), storeHash);
    const checked = storefrontSettingsSchema.safeParse(asTyped.storefront);
    if (!checked.success) {
      const problems = checked.error.issues.map((i) => ({ field: ['storefront', ...i.path].join('.'), message: i.message }));
      return show(res, asTyped, { shown, problems, status: 422 });
    }
    await show(res, asTyped, { shown, themeCheck: await themeCheckView(deps.db, storeHash, checked.data) });
  });

  router.post('/admin/settings', async (req, res) => {
    const { storeHash } = adminOf(res);
    const form = readSettingsForm(bodyOf(req));
    // "Reset to defaults" on a group refills its fields; nothing is saved until the merchant saves.
    const group = resetGroupOf(req.body);
    if (group) {
      const { asTyped, shown } = await posted(form, storeHash);
      return show(res, withGroupDefaults(asTyped, group.id), {
        shown,
        notice: `${group.title} is back to its defaults below: save the settings to keep them.`,
        resetGroup: group.id,
      });
    }
    let saved: Awaited<ReturnType<typeof saveSettingsForm>>;
    try {
      // Only what the merchant changed from what the page showed is saved, so untouched fields keep following
      // the defaults and a change saved meanwhile elsewhere stays.
      saved = await saveSettingsForm(deps.db, storeHash, form);
    } catch (error) {
      if (!(error instanceof AppError) || !['validation', 'conflict'].includes(error.kind)) throw error;
      // What the merchant typed is shown again with every problem at once; nothing was saved.
      const conflict = error.kind === 'conflict';
      const { asTyped, shown } = await posted(form, storeHash, conflict);
      return show(res, asTyped, { shown, problems: error.details.problems, summary: conflict ? error.message : '', status: error.status });
    }
    const { before, after } = saved;
    // Variants stopped already show the earlier "selling stopped" text: their items' checks word them anew.
    const reworded = after.inventory.sellingStoppedMessage !== before.inventory.sellingStoppedMessage;
    await deps.effects.changed(storeHash, reworded ? await itemsHeldByApp(deps.db, storeHash) : []);
    // The loader's URL carries the Custom profile's selectors: the store's scripts are registered again. The
    // settings are saved whatever Redis does; without it, the nightly reconcile registers them.
    if (loaderSelectorsChanged(before.storefront, after.storefront) && !(await scriptsRefreshQueued(deps, storeHash))) {
      return redirectAdmin(deps, res, '/admin/settings', {
        kind: 'info',
        text: 'Settings saved. The job queue could not be reached to give the storefront script your theme selectors now: tonight’s reconcile gives them.',
      });
    }
    await redirectAdmin(deps, res, '/admin/settings', { kind: 'success', text: 'Settings saved.' });
  });

  return router;
}

const bodyOf = (req: { body?: unknown }) => (req.body ?? {}) as Record<string, unknown>;

/** Queues the store's scripts refresh; false (logged) when the queue could not be reached. */
async function scriptsRefreshQueued(deps: AdminDeps, storeHash: string): Promise<boolean> {
  try {
    await queueScriptsRefresh(deps.reconcile, storeHash);
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, storeHash }, 'scripts refresh could not be queued; the nightly reconcile registers the scripts');
    return false;
  }
}

/** The group whose "Reset to defaults" button submitted the form, if one did. */
function resetGroupOf(body: unknown) {
  const id = (body as Record<string, unknown> | undefined)?.['resetGroup'];
  return STOREFRONT_GROUPS.find((group) => group.id === id);
}
