/**
 * Where the storefront scripts come from. Script Manager adds the loader as
 * `<script src="https://app.example.com/storefront/loader.js?store=abc123">`; everything else the
 * storefront needs (entries, the storefront API) lives at the same origin, for the same store.
 */
export interface ScriptContext {
  /** The app's origin, e.g. https://app.example.com. */
  appOrigin: string;
  /** The store hash the loader was registered for. */
  storeHash: string;
}

const STORE_HASH = /^[a-z0-9]{1,32}$/;

/** Reads the context from the script's own URL; undefined when it was not loaded as the app registers it. */
export function scriptContextFrom(src: string | null | undefined): ScriptContext | undefined {
  if (!src) return undefined;
  let url: URL;
  try {
    url = new URL(src, document.baseURI);
  } catch {
    return undefined;
  }
  const storeHash = url.searchParams.get('store') ?? '';
  return STORE_HASH.test(storeHash) ? { appOrigin: url.origin, storeHash } : undefined;
}
