/** Search and page parameters of the admin's lists, and the numbers their pagers show. */
import type { Request } from 'express';

export const PER_PAGE = 50;
const MAX_SEARCH = 100;

export interface ListParams {
  search: string;
  page: number;
  limit: number;
  offset: number;
}

/**
 * `?q=` and `?page=` from the query string; a bad page number is page 1. Control characters cannot be
 * typed into a search box and PostgreSQL refuses a NUL in text: they are left out of the search.
 */
export function listParams(req: Request, perPage = PER_PAGE): ListParams {
  const q =
    typeof req.query.q === 'string'
      ? req.query.q
          .replace(/\p{Cc}/gu, '')
          .trim()
          .slice(0, MAX_SEARCH)
      : '';
  const asked = typeof req.query.page === 'string' ? Number.parseInt(req.query.page, 10) : 1;
  const page = Number.isInteger(asked) && asked >= 1 && asked <= 100_000 ? asked : 1;
  return { search: q, page, limit: perPage, offset: (page - 1) * perPage };
}

export interface Pager {
  page: number;
  pageCount: number;
  total: number;
  /** 1-based number of the first and last row shown. */
  from: number;
  to: number;
  previous: number | null;
  next: number | null;
  search: string;
}

export function pagerOf(params: ListParams, total: number, shown: number): Pager {
  const pageCount = Math.max(1, Math.ceil(total / params.limit));
  return {
    page: params.page,
    pageCount,
    total,
    from: shown === 0 ? 0 : params.offset + 1,
    to: params.offset + shown,
    previous: params.page > 1 ? Math.min(params.page - 1, pageCount) : null,
    next: params.page < pageCount ? params.page + 1 : null,
    search: params.search,
  };
}
