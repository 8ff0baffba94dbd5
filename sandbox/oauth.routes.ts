/**
 * The login.bigcommerce.com stand-in: `POST /oauth2/token` exchanges a one-time grant code (ref §1.2,
 * §10.1). Its error shape is unconfirmed (ref §1.2); answered as OAuth 2.0 errors (RFC 6749 §5.2).
 */
import express, { type Router } from 'express';
import type { SandboxCore } from './core.ts';

interface TokenRequest {
  client_id?: unknown;
  client_secret?: unknown;
  code?: unknown;
  scope?: unknown;
  grant_type?: unknown;
  redirect_uri?: unknown;
  context?: unknown;
}

function refuse(res: express.Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

export function oauthRoutes(core: SandboxCore): Router {
  const router = express.Router();

  router.post('/oauth2/token', express.json(), express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as TokenRequest;
    const missing = ['client_id', 'client_secret', 'code', 'grant_type', 'redirect_uri'].filter(
      (field) => typeof body[field as keyof TokenRequest] !== 'string' || body[field as keyof TokenRequest] === '',
    );
    if (missing.length > 0) return refuse(res, 400, 'invalid_request', `Missing ${missing.join(', ')}.`);
    const clientId = body.client_id as string;
    const secret = core.state.clients[clientId];
    if (secret === undefined || secret !== body.client_secret) {
      return refuse(res, 401, 'invalid_client', 'The client_id and client_secret are not a valid pair.');
    }
    if (body.grant_type !== 'authorization_code') return refuse(res, 400, 'unsupported_grant_type', 'grant_type must be authorization_code.');

    const now = Date.now();
    const grant = core.state.codes.find((c) => c.code === body.code && c.client_id === clientId);
    if (!grant || grant.expires_at <= now) return refuse(res, 400, 'invalid_grant', 'The code is unknown, used or expired.');
    if (grant.redirect_uri !== body.redirect_uri) return refuse(res, 400, 'invalid_grant', 'redirect_uri does not match the auth callback URL.');
    if (typeof body.context === 'string' && body.context !== `stores/${grant.store_hash}`) {
      return refuse(res, 400, 'invalid_grant', 'context does not match the code.');
    }
    const store = core.contexts.get(grant.store_hash);
    if (!store) return refuse(res, 400, 'invalid_grant', 'The store of this code no longer exists.');

    // A code is good for one exchange only.
    core.state.codes = core.state.codes.filter((c) => c !== grant);
    const token = core.issueToken(grant.store_hash, grant.scopes, clientId, grant.user);
    const person = (user: { id: number; email: string }) => ({ id: user.id, username: user.email, email: user.email });
    res.json({
      access_token: token.token,
      scope: grant.scopes.join(' '),
      user: person(grant.user),
      owner: person(store.state.owner),
      context: `stores/${grant.store_hash}`,
      account_uuid: store.state.account_uuid,
    });
  });

  router.use('/oauth2/token', (_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    refuse(res, 400, 'invalid_request', 'The body is not valid JSON or form data.');
  });

  return router;
}
