/**
 * All product views on a page: the product page's own and quick views injected later. It routes the
 * theme's variant reports to the right view, holds back an add above what can be ordered, and shows the
 * add-to-cart message in the theme's "added" modal once the theme fills it.
 */
import type { AddToCartOutcome } from '../components/bo-add-to-cart-message.ts';
import type { ItemAvailability } from '../contract/storefront-api.ts';
import { itemFor, variantsOf } from './availability.ts';
import type { CartLine, PageContext } from './context.ts';
import { insertAt, observe } from './dom.ts';
import { cartLineName } from './line-name.ts';
import { ProductView } from './product-view.ts';
import { fetchCartLines } from './storefront-cart.ts';
import { optionChangeData, variantIdFrom } from './variant.ts';

const MODAL_WAIT_MS = 15_000;

/** Requests that change the cart: stencil-utils' `/remote/v1/cart/add|update|remove`, the Storefront Cart API's items. */
const CART_CHANGE = /\/remote\/v1\/cart\/|\/api\/storefront\/carts\/[^/?]+\/items/;

export interface ProductPage {
  views(): ProductView[];
  stop(): void;
}

/**
 * Starts the product views of the page and watches for quick views. The cart is read once, and again
 * after each request that changes it (seen as a finished resource load, whichever script made it), so
 * what can still be ordered counts what the shopper already holds.
 */
export function startProductViews(
  page: PageContext,
  ask: (ids: Iterable<string>) => Promise<boolean>,
  readCart: () => Promise<CartLine[]> = fetchCartLines,
): ProductPage {
  const views = new Map<Element, ProductView>();
  // Removes every listener added with it when the views stop.
  const listening = new AbortController();
  const { signal } = listening;
  let lastActive: ProductView | undefined;
  /** The watch for the "added" modal the last add opens. */
  let modalWatch: MutationObserver | undefined;
  const { profile } = page;

  let cart: CartLine[] = [];
  const isOf = (line: CartLine, item: ItemAvailability | undefined) => itemFor(page.answer.products[line.productId], line.variantId) === item;
  const inCartOf = (item: ItemAvailability) => cart.reduce((sum, line) => sum + (isOf(line, item) ? line.quantity : 0), 0);
  const refreshCart = () =>
    readCart().then((lines) => {
      cart = lines;
      for (const view of views.values()) view.update();
      return lines;
    });
  void refreshCart();
  const cartWatch = new PerformanceObserver((list) => list.getEntries().some((entry) => CART_CHANGE.test(entry.name)) && refreshCart());
  cartWatch.observe({ type: 'resource' });

  const scan = () => {
    for (const [root, view] of views) {
      if (root.isConnected) continue;
      view.disconnect();
      views.delete(root);
    }
    const missing: string[] = [];
    for (const root of ProductView.rootsIn(document, page)) {
      if (views.has(root)) continue;
      const productId = ProductView.productIdOf(root, page);
      if (!productId) continue;
      if (!page.answer.products[productId]) {
        missing.push(productId);
        continue;
      }
      const view = new ProductView(root, productId, page, !root.closest(profile.product.quickView), inCartOf);
      views.set(root, view);
      lastActive = view;
    }
    if (missing.length) void ask(missing).then((found) => found && scan());
  };

  /** A variant id from the theme goes to the view whose product has it; the last used one if several do. */
  const route = (variantId: string | undefined) => {
    if (!variantId) return;
    const candidates = [...views.values()].filter((view) => variantsOf(view.product)?.[variantId]);
    const view = candidates.length > 1 && lastActive && candidates.includes(lastActive) ? lastActive : candidates[0];
    view?.setVariant(variantId);
  };
  const viewOf = (target: EventTarget | null) => [...views.values()].find((view) => target instanceof Node && view.root.contains(target));

  for (const source of profile.variantSources) {
    if (source.kind === 'event') {
      const target = source.target === 'window' ? window : document;
      const listener = (event: Event) => route(variantIdFrom(optionChangeData((event as CustomEvent).detail)));
      target.addEventListener(source.type, listener, { signal });
    } else {
      const globals = window as unknown as Record<string, { hooks?: { on(name: string, cb: (payload: unknown) => void): void } }>;
      const utils = source.globals.map((name) => globals[name]).find((candidate) => candidate?.hooks);
      utils?.hooks?.on(source.hook, (payload) => route(variantIdFrom(optionChangeData(payload))));
    }
  }

  const onActive = (event: Event) => (lastActive = viewOf(event.target) ?? lastActive);
  const capture = { capture: true, signal };
  document.addEventListener('change', onActive, capture);
  document.addEventListener('focusin', onActive, capture);

  // Capture phase on document: runs before the theme's own submit handler on the form.
  const onSubmit = (event: SubmitEvent) => {
    const view = viewOf(event.target);
    if (!view) return;
    view.readForm();
    const current = view.split;
    if (!current) return;
    if (current.overLimit) {
      event.preventDefault();
      event.stopImmediatePropagation();
      view.showOutcome({ kind: 'over-limit', split: current });
    } else if (current.backordered) {
      const outcome: AddToCartOutcome = { kind: 'backordered', split: current };
      const item = view.item;
      // The cart, read again once the theme shows the add, names the line the add went to.
      const lineName = () => refreshCart().then((lines) => cartLineName(lines.filter((line) => isOf(line, item)).pop() ?? {}) ?? '');
      // A later add's message takes the modal: left on, the earlier add's watch would put its own back, and each
      // would replace the other's for ever, the page hung.
      modalWatch?.disconnect();
      if (profile.addedToCart) modalWatch = showInAddedModal(page, outcome, lineName);
      else view.showOutcome(outcome);
    } else {
      view.showOutcome(undefined);
    }
  };
  document.addEventListener('submit', onSubmit, capture);

  scan();
  const observer = observe(document.body, scan);
  return {
    views: () => [...views.values()],
    stop() {
      observer.disconnect();
      cartWatch.disconnect();
      listening.abort();
      modalWatch?.disconnect();
      for (const view of views.values()) view.disconnect();
      views.clear();
    },
  };
}

/**
 * Cornerstone opens `#previewModal` after a successful add and fills it from the server; the message goes
 * in once the content is there (and again if the theme replaces it), for a while after the add. Whatever else
 * is added to the modal meanwhile (the message itself, the cart preview's checkout hold) leaves a message
 * still there alone: each new element is heard, and the add is news once. It is heard with the name of the line
 * the add went to (`lineName`), from the cart read again once the theme fills the modal: the add went through before.
 */
function showInAddedModal(page: PageContext, outcome: AddToCartOutcome, lineName: () => Promise<string>): MutationObserver {
  const added = page.profile.addedToCart!;
  let named: Promise<string> | undefined;
  const place = (modal: Element) => {
    const shown = modal.querySelector('bo-add-to-cart-message');
    if (shown?.outcome === outcome) return;
    shown?.remove();
    const message = document.createElement('bo-add-to-cart-message');
    message.settings = page.settings;
    message.outcome = outcome;
    // Read once the theme fills the modal: the add went through before.
    message.lineName = named ??= lineName();
    insertAt(modal, added.anchor, message);
  };
  const observer = new MutationObserver((records) => {
    const filled = new Set(records.map((record) => record.addedNodes.length && (record.target as Element).closest?.(added.modal)));
    for (const modal of filled) if (modal) place(modal);
  });
  for (const modal of document.querySelectorAll(added.modal)) observer.observe(modal, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), MODAL_WAIT_MS);
  return observer;
}
