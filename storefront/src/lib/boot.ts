/**
 * The loader's work: which page this is, one request to the storefront API, and the one entry the page
 * needs, imported only when the answer has something to show (on listings: whenever the store is
 * installed). The header's cart preview loads its entry on the first click that opens it, or on the first
 * add to cart: the modal the add opens has a checkout button too.
 */
import { EMPTY_ANSWER, fetchAvailability, normaliseProductIds } from './api-client.ts';
import type { AvailabilityAnswer, StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { Boot, CartLine } from './context.ts';
import { detectPage, type DetectHints, type PageKind } from './page-kind.ts';
import type { ScriptContext } from './script-context.ts';
import { fetchCartLines } from './storefront-cart.ts';

/** Entry file names with their content hash, written in by the build; unbuilt (tests): `<name>.js`. */
declare const __BACKORDER_ENTRIES__: Record<string, string> | undefined;

/** Clicking this opens the header's cart preview (Cornerstone and its forks). */
export const CART_PREVIEW_TRIGGER = '[data-cart-preview]';

/** Submitting this adds to the cart, and Cornerstone then opens its modal (the form every known family keeps). */
export const ADD_TO_CART_FORM = 'form[data-cart-item-add]';

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

const HINTS_KEY = 'backorder:hints:';

/** The Custom profile's product-finding selectors; undefined for a named profile (the generic anchors fit it). */
function hintsOf(settings: StorefrontSettingsView): DetectHints | undefined {
  if (settings.themeProfile !== 'custom') return undefined;
  const { productView, productId, card } = settings.customSelectors;
  return productId || card ? { productView, productId, card } : undefined;
}

/** What the store's last answer in this browser said about finding products. */
function rememberedHints(storeHash: string): DetectHints | undefined {
  try {
    return JSON.parse(localStorage.getItem(HINTS_KEY + storeHash) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

function rememberHints(storeHash: string, hints: DetectHints | undefined): void {
  try {
    if (hints) localStorage.setItem(HINTS_KEY + storeHash, JSON.stringify(hints));
    else localStorage.removeItem(HINTS_KEY + storeHash);
  } catch {
    // Storage blocked: the next page view learns the selectors again.
  }
}

const load = (url: string) => import(/* webpackIgnore: true */ url) as Promise<Entry>;

/** Runs the loader on a page. */
export async function boot({ context, document: doc = document, fetch: fetchImpl = fetch, importEntry = load }: BootOptions): Promise<BootResult> {
  if (!context) return {};
  // A Custom profile's selectors: those the script was registered with, else the last answer's in this browser.
  const known = context.hints ?? rememberedHints(context.storeHash);
  const detected = detectPage(doc, known);
  let kind = detected.kind;
  const productIds = detected.productIds;
  let cartLines: CartLine[] | undefined;
  let asked = normaliseProductIds(productIds);
  if (kind === 'cart') {
    cartLines = await fetchCartLines(fetchImpl);
    asked = normaliseProductIds(cartLines.map((line) => line.productId));
  }
  const first = kind ? await fetchAvailability(context, asked, { fetch: fetchImpl }) : EMPTY_ANSWER;
  // Unanswered products are not counted as asked: the cart preview, say, asks for them again.
  if (!first) asked = [];
  let answer = first ?? EMPTY_ANSWER;

  // The answer's Custom selectors are the current ones: remembered for the next page view, and, when they
  // differ from those used above (changed since the script was registered), used at once (a second request)
  // for products only they find — a product page without `product_id`, say.
  const hints = answer.settings ? hintsOf(answer.settings) : known;
  if (answer.settings) rememberHints(context.storeHash, hints);
  if (hints && JSON.stringify(hints) !== JSON.stringify(known) && kind !== 'cart') {
    const facts = detectPage(doc, hints);
    const more = normaliseProductIds(facts.productIds).filter((id) => !asked.includes(id));
    if (more.length) {
      const extra = await fetchAvailability(context, more, { fetch: fetchImpl });
      if (extra) {
        answer = { ...answer, products: { ...answer.products, ...extra.products } };
        asked = normaliseProductIds([...asked, ...more]);
      }
    }
    kind = facts.kind;
  }

  // An add held back by the product entry stops the submit before it bubbles here: nothing is loaded for it.
  let previewLoaded = false;
  const loadPreview = (event: Event) => {
    const trigger = event.type === 'click' ? CART_PREVIEW_TRIGGER : ADD_TO_CART_FORM;
    if (previewLoaded || !(event.target as Element | null)?.closest?.(trigger)) return;
    previewLoaded = true;
    void importEntry(entryUrl(context, 'cart-preview')).then((entry) => entry.mount({ context, answer, asked, fetchAvailability }));
  };
  doc.addEventListener('click', loadPreview);
  doc.addEventListener('submit', loadPreview);

  // A listing grows after load (faceted search, infinite scroll): its entry watches for cards even when
  // none of the first ones is assigned. Other pages need an entry only for what the answer covers.
  const wanted = kind === 'listing' || Object.keys(answer.products).length > 0;
  if (!kind || !answer.settings || !wanted) return { kind, answer };
  const entry = await importEntry(entryUrl(context, kind));
  await entry.mount({ context, answer, asked, cartLines, fetchAvailability });
  return { kind, answer, mounted: kind };
}
