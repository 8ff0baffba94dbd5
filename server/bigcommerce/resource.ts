/** A v3 collection with the usual five calls (list, get, create, update, delete), as hooks and scripts are. */
import { v3Data, v3Listing, type Listing } from './paginate.ts';
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

export interface Resource<T, Q extends Query, Create, Update, Id extends string | number> extends Listing<T, Q> {
  get(id: Id): Promise<T>;
  create(item: Create): Promise<T>;
  update(id: Id, changes: Update): Promise<T>;
  /** The deleted item when BigCommerce returns it (hooks), otherwise undefined (204). */
  delete(id: Id): Promise<T | undefined>;
}

export function v3Resource<T, Q extends Query, Create, Update, Id extends string | number>(
  request: Requester,
  path: string,
): Resource<T, Q, Create, Update, Id> {
  const at = (id: Id) => `${path}/${encodeURIComponent(String(id))}`;
  return {
    ...v3Listing<T, Q>(request, path),
    get: (id) => v3Data<T>(request, { version: 'v3', path: at(id) }),
    create: (item) => v3Data<T>(request, { version: 'v3', method: 'POST', path, body: item }),
    update: (id, changes) => v3Data<T>(request, { version: 'v3', method: 'PUT', path: at(id), body: changes }),
    delete: (id) => v3Data<T | undefined>(request, { version: 'v3', method: 'DELETE', path: at(id) }),
  };
}
