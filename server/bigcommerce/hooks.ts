/** Webhook subscriptions (v3 `/hooks`). A token sees only the hooks its own app created. */
import type { Query } from './query.ts';
import type { Requester } from './request.ts';
import { v3Resource, type Resource } from './resource.ts';

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

/** `delete` returns the deleted hook: BigCommerce answers 200 with it. */
export type HooksApi = Resource<Hook, HookQuery, HookCreate, HookUpdate, number>;

export function hooksApi(request: Requester): HooksApi {
  return v3Resource(request, '/hooks');
}
