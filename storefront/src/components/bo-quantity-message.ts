import type { PropertyDeclarations } from '@lit/reactive-element';
import type { ItemAvailability, StorefrontSettingsView } from '../contract/storefront-api.ts';
import { splitQuantity, type QuantitySplit } from '../lib/availability.ts';
import { define } from '../lib/dom.ts';
import { BoMessageElement, splitState, splitValues } from './shared.ts';

/**
 * The live quantity message under the quantity field: "N of these will be backordered" as the quantity
 * grows past what is on hand, and "Only N can be ordered" past what can be ordered at all — both after the
 * units already in the shopper's cart ("You have 3 in your cart; only 2 more can be ordered"). A sold-out item
 * gets no message (the inventory description says sold out); its `state` is still `over-limit`.
 *
 * @fires bo-message - the shown text changed (`detail.text`)
 * @csspart message - the live region holding the text
 * @cssprop --bo-message-color
 */
export class BoQuantityMessage extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    item: { attribute: false },
    quantity: { type: Number },
    inCart: { type: Number, attribute: false },
    productId: { attribute: 'product-id', reflect: true },
    state: { reflect: true },
  };

  item?: ItemAvailability;

  quantity = 1;

  /** Units of the item already in the shopper's cart: they take stock and room first. */
  inCart = 0;

  productId?: string;

  /** `over-limit`, `backordered` or absent, reflected for styling. */
  state?: 'over-limit' | 'backordered';

  /** How the current quantity splits; undefined without an item. */
  get split(): QuantitySplit | undefined {
    return this.item ? splitQuantity(this.item, this.quantity, this.inCart) : undefined;
  }

  protected override willUpdate(): void {
    const split = this.split;
    this.state = splitState(split);
  }

  protected message(settings: StorefrontSettingsView) {
    const split = this.split;
    const texts = settings.quantityMessage;
    // Sold out: the inventory description says so and the add is held; "Only 0 can be ordered" would only echo it.
    if (!split || !texts.enabled || this.item?.status === 'sold_out') return { text: null };
    const values = splitValues(split);
    if (split.overLimit) return { text: this.fill(split.inCart ? texts.overLimitInCartText : texts.overLimitText, values) };
    return { text: split.backordered ? this.fill(texts.backorderedText, values) : null };
  }
}

define('bo-quantity-message', BoQuantityMessage);

declare global {
  interface HTMLElementTagNameMap {
    'bo-quantity-message': BoQuantityMessage;
  }
}
