/**
 * What the loader can tell about a page before it knows the theme profile (the profile comes with the
 * answer): a small union of anchors that hold across the theme families (reference §7's generic fallbacks).
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

export interface PageFacts {
  kind: PageKind | undefined;
  /** Product ids in page order: forms first, then snippets, then cards. */
  productIds: string[];
}

function ids(doc: ParentNode, selector: string, read: (element: Element) => string | null): string[] {
  return Array.from(doc.querySelectorAll(selector), read).filter((id): id is string => !!id && /^\d+$/.test(id.trim()));
}

/** The page's kind and the product ids on it. */
export function detectPage(doc: ParentNode): PageFacts {
  const forms = ids(doc, FORM_IDS, (input) => (input as HTMLInputElement).value);
  const snippets = ids(doc, SNIPPET_IDS, (element) => (element.localName.startsWith('bo-') ? element.getAttribute('product-id') : null));
  const cards = ids(doc, CARD_IDS, (element) => element.getAttribute('data-entity-id') ?? element.getAttribute('data-product-id'));
  const productIds = [...new Set([...forms, ...snippets, ...cards].map((id) => id.trim()))];
  const kind: PageKind | undefined = doc.querySelector(CART) && forms.length === 0 ? 'cart' : forms.length ? 'product' : productIds.length ? 'listing' : undefined;
  return { kind, productIds };
}
