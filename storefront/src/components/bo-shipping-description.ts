import type { PropertyDeclarations } from '@lit/reactive-element';
import type { ItemAvailability, StorefrontSettingsView } from '../contract/storefront-api.ts';
import { etaFor, splitQuantity } from '../lib/availability.ts';
import { define } from '../lib/dom.ts';
import { BoMessageElement, etaSentence, splitValues } from './shared.ts';

/**
 * The shipping description under Add to Cart: when the chosen quantity ships. Items with backordered
 * units get the backorder text and, when the store shows it, the back-in-stock date in the shopper's locale.
 * A quantity above what can be ordered gets nothing (the quantity message says how many can be; the add is held).
 *
 * @fires bo-message - the shown text changed (`detail.text`)
 * @csspart message - the live region holding the text
 * @csspart date - the back-in-stock sentence
 * @cssprop --bo-message-color
 * @cssprop --bo-date-color
 */
export class BoShippingDescription extends BoMessageElement {
  static override properties: PropertyDeclarations = {
    item: { attribute: false },
    quantity: { type: Number },
    inCart: { type: Number, attribute: false },
    productId: { attribute: 'product-id', reflect: true },
  };

  item?: ItemAvailability;

  /** The quantity the shopper chose. */
  quantity = 1;

  /** Units of the item already in the shopper's cart: they take stock first. */
  inCart = 0;

  productId?: string;

  protected message(settings: StorefrontSettingsView) {
    const texts = settings.shippingDescription;
    if (!this.item || !texts.enabled || this.item.status === 'sold_out') return { text: null };
    const split = splitQuantity(this.item, this.quantity, this.inCart);
    // More than can be ordered: the add is held and the quantity message says how many can be, so no unit of
    // this quantity ships, from stock or backordered. Withheld numbers on an item with stock: whether this
    // quantity ships now is not known. Either way, say nothing.
    if (split.overLimit || split.backordered === null) return { text: null };
    const values = splitValues(split);
    if (split.backordered === 0) return { text: this.fill(texts.inStockText, values) };
    const cartBackordered = splitQuantity(this.item, this.inCart).backordered ?? 0;
    return { text: this.fill(texts.backorderText, values), date: etaSentence(settings, etaFor(this.item, split.backordered, cartBackordered)) };
  }
}

define('bo-shipping-description', BoShippingDescription);

declare global {
  interface HTMLElementTagNameMap {
    'bo-shipping-description': BoShippingDescription;
  }
}
