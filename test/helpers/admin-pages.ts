/** Reads and posts admin pages in a session, the way the merchant's browser does. */
import { csrfIn } from './admin.ts';

export interface AdminClient {
  get(path: string, params?: Record<string, string | string[]>): Promise<{ status: number; html: string }>;
  /** The fields the page's item form (or the form marked `marker`) would post as it stands (hidden inputs included), as a browser sends them. */
  formOf(path: string, params?: Record<string, string | string[]>, marker?: string): Promise<Record<string, string>>;
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
    async formOf(path, params = {}, marker) {
      return itemFormFields((await this.get(path, params)).html, marker);
    },
    async post(path, fields, fromPath = '/admin/settings') {
      const page = await (await fetch(`${appUrl}${fromPath}?session=${session}`, { headers: { Accept: 'text/html' } })).text();
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries({ session, _csrf: csrfIn(page), ...fields }))
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
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

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x3D;': '=', '&#x60;': '`' };

/**
 * The named inputs of the page's item form (`data-item-form`, or the form marked `marker`) with their values,
 * as a browser posts them: text and hidden inputs always, checkboxes only when ticked, disabled inputs never.
 * The session and CSRF token are left to `post`.
 */
export function itemFormFields(html: string, marker = 'data-item-form'): Record<string, string> {
  const form = new RegExp(`<form[^>]*${marker}[^>]*>([\\s\\S]*?)<\\/form>`).exec(html)?.[1];
  if (form === undefined) throw new Error(`no ${marker} form on the page`);
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const attribute = (name: string) => new RegExp(`\\s${name}(?:="([^"]*)")?`).exec(input);
    const name = attribute('name')?.[1];
    const type = attribute('type')?.[1] ?? 'text';
    if (!name || name === 'session' || name === '_csrf' || attribute('disabled')) continue;
    if (type === 'checkbox' && !attribute('checked')) continue;
    fields[name] = (attribute('value')?.[1] ?? (type === 'checkbox' ? 'on' : '')).replace(/&[#\w]+;/g, (entity) => ENTITIES[entity] ?? entity);
  }
  return fields;
}
