/**
 * `/v3/content/scripts` (ref §7): each API client sees and changes only its own scripts, at most 10;
 * `all_pages`/`checkout` visibility needs the checkout-content scope; `auto_uninstall` scripts go with the app.
 */
import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { api, objectBody, sendData, sendPage } from './api-http.ts';
import { BcError, invalid } from './api-error.ts';
import type { Script } from './model.ts';
import { intListParam, param, readPage, slice } from './pagination.ts';
import { hasScope } from './scopes.ts';
import { scriptView } from './store-views.ts';

/** ref §7: 10 API-created scripts per app (the exact error text is unconfirmed). */
export const SCRIPTS_PER_APP = 10;

const ENUMS: Record<string, readonly string[]> = {
  kind: ['src', 'script_tag'],
  load_method: ['default', 'async', 'defer'],
  location: ['head', 'footer'],
  visibility: ['storefront', 'all_pages', 'checkout', 'order_confirmation'],
  consent_category: ['essential', 'functional', 'analytics', 'targeting'],
};

/** The script as it would be after applying `body` to `base`, or 422 naming every bad field. */
function merge(base: Partial<Script>, body: Record<string, unknown>): Partial<Script> {
  const problems: Record<string, string> = {};
  const next: Record<string, unknown> = { ...base };
  for (const [field, value] of Object.entries(body)) {
    if (field in ENUMS) {
      if (!ENUMS[field]!.includes(value as string)) problems[field] = `must be one of ${ENUMS[field]!.join(', ')}`;
    } else if (['name', 'description', 'src', 'html'].includes(field)) {
      if (typeof value !== 'string') problems[field] = 'must be a string';
    } else if (['auto_uninstall', 'enabled'].includes(field)) {
      if (typeof value !== 'boolean') problems[field] = 'must be true or false';
    } else if (field === 'channel_id') {
      if (!Number.isInteger(value) || (value as number) < 1) problems[field] = 'must be a channel id ≥ 1';
    } else if (field === 'integrity_hashes') {
      if (!Array.isArray(value) || value.length > 5 || value.some((h) => typeof h !== 'string')) problems[field] = 'must be at most 5 strings';
    } else {
      continue; // read-only and unknown fields are ignored
    }
    next[field] = value;
  }
  const script = next as Partial<Script>;
  if (!script.name || script.name.length > 255) problems.name ??= 'name is required (at most 255 characters)';
  if (script.kind === 'src') {
    try {
      new URL(script.src ?? '');
    } catch {
      problems.src ??= 'a src script needs an absolute src URL';
    }
  }
  if (script.kind === 'script_tag') {
    if (!script.html || script.html.length > 65_536) problems.html ??= 'a script_tag script needs html (at most 65536 characters)';
    if (script.load_method !== 'default') problems.load_method ??= 'must be default for a script_tag script';
  }
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return script;
}

export function scriptRoutes(): Router {
  const router = express.Router();
  const own = (scripts: Script[], clientId: string, uuid: string): Script => {
    const script = scripts.find((s) => s.uuid === uuid && s.api_client_id === clientId);
    if (!script) throw new BcError(404, 'Script not found.', { errors: {} });
    return script;
  };
  const needsCheckoutScope = (res: express.Response, script: Partial<Script>) => {
    const visibility = script.visibility ?? 'storefront';
    if ((visibility === 'all_pages' || visibility === 'checkout') && !hasScope(api(res).token.scopes, 'store_content_checkout', 'PUT')) {
      throw new BcError(403, `Scripts with visibility ${visibility} need the store_content_checkout scope.`);
    }
  };

  router.post('/v3/content/scripts', (_req, res) => {
    const { store, token } = api(res);
    const defaults: Partial<Script> = {
      description: '',
      kind: 'src',
      src: '',
      html: '',
      load_method: 'default',
      location: 'footer',
      visibility: 'storefront',
      auto_uninstall: false,
      enabled: true,
      channel_id: 1,
      integrity_hashes: [],
    };
    const fields = merge(defaults, objectBody(res));
    needsCheckoutScope(res, fields);
    const mine = store.state.scripts.filter((s) => s.api_client_id === token.client_id);
    if (mine.length >= SCRIPTS_PER_APP) throw invalid({ scripts: `an app may create at most ${SCRIPTS_PER_APP} scripts` }, 'Script limit reached');
    const now = store.now();
    // ref §7: unset consent_category reads as "unknown".
    const script = {
      consent_category: 'unknown',
      ...fields,
      uuid: randomUUID(),
      api_client_id: token.client_id,
      date_created: now,
      date_modified: now,
    } as Script;
    store.state.scripts.push(script);
    store.changed();
    sendData(res, scriptView(script));
  });

  router.get('/v3/content/scripts', (req, res) => {
    const { store, token } = api(res);
    const page = readPage(req.query);
    const channels = intListParam(req.query, 'channel_id:in');
    const scripts = store.state.scripts.filter((s) => s.api_client_id === token.client_id && (!channels || channels.includes(s.channel_id)));
    const sort = param(req.query, 'sort');
    if (sort && ['name', 'description', 'date_created', 'date_modified'].includes(sort)) {
      const key = sort as 'name' | 'description' | 'date_created' | 'date_modified';
      const sign = param(req.query, 'direction') === 'desc' ? -1 : 1;
      scripts.sort((a, b) => sign * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
    }
    sendPage(res, slice(scripts, page).map(scriptView), scripts.length, page);
  });

  router.get('/v3/content/scripts/:uuid', (req, res) => {
    const { store, token } = api(res);
    sendData(res, scriptView(own(store.state.scripts, token.client_id, String(req.params.uuid))));
  });

  router.put('/v3/content/scripts/:uuid', (req, res) => {
    const { store, token } = api(res);
    const script = own(store.state.scripts, token.client_id, String(req.params.uuid));
    const fields = merge(script, objectBody(res));
    needsCheckoutScope(res, fields);
    Object.assign(script, fields, { date_modified: store.now() });
    store.changed();
    sendData(res, scriptView(script));
  });

  router.delete('/v3/content/scripts/:uuid', (req, res) => {
    const { store, token } = api(res);
    const script = own(store.state.scripts, token.client_id, String(req.params.uuid));
    store.state.scripts.splice(store.state.scripts.indexOf(script), 1);
    store.changed();
    res.status(204).end();
  });

  return router;
}
