/**
 * Per-line messages in the header's cart preview, and its checkout button held while any line of the cart
 * (shown or not: the preview lists at most a few) asks for more than can be ordered. Its items carry no
 * ids, only the product link and the quantity, so they are matched to the cart's lines by URL, in order.
 * The theme re-renders the dropdown on every open; each render reads the cart again (the shopper may have
 * added since).
 */
import '../components/bo-cart-line-message.ts';
import { splitLines } from './cart-lines.ts';
import { holdCheckout } from './checkout-hold.ts';
import type { CartLine, PageContext } from './context.ts';
import { observe, placed } from './dom.ts';
import { fetchCartLines } from './storefront-cart.ts';

function samePath(a: string, b: string): boolean {
  try {
    return new URL(a, location.href).pathname.replace(/\/$/, '') === new URL(b, location.href).pathname.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** Starts the preview messages; returns a function that stops watching. */
export function startCartPreview(
  page: PageContext,
  ask: (ids: Iterable<string>) => Promise<boolean>,
  readLines: () => Promise<CartLine[]> = fetchCartLines,
): () => void {
  const { cartPreview } = page.profile;
  let lines: CartLine[] = [];
  let rendered: Element[] = [];

  const apply = () => {
    const container = document.querySelector(cartPreview.container);
    if (!container) return;
    const splits = splitLines(lines, page.answer);
    const split = new Map(splits.map((entry) => [entry.line, entry]));
    const unmatched = [...lines];
    for (const item of container.querySelectorAll(cartPreview.item)) {
      const href = item.querySelector<HTMLAnchorElement>(cartPreview.link)?.getAttribute('href');
      const index = href ? unmatched.findIndex((line) => samePath(line.url, href)) : -1;
      if (index < 0) continue;
      const [line] = unmatched.splice(index, 1);
      const entry = split.get(line!);
      if (!entry) continue;
      const message = placed(item, 'bo-cart-line-message', cartPreview.message);
      if (!message) continue;
      message.settings = page.settings;
      message.split = entry.split;
      message.backInStockDate = entry.backInStockDate;
    }
    holdCheckout(container, page, 'cartPreview', splits);
  };

  const refresh = async () => {
    const container = document.querySelector(cartPreview.container);
    const items = container ? [...container.querySelectorAll(cartPreview.item)] : [];
    if (items.length === rendered.length && items.every((item, i) => item === rendered[i])) return apply();
    rendered = items;
    if (items.length === 0) return;
    lines = await readLines();
    await ask(lines.map((line) => String(line.productId)));
    apply();
  };

  void refresh();
  const observer = observe(document.body, () => void refresh());
  return () => observer.disconnect();
}
