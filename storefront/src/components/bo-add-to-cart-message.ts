import type { PropertyDeclarations, PropertyValues } from '@lit/reactive-element';
import type { StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { QuantitySplit } from '../lib/availability.ts';
import { define } from '../lib/dom.ts';
import { announce, BoMessageElement, splitValues } from './shared.ts';

/** What was pressed: an add whose quantity includes backordered units, or one asking for more than can be ordered. */
export interface AddToCartOutcome {
  kind: 'backordered' | 'over-limit';
  split: QuantitySplit;
}

/**
 * The add-to-cart action message: shown after Add to Cart is pressed, in the theme's "added" modal or
 * under the button — either that the added quantity includes backordered units, or that the quantity
 * asked for is more than can be ordered (the add was held back).
 *
 * @fires bo-message - the shown text changed (`detail.text`)
 * @csspart message - the text (announced through the page's one live region, see `announce`)
 * @cssprop --bo-message-color
 */
export class BoAddToCartMessage extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    outcome: { attribute: false },
    productId: { attribute: 'product-id', reflect: true },
    kind: { reflect: true },
  };

  outcome?: AddToCartOutcome;

  /**
   * The cart line the add went to, as the cart names it ("Linen T-Shirt (L)", `cartLineName`), or the promise of it
   * while the cart is read: the message is said after it, once it is known, so that two sizes added one after the
   * other read apart. Without one ('' for a line the cart does not have) the message is said alone.
   */
  lineName?: string | Promise<string>;

  productId?: string;

  /** Reflects the outcome's kind for styling. */
  kind?: AddToCartOutcome['kind'];

  // The window an add opens gets a new element each time: the page's region says it.
  override announces = true;

  protected override willUpdate(): void {
    this.kind = this.outcome?.kind;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Each outcome is news, even one saying what the last one said (a held button pressed again).
    if (changed.has('outcome') && this.shown && this.announces)
      void Promise.resolve(this.lineName).then((name) => announce(name ? `${name}: ${this.shown}` : this.shown, this));
  }

  protected message(settings: StorefrontSettingsView) {
    const texts = settings.addToCartMessage;
    if (!this.outcome || !texts.enabled) return { text: null };
    const { split, kind } = this.outcome;
    const values = splitValues(split);
    const overLimit = split.inCart ? texts.overLimitInCartText : texts.overLimitText;
    return { text: this.fill(kind === 'over-limit' ? overLimit : texts.backorderedText, values) };
  }
}

define('bo-add-to-cart-message', BoAddToCartMessage);

declare global {
  interface HTMLElementTagNameMap {
    'bo-add-to-cart-message': BoAddToCartMessage;
  }
}
