import { ReactiveElement, type PropertyValues, type PropertyDeclarations } from '@lit/reactive-element';
import type { ItemAvailability, StorefrontSettingsView } from '../contract/storefront-api.ts';
import { meetsAA } from '../contract/contrast.ts';
import { addPageStyle, define, setHeld } from '../lib/dom.ts';
import { warnColours } from './colours.ts';

const BUTTON_CSS = `[data-bo-colors]{background-color:var(--bo-button-background)!important;border-color:var(--bo-button-background)!important;color:var(--bo-button-text)!important}`;

/** The label a button shows: a label element inside it, an input's value, or its own text. */
function labelOf(button: HTMLElement, labelSelector: string): { get(): string; set(text: string): void } {
  const inner = labelSelector ? button.querySelector<HTMLElement>(labelSelector) : null;
  if (!inner && button instanceof HTMLInputElement) return { get: () => button.value, set: (text) => (button.value = text) };
  const element = inner ?? button;
  return { get: () => element.textContent!.trim(), set: (text) => (element.textContent = text) };
}

/**
 * Restyles the theme's own Add to Cart button(s) for an item with nothing on hand that can be
 * backordered: the merchant's label (an `<input type=submit>` keeps it in `value`) and colours, when the
 * colours meet WCAG AA contrast. It marks the button `aria-disabled` while the quantity is more than can
 * be ordered. Themes that rewrite the label after an option change get it re-applied; while the theme has
 * the button disabled (adding, sold out) its own label stays. Renders nothing itself.
 *
 * The restyled button carries `data-bo-backorder` (and `data-bo-colors` when colours apply) for theme CSS.
 *
 * @fires bo-colours-refused - the merchant's colours fail WCAG AA; the theme's are kept (`detail.ratio`)
 * @cssprop --bo-button-background - set on the button when the store's colours apply
 * @cssprop --bo-button-text
 */
export class BoAddToCartButton extends ReactiveElement {
  static override properties: PropertyDeclarations = {
    settings: { attribute: false },
    item: { attribute: false },
    buttons: { attribute: false },
    labelSelector: { attribute: false },
    held: { type: Boolean },
  };

  settings?: StorefrontSettingsView;

  item?: ItemAvailability;

  /** The theme's buttons to restyle. */
  buttons: HTMLElement[] = [];

  /** The selector of a label element inside a `<button>` (Pixel Union's `[data-button-text]`). */
  labelSelector = '';

  /** The chosen quantity is more than can be ordered: the add is held back. */
  held = false;

  private readonly originals = new WeakMap<HTMLElement, string>();
  private observer?: MutationObserver;
  private applying = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.hidden = true;
    addPageStyle('button', BUTTON_CSS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
    for (const button of this.buttons) this.giveBack(button);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('buttons')) {
      for (const button of (changed.get('buttons') as HTMLElement[] | undefined) ?? []) {
        if (!this.buttons.includes(button)) this.giveBack(button);
      }
      this.watch();
    }
    this.apply();
  }

  private get active(): boolean {
    return !!this.settings?.addToCartButton.restyle && this.item?.status === 'backorder';
  }

  /** Re-applies after the theme rewrites a button (label, disabled state). */
  private watch(): void {
    this.observer?.disconnect();
    this.observer = new MutationObserver(() => {
      if (!this.applying) this.apply();
    });
    for (const button of this.buttons) {
      this.observer.observe(button, { attributes: true, attributeFilter: ['value', 'disabled', 'class'], childList: true, subtree: true, characterData: true });
    }
  }

  private apply(): void {
    this.applying = true;
    try {
      for (const button of this.buttons) {
        if (this.active) this.restyle(button);
        else this.restore(button);
        // Not refused: pressing a held button submits, and the submit is stopped with the reason shown.
        setHeld(button, this.held && this.isConnected);
      }
    } finally {
      // Our own mutations are delivered to the observer after this task; ignore them there.
      queueMicrotask(() => (this.applying = false));
    }
  }

  private restyle(button: HTMLElement): void {
    const settings = this.settings!.addToCartButton;
    const label = labelOf(button, this.labelSelector);
    button.setAttribute('data-bo-backorder', '');
    if (!(button as HTMLButtonElement).disabled && label.get() !== settings.text) {
      this.originals.set(button, label.get());
      label.set(settings.text);
    }
    this.colour(button);
  }

  private colour(button: HTMLElement): void {
    const { backgroundColor, textColor } = this.settings!.addToCartButton;
    if (!backgroundColor && !textColor) return;
    button.removeAttribute('data-bo-colors');
    const computed = getComputedStyle(button);
    const background = backgroundColor || computed.backgroundColor;
    const text = textColor || computed.color;
    if (!meetsAA(text, background)) {
      warnColours(this, 'Add to Cart button', text, background);
      return;
    }
    button.style.setProperty('--bo-button-background', background);
    button.style.setProperty('--bo-button-text', text);
    button.setAttribute('data-bo-colors', '');
  }

  private restore(button: HTMLElement): void {
    if (!button.hasAttribute('data-bo-backorder')) return;
    const original = this.originals.get(button);
    const label = labelOf(button, this.labelSelector);
    if (original !== undefined && label.get() === this.settings?.addToCartButton.text) label.set(original);
    this.originals.delete(button);
    button.removeAttribute('data-bo-backorder');
    button.removeAttribute('data-bo-colors');
    button.style.removeProperty('--bo-button-background');
    button.style.removeProperty('--bo-button-text');
  }

  /** Gives a button back to the theme as it was: its label, colours and no hold. */
  private giveBack(button: HTMLElement): void {
    this.restore(button);
    setHeld(button, false);
  }
}

define('bo-add-to-cart-button', BoAddToCartButton);

declare global {
  interface HTMLElementTagNameMap {
    'bo-add-to-cart-button': BoAddToCartButton;
  }
}
