/** Reads and posts admin pages in a session, the way the merchant's browser does. */
import { csrfIn } from './admin.ts';

export interface AdminClient {
  get(path: string, params?: Record<string, string | string[]>): Promise<{ status: number; html: string }>;
  /** Posts a form from `fromPath` (its CSRF token taken from that page). */
  post(path: string, fields: Record<string, string | string[]>, fromPath?: string): Promise<{ status: number; html: string; location: string | null }>;
}

function query(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  return search.toString();
}

export function adminClient(appUrl: string, session: string): AdminClient {
  return {
    async get(path, params = {}) {
      const response = await fetch(`${appUrl}${path}?${query({ ...params, session })}`, { headers: { Accept: 'text/html' } });
      return { status: response.status, html: await response.text() };
    },
    async post(path, fields, fromPath = '/admin/settings') {
      const page = await (await fetch(`${appUrl}${fromPath}?session=${session}`, { headers: { Accept: 'text/html' } })).text();
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries({ session, _csrf: csrfIn(page), ...fields })) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      const response = await fetch(`${appUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
        body: body.toString(),
      });
      return { status: response.status, html: await response.text(), location: response.headers.get('location') };
    },
  };
}

