/** Small DOM helpers shared by the page controllers. */
import type { Anchor } from '../contract/theme-profiles/types.ts';

/** Defines a custom element once; a second copy of the bundle on the page must not throw. */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

/** Inserts `element` at the first anchor that matches inside `root`; false when none does. */
export function insertAt(root: ParentNode, anchors: Anchor[], element: Element): boolean {
  for (const anchor of anchors) {
    const target = anchor.selector ? root.querySelector(anchor.selector) : null;
    if (target) {
      target.insertAdjacentElement(anchor.where, element);
      return true;
    }
  }
  return false;
}

/** An element of this tag already in `root` (a theme snippet placed it), or a new one inserted at the anchors. */
export function placed<K extends keyof HTMLElementTagNameMap>(root: ParentNode, tag: K, anchors: Anchor[]): HTMLElementTagNameMap[K] | undefined {
  const existing = root.querySelector(tag);
  if (existing) return existing;
  const created = document.createElement(tag);
  created.dataset['boMounted'] = '';
  return insertAt(root, anchors, created) ? created : undefined;
}

/** The product id an element carries: an input's value, or its `data-product-id` / `data-entity-id`. */
export function productIdOf(element: Element | null | undefined): string | undefined {
  if (!element) return undefined;
  const value = element instanceof HTMLInputElement ? element.value : (element.getAttribute('data-product-id') ?? element.getAttribute('data-entity-id'));
  return value && /^\d+$/.test(value.trim()) ? value.trim() : undefined;
}

/**
 * Calls `callback` once after a burst of mutations under `target` (the theme's re-render is usually
 * several). A timer, not an animation frame: frames stop in background tabs, and the page must be right
 * when the shopper comes back to it.
 */
export function observe(target: Node, callback: () => void, options: MutationObserverInit = { childList: true, subtree: true }): MutationObserver {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      callback();
    }, 0);
  });
  observer.observe(target, options);
  return observer;
}

const styleSheets = new Set<string>();

/**
 * Adds page-level CSS once per key (hiding the theme's own backorder texts, the restyled button). A
 * constructed style sheet, not a `<style>` element: a page whose Content Security Policy refuses inline
 * styles (the admin's preview, a shop with a strict policy) applies it all the same.
 */
export function addPageStyle(key: string, css: string): void {
  if (styleSheets.has(key) || !css) return;
  styleSheets.add(key);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Hides the theme's own elements matching `selectors` inside elements marked with `marker`. */
export function hideWithin(marker: string, selectors: string): void {
  if (selectors.trim()) addPageStyle(`hide:${marker}:${selectors}`, `[${marker}] :is(${selectors}){display:none!important}`);
}

/** A held element is dimmed; its children take no clicks, so a container (wallet buttons render iframes) takes them itself. */
const HELD_CSS = '[data-bo-held]{opacity:.6;cursor:not-allowed}[data-bo-held] *{pointer-events:none}';

/** Held elements whose clicks do nothing: they leave for checkout or pay without a form submit to stop. */
const refusing = new Set<Element>();

function refuse(event: Event): void {
  if ([...refusing].some((element) => element.contains(event.target as Node))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}

/**
 * Holds one of the theme's buttons (or a container of them) while the shopper asks for more than can be
 * ordered, or releases it: `data-bo-held` and `aria-disabled` (still focusable, read as unavailable). With
 * `refuseClicks` a click on it does nothing, caught on the document before the theme's own handlers; a `whole`
 * container (wallet buttons) is inert too, since a keyboard reaches into a wallet's own frame, where no click
 * is seen. An element already so is left alone: a theme's own `aria-disabled` on a button never held stays.
 */
export function setHeld(element: HTMLElement, held: boolean, refuseClicks?: boolean, whole?: boolean): void {
  if (held === element.hasAttribute('data-bo-held')) return;
  addPageStyle('held', HELD_CSS);
  element.toggleAttribute('data-bo-held', held);
  if (held) element.setAttribute('aria-disabled', 'true');
  else element.removeAttribute('aria-disabled');
  if (whole) element.inert = held;
  if (held && refuseClicks) {
    refusing.add(element);
    document.addEventListener('click', refuse, true);
  } else refusing.delete(element);
}
