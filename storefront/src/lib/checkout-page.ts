/**
 * The checkout and order-confirmation notice. Lines come from checkout-sdk (the caller passes them in);
 * the split is computed at checkout and kept in sessionStorage for the confirmation page, because by then
 * the order may already have taken the stock and recomputing would count every unit as backordered.
 */
import '../components/bo-cart-line-message.ts';
import '../components/bo-checkout-notice.ts';
import type { NoticeLine } from '../components/bo-checkout-notice.ts';
import { checkoutProfile } from '../theme-profiles/checkout.ts';
import { fetchAvailability } from './api-client.ts';
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { QuantitySplit } from './availability.ts';
import { splitLines } from './cart-lines.ts';
import { insertAt, observe, placed } from './dom.ts';
import type { LineOption } from './line-name.ts';
import type { ScriptContext } from './script-context.ts';

export type CheckoutPageKind = 'checkout' | 'order-confirmation';

/** A checkout or order line, as checkout-sdk's `LineItem` has it. */
export interface CheckoutLine {
  productId: number;
  variantId: number;
  quantity: number;
  /** The product's name: a line of a product with options is told by `options` too. */
  name: string;
  /** The options the shopper chose (`LineItem.options`), in the order checkout-js lists them under the row's title. */
  options: LineOption[];
}

export interface CheckoutLines {
  /** The cart (checkout) id; an order keeps the id of the cart it came from. */
  cartId: string | undefined;
  lines: CheckoutLine[];
}

interface SplitEntry {
  line: CheckoutLine;
  split: QuantitySplit;
  backInStockDate: string | null;
}

const STASH_PREFIX = 'backorder:checkout:';

function stash(cartId: string | undefined, entries: SplitEntry[]): void {
  if (!cartId) return;
  try {
    sessionStorage.setItem(STASH_PREFIX + cartId, JSON.stringify(entries));
  } catch {
    // Storage may be full or blocked; the confirmation page then recomputes.
  }
}

function stashed(cartId: string | undefined): SplitEntry[] | undefined {
  try {
    const raw = cartId ? sessionStorage.getItem(STASH_PREFIX + cartId) : null;
    // A split stashed by the script before lines carried their options (a checkout open across an update).
    return raw ? (JSON.parse(raw) as SplitEntry[]).map((entry) => ({ ...entry, line: { ...entry.line, options: entry.line.options ?? [] } })) : undefined;
  } catch {
    return undefined;
  }
}

const squashed = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Whether a row's option texts are the line's options, as checkout-js writes each: "{name} {value}" (or "{name}: {value}"). */
function showsOptions(said: string[], options: LineOption[]): boolean {
  return (
    said.length === options.length &&
    options.every(({ name, value }, i) => said[i] === squashed(`${name} ${value}`) || said[i] === squashed(`${name}: ${value}`))
  );
}

/**
 * Per-line messages in checkout-js's summary, for rows that match exactly one line: by "{qty} x {name}", and when
 * two variants of one product share a quantity, by the options listed under the title too.
 */
function applyToRows(settings: StorefrontSettingsView, entries: SplitEntry[], kind: CheckoutPageKind): void {
  for (const row of document.querySelectorAll(checkoutProfile.row)) {
    const title = row.querySelector(checkoutProfile.title)?.textContent ?? '';
    const match = /^\s*(\d+)\s*x\s*(.+?)\s*$/.exec(title);
    if (!match) continue;
    let candidates = entries.filter((entry) => entry.line.quantity === Number(match[1]) && entry.line.name.trim() === match[2]);
    // The options under the title are read only when two lines share it (two variants in the same quantity).
    if (candidates.length > 1) {
      const said = [...row.querySelectorAll(checkoutProfile.option)].map((option) => squashed(option.textContent ?? ''));
      candidates = candidates.filter((entry) => showsOptions(said, entry.line.options));
    }
    const [entry] = candidates;
    if (candidates.length !== 1 || !entry) continue;
    const { split, backInStockDate } = entry;
    // Once the order is placed, the cart's "lower the quantity" is no advice: the notice says how many could be ordered.
    const shown = split.overLimit ? kind === 'checkout' : !!split.backordered;
    if (!shown) continue;
    const message = placed(row, 'bo-cart-line-message', checkoutProfile.lineMessage);
    if (!message) continue;
    message.settings = settings;
    message.split = split;
    message.backInStockDate = backInStockDate;
  }
}

