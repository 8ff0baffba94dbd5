/**
 * Admin middleware: `requireAdminSession` admits a request only with a valid session of the store's current
 * installation and a user who still has the access the session was opened with, and puts
 * `{ storeHash, userId }` on `res.locals.admin` — the only place admin routes take the store from. `requireCsrf` refuses any form post without the session's
 * CSRF token.
 */
import type { RequestHandler, Response } from 'express';
import type { Store, StoreUser } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { requestIsAbout } from './request-logging.ts';
import { csrfTokenFor, isValidCsrfToken, renewSession, verifySession, type AdminSession, type SessionKeys } from './admin-session.ts';

export const SESSION_HEADER = 'x-backorder-session';
export const CSRF_FIELD = '_csrf';

export interface AdminContext {
  storeHash: string;
  userId: number;
  session: AdminSession;
  store: Store;
  user: StoreUser;
}

const REFUSALS = {
  missing: 'This page needs a BackOrder session. Open BackOrder from the Apps menu of your BigCommerce control panel.',
  malformed: 'The BackOrder session in this link is damaged. Open BackOrder again from your BigCommerce control panel.',
  'bad-signature': 'The BackOrder session in this link is not valid. Open BackOrder again from your BigCommerce control panel.',
  expired: 'Your BackOrder session has expired. Open BackOrder again from your BigCommerce control panel.',
} as const;

function tokenOf(req: Parameters<RequestHandler>[0]): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return req.get(SESSION_HEADER) ?? body?.session ?? req.query.session;
}

/** Reads a session's store and user (stores/ does, for the admin router): http/ knows no domain. */
export type FindSessionOwner = (storeHash: string, userId: number) => Promise<[Store | undefined, StoreUser | undefined]>;

/** Admits requests carrying a valid session; renews it for the links of the page being rendered. */
export function requireAdminSession(deps: { keys: SessionKeys; findOwner: FindSessionOwner }): RequestHandler {
  return async (req, res, next) => {
    const check = await verifySession(deps.keys, tokenOf(req));
    if (!check.ok) return next(new AppError('unauthorized', REFUSALS[check.reason]));
    const { session } = check;
    requestIsAbout(res, session.storeHash);
    const [store, user] = await deps.findOwner(session.storeHash, session.userId);
    if (!store || store.status !== 'active') {
      return next(new AppError('unauthorized', 'BackOrder is no longer installed in this store. Install it again from the Apps menu.'));
    }
    // A session of an earlier installation (before an uninstall and reinstall) never opens the new one.
    if (store.installation !== session.installation) {
      return next(
        new AppError('unauthorized', 'BackOrder was uninstalled and installed again since this page was opened. Open BackOrder again from the Apps menu.'),
      );
    }
    if (!user || user.removed_at !== null)
      return next(
        new AppError('unauthorized', 'Your access to BackOrder was removed by the store owner. Ask the owner to give it back, then open BackOrder again.'),
      );
    // Removed, then given access again: the sessions from before the removal stay ended.
    if (user.access_generation !== session.access) {
      return next(new AppError('unauthorized', 'Your access to BackOrder changed since this page was opened. Open BackOrder again from the Apps menu.'));
    }
    const admin: AdminContext = { storeHash: session.storeHash, userId: session.userId, session, store, user };
    res.locals.admin = admin;
    res.locals.session = await renewSession(deps.keys, session);
    res.locals.csrfToken = csrfTokenFor(deps.keys, session);
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses state-changing requests whose CSRF token is not the session's. */
export function requireCsrf(keys: SessionKeys): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const given = body?.[CSRF_FIELD] ?? req.get('x-csrf-token');
    if (!isValidCsrfToken(keys, adminOf(res).session, given)) {
      return next(
        new AppError('forbidden', 'This form was not sent from your BackOrder page, or its security token is missing. Reload the page and try again.'),
      );
    }
    next();
  };
}

/** The admin context `requireAdminSession` established. */
export function adminOf(res: Response): AdminContext {
  const admin = res.locals.admin as AdminContext | undefined;
  if (!admin) throw new AppError('internal', 'An admin route ran without requireAdminSession.');
  return admin;
}
