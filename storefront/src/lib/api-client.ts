/**
 * Asks the storefront API for the products on a page. It never throws and never rejects: on a timeout,
 * a network error, a non-JSON or unexpected answer it logs once and returns an empty answer, so the
 * page simply shows no backorder messages.
 */
import { API_VERSION, MAX_PRODUCTS_PER_REQUEST, availabilityPath, type AvailabilityAnswer } from '../contract/storefront-api.ts';
import type { ScriptContext } from './script-context.ts';

/** The answer that shows nothing. */
export const EMPTY_ANSWER: AvailabilityAnswer = { v: API_VERSION, settings: null, numbers: 'exact', products: {} };

export interface FetchOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Positive integer ids, deduplicated and sorted (one page always builds the same URL), at most
 * {@link MAX_PRODUCTS_PER_REQUEST}: the first ones given, which are the first on the page.
 */
export function normaliseProductIds(ids: Iterable<string | number>): number[] {
  const unique = new Set<number>();
  for (const id of ids) {
    if (unique.size === MAX_PRODUCTS_PER_REQUEST) break;
    const n = Number(id);
    if (Number.isSafeInteger(n) && n > 0) unique.add(n);
  }
  return [...unique].sort((a, b) => a - b);
}

/** The request URL for these products. */
export function availabilityUrl(context: ScriptContext, productIds: number[]): string {
  return `${context.appOrigin}${availabilityPath(context.storeHash)}?products=${productIds.join(',')}`;
}

function isAnswer(body: unknown): body is AvailabilityAnswer {
  const answer = body as AvailabilityAnswer | null;
  return (
    typeof answer === 'object' &&
    answer !== null &&
    answer.v === API_VERSION &&
    typeof answer.products === 'object' &&
    answer.products !== null &&
    (answer.settings === null || typeof answer.settings === 'object')
  );
}

/** The availability of these products; {@link EMPTY_ANSWER} when there are none or anything goes wrong. */
export async function fetchAvailability(
  context: ScriptContext,
  ids: Iterable<string | number>,
  { timeoutMs = 5000, fetch: fetchImpl = fetch }: FetchOptions = {},
): Promise<AvailabilityAnswer> {
  const productIds = normaliseProductIds(ids);
  if (productIds.length === 0) return EMPTY_ANSWER;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(availabilityUrl(context, productIds), {
      mode: 'cors',
      credentials: 'omit',
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body: unknown = await response.json();
    if (!isAnswer(body)) throw new Error('unexpected answer');
    return body;
  } catch (error) {
    console.warn('[backorder] availability unavailable:', (error as Error).message);
    return EMPTY_ANSWER;
  } finally {
    clearTimeout(timer);
  }
}
