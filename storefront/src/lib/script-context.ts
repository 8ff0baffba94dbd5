/**
 * Where the storefront scripts come from. Script Manager adds the loader as
 * `<script src="https://app.example.com/storefront/loader.js?store=abc123&v=…&sel=…">` (the URL's parameters
 * are the contract's: ../contract/script-url.ts); everything else the storefront needs (entries, the
 * storefront API) lives at the same origin, for the same store.
 */
import { SELECTOR_KEYS, SELECTORS_PARAM, STORE_PARAM } from '../contract/script-url.ts';
import type { DetectHints } from './page-kind.ts';

export interface ScriptContext {
  /** The app's origin, e.g. https://app.example.com. */
  appOrigin: string;
  /** The store hash the loader was registered for. */
  storeHash: string;
  /** The Custom profile's product-finding selectors the script was registered with, if any. */
  hints?: DetectHints;
  /**
   * While the storefront API asks this page to wait (a 429 or 503), settled once it may be asked again: set by
   * the API client. The loader hands this very object to the page's entries, so every ask from the page waits.
   */
  busy?: Promise<unknown>;
}

const STORE_HASH = /^[a-z0-9]{1,32}$/;

/** The selectors in `sel`; undefined when absent or not what the server writes (a hand-edited URL, say). */
function hintsFrom(value: string | null): DetectHints | undefined {
  try {
    const raw = JSON.parse(value ?? '') as Record<string, unknown>;
    const read = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
    const hints = { productView: read(SELECTOR_KEYS.productView), productId: read(SELECTOR_KEYS.productId), card: read(SELECTOR_KEYS.card) };
    return hints.productId || hints.card ? hints : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the context from the script's own URL; undefined when it was not loaded as the app registers it. */
export function scriptContextFrom(src: string | null | undefined): ScriptContext | undefined {
  if (!src) return undefined;
  let url: URL;
  try {
    url = new URL(src, document.baseURI);
  } catch {
    return undefined;
  }
  const storeHash = url.searchParams.get(STORE_PARAM) ?? '';
  if (!STORE_HASH.test(storeHash)) return undefined;
  const hints = hintsFrom(url.searchParams.get(SELECTORS_PARAM));
  return hints ? { appOrigin: url.origin, storeHash, hints } : { appOrigin: url.origin, storeHash };
}
