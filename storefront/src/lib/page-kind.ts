/**
 * What the loader can tell about a page before it has the store's answer: a small union of anchors that
 * hold across the theme families (reference §7's generic fallbacks), plus a Custom profile's own
 * selectors once the loader knows them: from its script URL or an earlier answer (see {@link DetectHints}).
 */

/** Which entry a page needs. */
export type PageKind = 'product' | 'cart' | 'listing';

/** Product forms: Cornerstone, its forks, PapaThemes and Pixel Union all post `product_id`. */
const FORM_IDS = 'form input[name="product_id"]';
/** Cards and quick-view/quick-shop triggers: Cornerstone's `data-entity-id`, everyone's `data-product-id`. */
const CARD_IDS = '[data-entity-id], [data-product-id]';
/** Theme snippets say which product they are for. */
const SNIPPET_IDS = '[product-id]';
/** The cart page: Cornerstone's containers, or any row keyed by a line item id. */
const CART = '[data-cart-content], [data-cart], [data-cart-itemid]';

/** A Custom theme profile's selectors for finding products (`customSelectors` of the store's settings); empty: unused. */
export interface DetectHints {
  productView: string;
  productId: string;
  card: string;
}

export interface PageFacts {
  kind: PageKind | undefined;
  /** Product ids in page order: forms first, then snippets, then cards. */
  productIds: string[];
}

/** The id an element carries: an input's value, or its (or its first marked descendant's) data attribute. */
function idOf(element: Element): string | null {
  if (element instanceof HTMLInputElement) return element.value;
  const marked = element.matches(CARD_IDS) ? element : element.querySelector(CARD_IDS);
  return marked?.getAttribute('data-entity-id') ?? marked?.getAttribute('data-product-id') ?? null;
}

function ids(doc: ParentNode, selector: string, read: (element: Element) => string | null): string[] {
  let found: Element[] = [];
  try {
    found = selector ? Array.from(doc.querySelectorAll(selector)) : [];
  } catch {
    // A merchant's selector that is not valid CSS finds nothing; the generic anchors still work.
  }
  return found.map(read).filter((id): id is string => !!id && /^\d+$/.test(id.trim()));
}

/** The page's kind and the product ids on it; `hints` adds a Custom profile's product and card selectors. */
export function detectPage(doc: ParentNode, hints?: DetectHints): PageFacts {
  const custom = hints?.productId ? (hints.productView ? `:is(${hints.productView}) :is(${hints.productId})` : hints.productId) : '';
  const forms = [...ids(doc, FORM_IDS, idOf), ...ids(doc, custom, idOf)];
  const snippets = ids(doc, SNIPPET_IDS, (element) => (element.localName.startsWith('bo-') ? element.getAttribute('product-id') : null));
  const cards = [
    ...ids(doc, CARD_IDS, (element) => element.getAttribute('data-entity-id') ?? element.getAttribute('data-product-id')),
    ...ids(doc, hints?.card ?? '', idOf),
  ];
  const productIds = [...new Set([...forms, ...snippets, ...cards].map((id) => id.trim()))];
  const kind: PageKind | undefined =
    doc.querySelector(CART) && forms.length === 0 ? 'cart' : forms.length ? 'product' : productIds.length ? 'listing' : undefined;
  return { kind, productIds };
}
