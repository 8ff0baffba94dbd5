/** Script Manager (v3 `/content/scripts`). A token sees only the scripts its own app created. */
import { v3Data, v3Listing, type Listing } from './paginate.ts';
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

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

export interface ScriptsApi extends Listing<Script, ScriptQuery> {
  get(uuid: string): Promise<Script>;
  create(script: ScriptFields): Promise<Script>;
  update(uuid: string, changes: ScriptUpdate): Promise<Script>;
  delete(uuid: string): Promise<void>;
}

export function scriptsApi(request: Requester): ScriptsApi {
  const at = (uuid: string) => `/content/scripts/${encodeURIComponent(uuid)}`;
  return {
    ...v3Listing<Script, ScriptQuery>(request, '/content/scripts'),
    get: (uuid) => v3Data<Script>(request, { version: 'v3', path: at(uuid) }),
    create: (script) => v3Data<Script>(request, { version: 'v3', method: 'POST', path: '/content/scripts', body: script }),
    update: (uuid, changes) => v3Data<Script>(request, { version: 'v3', method: 'PUT', path: at(uuid), body: changes }),
    async delete(uuid) {
      await request({ version: 'v3', method: 'DELETE', path: at(uuid) });
    },
  };
}
