/**
 * Per-line messages on the cart page, and the checkout buttons held while a line asks for more than can be
 * ordered. The theme re-renders the cart's rows after every quantity change, removal or edit (Cornerstone
 * replaces `[data-cart-content]`'s HTML), destroying anything placed in them, so a MutationObserver
 * re-applies the messages and the hold; placing is idempotent.
 */
import '../components/bo-cart-line-message.ts';
import { splitLines } from './cart-lines.ts';
import { holdCheckout } from './checkout-hold.ts';
import type { CartLine, PageContext } from './context.ts';
import { hideWithin, observe, placed } from './dom.ts';
import { cartLineName, type LineOption } from './line-name.ts';
import { fetchCartLines } from './storefront-cart.ts';

export const ROW_MARKER = 'data-bo-row';

interface RowLine {
  row: Element;
  /** The line item id. */
  id: string;
  name: string | undefined;
  options: LineOption[] | undefined;
  productId: string;
  variantId: string | null;
  quantity: number;
}

/** Starts the cart messages; returns a function that stops watching. */
export function startCartPage(
  page: PageContext,
  lines: CartLine[],
  ask: (ids: Iterable<string>) => Promise<boolean>,
  readLines: () => Promise<CartLine[]> = fetchCartLines,
): () => void {
  const { cart } = page.profile;
  hideWithin(ROW_MARKER, cart.nativeBackorder);
  // The cart's part of the page, checkout buttons included; not the header, whose cart preview has its own hold.
  const area = document.querySelector(cart.content)?.parentElement ?? document.body;
  let byId = new Map(lines.map((line) => [line.id, line]));
  const lookedUp = new Set<string>(byId.keys());

  const rowLine = (row: Element): RowLine | { unknown: string } | undefined => {
    const snippet = row.querySelector('bo-cart-line-message');
    const itemId = row.querySelector(cart.itemId)?.getAttribute('data-cart-itemid') ?? snippet?.getAttribute('item-id');
    if (!itemId) return undefined;
    const line = byId.get(itemId);
    const productId = snippet?.getAttribute('product-id') ?? (line ? String(line.productId) : undefined);
    if (!productId) return { unknown: itemId };
    const input = row.querySelector<HTMLInputElement>(cart.quantity);
    // The rendered quantity is the newest: the row was re-rendered after the update.
    const quantity = Number.parseInt(input?.value ?? '', 10) || line?.quantity || Number(snippet?.getAttribute('quantity')) || 0;
    const variantId = snippet?.getAttribute('variant-id') ?? (line ? String(line.variantId) : null);
    return { row, id: itemId, name: line?.name, options: line?.options, productId, variantId, quantity };
  };

  const apply = () => {
    const content = document.querySelector(cart.content) ?? document;
    const rows: RowLine[] = [];
    const unknown: string[] = [];
    for (const row of content.querySelectorAll(cart.row)) {
      const line = rowLine(row);
      if (line && 'unknown' in line) unknown.push(line.unknown);
      else if (line) rows.push(line);
    }
    const splits = splitLines(rows, page.answer);
    for (const { line, split, backInStockDate } of splits) {
      const message = placed(line.row, 'bo-cart-line-message', cart.message);
      line.row.setAttribute(ROW_MARKER, '');
      if (!message) continue;
      message.itemId = line.id;
      message.lineName = cartLineName(line);
      message.settings = page.settings;
      message.split = split;
      message.backInStockDate = backInStockDate;
    }
    // No anchor the profile knows: right after the rows, so the reason is still read.
    holdCheckout(area, page, 'cart', splits, [{ selector: cart.content, where: 'afterend' }]);
    const missing = rows.map((row) => row.productId).filter((id) => !page.answer.products[id]);
    if (missing.length) void ask(missing).then((found) => found && apply());
    // A line this page has not seen (an edit made a new line): read the cart again, once per new line.
    const fresh = unknown.filter((id) => !lookedUp.has(id));
    if (fresh.length) {
      for (const id of fresh) lookedUp.add(id);
      void readLines().then((read) => {
        byId = new Map(read.map((line) => [line.id, line]));
        if (fresh.some((id) => byId.has(id))) apply();
      });
    }
  };

  apply();
  const observer = observe(area, apply);
  return () => {
    observer.disconnect();
    // Released with it: a hold nobody updates any more must not keep the shopper from checking out.
    area.querySelector('bo-checkout-hold[surface="cart"][data-bo-mounted]')?.remove();
  };
}