/** How long an empty live region is in the page before its text comes, for screen readers to know it (as `announce` waits). */
const REGION_READY_MS = 100;

/** Shows the notice (and per-line messages where rows can be matched); resolves once it is placed and filled. */
export async function startCheckoutNotice(context: ScriptContext, kind: CheckoutPageKind, loadLines: () => Promise<CheckoutLines>): Promise<void> {
  const { cartId, lines } = await loadLines();
  const answer = await fetchAvailability(
    context,
    lines.map((line) => line.productId),
  );
  const settings = answer?.settings;
  if (!answer || !settings?.checkoutNotice.enabled) return;
  const computed = splitLines(lines, answer).map(({ line, split, backInStockDate }) => ({ line, split, backInStockDate }));
  const entries = (kind === 'order-confirmation' ? stashed(cartId) : undefined) ?? computed;
  if (kind === 'checkout') stash(cartId, computed);

  // A line over the limit is told as such, with the words its row message uses, not counted as backordered.
  const noticeLines: NoticeLine[] = entries.map(({ line, split, backInStockDate }) => ({
    name: line.name,
    options: line.options.map((option) => option.value),
    quantity: line.quantity,
    backordered: split.backordered,
    overLimit: split.overLimit,
    salable: split.salable,
    backInStockDate,
  }));
  if (!noticeLines.some((line) => line.backordered || line.overLimit)) return;
  const notice = document.createElement('bo-checkout-notice');
  notice.settings = settings;
  notice.page = kind;
  if (!insertAt(document, checkoutProfile.notice, notice)) document.body.prepend(notice);
  // Filled a moment after it is placed: the notice comes after the page (the shopper may be typing already), and a
  // live region born with its text is not announced, where one placed empty is heard when its text comes.
  await new Promise((resolve) => setTimeout(resolve, REGION_READY_MS));
  notice.lines = noticeLines;

  const app = document.querySelector(checkoutProfile.app);
  applyToRows(settings, entries, kind);
  // checkout-js re-renders its summary often (steps, "see all", the mobile drawer).
  if (app) observe(app, () => applyToRows(settings, entries, kind));
}

/** The order id on the confirmation page, if known at once: the script URL (`&order={{checkout.order.id}}`), a custom checkout's config, or the path. */
export function confirmationOrderId(scriptSrc: string | undefined, win: Window = window): number | undefined {
  const candidates = [
    scriptSrc ? new URL(scriptSrc, win.location.href).searchParams.get('order') : null,
    (win as unknown as { checkoutConfig?: { orderId?: string | number } }).checkoutConfig?.orderId,
    /\/order-confirmation\/(\d+)/.exec(win.location.pathname)?.[1],
  ];
  for (const candidate of candidates) {
    const id = Number(candidate);
    if (candidate !== null && candidate !== undefined && Number.isSafeInteger(id) && id > 0) return id;
  }
  return undefined;
}

/**
 * The order id as checkout-js shows it ("Your order number is N"), for when nothing else gave it: the app
 * registers its scripts by URL, which Script Manager does not template. Undefined after `timeoutMs`.
 */
export function orderIdFromPage(timeoutMs = 15_000): Promise<number | undefined> {
  const read = () => {
    const id = Number(document.querySelector(checkoutProfile.orderNumber)?.textContent?.replace(/\D/g, ''));
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  };
  return new Promise((resolve) => {
    const found = read();
    if (found) return resolve(found);
    const observer = observe(document.body, () => {
      const id = read();
      if (!id) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(id);
    });
    const timer = setTimeout(() => (observer.disconnect(), resolve(undefined)), timeoutMs);
  });
}

/** Which page this is: an order id or an `order-confirmation` path means the confirmation page. */
export function checkoutPageKind(orderId: number | undefined, win: Window = window): CheckoutPageKind {
  return orderId !== undefined || /order-confirmation/.test(win.location.pathname) ? 'order-confirmation' : 'checkout';
}
