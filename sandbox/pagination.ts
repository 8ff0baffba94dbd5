/**
 * `page`/`limit` as BigCommerce reads them (ref §2.2: default 50, at most 250; above that 413) and the v3
 * `meta.pagination` with links as query strings.
 */
import { BcError } from './api-error.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

export type Query = Record<string, unknown>;

/** A query parameter as one string (the last one when repeated). */
export function param(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) return value.length > 0 ? String(value[value.length - 1]) : undefined;
  return value === undefined ? undefined : String(value);
}

/** A comma-separated list parameter (`id:in=1,2,3`). */
export function listParam(query: Query, name: string): string[] | undefined {
  const value = param(query, name);
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
}

export function intParam(query: Query, name: string): number | undefined {
  const value = param(query, name);
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number))
    throw new BcError(422, `The query parameter ${name} must be a whole number.`, { errors: { [name]: 'must be a whole number' } });
  return number;
}

export function intListParam(query: Query, name: string): number[] | undefined {
  const values = listParam(query, name);
  if (values === undefined) return undefined;
  const numbers = values.map(Number);
  if (numbers.some((n) => !Number.isInteger(n)))
    throw new BcError(422, `The query parameter ${name} must list whole numbers.`, { errors: { [name]: 'must list whole numbers' } });
  return numbers;
}

export interface Page {
  page: number;
  limit: number;
}

/**
 * Reads `page` and `limit`. Above 250 answers 413 as observed on BigCommerce ("The specified limit exceeds
 * the maximum allowed.", ref §2.2 — the exact v3 text is unconfirmed).
 */
export function readPage(query: Query, defaultLimit = DEFAULT_LIMIT, maxLimit = MAX_LIMIT): Page {
  const limit = intParam(query, 'limit') ?? defaultLimit;
  const page = intParam(query, 'page') ?? 1;
  if (limit > maxLimit) {
    throw new BcError(413, 'The specified limit exceeds the maximum allowed.', {
      errors: { limit: `must be at most ${maxLimit}` },
      details: { max_limit: maxLimit },
    });
  }
  return { page: Math.max(1, page), limit: limit < 1 ? defaultLimit : limit };
}

export function slice<T>(items: T[], { page, limit }: Page): T[] {
  return items.slice((page - 1) * limit, page * limit);
}

/** `meta.pagination` (ref §2.2): links are query strings such as `?page=2&limit=50`. */
export function paginationMeta(total: number, count: number, { page, limit }: Page): Record<string, unknown> {
  const totalPages = Math.ceil(total / limit);
  const link = (n: number) => `?page=${n}&limit=${limit}`;
  return {
    pagination: {
      total,
      count,
      per_page: limit,
      current_page: page,
      total_pages: totalPages,
      links: {
        ...(page > 1 ? { previous: link(page - 1) } : {}),
        current: link(page),
        ...(page < totalPages ? { next: link(page + 1) } : {}),
      },
    },
  };
}
