/**
 * What a theme profile needs to find in a shop's pages — the anchors the theme check reports, one per
 * part the storefront components attach to — and how a page's HTML is searched for them. HTML is parsed
 * with htmlparser2 and searched with css-select: the engine cheerio is built on, forgiving of the messy
 * markup themes ship, with the CSS selectors (`:is`, `:not`, attribute operators) the profiles use.
 */
import { selectAll, selectOne } from 'css-select';
import { parseDocument } from 'htmlparser2';
import type { ThemeProfile } from '../../storefront/src/contract/theme-profiles/types.ts';

export type AnchorKey = 'productView' | 'productId' | 'price' | 'quantity' | 'addToCart' | 'options' | 'cartRow';

/** One anchor of a profile: where the components look for it, first choice first. */
export interface AnchorSpec {
  key: AnchorKey;
  label: string;
  page: 'product' | 'cart';
  /** Inside the product view (when the view is found). */
  inView: boolean;
  selectors: string[];
}

/** The anchors a profile needs, in the order the check reports them. */
export function anchorsOf(profile: ThemeProfile): AnchorSpec[] {
  const { product, cart } = profile;
  return [
    { key: 'productView', label: 'Product view', page: 'product', inView: false, selectors: [product.view] },
    { key: 'productId', label: 'Product id', page: 'product', inView: true, selectors: [product.productId] },
    {
      key: 'price',
      label: 'Price (the inventory description’s place)',
      page: 'product',
      inView: true,
      selectors: product.inventoryDescription.map((a) => a.selector),
    },
    { key: 'quantity', label: 'Quantity input', page: 'product', inView: true, selectors: [product.quantity] },
    { key: 'addToCart', label: 'Add to Cart button', page: 'product', inView: true, selectors: [product.addToCart] },
    { key: 'options', label: 'Options', page: 'product', inView: true, selectors: [product.options] },
    { key: 'cartRow', label: 'Cart rows', page: 'cart', inView: false, selectors: [cart.row] },
  ];
}

/** A parsed page, searched by CSS selectors. */
export interface ParsedPage {
  /** Which of `selectors` matches first (by their order), inside `within` when given; -1 when none, null when one is not valid CSS. */
  find(selectors: readonly string[], within?: string): number | null;
}

/** Whether css-select accepts a selector (a merchant's Custom selector may not be CSS). */
export function validSelector(selector: string): boolean {
  try {
    selectOne(selector, []);
    return true;
  } catch {
    return false;
  }
}

export function parsePage(html: string): ParsedPage {
  const document = parseDocument(html);
  return {
    find(selectors, within) {
      let root: Parameters<typeof selectAll>[1] = document.children;
      if (within && validSelector(within)) {
        const view = selectOne(within, document.children);
        if (view) root = [view];
      }
      for (const [index, selector] of selectors.entries()) {
        if (!validSelector(selector)) return null;
        if (selectAll(selector, root).length > 0) return index;
      }
      return -1;
    },
  };
}
