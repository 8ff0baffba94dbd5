/**
 * Asks the storefront API for the products on a page. It never throws and never rejects: a refusal for
 * load (429, 503) whose Retry-After is a few seconds at most, a network error or a timeout is retried once;
 * when that fails too, or the answer is another error, non-JSON or unexpected, it logs once and resolves to
 * undefined, so the page shows no backorder messages for those products (or keeps what it showed) and may
 * ask again later. After a refusal for load every ask from the page waits until Retry-After has passed.
 */
import { API_VERSION, MAX_PRODUCTS_PER_REQUEST, MAX_PRODUCT_ID, availabilityPath, type AvailabilityAnswer } from '../contract/storefront-api.ts';
import type { ScriptContext } from './script-context.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The answer that shows nothing. */
export const EMPTY_ANSWER: AvailabilityAnswer = { v: API_VERSION, settings: null, numbers: 'exact', products: {} };

export interface FetchOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Ids from 1 to {@link MAX_PRODUCT_ID}, deduplicated and sorted (one page always builds the same URL), at
 * most {@link MAX_PRODUCTS_PER_REQUEST}: the first ones given, which are the first on the page. Anything
 * else (a third-party widget's `data-product-id`, say) is left out, as the server refuses the whole list
 * for one id it cannot hold.
 */
export function normaliseProductIds(ids: Iterable<string | number>): number[] {
  const unique = new Set<number>();
  for (const id of ids) {
    if (unique.size === MAX_PRODUCTS_PER_REQUEST) break;
    const n = Number(id);
    if (Number.isInteger(n) && n > 0 && n <= MAX_PRODUCT_ID) unique.add(n);
  }
  return [...unique].sort((a, b) => a - b);
}

/** The request URL for these products. */
export function availabilityUrl(context: ScriptContext, productIds: number[]): string {
  return `${context.appOrigin}${availabilityPath(context.storeHash)}?products=${productIds.join(',')}`;
}

function isAnswer(body: unknown): body is AvailabilityAnswer {
  const answer = body as AvailabilityAnswer | null;
  // Optional chaining also refuses null and primitives (JSON's `null`, `1`, `"x"`): none has a `v` of the version.
  return (
    answer?.v === API_VERSION &&
    typeof answer.products === 'object' &&
    answer.products !== null &&
    // Null (a store showing nothing) is an object too.
    typeof answer.settings === 'object'
  );
}

/**
 * The availability of these products: {@link EMPTY_ANSWER} when there are none to ask about, undefined
 * when the API did not answer even on the retry.
 */
export async function fetchAvailability(
  context: ScriptContext,
  ids: Iterable<string | number>,
  { timeoutMs = 5000, fetch: fetchImpl = fetch }: FetchOptions = {},
): Promise<AvailabilityAnswer | undefined> {
  const productIds = normaliseProductIds(ids);
  if (productIds.length === 0) return EMPTY_ANSWER;
  for (let retry = true; ; retry = false) {
    // A busy server's Retry-After holds every ask from the page (a variant change, a cart re-render), not only
    // the retry of the ask it answered: the context is the page's, the loader's and the entries' alike. A refusal
    // answered meanwhile pushes the wait further: the ask waits for the latest.
    for (let busy; busy !== context.busy;) await (busy = context.busy);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    // How long to wait before asking once more: a second when offline or too slow, what a busy server's
    // Retry-After says; 0 when the same answer would come back (a 400, junk).
    let waitMs = 1000;
    try {
      const response = await fetchImpl(availabilityUrl(context, productIds), {
        mode: 'cors',
        credentials: 'omit',
        signal: controller.signal,
      });
      const { status } = response;
      // At most a minute (the API's own window): a longer one, a proxy's, would silence the page for good.
      waitMs = status === 429 || status === 503 ? Math.min(Number(response.headers.get('Retry-After')) * 1000 || 1000, 60_000) : 0;
      if (waitMs) context.busy = sleep(waitMs);
      if (!response.ok) throw new Error(`HTTP ${status}`);
      const body: unknown = await response.json();
      if (!isAnswer(body)) throw new Error('unexpected answer');
      return body;
    } catch (error) {
      // Asked once more only after a wait of a few seconds at most: the page is not held up for a longer one,
      // which later asks wait out.
      if (!retry || !waitMs || waitMs > 3000) {
        console.warn('[backorder] availability unavailable:', (error as Error).message);
        return undefined;
      }
    } finally {
      clearTimeout(timer);
    }
    await sleep(waitMs);
  }
}
