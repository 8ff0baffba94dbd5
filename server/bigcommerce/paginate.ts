/**
 * Lists page by page, 250 at a time (BigCommerce's maximum) unless told otherwise. v3 says where it ends
 * in `meta.pagination`; v2 says nothing, so a list ends on 204 (its empty answer) or a short page.
 */
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

export const MAX_PAGE_SIZE = 250;

export interface Pagination {
  total: number;
  count: number;
  per_page: number;
  current_page: number;
  total_pages: number;
  links?: { previous?: string; current?: string; next?: string };
}

/** One v3 page: the items and, where the endpoint sends it, where the page sits. */
export interface Page<T> {
  data: T[];
  pagination: Pagination | undefined;
}

interface Envelope<T> {
  data?: T;
  meta?: { pagination?: Pagination };
}

/** One v3 call answered with `{ data, meta }`; returns `data`. */
export async function v3Data<T>(request: Requester, options: Parameters<Requester>[0]): Promise<T> {
  const { body } = await request<Envelope<T>>({ ...options, version: 'v3' });
  return body?.data as T;
}

/** One page of a v3 list. */
export async function v3Page<T>(request: Requester, path: string, query: Query = {}): Promise<Page<T>> {
  const { body } = await request<Envelope<T[]>>({ version: 'v3', path, query });
  return { data: body?.data ?? [], pagination: body?.meta?.pagination };
}

/** Every page of a v3 list, from `query.page` (default 1) until `current_page` reaches `total_pages`. */
export async function* v3Pages<T>(request: Requester, path: string, query: Query = {}): AsyncGenerator<T[]> {
  let page = typeof query.page === 'number' ? query.page : 1;
  const limit = query.limit ?? MAX_PAGE_SIZE;
  for (;;) {
    const { data, pagination } = await v3Page<T>(request, path, { ...query, page, limit });
    if (data.length > 0) yield data;
    // Our own page count also ends it, so a store that ignored `page` could not keep us looping.
    if (data.length === 0 || !pagination || page >= pagination.total_pages || pagination.current_page >= pagination.total_pages) return;
    page += 1;
  }
}

/** One page of a v2 list; `[]` when BigCommerce answers 204. */
export async function v2Page<T>(request: Requester, path: string, query: Query = {}): Promise<T[]> {
  const { body } = await request<T[]>({ version: 'v2', path, query });
  return Array.isArray(body) ? body : [];
}

/** Every page of a v2 list, until a 204 or a page shorter than the limit. */
export async function* v2Pages<T>(request: Requester, path: string, query: Query = {}): AsyncGenerator<T[]> {
  let page = typeof query.page === 'number' ? query.page : 1;
  const limit = typeof query.limit === 'number' ? query.limit : MAX_PAGE_SIZE;
  for (;;) {
    const items = await v2Page<T>(request, path, { ...query, page, limit });
    if (items.length > 0) yield items;
    if (items.length < limit) return;
    page += 1;
  }
}

/** The items of every page, one by one. */
export async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** A v3 list and its iterators, as every resource exposes them. */
export interface Listing<T, Q extends Query> {
  /** One page (default: the first 250). */
  list(query?: Q): Promise<Page<T>>;
  /** Every page in turn. */
  pages(query?: Q): AsyncGenerator<T[]>;
  /** Every item in turn. */
  all(query?: Q): AsyncGenerator<T>;
}

/** The listing of a v3 collection at `path`. */
export function v3Listing<T, Q extends Query>(request: Requester, path: string): Listing<T, Q> {
  return listing(
    (query) => v3Page<T>(request, path, { limit: MAX_PAGE_SIZE, ...query }),
    (query) => v3Pages<T>(request, path, query),
  );
}

/** The listing of a v2 collection at `path`; `list` returns the bare array. */
export type V2Listing<T, Q extends Query> = Omit<Listing<T, Q>, 'list'> & { list(query?: Q): Promise<T[]> };

export function v2Listing<T, Q extends Query>(request: Requester, path: string): V2Listing<T, Q> {
  return listing(
    (query) => v2Page<T>(request, path, { limit: MAX_PAGE_SIZE, ...query }),
    (query) => v2Pages<T>(request, path, query),
  );
}

function listing<P, T, Q>(list: (query?: Q) => Promise<P>, pages: (query?: Q) => AsyncGenerator<T[]>) {
  return { list, pages, all: (query?: Q) => flatten(pages(query)) };
}
