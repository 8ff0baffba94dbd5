/**
 * The callback URLs registered in the Developer Portal: `/auth` and `/load` answer inside the control
 * panel's iframe by redirecting into the admin with a fresh session; `/uninstall` and `/remove_user` are
 * called by BigCommerce's servers and answer 200 once the payload is verified.
 */
import { Router } from 'express';
import { adminUrl } from '../admin/view-helpers.ts';
import { issueSession, type SessionKeys } from '../http/admin-session.ts';
import type { FlashStore } from '../http/flash.ts';
import { requestIsAbout } from '../http/request-logging.ts';
import { install, load, refreshProfileAfterLoad, removeUserCallback, uninstallCallback, type LifecycleDeps, type Visitor } from './lifecycle.service.ts';
import type { UninstallOutcome } from './uninstall.service.ts';

const HOME = '/admin/products';
/** Deep links a load may open (`url` of the signed payload): a Unified Billing checkout returns to the Plan page. */
const DEEP_LINKS: Record<string, string> = { '/plan': '/admin/plan' };

const UNINSTALL_ANSWERS: Record<UninstallOutcome, string> = {
  uninstalled: 'Uninstalled.',
  'not-installed': 'Not installed.',
  'checking-again': 'Not uninstalled yet: BigCommerce still accepts the store’s token. It will be asked again.',
  kept: 'Not uninstalled: BigCommerce still accepts the store’s token.',
};

export function lifecycleRoutes(deps: LifecycleDeps & { keys: SessionKeys; flash: FlashStore }): Router {
  const router = Router();

  const openAdmin = (visitor: Visitor) => issueSession(deps.keys, visitor);

  router.get('/auth', async (req, res) => {
    const installed = await install(deps, { code: req.query.code, scope: req.query.scope, context: req.query.context });
    requestIsAbout(res, installed.storeHash);
    const { token, session } = await openAdmin(installed);
    await deps.flash.add(session.sid, { kind: 'success', text: 'BackOrder is installed. It is reading your catalog now; you can follow along below.' });
    if (installed.missing.length > 0) {
      await deps.flash.add(session.sid, {
        kind: 'warning',
        text: `BackOrder was not granted ${installed.missing.map((s) => s.label).join(', ')}. Some features will not work until the app is reinstalled with these scopes.`,
      });
    }
    res.redirect(302, adminUrl(HOME, token));
  });

  router.get('/load', async (req, res) => {
    const visitor = await load(deps, req.query.signed_payload_jwt);
    requestIsAbout(res, visitor.storeHash);
    res.redirect(302, adminUrl(DEEP_LINKS[visitor.url ?? ''] ?? HOME, (await openAdmin(visitor)).token));
    void refreshProfileAfterLoad(deps, visitor.storeHash);
  });

  router.get('/uninstall', async (req, res) => {
    const { storeHash, outcome } = await uninstallCallback(deps, req.query.signed_payload_jwt);
    requestIsAbout(res, storeHash);
    res.type('text/plain').send(UNINSTALL_ANSWERS[outcome]);
  });

  router.get('/remove_user', async (req, res) => {
    requestIsAbout(res, (await removeUserCallback(deps, req.query.signed_payload_jwt)).storeHash);
    res.type('text/plain').send('User removed.');
  });

  return router;
}
