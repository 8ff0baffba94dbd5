/**
 * What every `/stores/{hash}/v2|v3/...` request goes through, in BigCommerce's order: rate-limit headers on
 * every answer (ref §2.5), 401 for a token not valid for the store (ref §10.2), the `apiFault` switch's
 * 500 or 429 while it is on, 429 once the window's quota is spent, 403 without the scope (ref §1.5), 415
 * for a body that is not JSON (ref §2.1), then the route; errors answered as v3 objects or v2 arrays (ref §2.3).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { BcError, STATUS_CODES_TYPE, v2ErrorBody, v3ErrorBody } from './api-error.ts';
import { apiFaultError } from './api-fault.ts';
import type { SandboxCore } from './core.ts';
import type { TokenRecord } from './model.ts';
import { paginationMeta, type Page } from './pagination.ts';
import { hasScope, requiredScope } from './scopes.ts';
import type { StoreContext } from './store-context.ts';

export interface ApiLocals {
  store: StoreContext;
  token: TokenRecord;
  version: 'v2' | 'v3';
  /** The parsed JSON body of a POST or PUT. */
  body: unknown;
}

/** The request's API context, set by the plumbing below. */
export function api(res: Response): ApiLocals {
  return res.locals.api as ApiLocals;
}

const UNAUTHORIZED = 'Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store.';
const NO_SCOPE = "You don't have a required scope to access the endpoint";

/** Wraps the store API routes (`routes` is mounted at `/stores/:hash`). */
export function storeApi(core: SandboxCore, routes: Router): Router {
  const router = express.Router({ mergeParams: true });
  router.use(
    '/:hash',
    express.text({ type: () => true, limit: '20mb' }),
    (req: Request, res: Response, next: NextFunction) => {
      const hash = String(req.params.hash);
      const version = req.path.startsWith('/v2/') ? 'v2' : 'v3';
      res.locals.version = version;
      // ref §2.1: v2 also answers with a `.json` suffix.
      if (version === 'v2' && req.url.includes('.json')) req.url = req.url.replace(/\.json(?=\?|$)/, '');

      const peek = core.rateLimiter.take(hash, false);
      res.set(peek.headers);
      const token = core.authenticate(hash, req.get('X-Auth-Token'));
      const store = core.contexts.get(hash);
      if (!token || !store) {
        res.status(401).json({ status: 401, title: UNAUTHORIZED, type: STATUS_CODES_TYPE });
        return;
      }
      const fault = apiFaultError(store.state.switches, Date.now(), core.rateLimiter.options.windowMs);
      if (fault) throw fault;
      const rate = core.rateLimiter.take(hash);
      res.set(rate.headers);
      if (!rate.allowed) throw new BcError(429, 'Too many requests: the API quota of this store is spent until the window resets.');

      const scope = requiredScope(req.path);
      if (scope && !hasScope(token.scopes, scope, req.method)) throw new BcError(403, NO_SCOPE);

      let body: unknown;
      if (req.method === 'POST' || req.method === 'PUT') {
        if (!/^application\/json\b/i.test(req.get('Content-Type') ?? '')) {
          throw new BcError(415, 'The request body must be JSON, sent with Content-Type: application/json.');
        }
        try {
          body = JSON.parse(typeof req.body === 'string' && req.body !== '' ? req.body : 'null');
        } catch {
          throw new BcError(400, 'Input is invalid.', { errors: { body: 'is not valid JSON' } });
        }
      }
      res.locals.api = { store, token, version, body } satisfies ApiLocals;
      const latency = store.state.switches.apiLatencyMs;
      if (latency > 0) setTimeout(next, latency);
      else next();
    },
    routes,
  );
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const bc = error instanceof BcError ? error : new BcError(500, `Sandbox error: ${(error as Error).message}`);
    if (bc.extra.headers) res.set(bc.extra.headers);
    res.status(bc.status).json(res.locals.version === 'v2' ? v2ErrorBody(bc) : v3ErrorBody(bc));
  });
  return router;
}

/** v3 single resource: `{ data, meta: {} }` (ref §2.2). */
export function sendData(res: Response, data: unknown, status = 200): void {
  res.status(status).json({ data, meta: {} });
}

/** v3 collection: `{ data, meta: { pagination } }` (ref §2.2). */
export function sendPage(res: Response, data: unknown[], total: number, page: Page): void {
  res.json({ data, meta: paginationMeta(total, data.length, page) });
}

/** The JSON body as an object, or 422. */
export function objectBody(res: Response): Record<string, unknown> {
  const body = api(res).body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BcError(422, 'JSON data is missing or invalid', { errors: { body: 'must be a JSON object' } });
  }
  return body as Record<string, unknown>;
}

/** A numeric path parameter; 404 when it is not one (as an unknown id). */
export function idParam(req: Request, name: string): number {
  const id = Number(req.params[name]);
  if (!Number.isInteger(id)) throw new BcError(404, 'The requested resource was not found.');
  return id;
}
