/** Webhook subscriptions (v3 `/hooks`). A token sees only the hooks its own app created. */
import { v3Data, v3Listing, type Listing } from './paginate.ts';
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

export interface Hook {
  id: number;
  client_id: string;
  store_hash: string;
  scope: string;
  destination: string;
  is_active: boolean;
  /** Sent verbatim with every delivery. */
  headers: Record<string, string> | null;
  /** Unix seconds. */
  created_at: number;
  updated_at: number;
  [field: string]: unknown;
}

export interface HookCreate {
  scope: string;
  /** HTTPS on port 443. */
  destination: string;
  is_active?: boolean;
  headers?: Record<string, string>;
}

export type HookUpdate = Partial<HookCreate>;

export interface HookQuery extends Query {
  scope?: string;
  destination?: string;
  is_active?: boolean;
  page?: number;
  limit?: number;
}

export interface HooksApi extends Listing<Hook, HookQuery> {
  get(id: number): Promise<Hook>;
  create(hook: HookCreate): Promise<Hook>;
  update(id: number, changes: HookUpdate): Promise<Hook>;
  /** Returns the deleted hook (BigCommerce answers 200 with it). */
  delete(id: number): Promise<Hook | undefined>;
}

export function hooksApi(request: Requester): HooksApi {
  return {
    ...v3Listing<Hook, HookQuery>(request, '/hooks'),
    get: (id) => v3Data<Hook>(request, { version: 'v3', path: `/hooks/${id}` }),
    create: (hook) => v3Data<Hook>(request, { version: 'v3', method: 'POST', path: '/hooks', body: hook }),
    update: (id, changes) => v3Data<Hook>(request, { version: 'v3', method: 'PUT', path: `/hooks/${id}`, body: changes }),
    delete: (id) => v3Data<Hook | undefined>(request, { version: 'v3', method: 'DELETE', path: `/hooks/${id}` }),
  };
}
