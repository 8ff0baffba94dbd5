/**
 * The loader's work: which page this is, one request to the storefront API, and the one entry the page
 * needs, imported only when the answer has something to show (on listings: whenever the store is installed). The header's cart preview loads its entry
 * on the first click that opens it.
 */
import { EMPTY_ANSWER, fetchAvailability, normaliseProductIds } from './api-client.ts';
import type { AvailabilityAnswer } from './api-types.ts';
import type { Boot, CartLine } from './context.ts';
import { detectPage, type PageKind } from './page-kind.ts';
import type { ScriptContext } from './script-context.ts';
import { fetchCartLines } from './storefront-cart.ts';

/** Entry file names with their content hash, written in by the build; unbuilt (tests): `<name>.js`. */
declare const __BACKORDER_ENTRIES__: Record<string, string> | undefined;

/** Clicking this opens the header's cart preview (Cornerstone and its forks). */
export const CART_PREVIEW_TRIGGER = '[data-cart-preview]';

export type EntryName = PageKind | 'cart-preview';

export interface Entry {
  /** Starts the page's components; what it returns stops them (tests use it, the loader never does). */
  mount(boot: Boot): unknown;
}

export interface BootOptions {
  context: ScriptContext | undefined;
  document?: Document;
  fetch?: typeof fetch;
  importEntry?: (url: string) => Promise<Entry>;
}

export interface BootResult {
  kind?: PageKind;
  answer?: AvailabilityAnswer;
  /** The entry that was mounted, if any. */
  mounted?: EntryName;
}

/** Where an entry is served: next to the loader, under `/storefront/`. */
export function entryUrl(context: ScriptContext, name: EntryName): string {
  const files = typeof __BACKORDER_ENTRIES__ === 'undefined' ? {} : __BACKORDER_ENTRIES__;
  return `${context.appOrigin}/storefront/${files[name] ?? `${name}.js`}`;
}

const load = (url: string) => import(/* webpackIgnore: true */ url) as Promise<Entry>;

/** Runs the loader on a page. */
export async function boot({ context, document: doc = document, fetch: fetchImpl = fetch, importEntry = load }: BootOptions): Promise<BootResult> {
  if (!context) return {};
  const { kind, productIds } = detectPage(doc);
  let cartLines: CartLine[] | undefined;
  let asked = normaliseProductIds(productIds);
  if (kind === 'cart') {
    cartLines = await fetchCartLines(fetchImpl);
    asked = normaliseProductIds(cartLines.map((line) => line.productId));
  }
  const answer = kind ? await fetchAvailability(context, asked, { fetch: fetchImpl }) : EMPTY_ANSWER;

  let previewLoaded = false;
  doc.addEventListener('click', (event) => {
    if (previewLoaded || !(event.target as Element | null)?.closest?.(CART_PREVIEW_TRIGGER)) return;
    previewLoaded = true;
    void importEntry(entryUrl(context, 'cart-preview')).then((entry) => entry.mount({ context, answer, asked }));
  });

  // A listing grows after load (faceted search, infinite scroll): its entry watches for cards even when
  // none of the first ones is assigned. Other pages need an entry only for what the answer covers.
  const wanted = kind === 'listing' || Object.keys(answer.products).length > 0;
  if (!kind || !answer.settings || !wanted) return { kind, answer };
  const entry = await importEntry(entryUrl(context, kind));
  await entry.mount({ context, answer, asked, cartLines });
  return { kind, answer, mounted: kind };
}
