/**
 * `/v3/hooks` (ref §6.1): each API client sees and changes only its own hooks; one hook per
 * store + client + scope + destination, at most 10 per store + client + scope; DELETE answers 200 with the hook.
 */
import express, { type Router } from 'express';
import { api, idParam, objectBody, sendData, sendPage } from './api-http.ts';
import { BcError, invalid } from './api-error.ts';
import type { SandboxCore } from './core.ts';
import { isRegistrableScope } from './events.ts';
import type { Hook, StoreState } from './model.ts';
import { param, readPage, slice } from './pagination.ts';
import { hookView } from './store-views.ts';

const HOOKS_PER_SCOPE = 10;

/** Checks a hook body; `existing` is the hook being updated. */
function validate(store: StoreState, clientId: string, body: Record<string, unknown>, existing: Hook | undefined): Partial<Hook> {
  const problems: Record<string, string> = {};
  const scope = body.scope ?? existing?.scope;
  const destination = body.destination ?? existing?.destination;
  if (typeof scope !== 'string' || scope === '') problems.scope = 'error.path.missing.';
  else if (!isRegistrableScope(scope)) problems.scope = `${scope} is not a webhook scope`;
  if (typeof destination !== 'string' || destination === '') problems.destination = 'error.path.missing.';
  else {
    let url: URL | undefined;
    try {
      url = new URL(destination);
    } catch {
      problems.destination = 'must be an absolute URL';
    }
    if (url && !['http:', 'https:'].includes(url.protocol)) problems.destination = 'must be an http(s) URL';
    // ref §6.1: HTTPS on port 443 only; a switch, off in the sandbox so hooks can reach loopback.
    if (url && store.switches.requireHttps443 && (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443'))) {
      problems.destination = 'must be served over HTTPS on port 443';
    }
  }
  if ('is_active' in body && typeof body.is_active !== 'boolean') problems.is_active = 'must be true or false';
  if ('events_history_enabled' in body && typeof body.events_history_enabled !== 'boolean') problems.events_history_enabled = 'must be true or false';
  const headers = body.headers;
  if (
    headers !== undefined &&
    headers !== null &&
    (typeof headers !== 'object' || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string'))
  ) {
    problems.headers = 'must be an object of string values';
  }
  if (Object.keys(problems).length > 0) throw invalid(problems);

  const others = store.hooks.filter((h) => h.client_id === clientId && h.scope === scope && h.id !== existing?.id);
  if (others.some((h) => h.destination === destination)) {
    throw invalid({ destination: `a webhook for ${String(scope)} to this destination already exists` }, 'Webhook already exists');
  }
  if (others.length >= HOOKS_PER_SCOPE) throw invalid({ scope: `at most ${HOOKS_PER_SCOPE} webhooks per scope` }, 'Too many webhooks for this scope');
  const out: Partial<Hook> = { scope: scope as string, destination: destination as string };
  if ('is_active' in body) out.is_active = body.is_active as boolean;
  if ('headers' in body) out.headers = (headers as Record<string, string> | null | undefined) ?? null;
  if ('events_history_enabled' in body) out.events_history_enabled = body.events_history_enabled as boolean;
  return out;
}

export function hookRoutes(core: SandboxCore): Router {
  const router = express.Router();
  const own = (store: StoreState, clientId: string, id: number): Hook => {
    const hook = store.hooks.find((h) => h.id === id && h.client_id === clientId);
    if (!hook) throw new BcError(404, `Webhook with id [${id}] not found`);
    return hook;
  };

  router.post('/v3/hooks', (_req, res) => {
    const { store, token } = api(res);
    const fields = validate(store.state, token.client_id, objectBody(res), undefined);
    const now = Math.floor(Date.now() / 1000);
    const hook: Hook = {
      id: core.state.next.hook++,
      client_id: token.client_id,
      scope: fields.scope!,
      destination: fields.destination!,
      is_active: fields.is_active ?? true,
      headers: fields.headers ?? null,
      created_at: now,
      updated_at: now,
      ...(fields.events_history_enabled === undefined ? {} : { events_history_enabled: fields.events_history_enabled }),
    };
    store.state.hooks.push(hook);
    store.changed();
    sendData(res, hookView(store.state, hook));
  });

  router.get('/v3/hooks', (req, res) => {
    const { store, token } = api(res);
    const page = readPage(req.query);
    const active = param(req.query, 'is_active');
    const scope = param(req.query, 'scope');
    const destination = param(req.query, 'destination');
    const hooks = store.state.hooks.filter(
      (h) =>
        h.client_id === token.client_id &&
        (active === undefined || String(h.is_active) === active) &&
        (scope === undefined || h.scope === scope) &&
        (destination === undefined || h.destination === destination),
    );
    sendPage(
      res,
      slice(hooks, page).map((h) => hookView(store.state, h)),
      hooks.length,
      page,
    );
  });

  router.get('/v3/hooks/:id', (req, res) => {
    const { store, token } = api(res);
    sendData(res, hookView(store.state, own(store.state, token.client_id, idParam(req, 'id'))));
  });

  router.put('/v3/hooks/:id', (req, res) => {
    const { store, token } = api(res);
    const hook = own(store.state, token.client_id, idParam(req, 'id'));
    Object.assign(hook, validate(store.state, token.client_id, objectBody(res), hook), { updated_at: Math.floor(Date.now() / 1000) });
    store.changed();
    sendData(res, hookView(store.state, hook));
  });

  router.delete('/v3/hooks/:id', (req, res) => {
    const { store, token } = api(res);
    const hook = own(store.state, token.client_id, idParam(req, 'id'));
    store.state.hooks.splice(store.state.hooks.indexOf(hook), 1);
    store.changed();
    sendData(res, hookView(store.state, hook));
  });

  return router;
}
