import type { PropertyDeclarations } from '@lit/reactive-element';
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { QuantitySplit } from '../lib/availability.ts';
import { define, setHeld } from '../lib/dom.ts';
import { lineName } from '../lib/line-name.ts';
import { overLimitText, tellLine } from './bo-cart-line-message.ts';
import { BoMessageElement } from './shared.ts';

/** A cart line as the hold weighs it: its line item id, its name (when known) and its quantity split. */
export interface HoldLine {
  id: string;
  name?: string | undefined;
  /** The values of the options the shopper chose: two variants of one product are told apart by them. */
  options?: string[] | undefined;
  split: QuantitySplit;
}

/** Not a link or button itself: a container the theme's wallet buttons render into. */
const isContainer = (element: Element) => !element.matches('a, button, input');

/** Each cart line's reason last shown, by line item id, whichever hold showed it (the previews' are placed anew at every render). */
const told = new Map<string, string>();

/**
 * Holds the theme's checkout buttons (cart page, header cart preview, post-add modal) while a cart line
 * asks for more than can be ordered, as Add to Cart is held on the product page, and says why next to them:
 * each line over the limit with the cart message's over-limit text. The buttons are marked `aria-disabled` and
 * `data-bo-held`, and a click on them does nothing; they are released as soon as every line is within.
 * A line's new reason is said through the page's one live region, as that line's words (see `tellLine`): the
 * line's own message says the same change, and the previews' holds are placed anew, where a region of their
 * own would be born with its text, unheard.
 *
 * @fires bo-message - the shown reason changed (`detail.text`)
 * @csspart message - the reason (a line's new reason is announced through the page's one live region, see `announce`)
 * @cssprop --bo-message-color
 */
export class BoCheckoutHold extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    surface: { reflect: true },
    lines: { attribute: false },
    buttons: { attribute: false },
    held: { type: Boolean, reflect: true },
  };

  /** Whose checkout buttons it holds: the cart page's, the header cart preview's or the post-add modal's. */
  surface?: 'cart' | 'cartPreview' | 'addedToCart';

  /** The cart's lines of assigned items, each with its split. */
  lines: HoldLine[] = [];

  /** The theme's checkout buttons (or their containers) to hold. */
  buttons: HTMLElement[] = [];

  /** Reflects whether checkout is held, for styling. */
  held = false;

  override announces = true;

  private readonly heldButtons = new Set<HTMLElement>();

  override connectedCallback(): void {
    super.connectedCallback();
    // One line's reason per line of text; an inline style, so this element needs no style sheet of its own.
    this.style.whiteSpace = 'pre-line';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const button of this.heldButtons) this.release(button);
  }

  protected override willUpdate(): void {
    this.held = this.lines.some((line) => line.split.overLimit);
  }

  /** Each line's sentence, named (with its options) when the line's name is known; empty for a line within the limit. */
  private reasons(settings: StorefrontSettingsView): string[] {
    return this.lines.map(({ name, options = [], split }) => {
      const text = overLimitText(settings, split, (template, values) => this.fill(template, values));
      return text && name ? `${lineName(name, options)}: ${text}` : (text ?? '');
    });
  }

  protected message(settings: StorefrontSettingsView) {
    return { text: this.reasons(settings).filter(Boolean).join('\n') || null };
  }

  protected override updated(changed: Parameters<BoMessageElement['updated']>[0]): void {
    super.updated(changed);
    if (this.settings && this.announces) this.reasons(this.settings).forEach((reason, i) => tellLine(told, this.lines[i]!.id, reason));
    const wanted = new Set(this.held ? this.buttons : []);
    for (const button of this.heldButtons) if (!wanted.has(button)) this.release(button);
    for (const button of wanted) {
      // Refused: a checkout link or wallet button leaves for checkout on the click itself; a container of wallet
      // buttons is held whole (they render frames a keyboard would reach into).
      setHeld(button, true, true, isContainer(button));
      this.heldButtons.add(button);
    }
  }

  private release(button: HTMLElement): void {
    setHeld(button, false, true, isContainer(button));
    this.heldButtons.delete(button);
  }
}

define('bo-checkout-hold', BoCheckoutHold);

declare global {
  interface HTMLElementTagNameMap {
    'bo-checkout-hold': BoCheckoutHold;
  }
}
