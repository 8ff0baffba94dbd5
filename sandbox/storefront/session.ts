/**
 * The request plumbing of a store's storefront: the shopper's session from the `SHOP_SESSION_TOKEN` cookie
 * (set on first visit), the store's model, the storefront's origin, and the request bodies the theme sends
 * (form-encoded or multipart `FormData`, stencil §3–4) read as ordered key/value pairs. Browsers share cookies
 * between ports of one host, so every store accepts any well-formed token and keeps its own session for it.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { SandboxCore } from '../core.ts';
import type { ShopperSession } from '../model.ts';
import type { StoreContext } from '../store-context.ts';
import { newSessionToken, sessionFor } from './carts.ts';

export const SESSION_COOKIE = 'SHOP_SESSION_TOKEN';

export interface Shop {
  store: StoreContext;
  session: ShopperSession;
  /** `http://127.0.0.1:PORT`: the storefront's own origin. */
  origin: string;
  /** `BCData.csrf_token`, which stencil-utils sends back as `x-xsrf-token`. */
  csrfToken: string;
}

export function shop(res: Response): Shop {
  return res.locals.shop as Shop;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Finds (or starts) the shopper's session and puts the store's context on `res.locals.shop`. */
export function shopMiddleware(core: SandboxCore, storeHash: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const store = core.context(storeHash);
    let token = cookie(req, SESSION_COOKIE);
    if (!token || !/^[\w-]{16,64}$/.test(token)) {
      token = newSessionToken();
      res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax`);
    }
    const session = sessionFor(store, token);
    const csrfToken = createHash('sha256').update(`csrf:${token}`).digest('hex').slice(0, 40);
    res.locals.shop = { store, session, origin: `${req.protocol}://${req.get('host')}`, csrfToken } satisfies Shop;
    next();
  };
}

/** The body as ordered `[key, value]` pairs: multipart `FormData` (files skipped) or form-encoded. */
export async function formPairs(req: Request): Promise<Array<[string, string]>> {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const type = req.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new globalThis.Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    const pairs: Array<[string, string]> = [];
    form.forEach((value, key) => {
      if (typeof value === 'string') pairs.push([key, value]);
    });
    return pairs;
  }
  return [...new URLSearchParams(body.toString('utf8'))];
}

/** The templates a stencil-utils request asks to render with (`stencil-options: {"render_with":"a,b"}`). */
export function renderWith(req: Request): string[] {
  try {
    const options = JSON.parse(req.get('stencil-options') ?? '{}') as { render_with?: unknown };
    return typeof options.render_with === 'string'
      ? options.render_with
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  } catch {
    return [];
  }
}

/**
 * Answers rendered templates as Stencil does: one template as its HTML, several as JSON keyed by
 * `components/<template>` (stencil-utils strips the prefix and maps sections back to their names).
 */
export function sendTemplates(res: Response, templates: string[], render: (template: string) => string | undefined): void {
  const rendered = templates.map((t) => [t, render(t)] as const);
  const missing = rendered.find(([, markup]) => markup === undefined);
  if (missing) {
    res.status(400).type('text').send(`Unknown template ${missing[0]}`);
    return;
  }
  if (rendered.length === 1) {
    res.type('html').send(rendered[0]![1]);
    return;
  }
  res.json(Object.fromEntries(rendered.map(([t, markup]) => [`components/${t}`, markup])));
}
