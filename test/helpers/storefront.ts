/** A shopper on a sandbox store's demo storefront, over real HTTP: the session cookie kept between requests. */
import type { Answer } from './sandbox.ts';

/** The headers stencil-utils sends with every request (stencil §4.2). */
export const STENCIL_HEADERS = { 'stencil-config': '{}', 'stencil-options': '{}', 'x-requested-with': 'stencil-utils' };

export interface Shopper {
  url: string;
  /** The session cookie (`SHOP_SESSION_TOKEN=…`) once the storefront has set it. */
  cookie: string | undefined;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON in and out (Storefront API). */
  call(method: string, path: string, body?: unknown): Promise<Answer>;
  /** A form post as stencil-utils makes it: form-encoded, or multipart `FormData` (cart add). */
  form(path: string, pairs: Array<[string, string]>, options?: { multipart?: boolean; headers?: Record<string, string> }): Promise<Answer>;
  /** A page or template rendered by the storefront; `renderWith` sets `stencil-options`. */
  page(path: string, renderWith?: string[]): Promise<{ status: number; type: string; text: string }>;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : json ? JSON.parse(text) : text };
}

export function shopper(url: string): Shopper {
  const self: Shopper = {
    url,
    cookie: undefined,
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (self.cookie) headers.set('cookie', self.cookie);
      const response = await fetch(`${url}${path}`, { ...init, headers, redirect: 'manual' });
      const set = response.headers.get('set-cookie');
      if (set) self.cookie = set.split(';')[0];
      return response;
    },
    async call(method, path, body) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return answer(await self.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
    async form(path, pairs, options = {}) {
      let body: BodyInit;
      const headers: Record<string, string> = { ...STENCIL_HEADERS, ...options.headers };
      if (options.multipart) {
        const form = new FormData();
        for (const [key, value] of pairs) form.append(key, value);
        body = form;
      } else {
        body = new URLSearchParams(pairs).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      }
      return answer(await self.fetch(path, { method: 'POST', headers, body }));
    },
    async page(path, renderWith) {
      const headers: Record<string, string> = renderWith
        ? { ...STENCIL_HEADERS, 'stencil-options': JSON.stringify({ render_with: renderWith.join(',') }) }
        : {};
      const response = await self.fetch(path, { headers });
      return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    },
  };
  return self;
}
