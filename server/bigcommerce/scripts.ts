/** Script Manager (v3 `/content/scripts`). A token sees only the scripts its own app created. */
import type { Query } from './query.ts';
import type { Requester } from './request.ts';
import { v3Resource, type Resource } from './resource.ts';

export interface ScriptFields {
  name: string;
  description?: string;
  /** `src`: BigCommerce writes `<script src>`; `script_tag`: `html` is inserted as is. */
  kind: 'src' | 'script_tag';
  src?: string;
  html?: string;
  load_method?: 'default' | 'async' | 'defer';
  location?: 'head' | 'footer';
  visibility?: 'storefront' | 'all_pages' | 'checkout' | 'order_confirmation';
  /** Deleted with the app on uninstall; keep true. */
  auto_uninstall?: boolean;
  /** Unset hides the script on stores with a consent banner: use `essential` or `functional`. */
  consent_category?: 'essential' | 'functional' | 'analytics' | 'targeting';
  enabled?: boolean;
  channel_id?: number;
  integrity_hashes?: string[];
}

export interface Script extends ScriptFields {
  uuid: string;
  api_client_id?: string;
  date_created: string;
  date_modified: string;
  [field: string]: unknown;
}

export type ScriptUpdate = Partial<ScriptFields>;

export interface ScriptQuery extends Query {
  sort?: 'name' | 'description' | 'date_created' | 'date_modified';
  direction?: 'asc' | 'desc';
  'channel_id:in'?: ReadonlyArray<number>;
  page?: number;
  limit?: number;
}

/** Scripts are addressed by `uuid`; `delete` answers 204, so it resolves to undefined. */
export type ScriptsApi = Resource<Script, ScriptQuery, ScriptFields, ScriptUpdate, string>;

export function scriptsApi(request: Requester): ScriptsApi {
  return v3Resource(request, '/content/scripts');
}
