/** Search and page parameters of the admin's lists, and the numbers their pagers show. */
import type { Request } from 'express';
import { AppError } from '../errors.ts';
import { idFrom } from '../http/route-ids.ts';

export const PER_PAGE = 50;
const MAX_SEARCH = 100;
/**
 * The furthest page read (5,000,000 rows at 50 a page): a larger number is read as this one, which a list
 * that short is past, so it goes to its last page, with an offset PostgreSQL holds.
 */
const MAX_PAGE = 100_000;

export interface ListParams {
  search: string;
  page: number;
  limit: number;
  offset: number;
}

/**
 * A list's `?q=` as searched. Control characters cannot be typed into a search box and PostgreSQL refuses a
 * NUL in text: they are left out.
 */
export function searchOf(value: unknown): string {
  return typeof value === 'string'
    ? value
        .replace(/\p{Cc}/gu, '')
        .trim()
        .slice(0, MAX_SEARCH)
    : '';
}

/**
 * `?page=` of an offset-paged list: absent or empty (a form's blank field) is page 1; a number past the list's
 * end is the route's to send to the last page (`lastPageIfPast`). Anything but a whole number from 1 is refused
 * naming the field, rather than shown as page 1 under a URL that says otherwise.
 */
function pageNumberOf(req: Request): number {
  const given = req.query.page;
  if (given === undefined || given === '') return 1;
  if (typeof given === 'string' && /^\d+$/.test(given) && Number(given) >= 1) return Math.min(Number(given), MAX_PAGE);
  const shown = typeof given === 'string' ? `you gave “${given.slice(0, 40)}”` : 'it was given more than once';
  throw new AppError('bad_request', `page must be a whole number from 1 — ${shown}. Open the list from its tab, or use its Previous and Next links.`);
}

/** `?q=` and `?page=` from the query string (a page that is not a whole number from 1 is refused). */
export function listParams(req: Request, perPage = PER_PAGE): ListParams {
  const page = pageNumberOf(req);
  return { search: searchOf(req.query.q), page, limit: perPage, offset: (page - 1) * perPage };
}

/**
 * The last page, when `page` is past it: the list shrank under the merchant (products unassigned, orders
 * shipped) or the URL was old. The route sends them there rather than show an empty page that reads as an
 * empty list. Undefined when the page has rows, or the list has none.
 */
export function lastPageIfPast(page: number, perPage: number, total: number): number | undefined {
  const pageCount = Math.ceil(total / perPage);
  return total > 0 && page > pageCount ? pageCount : undefined;
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

/** Where a keyset page starts: after a row, before a row, or the first or last rows of the list. */
export type PageAt = { after: number } | { before: number } | { last: true } | { first: true };

/**
 * `?after=`, `?before=` (a row's id, as `column` holds it: a cursor no row can have would fail the query) or
 * `?last=1`; the first page otherwise.
 */
export function pageAt(req: Request, column: 'int' | 'bigint'): PageAt {
  const after = idFrom(req.query.after, column);
  if (after !== undefined) return { after };
  const before = idFrom(req.query.before, column);
  if (before !== undefined) return { before };
  return req.query.last === '1' ? { last: true } : { first: true };
}

/** How a keyset page is read: from the row `cursor` (null: an end of the list), in the list's order or against it. */
export interface KeysetWalk {
  backward: boolean;
  cursor: number | null;
  limit: number;
}

export interface KeysetPage<Row> {
  rows: Row[];
  /** Whether rows come before the first row and after the last one. */
  hasPrevious: boolean;
  hasNext: boolean;
}

/**
 * One keyset page, `limit` long, at `at`: `read` returns rows compared on (sort value, id) from the cursor,
 * one more than asked to tell whether the list goes on. A page moves nothing when rows are inserted while a
 * merchant pages, and the last page costs what the first does. A cursor with nothing beyond it (its row
 * gone, or the rows after it) shows the list's end it pointed to, not an empty page.
 */
export async function keysetPage<Row>(at: PageAt, limit: number, read: (walk: KeysetWalk) => Promise<Row[]>): Promise<KeysetPage<Row>> {
  const backward = 'before' in at || 'last' in at;
  const cursor = 'after' in at ? at.after : 'before' in at ? at.before : null;
  const rows = await read({ backward, cursor, limit: limit + 1 });
  if (rows.length === 0 && cursor !== null) return keysetPage(backward ? { first: true } : { last: true }, limit, read);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();
  return {
    rows: page,
    hasPrevious: backward ? more : 'after' in at,
    hasNext: backward ? 'before' in at : more,
  };
}

/** The First, Previous, Next and Last links of a keyset page (null: not shown); `link` adds its parameters to the page's URL. */
export function keysetLinks<Row>(
  page: KeysetPage<Row>,
  idOf: (row: Row) => number,
  link: (at: Record<string, number>) => string,
): { first: string | null; previous: string | null; next: string | null; last: string | null } {
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  return {
    first: page.hasPrevious ? link({}) : null,
    previous: page.hasPrevious && first ? link({ before: idOf(first) }) : null,
    next: page.hasNext && last ? link({ after: idOf(last) }) : null,
    last: page.hasNext ? link({ last: 1 }) : null,
  };
}
