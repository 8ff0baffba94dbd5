/**
 * Per-line messages in the header's cart preview, and the checkout buttons held while any line of the cart
 * (shown or not: the preview lists at most a few) asks for more than can be ordered — the dropdown's and
 * those of the modal an add to cart opens (Cornerstone's `#previewModal`, which lists only the added item).
 * The dropdown's items carry no ids, only the product link and the quantity, so they are matched to the
 * cart's lines by URL, in order. The theme re-renders the dropdown on every open and the modal on every add;
 * each render reads the cart again (the shopper may have added since).
 */
import '../components/bo-cart-line-message.ts';
import { splitLines } from './cart-lines.ts';
import { checkoutButtonsFor } from '../theme-profiles/checkout-buttons.ts';
import { holdCheckout } from './checkout-hold.ts';
import type { CartLine, PageContext } from './context.ts';
import { observe, placed } from './dom.ts';
import { cartLineName } from './line-name.ts';
import { fetchCartLines } from './storefront-cart.ts';

function samePath(a: string, b: string): boolean {
  try {
    return new URL(a, location.href).pathname.replace(/\/$/, '') === new URL(b, location.href).pathname.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** Starts the preview messages and holds; returns a function that stops watching. */
export function startCartPreview(
  page: PageContext,
  ask: (ids: Iterable<string>) => Promise<boolean>,
  readLines: () => Promise<CartLine[]> = fetchCartLines,
): () => void {
  const { cartPreview, addedToCart } = page.profile;
  const modalButtons = checkoutButtonsFor(page.profile.name).addedToCart.buttons;
  let lines: CartLine[] = [];
  let rendered: Element[] = [];
  let reads = 0;
  let linesRead = 0;

  const modals = () => (addedToCart ? [...document.querySelectorAll(addedToCart.modal)] : []);
  /** What the theme rendered last: the dropdown's items and the modals' checkout buttons, each new after a render. */
  const renderedNow = () => {
    const dropdown = document.querySelector(cartPreview.container);
    const items = dropdown ? [...dropdown.querySelectorAll(cartPreview.item)] : [];
    return [...items, ...modals().flatMap((modal) => [...modal.querySelectorAll(modalButtons)])];
  };

  const apply = () => {
    const splits = splitLines(lines, page.answer);
    for (const modal of modals()) if (modal.querySelector(modalButtons)) holdCheckout(modal, page, 'addedToCart', splits);
    const container = document.querySelector(cartPreview.container);
    if (!container) return;
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
      message.itemId = line!.id;
      message.lineName = cartLineName(line!);
      message.settings = page.settings;
      message.split = entry.split;
      message.backInStockDate = entry.backInStockDate;
    }
    holdCheckout(container, page, 'cartPreview', splits);
  };

  const refresh = async () => {
    const now = renderedNow();
    const fresh = now.filter((element) => !rendered.includes(element));
    rendered = now;
    // While the cart is read again the lines in hand are stale: only the newest read applies, when it is done.
    if (fresh.length === 0) return linesRead === reads ? apply() : undefined;
    const read = ++reads;
    const found = await readLines();
    if (read !== reads) return;
    lines = found;
    linesRead = read;
    // What the page knows shows at once; lines of products it did not know follow once they are answered (a busy
    // server may hold that ask a while).
    apply();
    if ((await ask(found.map((line) => String(line.productId)))) && read === reads) apply();
  };

  void refresh();
  const observer = observe(document.body, () => void refresh());
  return () => observer.disconnect();
}
